package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackException;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several triggers run in order with one rollback id; the first that fails stops the chain; callbacks say whether a retry is safe. */
class RollbackChainTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    private static VerificationReport failingVerification(RollbackTrigger... triggers) {
        VirtualTime time = VirtualTime.start();
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(1)).withInterval(Duration.ofMinutes(1)))
                .timeSource(time)
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .rollbackPolicy(new RollbackPolicy(3, Duration.ofMillis(10), Duration.ofSeconds(5)))
                .rollbackCoordinator(RollbackCoordinator.create());
        for (RollbackTrigger t : triggers) {
            builder.rollback(t);
        }
        return builder.build().verifyAfterDeploy(DEPLOYMENT);
    }

    @Test
    void everyTriggerOfAChainRunsInOrderWithOneRollbackId() {
        List<String> seen = new CopyOnWriteArrayList<>();
        VerificationReport report = failingVerification(
                RollbackTriggers.callback("undo", e -> seen.add("undo " + e.rollbackId())),
                RollbackTriggers.callback("shift traffic", e -> seen.add("shift " + e.rollbackId())));

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(seen).hasSize(2);
        String id = seen.get(0).substring("undo ".length());
        assertThat(id).isNotBlank();
        assertThat(seen).containsExactly("undo " + id, "shift " + id);
        assertThat(report.rollback().rollbackId()).as("the report names the id the triggers got").isEqualTo(id);
    }

    @Test
    void theFirstTriggerThatFailsStopsTheChainAndTheReportNamesWhatDidNotRun() {
        AtomicInteger later = new AtomicInteger();
        VerificationReport report = failingVerification(
                RollbackTriggers.callback("undo", e -> { }),
                RollbackTriggers.callback("shift traffic", e -> {
                    throw new IllegalStateException("load balancer API answered 409");
                }),
                RollbackTriggers.callback("page on-call", e -> later.incrementAndGet()));

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(later).hasValue(0);
        assertThat(report.rollback().error())
                .contains("callback: shift traffic failed after 1 attempt", "load balancer API answered 409")
                .endsWith("not run after it: callback: page on-call");
    }

    @Test
    void aCallbackThatIsNotIdempotentIsRetriedOnlyWhenItSaysNothingWasChanged() {
        AtomicInteger thrown = new AtomicInteger();
        VerificationReport plainFailure = failingVerification(RollbackTriggers.callback("undo", e -> {
            thrown.incrementAndGet();
            throw new IllegalStateException("timed out waiting for the rollout");
        }));
        assertThat(plainFailure.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(thrown).hasValue(1);

        AtomicInteger declared = new AtomicInteger();
        VerificationReport nothingChanged = failingVerification(RollbackTriggers.callback("undo", e -> {
            if (declared.incrementAndGet() < 3) {
                throw new RollbackException("cluster API not reachable: nothing was changed", true, "");
            }
        }));
        assertThat(nothingChanged.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(declared).hasValue(3);
    }

    @Test
    void anIdempotentCallbackIsRetriedOnAnyFailureButOneDeclaredFinal() {
        AtomicInteger attempts = new AtomicInteger();
        VerificationReport report = failingVerification(RollbackTriggers.idempotentCallback("set image to 2.4.0", e -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("connection reset");
            }
        }));
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(3);

        AtomicInteger finalAttempts = new AtomicInteger();
        VerificationReport refused = failingVerification(RollbackTriggers.idempotentCallback("set image", e -> {
            finalAttempts.incrementAndGet();
            throw new RollbackException("image 2.4.0 does not exist", false, "");
        }));
        assertThat(refused.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(finalAttempts).hasValue(1);
        assertThat(RollbackTriggers.idempotentCallback("x", e -> { }).idempotent()).isTrue();
        assertThat(RollbackTriggers.callback("x", e -> { }).idempotent()).isFalse();
    }

    @Test
    void aTriggerWhoseIdempotentThrowsKeepsItsOwnErrorInTheReportAndIsNotRepeated() {
        AtomicInteger attempts = new AtomicInteger();
        VerificationReport report = failingVerification(new RollbackTrigger() {
            @Override
            public String execute(dev.vigil.RollbackEvent event) {
                attempts.incrementAndGet();
                throw new IllegalStateException("load balancer API answered 409");
            }

            @Override
            public boolean idempotent() {
                throw new IllegalStateException("feature flag service unreachable");
            }

            @Override
            public String description() {
                return "shift traffic";
            }
        });

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(attempts).as("not idempotent as far as anyone knows: no repeat").hasValue(1);
        assertThat(report.rollback().error()).isEqualTo("shift traffic failed after 1 attempt: IllegalStateException:"
                + " load balancer API answered 409; and idempotent() failed: IllegalStateException: feature flag service"
                + " unreachable, so it was taken as not idempotent and not tried again");
    }
}
