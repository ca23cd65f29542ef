package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckPlan;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The re-check after a rollback is judged, and the rollback can be rehearsed. A service whose
 * version 2.0.0 is broken; the rollback brings back 1.0.0, which is healthy only from
 * {@code takesEffect} after the rollback (or never, when it is broken too).
 */
class RecheckAndRehearsalTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.0.0").withEnvironment("staging");

    private final VirtualTime time = VirtualTime.start();
    private final AtomicLong rolledBackAt = new AtomicLong(-1);
    private final AtomicInteger rollbacks = new AtomicInteger();

    private final RollbackTrigger rollback = RollbackTriggers.idempotentCallback("switch to 1.0.0", event -> {
        rollbacks.incrementAndGet();
        rolledBackAt.set(time.nanoTime());
    });

    /** FAIL on 2.0.0; on 1.0.0 PASS from {@code takesEffect} after the rollback, unless it is broken too. */
    private Probe service(Duration takesEffect, boolean previousBroken) {
        return context -> {
            long at = rolledBackAt.get();
            boolean previous = at >= 0;
            boolean healthy = previous && !previousBroken && time.nanoTime() - at >= takesEffect.toNanos();
            String version = previous ? "1.0.0" : "2.0.0";
            return healthy ? ProbeResult.pass(Map.of("version", version), "version " + version + " answers 200")
                    : ProbeResult.fail(Map.of("version", version), "version " + version + " answers 503");
        };
    }

    private DeployVerifier.Builder verifier(Probe probe) {
        return DeployVerifier.builder()
                .probe("health", probe)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time)
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(rollback);
    }

    @Test
    void theRecheckWaitsItsDelayAndFindsThePreviousVersionHealthy() {
        VerificationReport report = verifier(service(Duration.ofSeconds(2), false)).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        RecheckReport recheck = report.recheckResult();
        assertThat(recheck.status()).as(recheck.reason()).isEqualTo(RecheckReport.Status.HEALTHY);
        assertThat(recheck.delay()).as("the plan's interval by default").isEqualTo(Duration.ofSeconds(10));
        assertThat(recheck.rounds()).isEqualTo(3);
        assertThat(recheck.reason()).startsWith("the previous version 1.0.0: all 1 probe passed")
                .as("its rounds are the re-check's, not a bake's").contains("over 3 rounds (30s re-check)")
                .doesNotContain("bake)");
        assertThat(report.recheck()).hasSize(3).allSatisfy(m -> assertThat(m.values()).containsEntry("version", "1.0.0"));
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isFalse();
    }

    @Test
    void aRecheckThatSkippedRoundsIsNotHealthyAsABakeThatSkippedThemIsNot() {
        // The previous version answers 200 whenever asked; after the first re-check round the host is
        // suspended for a minute, so the re-check's 3 rounds of 10 s are measured at 0 s and at 70 s only.
        AtomicInteger recheckRounds = new AtomicInteger();
        Probe suspendedOnce = context -> {
            ProbeResult result = service(Duration.ZERO, false).measure(context);
            if (context.round() == 0 && recheckRounds.incrementAndGet() == 1) {
                time.pass(Duration.ofSeconds(60));
            }
            return result;
        };

        VerificationReport report = verifier(suspendedOnce).build().verifyAfterDeploy(DEPLOYMENT);

        RecheckReport recheck = report.recheckResult();
        assertThat(recheck.status()).as(recheck.reason()).isEqualTo(RecheckReport.Status.INCONCLUSIVE);
        assertThat(recheck.reason()).startsWith("the previous version 1.0.0: the re-check measured only ")
                .contains("of its 3 planned rounds skipped", "did not watch and proves nothing");
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isTrue();
    }

    @Test
    void theRecheckTellsItsProbesThatWhatTheyMeasureStartedWhenTheRecheckBeganNotWhenTheBakeDid() {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Probe looksBack = context -> {
            seen.add(context.round() + " " + context.verificationStarted().orElseThrow());
            return service(Duration.ZERO, false).measure(context);
        };
        // After the switch, the rollout takes 7 s to report done.
        RollbackTrigger rolloutStatus = RollbackTriggers.callback("rollout status", event -> time.pass(Duration.ofSeconds(7)));

        VerificationReport report = verifier(looksBack).rollback(rolloutStatus).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.HEALTHY);
        java.time.Instant recheckBegan = report.rollback().finishedAt();
        assertThat(recheckBegan).isEqualTo(report.startedAt().plusSeconds(7));
        assertThat(seen).containsExactly("1 " + report.startedAt(),
                "0 " + recheckBegan, "0 " + recheckBegan, "0 " + recheckBegan);
    }

    @Test
    void aRecheckWithoutDelayMeasuresBeforeTheRollbackTookEffectAndSaysSo() {
        VerificationReport report = verifier(service(Duration.ofSeconds(2), false))
                .recheck(RecheckPlan.defaults().withDelay(Duration.ZERO)).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.UNHEALTHY);
        assertThat(report.recheckResult().reason()).startsWith("the previous version 1.0.0: probe health failed once (max-failures 0)");
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isTrue();
    }

    @Test
    void aPreviousVersionThatIsBrokenTooIsUnhealthyInTheRecheckAndPutsTheRollbackInDoubt() {
        VerificationReport report = verifier(service(Duration.ZERO, true)).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.UNHEALTHY);
        assertThat(report.recheckResult().rounds()).as("decided in its first round").isEqualTo(1);
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isTrue();
    }

    @Test
    void aRolloutUndoThatSwappedTheVersionsAndThenExitedOneRunsOnceFailsAndTheRecheckShowsWhichVersionRuns(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // Like `kubectl rollout undo ... && kubectl rollout status --timeout=90s` whose status check
        // times out: the undo went through, the command exits 1. Running it again would undo the undo.
        java.nio.file.Path running = java.nio.file.Files.writeString(dir.resolve("running"), "2.0.0");
        java.nio.file.Path previous = java.nio.file.Files.writeString(dir.resolve("previous"), "1.0.0");
        String undo = "a=$(cat running); cat previous > running; echo \"$a\" > previous; echo \"now $(cat running)\"; exit 1";
        Probe reads = ctx -> {
            String version = java.nio.file.Files.readString(running).strip();
            return version.equals("1.0.0") ? ProbeResult.pass(Map.of("version", version), "version " + version)
                    : ProbeResult.fail(Map.of("version", version), "version " + version);
        };
        RollbackTrigger swap = RollbackTriggers.shell("cd '" + dir + "' && " + undo, Duration.ofSeconds(10));

        VerificationReport report = DeployVerifier.builder().probe("health", reads)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time).rollbackCoordinator(RollbackCoordinator.create()).rollback(swap)
                .rollbackPolicy(RollbackPolicy.defaults().withMaxAttempts(3).withBackoff(Duration.ofMillis(1)))
                .build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).as("run exactly once").isEqualTo(1);
        assertThat(java.nio.file.Files.readString(running).strip()).as("one swap, not three").isEqualTo("1.0.0");
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.HEALTHY);
        assertThat(report.recheck()).isNotEmpty().allSatisfy(m -> assertThat(m.values()).containsEntry("version", "1.0.0"));
        assertThat(java.nio.file.Files.readString(previous).strip()).isEqualTo("2.0.0");
    }

    /** A canary probe: the canary is slower while it runs; once rolled back, it has no canary to compare. */
    private Probe canary() {
        return context -> rolledBackAt.get() >= 0
                ? ProbeResult.inconclusive(Map.of(), "canary-query: no data")
                : ProbeResult.fail(Map.of("canary", 2.0, "baseline", 1.0), "canary 2.0 vs baseline 1.0");
    }

    @Test
    void aCanaryProbeLeftOutOfTheRecheckDoesNotPutAHealthyPreviousVersionInDoubt() {
        VerificationReport report = verifier(service(Duration.ZERO, false)).probe("latency", canary())
                .recheck(RecheckPlan.defaults().withUnchecked(java.util.Set.of("latency"))).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        RecheckReport recheck = report.recheckResult();
        assertThat(recheck.status()).as(recheck.reason()).isEqualTo(RecheckReport.Status.HEALTHY);
        assertThat(recheck.reason()).endsWith("; not re-checked: latency");
        assertThat(report.recheck()).extracting(dev.vigil.Measurement::probe).containsOnly("health");
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isFalse();
    }

    @Test
    void aCanaryProbeInTheRecheckHasNothingToCompareAndLeavesItInconclusive() {
        VerificationReport report = verifier(service(Duration.ZERO, false)).probe("latency", canary()).build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.recheckResult().status()).as(report.recheckResult().reason())
                .isEqualTo(RecheckReport.Status.INCONCLUSIVE);
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isTrue();
    }

    @Test
    void aRecheckThatLeavesOutEveryProbeIsOffAndSaysWhy() {
        VerificationReport report = verifier(service(Duration.ZERO, false))
                .recheck(RecheckPlan.defaults().withUnchecked(java.util.Set.of("health"))).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.OFF);
        assertThat(report.recheckResult().reason()).contains("every probe is left out of the re-check").contains("health");
        assertThat(report.recheck()).isEmpty();
    }

    @Test
    void aRecheckThatLeavesOutAProbeOfNoneIsRefused() {
        assertThatThrownBy(() -> verifier(service(Duration.ZERO, false))
                .recheck(RecheckPlan.defaults().withUnchecked(java.util.Set.of("latency"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the re-check leaves out [latency]");
    }

    @Test
    void aRecheckSwitchedOffIsStatedAndMeasuresNothing() {
        VerificationReport report = verifier(service(Duration.ZERO, false)).recheck(RecheckPlan.off()).build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.OFF);
        assertThat(report.recheck()).isEmpty();
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isFalse();
    }

    @Test
    void noRecheckRunsWhenNothingWasRolledBack() {
        VerificationReport report = verifier(ctx -> ProbeResult.pass(Map.of(), "ok")).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.NOT_RUN);
    }

    @Test
    void aRehearsalRollsBackOnPurposeAndProvesThePreviousVersionHealthy() {
        RehearsalReport rehearsal = verifier(service(Duration.ofSeconds(2), false)).build().rehearseRollback(DEPLOYMENT);

        assertThat(rehearsal.outcome()).as(rehearsal.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(rollbacks).hasValue(1);
        assertThat(rehearsal.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rehearsal.recheckResult().status()).isEqualTo(RecheckReport.Status.HEALTHY);
        assertThat(rehearsal.reason()).startsWith("rolled back with callback: switch to 1.0.0 and the previous version came back healthy");
    }

    @Test
    void aRehearsalAskedForOnAnInterruptedThreadRollsNothingBack() throws Exception {
        DeployVerifier verifier = verifier(service(Duration.ZERO, false)).build();
        java.util.concurrent.atomic.AtomicReference<RehearsalReport> found = new java.util.concurrent.atomic.AtomicReference<>();
        Thread caller = new Thread(() -> {
            Thread.currentThread().interrupt();
            found.set(verifier.rehearseRollback(DEPLOYMENT));
        });
        caller.start();
        caller.join(10_000);

        RehearsalReport rehearsal = found.get();
        assertThat(rollbacks).as("a Ctrl-C before the rollback starts must not start it").hasValue(0);
        assertThat(rehearsal.outcome()).isEqualTo(RehearsalReport.Outcome.ABORTED);
        assertThat(rehearsal.rehearsed()).isFalse();
        assertThat(rehearsal.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(rehearsal.recheckResult().status()).isEqualTo(RecheckReport.Status.NOT_RUN);
        assertThat(rehearsal.reason()).isEqualTo("rehearsal aborted: the calling thread was interrupted before the rollback"
                + " started; nothing was rolled back");
    }

    @Test
    void aRehearsalWhoseRollbackFailsSaysSo() {
        RollbackTrigger broken = RollbackTriggers.callback("broken", event -> {
            throw new IllegalStateException("deployment controller unreachable");
        });
        RehearsalReport rehearsal = DeployVerifier.builder()
                .probe("health", ctx -> ProbeResult.pass(Map.of(), "ok"))
                .timeSource(time).rollback(broken).build()
                .rehearseRollback(DEPLOYMENT);

        assertThat(rehearsal.outcome()).isEqualTo(RehearsalReport.Outcome.FAILED);
        assertThat(rehearsal.reason()).startsWith("the rollback did not work (FAILED)").contains("deployment controller unreachable");
        // The trigger ran (and failed), so the re-check still says what answers now.
        assertThat(rehearsal.recheckResult().status()).isEqualTo(RecheckReport.Status.HEALTHY);
    }

    @Test
    void aRehearsalWhosePreviousVersionStaysBrokenFails() {
        RehearsalReport rehearsal = verifier(service(Duration.ZERO, true)).build().rehearseRollback(DEPLOYMENT);

        assertThat(rehearsal.outcome()).isEqualTo(RehearsalReport.Outcome.FAILED);
        assertThat(rehearsal.reason()).contains("the re-check did not find the previous version healthy (UNHEALTHY)");
    }

    @Test
    void aRehearsalNeverRunsInProductionOrWhereTheEnvironmentIsUnknown() {
        DeployVerifier verifier = verifier(service(Duration.ZERO, false)).build();

        assertThatThrownBy(() -> verifier.rehearseRollback(DEPLOYMENT.withEnvironment("Production")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never runs in production");
        assertThatThrownBy(() -> verifier.rehearseRollback(DEPLOYMENT.withEnvironment("prod-eu")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'prod-eu' looks like it");
        assertThatThrownBy(() -> verifier.rehearseRollback(Deployment.of("checkout", "2.0.0", "1.0.0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs the deployment's environment");
        assertThat(rollbacks).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eu-prod", "prod_eu", "prod.eu-west-1", "us-east-1-production", "PRD2", "live_eu", "eu prod",
        "prodeu", "euProd", "ProdEU", "prodUsEast1", "golive", "produktion", "PROD_US_EAST_1", "production2", "pre-prod-and-prod"})
    void aRehearsalNeverRunsInAnEnvironmentNamedAsProductionWhateverTheSeparators(String environment) {
        // prod-eu was refused and eu-prod, prod_eu or prod.eu were rolled back on purpose; later prodeu,
        // euProd, ProdEU, prodUsEast1, golive and produktion were.
        assertThat(DeployVerifier.refusesRehearsal(DEPLOYMENT.withEnvironment(environment), VerificationPlan.defaults()))
                .contains("never runs in production").contains("'" + environment + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"staging", "pre-prod", "non-prod", "preprod", "pre_production", "nonprod-eu", "preProd", "delivery-test"})
    void aRehearsalRunsWhereTheEnvironmentIsNotProduction(String environment) {
        assertThat(DeployVerifier.refusesRehearsal(DEPLOYMENT.withEnvironment(environment), VerificationPlan.defaults()))
                .isNull();
    }
}
