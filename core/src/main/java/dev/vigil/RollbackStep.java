package dev.vigil;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * What an {@link Verdict#UNHEALTHY} verdict sets off: nothing in a dry-run, a {@code FAILED}
 * rollback for a person to handle when no trigger is configured, else the triggers through the
 * coordinator, so that verifications of the same deployment running at once roll it back once.
 */
final class RollbackStep {

    private final List<RollbackTrigger> triggers;
    private final RollbackPolicy policy;
    private final VerificationPlan plan;
    private final TimeSource time;
    private final WallClock clock;

    /**
     * @param time the verification's: the backoff between attempts waits on it
     * @param clock the wall clock of {@code time}, the verification's: the rollback's times are read from it
     */
    RollbackStep(List<RollbackTrigger> triggers, RollbackPolicy policy, VerificationPlan plan, TimeSource time,
            WallClock clock) {
        this.triggers = triggers;
        this.policy = policy;
        this.plan = plan;
        this.time = time;
        this.clock = clock;
    }

    /** The triggers, which decide with the deployment whether two verifications share a rollback. */
    List<RollbackTrigger> triggers() {
        return triggers;
    }

    /**
     * Rolls back; never throws for what a trigger does.
     *
     * @param call the method of {@link DeployVerifier} whose verification or rehearsal rolls back, for
     *     the refusal of a nested call from a trigger
     * @param started called just before a trigger runs (not for a dry-run or without triggers)
     */
    RollbackReport run(Deployment deployment, Verdict verdict, String reason, RollbackCoordinator.Registration registration,
            ExecutorService executor, String call, Runnable started) {
        return run(deployment, verdict, reason, registration, executor, call, started, false);
    }

    /**
     * Rolls back, or only reports when {@code notifyOnly} (a watch whose action is
     * {@link WatchPlan.Action#NOTIFY}); never throws for what a trigger does.
     */
    RollbackReport run(Deployment deployment, Verdict verdict, String reason, RollbackCoordinator.Registration registration,
            ExecutorService executor, String call, Runnable started, boolean notifyOnly) {
        String description = triggers.stream().map(RollbackRunner::describe).reduce((a, b) -> a + "; " + b).orElse("");
        if (notifyOnly && registration.rolledBackByOther().isEmpty()) {
            return new RollbackReport(RollbackOutcome.NOTIFIED, description, 0,
                    "watch-action=notify: the rollback trigger did not run; a person decides", null, null, null);
        }
        if (plan.dryRun()) {
            return new RollbackReport(RollbackOutcome.DRY_RUN, description, 0,
                    "dry-run: the rollback trigger did not run", null, null, null);
        }
        // Both readings at once: the rollback's end is its start plus the elapsed time, listeners included.
        Instant at = clock.instant();
        long atNanos = clock.nanos();
        if (triggers.isEmpty()) {
            return new RollbackReport(RollbackOutcome.FAILED, "", 0, "",
                    "no rollback trigger is configured: roll back by hand", at, clock.after(at, atNanos));
        }
        return registration.rollbackOnce(reason, () -> {
            started.run();
            return new RollbackRunner(deployment, verdict, reason, policy, executor, time, clock, call)
                    .run(triggers, description, at, atNanos);
        });
    }
}
