package dev.vigil.history;

import dev.vigil.Deployment;
import dev.vigil.RollbackOutcome;
import java.time.Instant;
import java.util.Objects;

/**
 * What the release history keeps of one rollback of a verification or a watch, written when it
 * starts and completed when it ends: a record that never got its end is a rollback during which
 * Vigil stopped (killed, or the machine lost), after which which version runs is unknown.
 * Immutable and thread-safe.
 *
 * @param id the record's id, unique per rollback
 * @param deployment the deployment rolled back: its service, version, previous version and environment
 * @param startedAt when the rollback started
 * @param finishedAt when it finished, or {@code null} while it has not (as far as the history knows)
 * @param outcome what it did, or {@code null} while it has not finished
 * @param ran whether its trigger started ({@code false}: it ended {@code FAILED} before any trigger
 *     started, so nothing was rolled back), or {@code null} while it has not finished or when not
 *     known (records written before it was kept)
 */
public record RollbackRecord(String id, Deployment deployment, Instant startedAt, Instant finishedAt, RollbackOutcome outcome,
        Boolean ran) {

    /**
     * Validates: the end and the outcome are both given or both {@code null}.
     *
     * @param id the record's id, unique per rollback
     * @param deployment the deployment rolled back
     * @param startedAt when the rollback started
     * @param finishedAt when it finished, or {@code null} while it has not
     * @param outcome what it did, or {@code null} while it has not finished
     * @param ran whether its trigger started, or {@code null} while it has not finished or when not known
     */
    public RollbackRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(startedAt, "startedAt");
        if ((finishedAt == null) != (outcome == null)) {
            throw new IllegalArgumentException("a rollback record's finishedAt and outcome are both given or both null, not "
                    + finishedAt + " and " + outcome);
        }
        if (ran != null && finishedAt == null) {
            throw new IllegalArgumentException("a rollback record that has not finished does not say whether its trigger ran");
        }
    }

    /**
     * A record that does not say whether its trigger started ({@link #ran()} {@code null}).
     *
     * @param id the record's id, unique per rollback
     * @param deployment the deployment rolled back
     * @param startedAt when the rollback started
     * @param finishedAt when it finished, or {@code null} while it has not
     * @param outcome what it did, or {@code null} while it has not finished
     */
    public RollbackRecord(String id, Deployment deployment, Instant startedAt, Instant finishedAt, RollbackOutcome outcome) {
        this(id, deployment, startedAt, finishedAt, outcome, null);
    }

    /**
     * The record of a rollback that starts now.
     *
     * @param id the record's id, unique per rollback
     * @param deployment the deployment rolled back
     * @param startedAt when it started
     * @return the record, not finished
     */
    public static RollbackRecord started(String id, Deployment deployment, Instant startedAt) {
        return new RollbackRecord(id, deployment, startedAt, null, null, null);
    }

    /**
     * This rollback, finished.
     *
     * @param at when it finished
     * @param how what it did
     * @return a new record; this one is unchanged
     */
    public RollbackRecord finish(Instant at, RollbackOutcome how) {
        return new RollbackRecord(id, deployment, startedAt, Objects.requireNonNull(at, "at"), Objects.requireNonNull(how, "how"), null);
    }

    /**
     * This rollback, finished, saying whether its trigger started.
     *
     * @param at when it finished
     * @param how what it did
     * @param triggerRan whether its trigger started ({@code false}: nothing was rolled back)
     * @return a new record; this one is unchanged
     */
    public RollbackRecord finish(Instant at, RollbackOutcome how, boolean triggerRan) {
        return new RollbackRecord(id, deployment, startedAt, Objects.requireNonNull(at, "at"), Objects.requireNonNull(how, "how"),
                triggerRan);
    }

    /** {@return whether its end is recorded} */
    public boolean finished() {
        return finishedAt != null;
    }
}
