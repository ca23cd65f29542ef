package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackTriggers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Two verifications in one JVM share a rollback only when they are the same deployment with the same trigger. */
class ConcurrentVerificationsTest {

    private static final Deployment CHECKOUT = Deployment.of("checkout", "2.0.0", "1.0.0");
    private static final Probe PASSING = ctx -> ProbeResult.pass(Map.of(), "ok");
    private static final Probe FAILING = ctx -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false");

    private final RollbackCoordinator coordinator = RollbackCoordinator.create();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final RollbackTrigger trigger = RollbackTriggers.idempotentCallback("undo", e -> rollbacks.incrementAndGet());

    private DeployVerifier verifier(Probe probe, Duration bake, VerificationListener listener) {
        return DeployVerifier.builder().probe("health", probe)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(50)).withDuration(bake))
                .rollbackCoordinator(coordinator).rollback(trigger).listener(listener).build();
    }

    /**
     * A one-minute bake of {@code deployment} in virtual time whose probe passes, and during whose
     * {@code call}-th measurement {@code other} (a verification of its own) runs whole, rollback included.
     */
    private VerificationReport bakeMeeting(Deployment deployment, RollbackTrigger rollback, int call,
            java.util.function.Supplier<VerificationReport> other) {
        AtomicInteger calls = new AtomicInteger();
        Probe meetsTheOthersRollback = ctx -> {
            if (calls.incrementAndGet() == call) {
                CompletableFuture.supplyAsync(other).get(10, TimeUnit.SECONDS);
            }
            return ProbeResult.pass(Map.of(), "ok");
        };
        return DeployVerifier.builder().probe("health", meetsTheOthersRollback)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .timeSource(dev.vigil.testkit.VirtualTime.start()).rollbackCoordinator(coordinator).rollback(rollback).build()
                .verifyAfterDeploy(deployment);
    }

    @Test
    void aVerificationWhoseDeploymentAnotherRolledBackEndsAtOnceWithTheOthersReasonAndRunsNoRollback() throws Exception {
        CountDownLatch baking = new CountDownLatch(1);
        Deployment production = CHECKOUT.withEnvironment("production");
        DeployVerifier longBake = verifier(PASSING, Duration.ofSeconds(60), new VerificationListener() {
            @Override
            public void roundFinished(int round, int rounds, Duration elapsed) {
                baking.countDown();
            }
        });
        CompletableFuture<VerificationReport> running = CompletableFuture.supplyAsync(() -> longBake.verifyAfterDeploy(production));
        assertThat(baking.await(10, TimeUnit.SECONDS)).isTrue();

        VerificationReport failed = verifier(FAILING, Duration.ofMillis(50), new VerificationListener() { })
                .verifyAfterDeploy(production);
        VerificationReport ended = running.get(10, TimeUnit.SECONDS);

        assertThat(failed.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(failed.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(ended.verdict()).as("the 60 s bake ended at once").isEqualTo(Verdict.UNHEALTHY);
        assertThat(ended.reason()).startsWith("rolled back by a concurrent verification of checkout 2.0.0: ")
                .contains("probe health failed once (max-failures 0)");
        assertThat(ended.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(ended.rollback().attempts()).as("it ran no rollback of its own").isZero();
        assertThat(rollbacks).as("one rollback for both").hasValue(1);
    }

    @Test
    void twoEnvironmentsWithTheirOwnVerificationsBothRollBack() throws Exception {
        CompletableFuture<VerificationReport> eu = CompletableFuture.supplyAsync(() ->
                verifier(FAILING, Duration.ofMillis(50), new VerificationListener() { }).verifyAfterDeploy(CHECKOUT.withEnvironment("eu")));
        CompletableFuture<VerificationReport> us = CompletableFuture.supplyAsync(() ->
                verifier(FAILING, Duration.ofMillis(50), new VerificationListener() { }).verifyAfterDeploy(CHECKOUT.withEnvironment("us")));

        assertThat(eu.get(10, TimeUnit.SECONDS).rollback().attempts()).isEqualTo(1);
        assertThat(us.get(10, TimeUnit.SECONDS).rollback().attempts()).isEqualTo(1);
        assertThat(rollbacks).hasValue(2);
    }
    /**
     * A retried job verifies checkout 2.0.0 while the first still bakes; the other one fails and rolls
     * 2.0.0 back during this bake's last round. That round passed (it was measured just before), and
     * the bake ended HEALTHY for a version that had just been taken away: the pipeline promotes it, a
     * watch would then measure the previous version and call 2.0.0 healthy.
     */
    @Test
    void aBakeWhoseDeploymentAnotherRolledBackDuringItsLastRoundIsNotHealthy() throws Exception {
        Deployment production = CHECKOUT.withEnvironment("production");
        VerificationReport ended = bakeMeeting(production, trigger, 6,
                () -> verifier(FAILING, Duration.ofMillis(50), new VerificationListener() { }).verifyAfterDeploy(production));

        assertThat(rollbacks).hasValue(1);
        assertThat(ended.verdict()).as(ended.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(ended.reason()).startsWith("rolled back by a concurrent verification of checkout 2.0.0: ");
        assertThat(ended.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(ended.rollback().attempts()).as("it ran no rollback of its own").isZero();
    }
    /**
     * A retried job computed the previous version otherwise: it bakes checkout 2.0.0 with
     * {@code --previous-version 1.5.0} while the first job, given {@code 1.0.0}, fails and rolls back
     * with the same trigger. The bake ended {@code UNHEALTHY} with the shared rollback reported
     * {@code ROLLED_BACK}, exit 1, although that rollback went to 1.0.0, not to the version it was given.
     */
    @Test
    void aBakeGivenAnotherPreviousVersionThanTheSharedRollbackWentToReportsItFailedAndRunsNoSecond() throws Exception {
        Deployment first = CHECKOUT.withEnvironment("production");
        Deployment retried = first.withPreviousVersion("1.5.0");
        java.util.List<String> rolledBackTo = new java.util.concurrent.CopyOnWriteArrayList<>();
        RollbackTrigger undo = RollbackTriggers.idempotentCallback("undo", e -> rolledBackTo.add(e.deployment().previousVersion()));
        VerificationReport ended = bakeMeeting(retried, undo, 2, () -> DeployVerifier.builder().probe("health", FAILING)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(50)).withDuration(Duration.ofMillis(50)))
                .rollbackCoordinator(coordinator).rollback(undo).build()
                .verifyAfterDeploy(first));

        assertThat(rolledBackTo).as("one rollback, to the first job's previous version").containsExactly("1.0.0");
        assertThat(ended.verdict()).as(ended.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(ended.rounds()).as("it ended before its next round").isEqualTo(2);
        assertThat(ended.reason()).startsWith("rolled back by a concurrent verification of checkout 2.0.0: ")
                .endsWith("; but the rollback shared with a concurrent verification of checkout 2.0.0 in production was run"
                        + " for previous version 1.0.0, not for 1.5.0, the previous version given to this verification");
        assertThat(ended.rollback().outcome()).as("a person must act: exit 4").isEqualTo(RollbackOutcome.FAILED);
        assertThat(ended.rollback().attempts()).as("it ran no rollback of its own").isZero();
        assertThat(ended.rollback().error()).contains("was run for previous version 1.0.0, not for 1.5.0")
                .contains("not rolled back a second time");
    }
    /**
     * A scheduled rollback rehearsal in staging starts while a verification there of the same
     * deployment is rolling it back (a slow {@code rollout status}). The rehearsal ran the trigger a
     * second time at once: two {@code rollout undo}s put the bad version back, and the rehearsal then
     * judged what answered.
     */
    @Test
    void aRehearsalStartedWhileAVerificationRollsTheSameDeploymentBackRunsNoSecondRollback() throws Exception {
        Deployment staging = CHECKOUT.withEnvironment("staging");

        dev.vigil.RehearsalReport rehearsal = rehearsedDuringTheRollbackOf(staging, staging);

        assertThat(rehearsal.reason()).isEqualTo("rehearsal not started: a concurrent verification of checkout 2.0.0 in staging"
                + " is rolling it back now (probe health failed once (max-failures 0): status(503) == 200 is false at 12:00:00Z),"
                + " and a second rollback at once would undo that one; nothing was rolled back by the rehearsal: rehearse"
                + " again when it has ended");
    }

    /**
     * The same with another version: a rehearsal of checkout 2.0.0 in staging starts while a
     * verification there rolls checkout 2.1.0 back. The rehearsal ran its trigger at once, beside the
     * real rollback of the same service in the same place: a second undo, which takes back the first.
     */
    @Test
    void aRehearsalStartedWhileAVerificationRollsAnotherVersionOfTheServiceBackThereRunsNoSecondRollback() throws Exception {
        Deployment staging = CHECKOUT.withEnvironment("staging");

        dev.vigil.RehearsalReport rehearsal = rehearsedDuringTheRollbackOf(Deployment.of("checkout", "2.1.0", "2.0.0")
                .withEnvironment("staging"), staging);

        assertThat(rehearsal.reason()).startsWith("rehearsal not started: a concurrent verification of checkout 2.1.0 in"
                + " staging is rolling it back now (probe health failed once");
    }

    /**
     * Rehearses {@code rehearsed} while a verification of {@code baked} in this JVM is rolling it back
     * (its trigger waits for the rehearsal to end), and checks that one rollback ran, the
     * verification's, and that the rehearsal ended {@code ABORTED} without an attempt.
     */
    private dev.vigil.RehearsalReport rehearsedDuringTheRollbackOf(Deployment baked, Deployment rehearsed) throws Exception {
        CountDownLatch rollingBack = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger undos = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder().probe("health", FAILING)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(10)))
                .timeSource(dev.vigil.testkit.VirtualTime.start()).recheck(dev.vigil.RecheckPlan.off())
                .rollbackCoordinator(coordinator)
                .rollback(RollbackTriggers.callback("undo", e -> {
                    if (undos.incrementAndGet() == 1) {
                        rollingBack.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                })).build();
        CompletableFuture<VerificationReport> bake = CompletableFuture.supplyAsync(() -> verifier.verifyAfterDeploy(baked));
        assertThat(rollingBack.await(10, TimeUnit.SECONDS)).isTrue();

        dev.vigil.RehearsalReport rehearsal = verifier.rehearseRollback(rehearsed);
        release.countDown();
        VerificationReport report = bake.get(10, TimeUnit.SECONDS);

        assertThat(undos).as("one rollback, the verification's").hasValue(1);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rehearsal.outcome()).as("nothing rehearsed, nothing proven").isEqualTo(dev.vigil.RehearsalReport.Outcome.ABORTED);
        assertThat(rehearsal.rollback().attempts()).isZero();
        return rehearsal;
    }

    /**
     * A retried job starts verifying checkout 2.0.0 while the first job's rollback of it is running
     * (a slow `kubectl rollout status`). The retried verification was not registered when that
     * rollback started, so it went on measuring; when it then found the service failing after the
     * rollback had finished, it ran the trigger a second time: a second `rollout undo` of one
     * deployment puts the bad version back.
     */
    @Test
    void aVerificationThatStartsWhileTheDeploymentIsBeingRolledBackDoesNotRollItBackAgain() throws Exception {
        Deployment production = CHECKOUT.withEnvironment("production");
        CountDownLatch retriedHasStarted = new CountDownLatch(1);
        CountDownLatch firstHasEnded = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        Probe retriedProbe = ctx -> {
            if (calls.incrementAndGet() == 1) {
                return ProbeResult.pass(Map.of(), "ok");
            }
            firstHasEnded.await(10, TimeUnit.SECONDS);
            return ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false");
        };
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<VerificationReport>> retried =
                new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<RollbackTrigger> self = new java.util.concurrent.atomic.AtomicReference<>();
        RollbackTrigger slowUndo = RollbackTriggers.callback("undo", e -> {
            if (rollbacks.incrementAndGet() == 1) {
                // The retried job starts while this rollback runs.
                retried.set(CompletableFuture.supplyAsync(() -> DeployVerifier.builder().probe("health", retriedProbe)
                        .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                        .timeSource(dev.vigil.testkit.VirtualTime.start()).rollbackCoordinator(coordinator)
                        .recheck(dev.vigil.RecheckPlan.off()).rollback(self.get()).listener(new VerificationListener() {
                            @Override
                            public void started(Deployment deployment, VerificationPlan plan) {
                                retriedHasStarted.countDown();
                            }
                        }).build()
                        .verifyAfterDeploy(production)));
                retriedHasStarted.await(10, TimeUnit.SECONDS);
            }
        });
        self.set(slowUndo);
        // Both use the same trigger: they share rollbacks.
        VerificationReport first = DeployVerifier.builder().probe("health", FAILING)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .timeSource(dev.vigil.testkit.VirtualTime.start()).rollbackCoordinator(coordinator)
                .recheck(dev.vigil.RecheckPlan.off()).rollback(slowUndo).build()
                .verifyAfterDeploy(production);
        firstHasEnded.countDown();
        VerificationReport second = retried.get().get(10, TimeUnit.SECONDS);

        assertThat(first.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rollbacks).as(second.reason()).hasValue(1);
        assertThat(second.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(second.reason()).startsWith("rolled back by a concurrent verification of checkout 2.0.0: ");
        assertThat(second.rollback().attempts()).as("it ran no rollback of its own").isZero();
    }
}
