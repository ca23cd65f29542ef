package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackException;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A deployment is rolled back exactly once: retries of a failed attempt are attempts of the same
 * rollback, the re-check after it never starts another, and verifications of the same deployment
 * (environment set) with the same trigger running at the same time share one.
 */
class RollbackOnceTest {

    private static final VerificationPlan PLAN = VerificationPlan.defaults()
            .withInterval(Duration.ofMillis(20)).withDuration(Duration.ofMillis(60));
    private static final RollbackPolicy QUICK = RollbackPolicy.defaults().withBackoff(Duration.ofMillis(5));

    /** Counts attempts and completed rollbacks; fails the first {@code failures} attempts as retryable. */
    static final class CountingTrigger implements RollbackTrigger {
        final AtomicInteger attempts = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        private final int failures;
        private final Duration takes;

        CountingTrigger(int failures, Duration takes) {
            this.failures = failures;
            this.takes = takes;
        }

        @Override
        public String execute(dev.vigil.RollbackEvent event) throws Exception {
            int attempt = attempts.incrementAndGet();
            Thread.sleep(takes.toMillis());
            if (attempt <= failures) {
                throw new RollbackException("deployer answered 503", true, "");
            }
            completed.incrementAndGet();
            return "rolled back " + event.deployment().service() + " to " + event.deployment().previousVersion();
        }
    }

    @ParameterizedTest(name = "environment: {0}")
    @ValueSource(strings = {"", "prod"})
    void aTriggerThatStartsAVerificationItselfRunsOnceAndFailsPromptlyNamingTheMistake(String environment) {
        // Without an environment the nested verification rolled back again, level after level, for
        // good; with one it waited for the rollback that waited for it, until the rollback's timeout.
        AtomicInteger runs = new AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<DeployVerifier> verifier = new java.util.concurrent.atomic.AtomicReference<>();
        Deployment deployment = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment(environment);
        RollbackTrigger nesting = event -> {
            runs.incrementAndGet();
            return "nested: " + verifier.get().verifyAfterDeploy(event.deployment()).verdict();
        };
        verifier.set(DeployVerifier.builder().plan(PLAN).probe("health", ScriptedProbe.of(Outcome.FAIL)).rollback(nesting)
                .rollbackPolicy(QUICK).rollbackCoordinator(RollbackCoordinator.create()).build());

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> verifier.get().verifyAfterDeploy(deployment));

