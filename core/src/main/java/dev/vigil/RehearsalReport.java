package dev.vigil;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a rollback rehearsal did: the configured rollback run on purpose outside an emergency, in a
 * non-production environment, then the re-check of the version it returned to. Immutable.
 *
 * @param outcome {@link Outcome#REHEARSED} when the rollback ran and the previous version came back
 *     healthy, {@link Outcome#ABORTED} when it was interrupted before the rollback started, else
 *     {@link Outcome#FAILED}
 * @param reason one sentence saying why
 * @param deployment the deployment whose rollback was rehearsed
 * @param rollback what the rollback did
 * @param recheckResult what the re-check found
 * @param recheck the re-check's measurements
 * @param startedAt when the rehearsal started
 * @param finishedAt when it finished
 */
public record RehearsalReport(
        Outcome outcome,
        String reason,
        Deployment deployment,
        RollbackReport rollback,
        RecheckReport recheckResult,
        List<Measurement> recheck,
        Instant startedAt,
        Instant finishedAt) {

    /** How a rehearsal ended. */
    public enum Outcome {
        /** The rollback ran and the previous version came back healthy: the procedure works. */
        REHEARSED,
        /** The rollback failed, or the previous version did not come back healthy: fix the procedure now, not in an emergency. */
        FAILED,
        /**
         * The calling thread was interrupted (a signal, a cancelled job) before the rollback
         * started, or a verification in this JVM was rolling the same deployment back: nothing was
         * rolled back, and nothing was proven either way.
         */
        ABORTED
    }

    /**
     * Validates, and copies the measurements.
     *
     * @param outcome how the rehearsal ended; not {@code null}
     * @param reason one sentence saying why; not {@code null}
     * @param deployment the deployment whose rollback was rehearsed; not {@code null}
     * @param rollback what the rollback did; not {@code null}
     * @param recheckResult what the re-check found; not {@code null}
     * @param recheck the re-check's measurements; not {@code null}
     * @param startedAt when the rehearsal started
     * @param finishedAt when it finished
     * @throws NullPointerException when a component that must be there is {@code null}, or a
     *     measurement is
     */
    public RehearsalReport {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(recheckResult, "recheckResult");
        recheck = List.copyOf(recheck);
    }

    /**
     * Whether the rehearsal proved the rollback procedure works.
     *
     * @return {@code true} for {@link Outcome#REHEARSED}
     */
    public boolean rehearsed() {
        return outcome == Outcome.REHEARSED;
    }

    /**
     * The value on one line, to be logged: the outcome, deployment, rollback, re-check and times; the reason by its length and the re-check's
     * measurements by their number (they may quote a credential).
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "RehearsalReport[outcome=" + outcome + ", reason=" + Unshown.text(reason) + ", deployment=" + deployment
                + ", rollback=" + rollback + ", recheckResult=" + recheckResult + ", recheck=" + Unshown.size(recheck)
                + ", startedAt=" + startedAt + ", finishedAt=" + finishedAt + "]";
    }
}
