package dev.vigil;

/** What became of the rollback of one verification. */
public enum RollbackOutcome {
    /** The verdict did not call for a rollback. */
    NOT_NEEDED,
    /** A rollback was called for, but the plan is a dry-run: the trigger did not run. */
    DRY_RUN,
    /** Every rollback trigger succeeded. */
    ROLLED_BACK,
    /** A rollback trigger failed after its retries, or none was configured: a person must act. */
    FAILED,
    /**
     * A watch after the bake found the deployment unhealthy, and its action is
     * {@link WatchPlan.Action#NOTIFY}: the trigger did not run, on purpose; a person decides.
     */
    NOTIFIED
}
