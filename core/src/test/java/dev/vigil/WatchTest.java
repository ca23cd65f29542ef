package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watch after a healthy bake, in virtual time. Every expectation comes from the documented rule
 * ({@link WatchPlan}): the watch's round {@code k} is due {@code k × watch-interval} after the bake
 * ended, the limits are counted afresh, and a broken limit decides at once.
 */
class WatchTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.0.0");
    /** The bake: 6 rounds, one every 10 s. */
    private static final VerificationPlan BAKE = VerificationPlan.defaults().withInterval(Duration.ofSeconds(10))
            .withDuration(Duration.ofMinutes(1));
    private static final int BAKE_ROUNDS = 6;
    /**
     * A round of the tests that run on the real clock: one round a bake, and long enough that a busy
     * machine neither skips a round (a bake that skipped one of a few proves nothing and is never
     * watched) nor times a trivial probe out.
     */
    private static final Duration ROUND = Duration.ofMillis(200);
    /** The watch: 24 hours, a round a minute: 1,440 rounds. */
    private static final WatchPlan DAY = WatchPlan.of(Duration.ofHours(24), Duration.ofMinutes(1));
    /** A short watch: 5 rounds, one a minute. */
    private static final WatchPlan FIVE_MINUTES = WatchPlan.of(Duration.ofMinutes(5), Duration.ofMinutes(1));
    private static final ProbeLimits ONE_FAILURE_TOLERATED = new ProbeLimits(1, 4, 0);

    private final VirtualTime time = VirtualTime.start();
    private final AtomicInteger rollbacks = new AtomicInteger();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @Test
    void aServiceHealthyForTwentyHoursThenFailingIsRolledBackAtTheRoundThatBreaksItsLimit() throws Exception {
        // Healthy through the bake and the first 20 hours of the watch (1,200 rounds), then failing.
        ErrorRate errors = new ErrorRate(BAKE_ROUNDS + 1200);
        try (DeployVerifier verifier = builder(DAY).probe("errors", errors, ONE_FAILURE_TOLERATED).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.bake().verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(watch.bake().rounds()).isEqualTo(BAKE_ROUNDS);
            assertThat(watch.started()).isTrue();

            VerificationReport report = watch.await();

            assertThat(report.phase()).isEqualTo(VerificationReport.Phase.WATCH);
            assertThat(report.id()).isNotEqualTo(watch.bake().id());
            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            // max-failures 1: the first FAIL (watch round 1,201) is tolerated, the second breaks the limit.
            assertThat(report.rounds()).isEqualTo(1202);
            assertThat(report.reason()).contains("probe errors failed 2 times (max-failures 1)");
            assertThat(report.timeToDetect()).contains(Duration.ofMinutes(1202));
            assertThat(rollbacks).hasValue(1);
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);

            ProbeReport probe = report.probe("errors").orElseThrow();
            assertThat(probe.passes()).isEqualTo(1200);
            assertThat(probe.failures()).isEqualTo(2);
            // The failing measurements stay whole, with their values and explanations.
            List<Measurement> failing = probe.measurements().stream().filter(m -> m.outcome() == Outcome.FAIL).toList();
            assertThat(failing).extracting(Measurement::round).containsExactly(1201, 1202);
            assertThat(failing).allSatisfy(m -> {
                assertThat(m.values()).containsEntry("value", 0.05);
                assertThat(m.explanation()).isEqualTo("value(0.05) > 0.01");
            });
            int kept = probe.measurements().size() + probe.passRuns().stream().mapToInt(PassRun::count).sum();
            assertThat(kept).as("every measurement kept whole or in a summary").isEqualTo(1202);
        }
        assertThat(events).startsWith("started", "verdict HEALTHY", "finished BAKE HEALTHY", "watchStarted 24h");
        assertThat(events).endsWith("verdict UNHEALTHY", "finished WATCH UNHEALTHY");
    }

    /**
     * A watch of days: the reason of a limit broken on a later day than the watch's first round gives
     * the date, not only the time of day ("at 08:02:50Z" after a weekend does not say which day).
     */
    @Test
    void aLimitBrokenOnALaterDayOfTheWatchNamesItsDateAndOneOnTheFirstDayItsTime() throws Exception {
        // The watch starts 2026-01-01 at 12:01:50 (the bake: 12:00:50); round 1,202 is 20 h later, the next day.
        try (DeployVerifier verifier = builder(DAY).probe("errors", new ErrorRate(BAKE_ROUNDS + 1200), ONE_FAILURE_TOLERATED).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.reason()).isEqualTo("probe errors failed 2 times (max-failures 1): value(0.05) > 0.01"
                    + " at 2026-01-02T08:02:50Z");
        }
        // Round 2 of the next watch (on the same virtual clock, later that day): the time of day, as before.
        try (DeployVerifier verifier = builder(DAY).probe("errors", new ErrorRate(BAKE_ROUNDS), ONE_FAILURE_TOLERATED).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.bake().finishedAt()).isEqualTo("2026-01-02T08:03:40Z");
            assertThat(watch.await().reason()).isEqualTo("probe errors failed 2 times (max-failures 1): value(0.05) > 0.01"
                    + " at 08:05:40Z");
        }
    }

    /** A watch of 30 hours, a round a minute (1,800 rounds), counting FAILs within an hour: the last 60 rounds. */
    private static final WatchPlan THIRTY_HOURS_WINDOW_1H = WatchPlan.of(Duration.ofHours(30), Duration.ofMinutes(1))
            .withFailureWindow(Duration.ofHours(1));
    private static final ProbeLimits TWO_FAILURES_TOLERATED = new ProbeLimits(2, 4, 0);

    /** A probe passing the bake and the watch but for single FAILs in these rounds of the watch. */
    private static ScriptedProbe failingInWatchRounds(int... rounds) {
        int last = java.util.Arrays.stream(rounds).max().orElseThrow();
        List<Outcome> script = new java.util.ArrayList<>(java.util.Collections.nCopies(BAKE_ROUNDS + last + 1, Outcome.PASS));
        for (int round : rounds) {
            script.set(BAKE_ROUNDS + round - 1, Outcome.FAIL);
        }
        return ScriptedProbe.of(script.toArray(Outcome[]::new));
    }

    /** The report of the watch after a healthy bake of this one probe (a bake that is not healthy fails the test). */
    private VerificationReport watched(WatchPlan plan, Probe probe, ProbeLimits limits) throws Exception {
        try (DeployVerifier verifier = builder(plan).probe("health", probe, limits).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.bake().verdict()).as(watch.bake().reason()).isEqualTo(Verdict.HEALTHY);
            return watch.await();
        }
    }

    @Test
    void threeSingleFailsHoursApartWithinAFailureWindowOfAnHourLeaveAGoodReleaseHealthy() throws Exception {
        // Hours 1, 11 and 25 of the watch: never more than one FAIL in any hour, max-failures 2.
        ScriptedProbe health = failingInWatchRounds(60, 660, 1500);
        VerificationReport report = watched(THIRTY_HOURS_WINDOW_1H, health, TWO_FAILURES_TOLERATED);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.rounds()).isEqualTo(1800);
        assertThat(report.probe("health").orElseThrow().failures()).isEqualTo(3);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void aHealthyWatchThatToleratedFailsWithinItsWindowSaysWhyAndEveryReportShowsTheWindowAndWatchLimits() throws Exception {
        // Two FAILs within one hour, a third a day later: watch-max-failures 2 per hour tolerates them all.
        ScriptedProbe health = failingInWatchRounds(60, 61, 1500);
        WatchPlan plan = THIRTY_HOURS_WINDOW_1H.withMaxFailures("health", 2);
        VerificationReport report = watched(plan, health, ProbeLimits.defaults());

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.reason()).endsWith("; 3 FAILs of health over the watch, never more than 2 within 1h");
        assertThat(report.watchPlan()).isEqualTo(plan);
        String limits = "max-failures counted within watch-failure-window 1h (the last 60 rounds); watch-max-failures: health 2";
        assertThat(plan.describeLimits()).as("one wording for the plan, the console and the reports").isEqualTo(limits);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.JSON)).get("plan");
        assertThat(json.get("failureWindow").asText()).isEqualTo("PT1H");
        assertThat(json.get("failureWindowMillis").asLong()).isEqualTo(3_600_000L);
        assertThat(json.get("windowRounds").asInt()).isEqualTo(60);
        assertThat(json.get("watchMaxFailures").get("health").asInt()).isEqualTo(2);
        assertThat(json.get("rounds").asInt()).isEqualTo(1800);
        assertThat(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.MARKDOWN))
                .contains("**Watch:** " + limits + "\n");
        assertThat(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.HTML))
                .contains(", on-inconclusive=fail; " + limits + "</td>");
        assertThat(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.JUNIT_XML))
                .contains("<property name=\"watch-limits\" value=\"" + limits + "\"/>");
    }

    /**
     * The console's {@code Vigil: watching} line words the window and the watch-only limits as the
     * reports and the validated plan do ({@link WatchPlan#describeLimits()}); it said the window in
     * words of its own and left {@code watch-max-failures} out.
     */
    @Test
    void theConsolesWatchingLineShowsTheWindowAndWatchMaxFailuresInTheReportsWords() {
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        progress(console).watchStarted(DEPLOYMENT, THIRTY_HOURS_WINDOW_1H.withMaxFailures("health", 2).withUnwatched(Set.of("orders")));
        assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Vigil: watching checkout 2.0.0 after"
                + " its healthy bake: 1800 rounds every 1m for 30h; breaking a limit rolls it back; max-failures counted within"
                + " watch-failure-window 1h (the last 60 rounds); watch-max-failures: health 2; not watched: orders\n");

        console.reset();
        progress(console).watchStarted(DEPLOYMENT, WatchPlan.of(Duration.ofHours(30), Duration.ofMinutes(1)));
        assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("Vigil: watching checkout 2.0.0 after"
                + " its healthy bake: 1800 rounds every 1m for 30h; breaking a limit rolls it back\n");
    }

    @Test
    void withoutAFailureWindowTheSameThreeFailsCountOverTheWholeWatchAndRollBackAtTheThird() throws Exception {
        ScriptedProbe health = failingInWatchRounds(60, 660, 1500);
        WatchPlan whole = WatchPlan.of(Duration.ofHours(30), Duration.ofMinutes(1));
        VerificationReport report = watched(whole, health, TWO_FAILURES_TOLERATED);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rounds()).isEqualTo(1500);
        assertThat(report.reason()).startsWith("probe health failed 3 times (max-failures 2): ")
                .doesNotContain("window");
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void threeFailsWithinFortyMinutesBreakMaxFailuresPerWindowAtTheThirdAndTheReasonNamesTheWindow() throws Exception {
        // The bake ends 12:00:50, so watch round k is at 12:00:50 + k minutes: 22:00:50, 22:20:50, 22:40:50.
        ScriptedProbe health = failingInWatchRounds(600, 620, 640);
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        try (DeployVerifier verifier = builder(THIRTY_HOURS_WINDOW_1H).probe("health", health, TWO_FAILURES_TOLERATED)
                .listener(progress(console)).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(console.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("Vigil: watching checkout 2.0.0"
                    + " after its healthy bake: 1800 rounds every 1m for 30h; breaking a limit rolls it back; max-failures"
                    + " counted within watch-failure-window 1h (the last 60 rounds)\n");

            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.rounds()).isEqualTo(640);
            assertThat(report.reason()).isEqualTo("probe health failed 3 times within 1h, the first at 22:00:50Z"
                    + " (max-failures 2 per watch-failure-window 1h; 3 in the whole watch): value(645) bad at 22:40:50Z");
            assertThat(report.probe("health").orElseThrow().brokenLimit()).isEqualTo(report.reason());
            assertThat(rollbacks).hasValue(1);
            for (dev.vigil.report.ReportFormat format : List.of(dev.vigil.report.ReportFormat.JSON,
                    dev.vigil.report.ReportFormat.MARKDOWN, dev.vigil.report.ReportFormat.JUNIT_XML)) {
                assertThat(dev.vigil.report.Reports.render(report, format)).as(format.name())
                        .contains("max-failures 2 per watch-failure-window 1h");
            }
        }
    }

    @Test
    void theWindowHoldsItsLastWindowOverIntervalRoundsTheCurrentOneIncluded() throws Exception {
        // 60 rounds: FAILs in rounds 100, 130 and 159 fall within the 60 rounds 100..159; at round 160, 100 is out.
        ScriptedProbe within = failingInWatchRounds(100, 130, 159);
        VerificationReport broken = watched(THIRTY_HOURS_WINDOW_1H, within, TWO_FAILURES_TOLERATED);
        assertThat(broken.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(broken.rounds()).isEqualTo(159);
        ScriptedProbe outside = failingInWatchRounds(100, 130, 160, 190, 220);
        VerificationReport kept = watched(THIRTY_HOURS_WINDOW_1H, outside, TWO_FAILURES_TOLERATED);
        assertThat(kept.verdict()).as(kept.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(kept.probe("health").orElseThrow().failures()).isEqualTo(5);
    }

    /**
     * A window of no more rounds than a probe's max-failures can never hold more FAILs than it allows:
     * before, a probe that FAILed in every round of a two-hour watch (window 1m, a round a minute,
     * max-failures 2) never broke the limit, and the watch ended INCONCLUSIVE without rolling back.
     */
    @Test
    void aFailureWindowOfNoMoreRoundsThanMaxFailuresIsRefusedNamingTheProbeAndTheKey() {
        WatchPlan twoHours = WatchPlan.of(Duration.ofHours(2), Duration.ofMinutes(1));
        assertThatThrownBy(() -> builder(twoHours.withFailureWindow(Duration.ofMinutes(1)))
                .probe("health", ScriptedProbe.passing(), TWO_FAILURES_TOLERATED).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("watch-failure-window 1m holds 1 round of the watch (watch-interval 1m), at most 1 FAIL of probe"
                        + " health, so its max-failures 2 could never be broken and a probe failing every round would never"
                        + " roll back: make the window longer than 2 intervals, or lower max-failures");
        assertThat(twoHours.withFailureWindow(Duration.ofMinutes(2)).withMaxFailures("health", 2)
                .limitProblem("health", ProbeLimits.defaults())).hasValueSatisfying(problem -> assertThat(problem)
                        .startsWith("2m holds 2 rounds").contains("its watch-max-failures 2 could never be broken"));
        assertThat(twoHours.withFailureWindow(Duration.ofMinutes(3)).limitProblem("health", TWO_FAILURES_TOLERATED)).isEmpty();
        assertThat(twoHours.limitProblem("health", TWO_FAILURES_TOLERATED)).as("no window").isEmpty();
        // A probe the watch leaves out is not counted there.
        try (DeployVerifier verifier = builder(twoHours.withFailureWindow(Duration.ofMinutes(1)).withUnwatched(java.util.Set.of("smoke")))
                .probe("health", ScriptedProbe.passing())
                .probe("smoke", ScriptedProbe.passing(), TWO_FAILURES_TOLERATED).build()) {
            assertThat(verifier).isNotNull();
        }
    }

    @Test
    void aWatchMaxFailuresAllowsTwoFailsAnHourInTheWatchWhileTheBakeStaysStrict() throws Exception {
        WatchPlan twoAnHour = THIRTY_HOURS_WINDOW_1H.withMaxFailures("health", 2);
        // The bake keeps max-failures 0: one FAIL in its third round rolls back, and no watch starts.
        ScriptedProbe inTheBake = ScriptedProbe.of(Outcome.PASS, Outcome.PASS, Outcome.FAIL, Outcome.PASS);
        try (DeployVerifier verifier = builder(twoAnHour).probe("health", inTheBake).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.bake().verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(watch.bake().reason()).startsWith("probe health failed once (max-failures 0): ");
            assertThat(watch.started()).isFalse();
        }
        // The watch allows two FAILs within any hour ...
        VerificationReport kept = watched(twoAnHour, failingInWatchRounds(600, 620, 700, 720), ProbeLimits.defaults());
        assertThat(kept.verdict()).as(kept.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(kept.probe("health").orElseThrow().limits().maxFailures()).isEqualTo(2);
        // ... and a third within 40 minutes breaks it, named as the watch's limit.
        VerificationReport broken = watched(twoAnHour, failingInWatchRounds(600, 620, 640), ProbeLimits.defaults());
        assertThat(broken.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(broken.rounds()).isEqualTo(640);
        assertThat(broken.reason()).contains("failed 3 times within 1h, the first at ")
                .contains("(watch-max-failures 2 per watch-failure-window 1h; 3 in the whole watch)");
    }

    @Test
    void aWatchMaxFailuresOfAProbeTheVerifierDoesNotHaveOrBelowZeroIsRefused() {
        assertThatThrownBy(() -> builder(DAY.withMaxFailures("helth", 2)).probe("health", ScriptedProbe.passing()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the watch sets watch-max-failures of [helth], which is not a probe of this verifier; probes: [health]");
        assertThatThrownBy(() -> DAY.withMaxFailures("health", -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("watch-max-failures of probe 'health' must be >= 0: -1");
        assertThat(DAY.withMaxFailures("health", 2).limits("health", ProbeLimits.defaults()))
                .isEqualTo(new ProbeLimits(2, 4, 0));
        assertThat(DAY.withMaxFailures("health", 2).limits("errors", ProbeLimits.defaults())).isEqualTo(ProbeLimits.defaults());
    }

    @Test
    void aFailureWindowShorterThanARoundOrLongerThanTheWatchIsRefusedNamingTheKeyAndValue() {
        WatchPlan day = WatchPlan.of(Duration.ofHours(24), Duration.ofMinutes(1));
        assertThatThrownBy(() -> day.withFailureWindow(Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("watch-failure-window 30s is shorter than watch-interval (1m)");
        assertThatThrownBy(() -> day.withFailureWindow(Duration.ofHours(25)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("watch-failure-window 25h is longer than the watch (24h)");
        assertThatThrownBy(() -> day.withFailureWindow(Duration.ofHours(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("watch-failure-window");
        assertThat(day.withFailureWindow(Duration.ofSeconds(150)).windowRounds()).isEqualTo(2);
        assertThat(day.withFailureWindow(Duration.ZERO).windowRounds()).isZero();
        assertThat(day.withFailureWindow(Duration.ofHours(1)).withAction(WatchPlan.Action.NOTIFY).failureWindow())
                .isEqualTo(Duration.ofHours(1));
    }

    @Test
    void withWatchActionNotifyAnUnhealthyWatchRollsNothingBackAndSaysSo() throws Exception {
        ErrorRate errors = new ErrorRate(BAKE_ROUNDS + 1200);
        WatchPlan notify = DAY.withAction(WatchPlan.Action.NOTIFY);
        try (DeployVerifier verifier = builder(notify).probe("errors", errors, ONE_FAILURE_TOLERATED).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.rounds()).isEqualTo(1202);
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOTIFIED);
            assertThat(report.rollback().output()).contains("watch-action=notify");
            assertThat(rollbacks).hasValue(0);
        }
    }

    @Test
    void aWatchEndingHealthyAfterAnExtraRoundNamesTheEndOfWatchRuleInItsReasonProgressAndReports() throws Exception {
        // 5 watch rounds; the last one errs, so an extra round measures the probe again, and it passes.
        ScriptedProbe health = afterTheBake(4, Outcome.ERROR, Outcome.PASS);
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        try (DeployVerifier verifier = builder(FIVE_MINUTES).probe("health", health).listener(progress(console)).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
            assertThat(report.reason()).isEqualTo("all 1 probe passed within their limits over 6 rounds (5m watch), each"
                    + " with a PASS as its latest measurement; the end of the watch took 1 extra round until every probe"
                    + " passed again (end-of-watch rule)");
            assertInWordsOfTheWatch(report, console);
        }
    }

    @Test
    void aWatchEndingUnhealthyInAnExtraRoundNamesTheEndOfWatchRuleInItsReasonProgressAndReports() throws Exception {
        // 5 watch rounds; the last one errs, and so does the extra round: max-consecutive-errors 1 is broken.
        ScriptedProbe health = afterTheBake(4, Outcome.ERROR);
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        try (DeployVerifier verifier = builder(FIVE_MINUTES).probe("health", health, new ProbeLimits(0, 1, 0))
                .listener(progress(console)).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.reason()).contains("(max-consecutive-errors 1)").endsWith("(end-of-watch rule: measured"
                    + " again after the planned rounds because its latest measurement was not a PASS)");
            assertThat(rollbacks).hasValue(1);
            assertInWordsOfTheWatch(report, console);
        }
    }

    /** The watch's 6th round is the extra one, and nothing the watch says speaks of the bake's rule. */
    private static void assertInWordsOfTheWatch(VerificationReport report, java.io.ByteArrayOutputStream console) {
        assertThat(report.schedule().settlingRounds()).isEqualTo(1);
        String text = console.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(text).contains("  6:00 / 6:00  round 6 (extra: end-of-watch rule)  health ")
                .contains("Reason:   " + report.reason().substring(0, 20)).doesNotContain("end-of-bake");
        for (dev.vigil.report.ReportFormat format : List.of(dev.vigil.report.ReportFormat.MARKDOWN,
                dev.vigil.report.ReportFormat.HTML)) {
            assertThat(dev.vigil.report.Reports.render(report, format)).as(format.name())
                    .contains("1 extra by the end-of-watch rule").doesNotContain("end-of-bake");
        }
    }

    /** A probe passing the bake and the first {@code passes} rounds of the watch, then giving {@code then}. */
    private static ScriptedProbe afterTheBake(int passes, Outcome... then) {
        List<Outcome> script = new java.util.ArrayList<>(java.util.Collections.nCopies(BAKE_ROUNDS + passes, Outcome.PASS));
        script.addAll(List.of(then));
        return ScriptedProbe.of(script.toArray(Outcome[]::new));
    }

    private static VerificationListener progress(java.io.ByteArrayOutputStream console) {
        return dev.vigil.report.ConsoleProgress.builder(new java.io.PrintStream(console, true,
                java.nio.charset.StandardCharsets.UTF_8)).terminal(false).build();
    }

    @Test
    void aWatchWithNoLimitBrokenIsHealthyAfterItsPlannedRounds() throws Exception {
        ScriptedProbe health = ScriptedProbe.passing();
        try (DeployVerifier verifier = builder(DAY).probe("health", health).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(report.rounds()).isEqualTo(1440);
            assertThat(Duration.between(watch.bake().finishedAt(), report.finishedAt())).isEqualTo(Duration.ofHours(24));
            assertThat(health.calls()).isEqualTo(BAKE_ROUNDS + 1440);
            assertThat(rollbacks).hasValue(0);
            assertThat(watch.running()).isFalse();
        }
    }

    @Test
    void aWatchThatSkippedMostOfItsRoundsNamesTheSkipsAndEachProbeWithoutAPassAtItsEndAndAcceptsNeither() throws Exception {
        // on-inconclusive=pass; an hour's watch, a round a minute. After the watch's second round the
        // host is suspended for 50 minutes; from that round on, the db probe is inconclusive.
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean suspendNext = new java.util.concurrent.atomic.AtomicBoolean();
        Probe db = context -> {
            if (calls.incrementAndGet() == BAKE_ROUNDS + 2) {
                suspendNext.set(true);
            }
            return calls.get() < BAKE_ROUNDS + 2 ? ProbeResult.pass(Map.of(), "reachable")
                    : ProbeResult.inconclusive(Map.of(), "replica lag unknown");
        };
        TimeSource suspended = time.afterEachSleep(() -> {
            if (suspendNext.getAndSet(false)) {
                time.pass(Duration.ofMinutes(50));
            }
        });
        try (DeployVerifier verifier = builder(WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1)))
                .plan(BAKE.withOnInconclusive(VerificationPlan.OnInconclusive.PASS)).timeSource(suspended)
                .probe("db", db, new ProbeLimits(0, 4, 1000)).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.phase()).isEqualTo(VerificationReport.Phase.WATCH);
            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(report.reason()).contains("the watch measured only").contains("planned rounds skipped")
                    .contains("probe db: the last").contains("replica lag unknown").doesNotContain("accepted");
            assertThat(rollbacks).hasValue(0);
        }
    }

    /**
     * The window counts rounds run: two FAILs, a 5-hour suspension of the host, a third FAIL in the
     * next round run still fall within its 60 rounds, and break the limit. Before, the reason said
     * they failed "3 times within 1h" though the first was 5 hours before the last; now it says the
     * rounds were skipped and how long they really span.
     */
    @Test
    void failsAroundASuspensionBreakTheWindowsRoundsAndTheReasonSaysWhatTheyReallySpan() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean suspendNext = new java.util.concurrent.atomic.AtomicBoolean();
        Probe health = context -> {
            int n = calls.incrementAndGet() - BAKE_ROUNDS;
            if (n == 11) {
                suspendNext.set(true);
            }
            return n == 10 || n == 11 || n == 12 ? ProbeResult.fail(Map.of(), "bad") : ProbeResult.pass(Map.of(), "ok");
        };
        TimeSource suspended = time.afterEachSleep(() -> {
            if (suspendNext.getAndSet(false)) {
                time.pass(Duration.ofHours(5));
            }
        });
        try (DeployVerifier verifier = builder(THIRTY_HOURS_WINDOW_1H).timeSource(suspended)
                .probe("health", health, TWO_FAILURES_TOLERATED).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();
            assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.rounds()).isEqualTo(12);
            assertThat(report.reason()).isEqualTo("probe health failed 3 times within the last 60 rounds run"
                    + " (watch-failure-window 1h; rounds were skipped, so they span 302m), the first at 12:10:50Z"
                    + " (max-failures 2 per watch-failure-window 1h; 3 in the whole watch): bad at 17:12:50Z");
        }
    }

    @Test
    void theMetersTellTheWatchFromTheBake() throws Exception {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        ErrorRate errors = new ErrorRate(BAKE_ROUNDS + 30);
        try (DeployVerifier verifier = builder(DAY).meterRegistry(registry).probe("errors", errors).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            watch.await();
        }
        assertThat(registry.get("vigil.verifications").tags("phase", "bake", "verdict", "HEALTHY").timer().count()).isEqualTo(1);
        assertThat(registry.get("vigil.verifications").tags("phase", "watch", "verdict", "UNHEALTHY").timer().count()).isEqualTo(1);
        // Detected in the watch's 31st round, counted from the start of the watch.
        assertThat(registry.get("vigil.time.to.detect").tags("phase", "watch").timer().totalTime(TimeUnit.MINUTES)).isEqualTo(31);
        assertThat(registry.find("vigil.time.to.detect").tags("phase", "bake").timer()).isNull();
    }

    @Test
    void anUnhealthyBakeIsNotWatched() throws Exception {
        ScriptedProbe health = ScriptedProbe.of(Outcome.FAIL);
        try (DeployVerifier verifier = builder(DAY).probe("health", health).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.bake().verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(watch.started()).isFalse();
            assertThat(watch.notStartedReason()).hasValueSatisfying(r -> assertThat(r).contains("UNHEALTHY"));
            assertThat(watch.await()).isSameAs(watch.bake());
            assertThat(rollbacks).hasValue(1);
            assertThat(health.calls()).isEqualTo(1);
        }
    }

    @Test
    void withoutAWatchPlanVerifyThenWatchIsTheBakeAlone() throws Exception {
        try (DeployVerifier verifier = builder(WatchPlan.off()).probe("health", ScriptedProbe.passing()).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.started()).isFalse();
            assertThat(watch.notStartedReason()).hasValueSatisfying(r -> assertThat(r).contains("vigil.plan.watch"));
            assertThat(watch.await().phase()).isEqualTo(VerificationReport.Phase.BAKE);
        }
    }

    @Test
    void aProbeLeftOutOfTheWatchIsMeasuredInTheBakeOnly() throws Exception {
        ScriptedProbe health = ScriptedProbe.passing();
        ScriptedProbe smoke = ScriptedProbe.passing();
        WatchPlan hour = WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1)).withUnwatched(Set.of("smoke"));
        try (DeployVerifier verifier = builder(hour).probe("health", health).probe("smoke", smoke).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(report.probes()).extracting(ProbeReport::name).containsExactly("health");
            assertThat(health.calls()).isEqualTo(BAKE_ROUNDS + 60);
            assertThat(smoke.calls()).isEqualTo(BAKE_ROUNDS);
        }
    }

    @Test
    void aWatchWhoseOnlyProbeCarriesItsFirstRoundsPassOverIsNotHealthy() throws Exception {
        // A suite that runs once per verification: round 1 runs the tests, later rounds carry its PASS
        // over. The service could fail an hour in and every round would still read PASS.
        WatchPlan hour = WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1));
        try (DeployVerifier verifier = builder(hour).probe("smoke", new OncePerVerificationSuite()).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            assertThat(watch.bake().verdict()).isEqualTo(Verdict.HEALTHY);

            VerificationReport report = watch.await();

            assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(report.rounds()).isEqualTo(60);
            assertThat(report.reason()).contains("the watch measured the service in its first round only: probe smoke"
                    + " carried that round's PASS over to its other 59 rounds").contains("every=<n>");
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
            assertThat(rollbacks).hasValue(0);
        }
    }

    @Test
    void aWatchWithAProbeMeasuringEveryRoundBesideACarriedOverSuiteIsHealthy() throws Exception {
        WatchPlan hour = WatchPlan.of(Duration.ofHours(1), Duration.ofMinutes(1));
        try (DeployVerifier verifier = builder(hour).probe("smoke", new OncePerVerificationSuite())
                .probe("health", ScriptedProbe.passing()).build();
                Watch watch = verifier.verifyThenWatch(DEPLOYMENT)) {
            VerificationReport report = watch.await();

            assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(report.rounds()).isEqualTo(60);
        }
    }

    @Test
    void closingAWatchStopsItAbortedWithNothingRolledBack() throws Exception {
        CountDownLatch measuring = new CountDownLatch(1);
        Probe hangsInTheWatch = new Probe() {
            private final AtomicInteger calls = new AtomicInteger();

            @Override
            public ProbeResult measure(ProbeContext context) throws Exception {
                // The bake's one round, then the watch's first two; the third hangs.
                if (calls.incrementAndGet() > 3) {
                    measuring.countDown();
                    new CountDownLatch(1).await();
                }
                return ProbeResult.pass(Map.of("value", 1), "value(1) ok");
            }
        };
        // A real clock's waits: the watch's third round must be measuring when close() comes.
        WatchPlan fast = WatchPlan.of(Duration.ofHours(1), ROUND);
        DeployVerifier verifier = DeployVerifier.builder().plan(BAKE.withInterval(ROUND)
                        .withDuration(ROUND))
                .watch(fast).rollbackCoordinator(RollbackCoordinator.create())
                .rollback(event -> {
                    rollbacks.incrementAndGet();
                    return "rolled back";
                })
                .probe("health", hangsInTheWatch, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(ROUND))
                .build();
        Watch watch = verifier.verifyThenWatch(DEPLOYMENT);
        assertThat(watch.bake().verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(measuring.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(watch.running()).isTrue();

        watch.close();

        VerificationReport report = watch.await(Duration.ZERO).orElseThrow();
        assertThat(watch.running()).isFalse();
        assertThat(report.verdict()).isEqualTo(Verdict.ABORTED);
        assertThat(report.reason()).startsWith("watch stopped at round ").contains("no limit broken");
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(rollbacks).hasValue(0);
        watch.close();
        verifier.close();
    }

    @Test
    void closingAWatchWhileItRollsBackLetsTheRollbackFinish() throws Exception {
        CountDownLatch rollingBack = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ScriptedProbe failsInTheWatch = ScriptedProbe.of(Outcome.PASS, Outcome.PASS, Outcome.FAIL);
        DeployVerifier verifier = DeployVerifier.builder().plan(BAKE.withInterval(ROUND)
                        .withDuration(ROUND))
                .watch(WatchPlan.of(Duration.ofHours(1), ROUND))
                .rollbackCoordinator(RollbackCoordinator.create())
                .recheck(RecheckPlan.off())
                .rollback(event -> {
                    rollingBack.countDown();
                    // Interrupting this wait would fail the rollback: close() must not.
                    release.await();
                    return "rolled back";
                })
                .probe("health", failsInTheWatch, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(ROUND))
                .build();
        Watch watch = verifier.verifyThenWatch(DEPLOYMENT);
        assertThat(rollingBack.await(10, TimeUnit.SECONDS)).as(() -> watch.bake().reason()).isTrue();

        Thread closer = new Thread(watch::close, "closer");
        closer.start();
        closer.join(200);
        assertThat(closer.isAlive()).as("close() waits for the rollback under way").isTrue();
        release.countDown();
        closer.join(10_000);

        VerificationReport report = watch.await(Duration.ZERO).orElseThrow();
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        verifier.close();
    }

    @Test
    void closingTheVerifierStopsItsWatches() throws Exception {
        CountDownLatch measuring = new CountDownLatch(1);
        Probe hangsInTheWatch = context -> {
            if (context.round() >= 1 && measuring.getCount() == 0) {
                new CountDownLatch(1).await();
            }
            return ProbeResult.pass(Map.of(), "ok");
        };
        DeployVerifier verifier = DeployVerifier.builder().plan(BAKE.withInterval(ROUND)
                        .withDuration(ROUND))
                .watch(WatchPlan.of(Duration.ofHours(1), ROUND))
                .probe("health", hangsInTheWatch, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(ROUND))
                .build();
        Watch watch = verifier.verifyThenWatch(DEPLOYMENT);
        measuring.countDown();
        assertThat(watch.running()).isTrue();

        verifier.close();

        assertThat(watch.running()).isFalse();
        assertThat(watch.await().verdict()).isEqualTo(Verdict.ABORTED);
    }

    @Test
    void theBuilderRefusesAWatchThatLeavesOutAnUnknownProbeOrEveryProbe() {
        DeployVerifier.Builder unknown = DeployVerifier.builder().probe("health", ScriptedProbe.passing())
                .watch(DAY.withUnwatched(Set.of("helth")));
        assertThatThrownBy(unknown::build).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[helth]").hasMessageContaining("[health]");
        DeployVerifier.Builder none = DeployVerifier.builder().probe("health", ScriptedProbe.passing())
                .watch(DAY.withUnwatched(Set.of("health")));
        assertThatThrownBy(none::build).isInstanceOf(IllegalStateException.class).hasMessageContaining("every probe");
    }

    @Test
    void aWatchPlanIsValidated() {
        assertThatThrownBy(() -> WatchPlan.of(Duration.ofHours(-1), Duration.ofMinutes(1)))
                .hasMessageContaining("watch must not be negative");
        assertThatThrownBy(() -> WatchPlan.of(Duration.ofHours(1), Duration.ZERO))
                .hasMessageContaining("watch-interval must be positive");
        assertThat(WatchPlan.off().enabled()).isFalse();
        VerificationPlan rounds = DAY.rounds(BAKE.withOnInconclusive(VerificationPlan.OnInconclusive.ROLLBACK));
        assertThat(rounds.rounds()).isEqualTo(1440);
        assertThat(rounds.initialDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(rounds.onInconclusive()).isEqualTo(VerificationPlan.OnInconclusive.ROLLBACK);
    }

    private DeployVerifier.Builder builder(WatchPlan watch) {
        return DeployVerifier.builder().plan(BAKE).watch(watch).timeSource(time)
                .rollbackCoordinator(RollbackCoordinator.create())
                .recheck(RecheckPlan.off())
                .listener(new Recorder())
                .rollback(event -> {
                    rollbacks.incrementAndGet();
                    return "rolled back";
                });
    }

    /** An error rate of 0.1% for its first calls, then 5%; its condition is {@code value > 0.01}. */
    private static final class ErrorRate implements Probe {
        private final int healthyCalls;
        private final AtomicInteger calls = new AtomicInteger();

        ErrorRate(int healthyCalls) {
            this.healthyCalls = healthyCalls;
        }

        @Override
        public ProbeResult measure(ProbeContext context) {
            if (calls.incrementAndGet() <= healthyCalls) {
                return ProbeResult.pass(Map.of("value", 0.001), "value(0.001) > 0.01 is false");
            }
            return ProbeResult.fail(Map.of("value", 0.05), "value(0.05) > 0.01");
        }

        @Override
        public String failWhen() {
            return "value > 0.01";
        }
    }

    /**
     * A suite that runs its tests in the first round of each verification (they come back as items)
     * and carries that PASS over to the later rounds, as a {@code junit} probe without {@code every}.
     */
    private static final class OncePerVerificationSuite implements Probe {
        @Override
        public ProbeResult measure(ProbeContext context) {
            Boolean ran = context.state("ran", () -> new java.util.concurrent.atomic.AtomicBoolean()).getAndSet(true);
            if (!ran) {
                ItemResult test = new ItemResult("[test:pays]", "com.acme.SmokeTest", "pays()", ItemResult.Status.PASSED,
                        Duration.ofMillis(5), null);
                return ProbeResult.pass(Map.of("tests.failed", 0), "1 of 1 tests passed").withItems(List.of(test));
            }
            return ProbeResult.pass(Map.of("tests.failed", 0), "carried over from round 1: 1 of 1 tests passed");
        }
    }

    /** Writes down the events that say what phase a verification is in. */
    private final class Recorder implements VerificationListener {
        @Override
        public void started(Deployment deployment, VerificationPlan plan) {
            events.add("started");
        }

        @Override
        public void watchStarted(Deployment deployment, WatchPlan watch) {
            events.add("watchStarted " + watch.duration().toHours() + "h");
        }

        @Override
        public void verdict(Deployment deployment, Verdict verdict, String reason) {
            events.add("verdict " + verdict);
        }

        @Override
        public void finished(VerificationReport report) {
            events.add("finished " + report.phase() + " " + report.verdict());
        }
    }
}
