package dev.vigil;

import java.time.Instant;

/**
 * What the rollback of one verification did. Immutable.
 *
 * @param outcome the outcome
 * @param trigger a description of the trigger(s) that ran, or would have run ({@code command: kubectl rollout undo ...})
 * @param attempts how many attempts were made in all: 0 when nothing ran, and for a rollback shared
 *     with a concurrent verification that ran it (see {@link RollbackCoordinator}), whose id it then has
 * @param output the captured output of the trigger, bounded, possibly empty
 * @param error why it failed, or {@code null}
 * @param startedAt when it started, or {@code null} when nothing ran
 * @param finishedAt when it finished, or {@code null} when nothing ran
 * @param rollbackId the id every attempt of the rollback carried ({@code VIGIL_ROLLBACK_ID}, a
 *     webhook's {@code Idempotency-Key}), to repeat it by hand as the same rollback; {@code null}
 *     when no attempt ran
 * @param sharedWith what ran the rollback this verification shares ({@code a concurrent verification
 *     of checkout 2.0.0 in production}, see {@link RollbackCoordinator}), whatever its outcome, a
 *     runner that threw included; {@code null} for a rollback of this verification's own (or none)
 */
public record RollbackReport(
        RollbackOutcome outcome,
        String trigger,
        int attempts,
        String output,
        String error,
        Instant startedAt,
        Instant finishedAt,
        String rollbackId,
        String sharedWith) {

    /**
     * Fills in empty strings for missing text.
     *
     * @param outcome the outcome
     * @param trigger a description of the trigger(s), or {@code null} for empty
     * @param attempts how many attempts were made in all
     * @param output the captured output of the trigger, or {@code null} for empty
     * @param error why it failed, or {@code null}
     * @param startedAt when it started, or {@code null} when nothing ran
     * @param finishedAt when it finished, or {@code null} when nothing ran
     * @param rollbackId the id every attempt carried, or {@code null} when nothing ran
     * @param sharedWith what ran the shared rollback, or {@code null} for this verification's own
     */
    public RollbackReport {
        trigger = trigger == null ? "" : trigger;
        output = output == null ? "" : output;
    }

    /**
     * A report of this verification's own rollback (not shared with a concurrent verification).
     *
     * @param outcome the outcome
     * @param trigger a description of the trigger(s), or {@code null} for empty
     * @param attempts how many attempts were made in all
     * @param output the captured output of the trigger, or {@code null} for empty
     * @param error why it failed, or {@code null}
     * @param startedAt when it started, or {@code null} when nothing ran
     * @param finishedAt when it finished, or {@code null} when nothing ran
     * @param rollbackId the id every attempt carried, or {@code null} when nothing ran
     */
    public RollbackReport(RollbackOutcome outcome, String trigger, int attempts, String output, String error,
            Instant startedAt, Instant finishedAt, String rollbackId) {
        this(outcome, trigger, attempts, output, error, startedAt, finishedAt, rollbackId, null);
    }

    /**
     * Whether a concurrent verification ran this rollback, whatever came of it: its attempts may have
     * gone through, and repeating them by hand may undo them.
     *
     * @return {@code true} when {@link #sharedWith()} names one
     */
    public boolean shared() {
        return sharedWith != null;
    }

    /**
     * A report without a rollback id: nothing ran, or the id is not known.
     *
     * @param outcome the outcome
     * @param trigger a description of the trigger(s), or {@code null} for empty
     * @param attempts how many attempts were made in all
     * @param output the captured output of the trigger, or {@code null} for empty
     * @param error why it failed, or {@code null}
     * @param startedAt when it started, or {@code null} when nothing ran
     * @param finishedAt when it finished, or {@code null} when nothing ran
     */
    public RollbackReport(RollbackOutcome outcome, String trigger, int attempts, String output, String error,
            Instant startedAt, Instant finishedAt) {
        this(outcome, trigger, attempts, output, error, startedAt, finishedAt, null, null);
    }

    /**
     * The report of a verification that needed no rollback.
     *
     * @return a {@link RollbackOutcome#NOT_NEEDED} report with no attempts, trigger or output
     */
    public static RollbackReport notNeeded() {
        return new RollbackReport(RollbackOutcome.NOT_NEEDED, "", 0, "", null, null, null);
    }

    /**
     * The value on one line, to be logged: the outcome, attempts, times and ids; the trigger's description, output and error by their length
     * only (a command's text and what it printed may hold its credentials).
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "RollbackReport[outcome=" + outcome + ", trigger=" + Unshown.text(trigger) + ", attempts=" + attempts
                + ", output=" + Unshown.text(output) + ", error=" + Unshown.text(error) + ", startedAt=" + startedAt
                + ", finishedAt=" + finishedAt + ", rollbackId=" + rollbackId + ", sharedWith=" + sharedWith + "]";
    }
}
