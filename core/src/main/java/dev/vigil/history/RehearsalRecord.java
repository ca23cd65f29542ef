package dev.vigil.history;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import java.time.Instant;
import java.util.Objects;

/**
 * What the release history keeps of one rollback rehearsal. Immutable and thread-safe.
 *
 * @param id the rehearsal's id: the rollback id it ran with, or one made from its deployment and start
 * @param deployment the deployment whose rollback was rehearsed
 * @param outcome whether the procedure was proved to work
 * @param reason why
 * @param rollback what the rollback did
 * @param recheck what the re-check found
 * @param startedAt when it started
 * @param finishedAt when it finished
 * @param rollbackRan whether its rollback trigger started ({@code true}: it ran, or a concurrent
 *     verification's rollback that it shared ran; {@code false}: none started, as when the rehearsal was
 *     interrupted before its rollback started or no trigger is configured), or {@code null} when not
 *     known (records written before it was kept)
 */
public record RehearsalRecord(
        String id,
        Deployment deployment,
        RehearsalReport.Outcome outcome,
        String reason,
        RollbackOutcome rollback,
        RecheckReport.Status recheck,
        Instant startedAt,
        Instant finishedAt,
        Boolean rollbackRan) {

    /**
     * Validates.
     *
     * @param id the rehearsal's id: the rollback id it ran with, or one made from its deployment and start
     * @param deployment the deployment whose rollback was rehearsed
     * @param outcome whether the procedure was proved to work
     * @param reason why
     * @param rollback what the rollback did
     * @param recheck what the re-check found
     * @param startedAt when it started
     * @param finishedAt when it finished
     * @param rollbackRan whether its rollback trigger started, or {@code null} when not known
     */
    public RehearsalRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(recheck, "recheck");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        reason = reason == null ? "" : reason;
    }

    /**
     * A record that does not say whether its rollback trigger started ({@link #rollbackRan()} {@code null}).
     *
     * @param id the rehearsal's id: the rollback id it ran with, or one made from its deployment and start
     * @param deployment the deployment whose rollback was rehearsed
     * @param outcome whether the procedure was proved to work
     * @param reason why
     * @param rollback what the rollback did
     * @param recheck what the re-check found
     * @param startedAt when it started
     * @param finishedAt when it finished
     */
    public RehearsalRecord(String id, Deployment deployment, RehearsalReport.Outcome outcome, String reason,
            RollbackOutcome rollback, RecheckReport.Status recheck, Instant startedAt, Instant finishedAt) {
        this(id, deployment, outcome, reason, rollback, recheck, startedAt, finishedAt, null);
    }

    /**
     * The record of a finished rehearsal.
     *
     * @param report the rehearsal's report
     * @return the record to store
     */
    public static RehearsalRecord of(RehearsalReport report) {
        Deployment d = report.deployment();
        String id = report.rollback().rollbackId() != null ? report.rollback().rollbackId()
                : java.util.UUID.nameUUIDFromBytes((d.service() + '\n' + d.version() + '\n' + d.environment() + '\n'
                        + report.startedAt()).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
        return new RehearsalRecord(id, d, report.outcome(), report.reason(), report.rollback().outcome(),
                report.recheckResult().status(), report.startedAt(), report.finishedAt(),
                ReleaseRecord.triggerStarted(report.rollback()));
    }
}
