package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckPlan;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackTrigger;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.VirtualTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The console's {@code Next:} line after a rollback that {@code FAILED}. An attempt that ran may have
 * gone through before it failed (its status check timed out, a signal or the timeout stopped it after
 * its undo), and a bare undo repeated then brings the bad version back: unless a re-check found what
 * answers unhealthy, or nothing ran at all, the person is sent to find which version runs first.
 */
class FailedRollbackAdviceTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.9.0");
    private static final Deployment PRODUCTION = DEPLOYMENT.withEnvironment("production");

    private final VirtualTime time = VirtualTime.start();
    private final AtomicReference<String> running = new AtomicReference<>("2.0.0");
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private final Probe errors = context -> running.get().equals("2.0.0")
            ? ProbeResult.fail(Map.of(), "503") : ProbeResult.pass(Map.of(), "200");

    /** Switches to 1.9.0, then its status check fails. */
    private final RollbackTrigger wentThroughThenFailed = event -> {
        running.set("1.9.0");
        throw new IllegalStateException("rollout status timed out");
    };

    /** Fails before it changes anything. */
    private final RollbackTrigger changedNothing = event -> {
        throw new IllegalStateException("cluster unreachable");
    };

    private VerificationReport verify(RollbackTrigger rollback, RecheckPlan recheck) {
        DeployVerifier.Builder builder = DeployVerifier.builder().probe("errors", errors)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time).rollbackCoordinator(RollbackCoordinator.create()).recheck(recheck)
                .listener(ConsoleProgress.builder(new PrintStream(bytes, true, StandardCharsets.UTF_8)).terminal(false).build());
        if (rollback != null) {
            builder.rollback(rollback);
        }
        return builder.build().verifyAfterDeploy(DEPLOYMENT);
    }

    private String console() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aFailedRollbackThatNoRecheckMeasuredIsNotToBeRepeatedBeforeFindingWhichVersionRuns() {
        VerificationReport report = verify(wentThroughThenFailed, RecheckPlan.off());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.OFF);
        assertThat(running.get()).as("the failed attempt went through").isEqualTo("1.9.0");
        assertThat(console())
                .contains("Next:     THE ROLLBACK FAILED, and no re-check found out which version answers since: a person"
                        + " must find which version runs before rolling back again (1.9.0 means the failed attempt went"
                        + " through, and repeating it may bring 2.0.0 back; 2.0.0 means roll checkout back now).")
                .doesNotContain("a person must roll back checkout 2.0.0 now");
    }

    @Test
    void aFailedRollbackWhoseRecheckFindsWhatAnswersUnhealthyIsToBeRolledBackNow() {
        VerificationReport report = verify(changedNothing, RecheckPlan.defaults());

        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.UNHEALTHY);
        assertThat(console()).contains("Next:     THE ROLLBACK FAILED: a person must roll back checkout 2.0.0 now.");
    }

    /**
     * A bake shares the rollback a concurrent verification of the same deployment ran, whose undo went
     * through before its status check failed. With no attempt of its own, its {@code Next:} line took
     * the shared rollback for one that never ran and asked to roll back now: a second undo, bringing
     * 2.0.0 back.
     */
    @Test
    void aFailedRollbackThatAConcurrentVerificationRanIsNotToBeRepeatedBeforeFindingWhichVersionRuns() {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        VerificationReport report = bakeMeeting(coordinator, () -> {
            // The other verification runs whole, its failed rollback included, while this round measures.
            DeployVerifier.builder().probe("errors", errors)
                    .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(10)))
                    .timeSource(VirtualTime.start()).rollbackCoordinator(coordinator).recheck(RecheckPlan.off())
                    .rollback(wentThroughThenFailed).build().verifyAfterDeploy(PRODUCTION);
        });

        assertThat(report.rollback().attempts()).as("none of its own").isZero();
        assertFindWhichVersionRunsFirst(report);
    }

    /**
     * The concurrent verification's rollback went through, then its runner threw (a fault of Vigil or
     * of its clock, not of the trigger): the shared report has no rollback id and no attempts, like a
     * rollback that never ran, and the {@code Next:} line asked to roll back now, a second undo.
     */
    @Test
    void aRollbackThatAConcurrentVerificationRanAndWhoseRunnerThrewIsNotToBeRepeatedBeforeFindingWhichVersionRuns() {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        VerificationReport report = bakeMeeting(coordinator, () -> {
            try (RollbackCoordinator.Registration other = coordinator.register(PRODUCTION, java.util.List.of(wentThroughThenFailed))) {
                other.rollbackOnce("probe errors failed", () -> {
                    running.set("1.9.0");
                    throw new IllegalStateException("clock gone");
                });
            } catch (IllegalStateException expected) {
                // The other verification's fault; this one sees a FAILED shared report.
            }
        });

        assertThat(report.rollback().rollbackId()).as("the runner threw before it reported one").isNull();
        assertThat(report.rollback().sharedWith()).isEqualTo("a concurrent verification of checkout 2.0.0 in production");
        assertFindWhichVersionRunsFirst(report);
    }

    /**
     * A bake of {@link #PRODUCTION} with the console whose second round meets what {@code other}
     * does: a concurrent verification's rollback of the same deployment.
     */
    private VerificationReport bakeMeeting(RollbackCoordinator coordinator, Runnable other) {
        java.util.concurrent.atomic.AtomicInteger rounds = new java.util.concurrent.atomic.AtomicInteger();
        Probe meetsTheOthersRollback = context -> {
            if (rounds.incrementAndGet() == 2) {
                other.run();
            }
            return ProbeResult.pass(Map.of(), "200");
        };
        return DeployVerifier.builder().probe("errors", meetsTheOthersRollback)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time).rollbackCoordinator(coordinator).recheck(RecheckPlan.defaults()).rollback(wentThroughThenFailed)
                .listener(ConsoleProgress.builder(new PrintStream(bytes, true, StandardCharsets.UTF_8)).terminal(false).build())
                .build().verifyAfterDeploy(PRODUCTION);
    }

    /** The shared rollback failed after it went through, and the console sends the person to find which version runs. */
    private void assertFindWhichVersionRunsFirst(VerificationReport report) {
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(running.get()).as("the shared rollback went through").isEqualTo("1.9.0");
        assertThat(console())
                .contains("Next:     THE ROLLBACK FAILED: it was run by a concurrent verification of checkout 2.0.0 (see"
                        + " Rollback: above), so a person must find which version runs before rolling back again.")
                .doesNotContain("a person must roll back checkout 2.0.0 now");
    }

    @Test
    void withoutARollbackTriggerNothingRanAndTheBadVersionIsToBeRolledBackNow() {
        VerificationReport report = verify(null, RecheckPlan.off());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).isZero();
        assertThat(console()).contains("Next:     THE ROLLBACK FAILED: a person must roll back checkout 2.0.0 now.");
    }
}