        assertThat(runs).hasValue(1);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("verifyAfterDeploy was called from inside a rollback trigger");
    }

    @Test
    void aRollbackThatFailsTwiceIsRetriedAndCompletesOnceAndTheRecheckStartsNoOther() {
        CountingTrigger trigger = new CountingTrigger(2, Duration.ZERO);
        ScriptedProbe probe = ScriptedProbe.of(Outcome.FAIL);

        VerificationReport report = verifier(probe, trigger, RollbackCoordinator.create())
                .verifyAfterDeploy(Deployment.of("checkout", "3.0.0", "2.9.0"));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(3);
        assertThat(trigger.attempts).hasValue(3);
        assertThat(trigger.completed).hasValue(1);
        // The re-check after the rollback measured (round 0) and, although it failed, rolled nothing back again.
        assertThat(report.recheck()).isNotEmpty();
        assertThat(probe.rounds()).contains(0);
    }

    @Test
    void probeRetriesWithinARoundNeverMultiplyTheRollback() {
        CountingTrigger trigger = new CountingTrigger(0, Duration.ZERO);
        AtomicInteger calls = new AtomicInteger();
        Probe flaky = ctx -> {
            if (calls.incrementAndGet() % 3 != 0) {
                throw new RetryableProbeException("connection reset");
            }
            return ProbeResult.fail(Map.of("status", 500), "status(500) == 200 is false");
        };
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", flaky, ProbeLimits.defaults(), MeasurementPolicy.defaults().withMaxAttempts(3).withRetryBackoff(Duration.ofMillis(1)))
                .plan(PLAN).rollback(trigger).rollbackPolicy(QUICK).rollbackCoordinator(RollbackCoordinator.create())
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "3.0.1", "3.0.0"));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.probes().get(0).measurements().get(0).attempts()).isEqualTo(3);
        assertThat(trigger.attempts).hasValue(1);
    }

    @Test
    void anAttemptThatTimesOutIsNeverRetriedBecauseItMayStillBeRunning() {
        AtomicInteger attempts = new AtomicInteger();
        RollbackTrigger hanging = event -> {
            attempts.incrementAndGet();
            Thread.sleep(60_000);
            return "too late";
        };
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL)).plan(PLAN).rollback(hanging)
                .rollbackPolicy(QUICK.withTimeout(Duration.ofMillis(200)).withMaxAttempts(3))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "3.0.2", "3.0.1")));

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().error()).contains("timed out after 200ms");
        assertThat(attempts).hasValue(1);
    }

    @Test
    void eightVerifiersOfTheSameDeploymentAtTheSameTimeWithTheJvmWideCoordinatorRollItBackOnce() throws Exception {
        CountingTrigger trigger = new CountingTrigger(1, Duration.ofMillis(50));
        Deployment deployment = Deployment.of("payments", "7.1.0", "7.0.9").withEnvironment("production");
        List<VerificationReport> reports = concurrently(8, deployment, deployment, trigger, RollbackCoordinator.jvmWide());

        assertThat(trigger.completed).hasValue(1);
        assertThat(trigger.attempts).hasValue(2);
        assertThat(reports).allSatisfy(r -> {
            assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(r.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        });
        assertThat(reports).filteredOn(r -> r.rollback().attempts() > 0).hasSize(1);
        assertThat(reports).filteredOn(r -> r.rollback().output().startsWith("rollback shared with a concurrent verification"))
                .hasSize(7);
    }

    @Test
    void verifiersOfDifferentEnvironmentsRollBackEachTheirOwn() throws Exception {
        CountingTrigger trigger = new CountingTrigger(0, Duration.ofMillis(50));
        List<VerificationReport> reports = concurrently(2, Deployment.of("payments", "7.2.0", "7.1.0").withEnvironment("eu"),
                Deployment.of("payments", "7.2.0", "7.1.0").withEnvironment("us"), trigger, RollbackCoordinator.create());

        assertThat(trigger.completed).hasValue(2);
        assertThat(reports).allSatisfy(r -> assertThat(r.rollback().attempts()).isEqualTo(1));
    }

    @Test
    void aFailedRollbackIsSharedAsFailedAndNotRunAgainByTheOthers() throws Exception {
        CountingTrigger trigger = new CountingTrigger(Integer.MAX_VALUE, Duration.ofMillis(20));
        Deployment deployment = Deployment.of("ledger", "1.1.0", "1.0.0").withEnvironment("production");
        List<VerificationReport> reports = concurrently(4, deployment, deployment, trigger, RollbackCoordinator.create());

        assertThat(trigger.attempts).hasValue(QUICK.maxAttempts());
        assertThat(reports).allSatisfy(r -> assertThat(r.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED));
    }

    /** Runs n verifiers at once (half with the first deployment, half with the second), all judging unhealthy together. */
    private static List<VerificationReport> concurrently(int n, Deployment first, Deployment second, RollbackTrigger trigger,
            RollbackCoordinator coordinator) throws Exception {
        CountDownLatch allMeasuring = new CountDownLatch(n);
        Probe together = ctx -> {
            allMeasuring.countDown();
            allMeasuring.await(10, TimeUnit.SECONDS);
            return ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false");
        };
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            List<CompletableFuture<VerificationReport>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                // A separate verifier each, as separate pipelines would build them.
                DeployVerifier verifier = verifier(together, trigger, coordinator);
                Deployment deployment = i % 2 == 0 ? first : second;
                futures.add(CompletableFuture.supplyAsync(() -> verifier.verifyAfterDeploy(deployment), pool));
            }
            List<VerificationReport> reports = new ArrayList<>();
            for (CompletableFuture<VerificationReport> f : futures) {
                reports.add(f.get(30, TimeUnit.SECONDS));
            }
            return reports;
        } finally {
            pool.shutdownNow();
        }
    }

    private static DeployVerifier verifier(Probe probe, RollbackTrigger trigger, RollbackCoordinator coordinator) {
        return DeployVerifier.builder()
                .probe("health", probe)
                .plan(PLAN)
                .rollback(trigger)
                .rollbackPolicy(QUICK)
                .rollbackCoordinator(coordinator)
                .build();
    }
}
