package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.RollbackOutcome;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RollbackCoordinatorTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "9.9.9", "9.9.8");

    @Test
    void twoVerifiersJudgingTheSameDeploymentAtTheSameTimeRollItBackExactlyOnce() throws Exception {
        AtomicInteger rollbacks = new AtomicInteger();
        CountDownLatch bothRunning = new CountDownLatch(2);
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMillis(50)).withInterval(Duration.ofMillis(50)))
                .probe("health", ctx -> {
                    bothRunning.countDown();
                    bothRunning.await(5, TimeUnit.SECONDS);
                    return Measurement.fail(Map.of("status", 503), "status(503) == 200");
                })
                .rollback(RollbackTriggers.callback("count", e -> {
                    rollbacks.incrementAndGet();
                    Thread.sleep(200);
                }))
                .rollbackCoordinator(coordinator)
                .build();

        // Two threads of their own: the common pool may have a single thread on a small machine.
        java.util.concurrent.ExecutorService pipelines = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<VerificationReport> reports;
        try {
            CompletableFuture<VerificationReport> first =
                    CompletableFuture.supplyAsync(() -> verifier.verifyAfterDeploy(DEPLOYMENT), pipelines);
            CompletableFuture<VerificationReport> second =
                    CompletableFuture.supplyAsync(() -> verifier.verifyAfterDeploy(DEPLOYMENT), pipelines);
            reports = List.of(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
        } finally {
            pipelines.shutdownNow();
        }
        assertThat(bothRunning.getCount()).as("both verifications measured at the same time").isZero();

        assertThat(rollbacks).hasValue(1);
        assertThat(reports).allSatisfy(r -> assertThat(r.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK));
        assertThat(reports).extracting(r -> r.rollback().attempts()).containsExactlyInAnyOrder(0, 1);
        assertThat(reports).anySatisfy(r -> assertThat(r.rollback().output())
                .startsWith("rollback shared with a concurrent verification of checkout 9.9.9"));
    }

    @Test
    void aVerificationStartingAfterARollbackRollsBackAgain() {
        AtomicInteger rollbacks = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMillis(10)).withInterval(Duration.ofMillis(10)))
                .probe("health", ctx -> Measurement.fail(Map.of(), "bad"))
                .rollback(RollbackTriggers.callback("count", e -> rollbacks.incrementAndGet()))
                .build();

        verifier.verifyAfterDeploy(DEPLOYMENT);
        verifier.verifyAfterDeploy(DEPLOYMENT);

        assertThat(rollbacks).hasValue(2);
    }
}
