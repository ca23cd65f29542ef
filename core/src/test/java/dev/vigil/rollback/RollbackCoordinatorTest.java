package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.RollbackTrigger;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RollbackCoordinatorTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "9.9.9", "9.9.8").withEnvironment("production");
    private static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

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
                    return ProbeResult.fail(Map.of("status", 503), "status(503) == 200");
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
                .probe("health", ctx -> ProbeResult.fail(Map.of(), "bad"))
                .rollback(RollbackTriggers.callback("count", e -> rollbacks.incrementAndGet()))
                .build();

        verifier.verifyAfterDeploy(DEPLOYMENT);
        verifier.verifyAfterDeploy(DEPLOYMENT);

        assertThat(rollbacks).hasValue(2);
    }

    // ---------------------------------------------------------------- the coordinator's own API

    private static RollbackReport rolledBack(String output) {
        return new RollbackReport(RollbackOutcome.ROLLED_BACK, "command: undo", 1, output, null, T0, T0.plusSeconds(3),
                "rb-" + output.hashCode());
    }

    private static RollbackTrigger command(String text) {
        return RollbackTriggers.shell(text, Duration.ofSeconds(5));
    }

    @Test
    void sameDeploymentAndSameTriggerShareOneRollbackAndBothReportsSaySo() {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        // Two verifiers built alike: two trigger objects running the same command.
        RollbackCoordinator.Registration first = coordinator.register(DEPLOYMENT, List.of(command("helm rollback checkout 41")));
        RollbackCoordinator.Registration second = coordinator.register(DEPLOYMENT, List.of(command("helm rollback checkout 41")));
        AtomicInteger runs = new AtomicInteger();

        RollbackReport mine = first.rollbackOnce("probe health failed", () -> {
            runs.incrementAndGet();
            return rolledBack("release \"checkout\" rolled back");
        });
        RollbackReport theirs = second.rollbackOnce("probe latency failed", () -> {
            runs.incrementAndGet();
            return rolledBack("second run");
        });

        assertThat(runs).hasValue(1);
        assertThat(mine.attempts()).isEqualTo(1);
        assertThat(theirs.outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(theirs.attempts()).isZero();
        assertThat(theirs.output()).startsWith("rollback shared with a concurrent verification of checkout 9.9.9 in production")
                .contains("release \"checkout\" rolled back");
        assertThat(theirs.rollbackId()).isEqualTo(mine.rollbackId()).isNotNull();
        first.close();
        second.close();
    }

    /**
     * A retried job computed the previous version otherwise: {@code --previous-version 2.3.0} in one
     * verification, {@code 2.4.0} in the other, the same {@code rollout undo} command. The second one
     * reported the first one's rollback {@code ROLLED_BACK} as its own, although it went to another
     * version than the one it was given.
     */
    @Test
    void aVerificationGivenAnotherPreviousVersionDoesNotTakeTheSharedRollbackAsItsOwn() throws Exception {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackTrigger undo = command("kubectl rollout undo deployment/checkout");
        RollbackCoordinator.Registration first = coordinator.register(DEPLOYMENT.withPreviousVersion("2.3.0"), List.of(undo));
        RollbackCoordinator.Registration retried = coordinator.register(DEPLOYMENT.withPreviousVersion("2.4.0"), List.of(undo));
        AtomicInteger runs = new AtomicInteger();

        RollbackReport mine = first.rollbackOnce("probe health failed", () -> rolledBack("to 2.3.0 " + runs.incrementAndGet()));
        RollbackReport theirs = retried.rollbackOnce("probe latency failed", () -> rolledBack("to 2.4.0 " + runs.incrementAndGet()));

        assertThat(runs).as("never a second rollback, to another version").hasValue(1);
        assertThat(mine.outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(theirs.outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(theirs.attempts()).isZero();
        assertThat(theirs.rollbackId()).isEqualTo(mine.rollbackId());
        assertThat(theirs.output()).startsWith("rollback shared with a concurrent verification of checkout 9.9.9 in production,"
                + " which ran it once (its previous version: 2.3.0)").contains("to 2.3.0 1");
        assertThat(theirs.error()).isEqualTo("the rollback shared with a concurrent verification of checkout 9.9.9 in production"
                + " was run for previous version 2.3.0, not for 2.4.0, the previous version given to this verification"
                + " (ROLLED_BACK); not rolled back a second time: find which version runs and which previous version is"
                + " right before rolling back by hand");
        RollbackCoordinator.RolledBack seen = retried.rolledBackByOther().orElseThrow();
        assertThat(seen.awaitReport()).isEqualTo(theirs);
    }

    /** The report of a verification given {@code own} that shares the rollback of one given {@code ran}, which ran first. */
    private static RollbackReport sharedBy(String ran, String own) {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackTrigger undo = command("kubectl rollout undo deployment/checkout");
        RollbackCoordinator.Registration runner = coordinator.register(DEPLOYMENT.withPreviousVersion(ran), List.of(undo));
        RollbackCoordinator.Registration sharer = coordinator.register(DEPLOYMENT.withPreviousVersion(own), List.of(undo));

        runner.rollbackOnce("probe health failed", () -> rolledBack("undone"));
        return sharer.rollbackOnce("probe health failed", () -> rolledBack("again"));
    }

    @Test
    void aVerificationGivenAPreviousVersionDoesNotTakeARollbackRunWithoutOneAsItsOwn() {
        RollbackReport theirs = sharedBy(null, "2.4.0");

        assertThat(theirs.outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(theirs.error()).startsWith("the rollback shared with a concurrent verification of checkout 9.9.9 in production"
                + " was run for no previous version (that verification was given none), not for 2.4.0");
    }

    @Test
    void aVerificationGivenNoPreviousVersionTakesTheSharedRollbackAndIsToldWhereItWent() {
        RollbackReport theirs = sharedBy("2.3.0", null);

        assertThat(theirs.outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(theirs.error()).isNull();
        assertThat(theirs.output()).startsWith("rollback shared with a concurrent verification of checkout 9.9.9 in production,"
                + " which ran it once (its previous version: 2.3.0)\nundone");
    }

    @Test
    void twoEnvironmentsRollBackEachTheirOwn() {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackTrigger trigger = command("helm rollback checkout 41");
        RollbackCoordinator.Registration eu = coordinator.register(DEPLOYMENT.withEnvironment("eu"), List.of(trigger));
        RollbackCoordinator.Registration us = coordinator.register(DEPLOYMENT.withEnvironment("us"), List.of(trigger));
        AtomicInteger runs = new AtomicInteger();

        eu.rollbackOnce("eu failed", () -> rolledBack("eu " + runs.incrementAndGet()));
        RollbackReport usReport = us.rollbackOnce("us failed", () -> rolledBack("us " + runs.incrementAndGet()));

        assertThat(runs).hasValue(2);
        assertThat(usReport.output()).isEqualTo("us 2");
        assertThat(us.rolledBackByOther()).isEmpty();
    }

    @Test
    void twoTriggersForTheSameDeploymentRollBackEachTheirOwn() {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackCoordinator.Registration regionA = coordinator.register(DEPLOYMENT,
                List.of(command("kubectl --context eu-1 rollout undo deployment/checkout --to-revision=41")));
        RollbackCoordinator.Registration regionB = coordinator.register(DEPLOYMENT,
                List.of(command("kubectl --context eu-2 rollout undo deployment/checkout --to-revision=41")));
        AtomicInteger runs = new AtomicInteger();

        regionA.rollbackOnce("a failed", () -> rolledBack("a " + runs.incrementAndGet()));
        RollbackReport b = regionB.rollbackOnce("b failed", () -> rolledBack("b " + runs.incrementAndGet()));

        assertThat(runs).hasValue(2);
        assertThat(b.attempts()).isEqualTo(1);
        assertThat(regionB.rolledBackByOther()).isEmpty();
    }

    @Test
    void twoCallbackObjectsAreTwoTriggersAndOneObjectIsOne() {
        RollbackTriggers.Callback undo = e -> { };
        RollbackTrigger a = RollbackTriggers.callback("undo", undo);
        RollbackTrigger sameObject = RollbackTriggers.callback("undo", undo);
        RollbackTrigger other = RollbackTriggers.callback("undo", e -> { });

        assertThat(a.identity()).isEqualTo(sameObject.identity()).isNotEqualTo(other.identity());
    }

    @Test
    void withoutAnEnvironmentNothingIsShared() {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackTrigger trigger = command("helm rollback checkout 41");
        Deployment nowhere = Deployment.of("checkout", "9.9.9", "9.9.8");
        RollbackCoordinator.Registration first = coordinator.register(nowhere, List.of(trigger));
        RollbackCoordinator.Registration second = coordinator.register(nowhere, List.of(trigger));
        AtomicInteger runs = new AtomicInteger();

        first.rollbackOnce("first", () -> rolledBack("1 " + runs.incrementAndGet()));
        second.rollbackOnce("second", () -> rolledBack("2 " + runs.incrementAndGet()));

        assertThat(runs).hasValue(2);
        assertThat(second.rolledBackByOther()).isEmpty();
    }

    @Test
    void aVerificationSeesTheRollbackAnotherStartedWithItsReasonAndThenItsReport() throws Exception {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackTrigger trigger = command("helm rollback checkout 41");
        RollbackCoordinator.Registration runner = coordinator.register(DEPLOYMENT, List.of(trigger));
        RollbackCoordinator.Registration baking = coordinator.register(DEPLOYMENT, List.of(trigger));
        assertThat(baking.rolledBackByOther()).isEmpty();

        List<Boolean> seenWhileRunning = new java.util.ArrayList<>();
        runner.rollbackOnce("probe error-rate failed 2 times (max-failures 1)", () -> {
            baking.rolledBackByOther().ifPresent(o -> seenWhileRunning.add(o.finished()));
            assertThat(baking.rolledBackByOther().flatMap(RollbackCoordinator.RolledBack::report)).isEmpty();
            return rolledBack("rolled back to 9.9.8");
        });

        assertThat(seenWhileRunning).containsExactly(false);
        assertThat(runner.rolledBackByOther()).as("not 'other' for the one that ran it").isEmpty();
        RollbackCoordinator.RolledBack other = baking.rolledBackByOther().orElseThrow();
        assertThat(other.reason()).isEqualTo("probe error-rate failed 2 times (max-failures 1)");
        assertThat(other.finished()).isTrue();
        assertThat(other.awaitReport()).isEqualTo(other.report().orElseThrow());
        assertThat(other.awaitReport().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(other.awaitReport().attempts()).isZero();
        assertThat(other.awaitReport().output()).contains("rolled back to 9.9.8");
    }

    @Test
    void aVerificationRegisteredAfterTheRollbackFinishedIsNotCoveredByIt() {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackTrigger trigger = command("helm rollback checkout 41");
        RollbackCoordinator.Registration first = coordinator.register(DEPLOYMENT, List.of(trigger));
        first.rollbackOnce("first", () -> rolledBack("once"));
        first.close();

        RollbackCoordinator.Registration later = coordinator.register(DEPLOYMENT, List.of(trigger));

        assertThat(later.rolledBackByOther()).isEmpty();
        AtomicInteger runs = new AtomicInteger();
        later.rollbackOnce("later", () -> rolledBack("again " + runs.incrementAndGet()));
        assertThat(runs).hasValue(1);
    }

    @Test
    void aRollbackThatThrowsIsAFailedReportForTheOthers() throws Exception {
        RollbackCoordinator coordinator = RollbackCoordinator.create();
        RollbackTrigger trigger = command("helm rollback checkout 41");
        RollbackCoordinator.Registration runner = coordinator.register(DEPLOYMENT, List.of(trigger));
        RollbackCoordinator.Registration other = coordinator.register(DEPLOYMENT, List.of(trigger));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> runner.rollbackOnce("bad", () -> {
            throw new IllegalStateException("bug in a listener");
        })).isInstanceOf(IllegalStateException.class);

        RollbackReport seen = other.rolledBackByOther().orElseThrow().awaitReport();
        assertThat(seen.outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(seen.error()).contains("bug in a listener");
    }
}
