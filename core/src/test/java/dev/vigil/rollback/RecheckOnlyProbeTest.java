package dev.vigil.rollback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.Probe;
import dev.vigil.ProbeReport;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckPlan;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.WatchPlan;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A probe measured in the re-check only ({@link RecheckPlan#only()}) proves that a rollback changed
 * what runs. The service answers healthy whatever its version; {@code running} is the version that
 * answers. A rollback that only echoes leaves 2.0.0 running: the re-check's {@code health} probe
 * passes all the same, and only a probe that expects the previous version can tell.
 */
class RecheckOnlyProbeTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("staging");

    private final VirtualTime time = VirtualTime.start();
    private final AtomicReference<String> running = new AtomicReference<>("2.0.0");

    private final Probe health = context -> ProbeResult.pass(Map.of("version", running.get()), "version " + running.get() + " answers 200");

    /** Passes when the previous version answers: the probe that belongs in the re-check only. */
    private final Probe previousAnswers = context -> running.get().equals(DEPLOYMENT.previousVersion())
            ? ProbeResult.pass(Map.of("version", running.get()), "version " + running.get() + " answers, as expected")
            : ProbeResult.fail(Map.of("version", running.get()), "version " + running.get() + " answers, not "
                    + DEPLOYMENT.previousVersion());

    private final RollbackTrigger works = RollbackTriggers.idempotentCallback("switch to 1.9.0", event -> running.set("1.9.0"));
    private final RollbackTrigger onlyEchoes = RollbackTriggers.idempotentCallback("echo rolled back", event -> { });

    private DeployVerifier.Builder verifier(RollbackTrigger rollback, RecheckPlan recheck) {
        return DeployVerifier.builder()
                .probe("health", health)
                .probe("previous-version", previousAnswers)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time)
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(rollback)
                .recheck(recheck);
    }

    private static final RecheckPlan ONLY = RecheckPlan.defaults().withOnly(Set.of("previous-version"));

    /**
     * A bake that rolls back: {@code errors} fails while 2.0.0 answers and passes on anything else;
     * {@code versionProbe} is {@code previous-version}.
     */
    private DeployVerifier.Builder rollingBack(Probe versionProbe, RollbackTrigger rollback, RecheckPlan recheck) {
        Probe broken = context -> running.get().equals("2.0.0") ? ProbeResult.fail(Map.of(), "503") : ProbeResult.pass(Map.of(), "200");
        return DeployVerifier.builder()
                .probe("errors", broken).probe("previous-version", versionProbe)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time).rollbackCoordinator(RollbackCoordinator.create())
                .rollback(rollback).recheck(recheck);
    }

    /** The console, as verify prints it, into {@code bytes}. */
    private static dev.vigil.report.ConsoleProgress console(java.io.ByteArrayOutputStream bytes) {
        return dev.vigil.report.ConsoleProgress.builder(new java.io.PrintStream(bytes, true,
                java.nio.charset.StandardCharsets.UTF_8)).terminal(false).build();
    }

    @Test
    void aRehearsalWhoseRollbackChangedNothingFailsOnTheProbeThatExpectsThePreviousVersion() {
        RehearsalReport rehearsal = verifier(onlyEchoes, ONLY).build().rehearseRollback(DEPLOYMENT);

        assertThat(rehearsal.rollback().outcome()).as("the command ran and exited 0").isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rehearsal.outcome()).as(rehearsal.reason()).isEqualTo(RehearsalReport.Outcome.FAILED);
        assertThat(rehearsal.recheckResult().status()).isEqualTo(RecheckReport.Status.UNHEALTHY);
        assertThat(rehearsal.reason()).contains("the re-check did not find the previous version healthy")
                .contains("previous-version").contains("version 2.0.0 answers, not 1.9.0");
    }

    @Test
    void withoutThatProbeTheSameRollbackIsRehearsedAsTheDocsWarn() {
        // The gap the probe closes: health passes on whatever answers.
        RehearsalReport rehearsal = verifier(onlyEchoes, RecheckPlan.defaults().withUnchecked(Set.of("previous-version")))
                .build().rehearseRollback(DEPLOYMENT);

        assertThat(rehearsal.outcome()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(rehearsal.recheck()).allSatisfy(m -> assertThat(m.values()).containsEntry("version", "2.0.0"));
    }

    @Test
    void aRehearsalWhoseRollbackWorksIsRehearsedWithTheProbeMeasuredInItsRecheck() {
        RehearsalReport rehearsal = verifier(works, ONLY).build().rehearseRollback(DEPLOYMENT);

        assertThat(rehearsal.outcome()).as(rehearsal.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(rehearsal.recheck()).extracting(Measurement::probe).contains("health", "previous-version");
        assertThat(rehearsal.recheckResult().reason()).contains("all 2 probes passed");
    }

    @Test
    void theBakeDoesNotMeasureItSoAHealthyReleaseStaysHealthy() {
        // On 2.0.0 the probe fails: measured in the bake, it would roll a healthy release back.
        VerificationReport report = verifier(works, ONLY).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probes()).extracting(ProbeReport::name).containsExactly("health");
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(running).hasValue("2.0.0");
    }

    @Test
    void afterAnUnhealthyBakeTheRecheckMeasuresItAndARollbackThatChangedNothingIsInDoubt() {
        VerificationReport report = rollingBack(previousAnswers, works, ONLY).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.probes()).extracting(ProbeReport::name).containsExactly("errors");
        assertThat(report.recheckResult().status()).as(report.recheckResult().reason()).isEqualTo(RecheckReport.Status.HEALTHY);
        assertThat(report.recheck()).extracting(Measurement::probe).contains("previous-version");
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isFalse();
    }

    @Test
    void theReportsSayWhichProbesOfTheRecheckTheBakeLeftOut() throws Exception {
        // report.json's recheck[] named previous-version, which probes[] lacks, without a word; the HTML
        // re-check section had its measurements and no timeline for it, without a word either.
        VerificationReport report = rollingBack(previousAnswers, works, ONLY).build().verifyAfterDeploy(DEPLOYMENT);

        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.JSON));
        assertThat(json.path("probes")).extracting(p -> p.path("name").asText()).containsExactly("errors");
        assertThat(json.path("recheck")).extracting(m -> m.path("probe").asText()).contains("previous-version");
        assertThat(json.path("recheckResult").path("only")).extracting(com.fasterxml.jackson.databind.JsonNode::asText)
                .containsExactly("previous-version");
        String sentence = "previous-version was measured in the re-check only (recheck=only), not in the bake";
        assertThat(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.HTML))
                .contains("<p class=\"recheck-only\">" + sentence + " (no timeline above).</p>");
        assertThat(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.MARKDOWN)).contains(sentence);

        VerificationReport none = verifier(works, RecheckPlan.defaults()).build().verifyAfterDeploy(DEPLOYMENT);
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(dev.vigil.report.Reports.render(none,
                dev.vigil.report.ReportFormat.JSON)).path("recheckResult").path("only").isArray()).isTrue();
    }

    @Test
    void theWatchDoesNotMeasureItEither() throws Exception {
        try (DeployVerifier verifier = verifier(works, ONLY)
                .watch(new WatchPlan(Duration.ofSeconds(30), Duration.ofSeconds(10), WatchPlan.Action.ROLLBACK, Set.of()))
                .build();
                dev.vigil.Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.bake().verdict()).isEqualTo(Verdict.HEALTHY);
            VerificationReport watched = watch.await();
            assertThat(watched.verdict()).as(watched.reason()).isEqualTo(Verdict.HEALTHY);
            assertThat(watched.probes()).extracting(ProbeReport::name).containsExactly("health");
        }
    }

    /**
     * A suite measured in the re-check only that also holds the test of a fix: on the previous
     * version, which still has the bug, that test fails as expected, while the suite's version test
     * tells whether the rollback changed what runs.
     */
    private final Probe suiteWithAFix = new Probe() {
        @Override
        public ProbeResult measure(dev.vigil.ProbeContext context) {
            boolean previous = running.get().equals("1.9.0");
            List<ItemResult> items = List.of(
                    new ItemResult("[test:coupons]", "com.acme.CheckoutTest", "coupons()",
                            previous ? ItemResult.Status.FAILED : ItemResult.Status.PASSED, Duration.ofMillis(5),
                            previous ? "coupon applied twice" : "", List.of("INC-1")),
                    new ItemResult("[test:version]", "com.acme.CheckoutTest", "version()",
                            previous ? ItemResult.Status.PASSED : ItemResult.Status.FAILED, Duration.ofMillis(5),
                            previous ? "" : "2.0.0 answers", List.of()));
            boolean failed = items.stream().anyMatch(i -> i.status().problem());
            return (failed ? ProbeResult.fail(Map.of(), "1 failed") : ProbeResult.pass(Map.of(), "2 passed")).withItems(items);
        }

        @Override
        public List<String> confirmationTests(String issue) {
            return issue.equals("INC-1") ? List.of("CheckoutTest#coupons") : List.of();
        }
    };

    private static final Deployment FIXES_INC_1 = new Deployment("checkout", "2.0.0", "1.9.0", "staging",
            Deployment.Kind.RELEASE, List.of("INC-1"), Map.of());

    private DeployVerifier.Builder withSuite(RollbackTrigger rollback) {
        return DeployVerifier.builder()
                .probe("health", health)
                .probe("suite", suiteWithAFix)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time)
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(rollback)
                .recheck(RecheckPlan.defaults().withOnly(Set.of("suite")));
    }

    @Test
    void theTestOfAFixInAProbeOfTheRecheckOnlyFailsThereAsExpected() {
        // The previous version still has INC-1: its tagged test failing there is no reason to call it unhealthy.
        RehearsalReport works = withSuite(this.works).confirms("health", "INC-1").build().rehearseRollback(FIXES_INC_1);

        assertThat(works.outcome()).as(works.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(works.recheck()).filteredOn(m -> m.probe().equals("suite")).isNotEmpty()
                .allSatisfy(m -> assertThat(m.explanation()).startsWith("as expected: 1.9.0 still has INC-1"));

        running.set("2.0.0");
        RehearsalReport echoes = withSuite(onlyEchoes).confirms("health", "INC-1").build().rehearseRollback(FIXES_INC_1);
        assertThat(echoes.outcome()).as("its other test still tells the versions apart").isEqualTo(RehearsalReport.Outcome.FAILED);
    }

    @Test
    void aFixWhoseOnlyTestsRunInTheRecheckOnlyIsNotConfirmedAndTheRefusalSaysWhy() {
        DeployVerifier verifier = withSuite(works).build();

        assertThat(verifier.confirmationProblems(FIXES_INC_1)).singleElement().asString()
                .contains("fixes INC-1 but no probe confirms it")
                .contains("probe suite: its tests tagged INC-1 are measured in the re-check only, after a rollback, so they"
                        + " cannot confirm it");
        assertThatThrownBy(() -> verifier.verifyAfterDeploy(FIXES_INC_1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEarlierFixWhoseTestsMovedIntoTheRecheckOnlyIsNamedByTheRegressionGuardNotCalledRemoved() {
        // INC-1 was confirmed by an earlier release; its test now lives in a suite measured in the
        // re-check only. The guard said "did not run: removed from the regression suite?", and with
        // require-past-confirmations every verification ended UNHEALTHY for that wrong reason.
        dev.vigil.PastConfirmations past = deployment -> Map.of("INC-1", List.of("com.acme.CheckoutTest#coupons"));
        Deployment release = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("staging");
        String where = "INC-1's confirmation test `com.acme.CheckoutTest#coupons` is in probe suite, measured in the"
                + " re-check only (recheck=only), so the bake cannot run it again: move it to a probe of the bake";

        DeployVerifier required = withSuite(works).regressionGuard(past, true).build();
        assertThat(required.confirmationProblems(release)).singleElement().asString()
                .isEqualTo("regression guard: " + where + ", or every verification is UNHEALTHY"
                        + " (vigil.regressions.require-past-confirmations=true)");
        assertThatThrownBy(() -> required.verifyAfterDeploy(release)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(where);

        VerificationReport warned = withSuite(works).regressionGuard(past, false).build().verifyAfterDeploy(release);
        assertThat(warned.verdict()).as(warned.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(warned.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.regression()).isTrue();
            assertThat(c.probe()).isEqualTo("suite");
            assertThat(c.explanation()).isEqualTo(where).doesNotContain("removed from the regression suite");
        });
    }

    @Test
    void aFailedRollbackThatWentThroughIsNotToBeRepeatedBlindly() {
        // The command switched to 1.9.0, then its status check failed: the re-check, the probe that
        // reads the version included, finds 1.9.0 healthy. "A person must roll back 2.0.0 now" sent
        // the person to repeat a rollback that had gone through, which a bare undo turns into 2.0.0 again.
        RollbackTrigger wentThroughThenFailed = event -> {
            running.set("1.9.0");
            throw new IllegalStateException("rollout status timed out");
        };
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        VerificationReport report = rollingBack(previousAnswers, wentThroughThenFailed, ONLY).listener(console(bytes))
                .build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.recheckResult().status()).as(report.recheckResult().reason()).isEqualTo(RecheckReport.Status.HEALTHY);
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("Next:     THE ROLLBACK FAILED, but the re-check found what answers healthy: a person must find which"
                        + " version runs before rolling back again (1.9.0 means the failed attempt went through, and repeating"
                        + " it may bring 2.0.0 back; 2.0.0 means roll checkout back now).")
                .doesNotContain("a person must roll back checkout 2.0.0 now");
    }

    @Test
    void aRecheckWhoseVersionProbeCouldNotReachTheServiceSaysWhichVersionRunsIsUnknown() {
        // The rollback went through, but the service restarts slowly: the probe that reads the version
        // is refused in every round, and the re-check ends UNHEALTHY through max-consecutive-errors.
        // "2.0.0 still answering means the rollback changed nothing" read as if something had answered.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        Probe refused = context -> ProbeResult.error("Connection refused");
        VerificationReport report = rollingBack(refused, works, new RecheckPlan(null, 5, Set.of(), Set.of("previous-version")))
                .listener(console(bytes)).build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.recheckResult().status()).as(report.recheckResult().reason()).isEqualTo(RecheckReport.Status.UNHEALTHY);
        assertThat(report.recheckResult().only()).containsExactly("previous-version");
        assertThat(report.recheckResult().onlyUnmeasured(report.recheck())).containsExactly("previous-version");
        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("Next:     checkout was rolled back to 1.9.0, but which version runs is unknown: previous-version"
                        + " (measured in the re-check only) could not reach the service. A PERSON MUST LOOK NOW: find which"
                        + " version runs, and why it does not answer, before rolling back again.")
                .doesNotContain("means the rollback changed nothing");
    }

    @Test
    void theBuilderRefusesWhatCannotWork() {
        assertThatThrownBy(() -> verifier(works, RecheckPlan.defaults().withOnly(Set.of("health", "previous-version"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the bake would measure nothing");
        assertThatThrownBy(() -> verifier(works, RecheckPlan.defaults().withOnly(Set.of("version"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the re-check alone measures [version]");
        assertThatThrownBy(() -> verifier(works, ONLY).confirms("previous-version", "INC-1").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot confirm [INC-1]");
        assertThatThrownBy(() -> ONLY.withUnchecked(Set.of("previous-version")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both left out of the re-check and measured in it only");
        assertThatThrownBy(() -> verifier(works, ONLY)
                .watch(new WatchPlan(Duration.ofSeconds(30), Duration.ofSeconds(10), WatchPlan.Action.ROLLBACK, Set.of("health"))).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("the watch leaves out every probe");
    }
}
