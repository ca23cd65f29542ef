package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.testkit.MapProbeSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The histogram judge's rules (issue 23): the bands a round may have, what it says, and its settings. */
class HistogramJudgeTest {

    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double[] BOUNDS = {0.1, 0.25, 0.5, INF};

    @Test
    void aHistogramNeedsAnInfBucketIncreasingBoundsAndOneNonNegativeCountPerBand() {
        assertThatThrownBy(() -> CanaryRound.histogram(new double[] {0.1, 0.25}, new long[2], new long[2]))
                .hasMessageContaining("last bound must be +Inf");
        assertThatThrownBy(() -> CanaryRound.histogram(new double[] {INF}, new long[1], new long[1]))
                .hasMessageContaining("at least two bands");
        assertThatThrownBy(() -> CanaryRound.histogram(new double[] {0.25, 0.1, INF}, new long[3], new long[3]))
                .hasMessageContaining("strictly increasing");
        assertThatThrownBy(() -> CanaryRound.histogram(BOUNDS, new long[3], new long[4]))
                .hasMessageContaining("canary has 3 band counts for 4 bands");
        assertThatThrownBy(() -> CanaryRound.histogram(BOUNDS, new long[4], new long[] {1, -1, 0, 0}))
                .hasMessageContaining("baseline band counts must not be negative");
    }

    @Test
    void aRoundWithNoRequestsAddsNothing() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();

        CanaryResult r = judge.observe(CanaryRound.histogram(BOUNDS, new long[4], new long[] {10, 10, 10, 10}));

        assertThat(r.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(r.values()).containsEntry("canary-n", 0).containsEntry("e-value", 1.0);
    }

    /**
     * Buckets that change during the bake (docs/canary-analysis.md, "Latency from histogram
     * buckets"): a round with more bounds than the first is counted onto the first round's bands,
     * exactly, and judged as that round would be; a round that lacks a bound of the first says
     * nothing (INSUFFICIENT_DATA, an INCONCLUSIVE round, naming the bounds gone and new) and adds
     * nothing; the rounds after it are judged again. Before, every such round was refused, an ERROR
     * that under the default max-consecutive-errors rolled back a healthy canary after five of them.
     * For both tests: the shift test and the share test.
     */
    @Test
    void bucketsThatChangeDuringTheBakeAreCountedOntoTheFirstRoundsBandsOrSayNothing() {
        for (CanaryAnalysis analysis : java.util.List.of(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2),
                CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).withSlowerThan(SlowerThan.latency(Duration.ofMillis(250))))) {
            CanaryJudge judge = analysis.newJudge();
            CanaryJudge twin = analysis.newJudge();
            CanaryRound first = CanaryRound.histogram(BOUNDS, new long[] {40, 30, 20, 10}, new long[] {42, 29, 19, 10});
            judge.observe(first);
            twin.observe(first);

            CanaryResult finer = judge.observe(CanaryRound.histogram(new double[] {0.1, 0.25, 0.3, 0.5, INF},
                    new long[] {38, 31, 12, 9, 10}, new long[] {41, 30, 11, 8, 10}));
            CanaryResult same = twin.observe(CanaryRound.histogram(BOUNDS, new long[] {38, 31, 21, 10}, new long[] {41, 30, 19, 10}));
            assertThat(finer.decision()).isEqualTo(same.decision());
            assertThat(finer.values().get("e-value")).isEqualTo(same.values().get("e-value"));
            assertThat(finer.explanation()).isEqualTo(same.explanation() + "; this round's buckets have bounds the first round"
                    + " had not, [300ms]: counted onto the first round's bands");

            CanaryResult coarser = judge.observe(CanaryRound.histogram(new double[] {0.1, 1, INF},
                    new long[] {40, 50, 10}, new long[] {40, 50, 10}));
            assertThat(coarser.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
            assertThat(coarser.values().get("e-value")).isEqualTo(same.values().get("e-value"));
            assertThat(coarser.explanation()).startsWith("sequential: the histogram's buckets changed since the first round:"
                    + " [250ms, 500ms] no longer there, [1s] new (the first round's [100ms, 250ms, 500ms, +Inf], this round's"
                    + " [100ms, 1s, +Inf]), so its requests cannot be counted on the bands of the earlier rounds; nothing"
                    + " judged this round: no evidence of health");

            CanaryRound back = CanaryRound.histogram(BOUNDS, new long[] {39, 30, 20, 11}, new long[] {40, 31, 19, 10});
            CanaryResult again = judge.observe(back);
            CanaryResult twinAgain = twin.observe(back);
            assertThat(again.decision()).isNotEqualTo(CanaryDecision.INSUFFICIENT_DATA).isEqualTo(twinAgain.decision());
            assertThat(again.explanation()).isEqualTo(twinAgain.explanation());
        }
    }

    @Test
    void theShareTestExplainsTheBandOfTheQuantileWithBothShares() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20)
                .withSlowerThan(SlowerThan.quantile(0.9)).newJudge();
        // Both versions together: 2,000 requests, their p90 in the band 250–500ms.
        CanaryResult r = null;
        for (int round = 0; round < 6 && (r == null || r.decision() != CanaryDecision.REGRESSION); round++) {
            r = judge.observe(CanaryRound.histogram(BOUNDS, new long[] {500, 300, 120, 80}, new long[] {600, 330, 60, 10}));
        }

        assertThat(r.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(r.explanation()).startsWith("sequential: canary slower than baseline, p90 band 250–500ms: "
                + "canary 20% vs baseline 7% (e-value ").containsPattern("\\(e-value [\\d.]+ >= 20\\) after \\d rounds?");
        assertThat(r.values()).containsEntry("band", "p90 band 250–500ms").containsEntry("slower-than", "250ms");
    }

    @Test
    void theShareTestWaitsForEnoughRequestsToChooseTheBandAndSaysSo() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20)
                .withSlowerThan(SlowerThan.quantile(0.99)).newJudge();

        CanaryResult r = judge.observe(CanaryRound.histogram(BOUNDS, new long[] {50, 30, 10, 10}, new long[] {50, 30, 10, 10}));

        assertThat(r.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(r.explanation()).contains("choosing the band of p99 from the first rounds (200 of 2000 requests)");
    }

    @Test
    void aSlowerThanAboveEveryFiniteBoundIsNeverAPassAndSaysWhy() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                .withSlowerThan(SlowerThan.latency(Duration.ofSeconds(2))).newJudge();

        CanaryResult r = null;
        for (int round = 0; round < 5; round++) {
            r = judge.observe(CanaryRound.histogram(BOUNDS, new long[] {5, 5, 5, 5}, new long[] {5, 5, 5, 5}));
        }

        assertThat(r.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(r.explanation()).contains("slower-than 2s is above the largest finite bucket bound 500ms");
    }

    /** A millisecond layout (OpenTelemetry's, prom-client's): 5 ms to 1 s. */
    private static final double[] MS = {5, 10, 25, 50, 100, 250, 500, 1000, INF};
    /** Canary: 80% of its requests above 250 ms; baseline: 2%. */
    private static final long[] SLOW_CANARY = {0, 0, 20, 40, 60, 80, 500, 300, 0};
    private static final long[] FAST_BASELINE = {0, 0, 200, 300, 300, 180, 20, 0, 0};

    @Test
    void aSlowerThanFarBelowItsBoundAsOnAMillisecondHistogramReadAsSecondsIsRefusedNotPassed() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                .withSlowerThan(SlowerThan.latency(Duration.ofMillis(250))).newJudge();

        // Read as seconds, le="5" is 5 s, twenty times 250 ms: every request of both versions is "slower".
        for (int round = 0; round < 5; round++) {
            assertThatThrownBy(() -> judge.observe(CanaryRound.histogram(MS, SLOW_CANARY, FAST_BASELINE)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("slower-than 250ms cannot split the requests: the first bucket bound at or above"
                            + " it is 5s (the smallest), 20 times as much (at most 10)")
                    .hasMessageContaining("a histogram in milliseconds read as seconds: [5s, 10s, 25s");
        }
    }

    @Test
    void theSameMillisecondHistogramInSecondsFindsTheSlowerCanary() {
        double[] seconds = java.util.Arrays.stream(MS).map(b -> b / 1000).toArray();
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                .withSlowerThan(SlowerThan.latency(Duration.ofMillis(250))).newJudge();

        CanaryResult r = null;
        for (int round = 0; round < 2; round++) {
            r = judge.observe(CanaryRound.histogram(seconds, SLOW_CANARY, FAST_BASELINE));
        }

        assertThat(r.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(r.explanation()).contains("slower than 250ms: canary 80% vs baseline 2%");
    }

    @Test
    void coarseButUsualBucketsStillSplitAtEveryLatencyFromTheirSmallestBoundUp() {
        // Prometheus' client defaults: neighbours at most 2.5 times apart.
        double[] defaults = {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, INF};
        long[] counts = {10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10};
        for (Duration latency : new Duration[] {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(11),
                Duration.ofMillis(260), Duration.ofMillis(1001), Duration.ofSeconds(6)}) {
            CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                    .withSlowerThan(SlowerThan.latency(latency)).newJudge();

            CanaryResult r = judge.observe(CanaryRound.histogram(defaults, counts, counts));

            assertThat(r.values()).as("slower-than %s", latency).containsKey("slower-than");
        }
    }

    @Test
    void theShiftTestNamesTheBandWithTheLargestShift() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).newJudge();

        CanaryResult r = judge.observe(CanaryRound.histogram(BOUNDS, new long[] {400, 300, 200, 100},
                new long[] {700, 250, 40, 10}));

        assertThat(r.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(r.explanation()).startsWith("sequential: canary slower than baseline, largest shift above 100ms "
                + "(band 100–250ms): canary 60% vs baseline 30% (e-value ").contains(">= 20) after 1 round",
                "round-to-round wobble 0.2 (assumed");
        assertThat((Double) r.values().get("effect")).isGreaterThan(1);
    }

    @Test
    void aCanarySlowerInNoBandIsNotSaidToShiftAboveABoundWhereBothAreEqual() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).newJudge();

        // Faster in every band, and no request of either version above 0.5 s.
        CanaryResult r = judge.observe(CanaryRound.histogram(BOUNDS, new long[] {700, 250, 50, 0},
                new long[] {600, 300, 100, 0}));

        assertThat(r.explanation()).startsWith("sequential: no regression yet, waiting for 20 rounds, the canary is slower in"
                + " no band; largest difference above 100ms (band 100–250ms): canary 30% vs baseline 40% (")
                .doesNotContain("0% vs baseline 0%");
        assertThat(r.values()).containsEntry("band", "100–250ms");
    }

    @Test
    void aFasterCanaryIsNoRegressionForIncreaseButIsForDecrease() {
        long[] faster = {700, 250, 40, 10};
        long[] slower = {400, 300, 200, 100};
        CanaryJudge increase = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        CanaryJudge decrease = CanaryJudges.sequential(Direction.DECREASE, 0, 0.95, 2).newJudge();
        CanaryResult up = null;
        CanaryResult down = null;
        for (int round = 0; round < 3; round++) {
            up = increase.observe(CanaryRound.histogram(BOUNDS, faster, slower));
            down = decrease.observe(CanaryRound.histogram(BOUNDS, faster, slower));
        }

        assertThat(up.decision()).isEqualTo(CanaryDecision.NO_REGRESSION);
        assertThat(down.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(down.explanation()).startsWith("sequential: canary faster than baseline");
    }

    @Test
    void mannWhitneyRefusesHistogramsAndAJudgeRefusesAMixOfKinds() {
        CanaryRound.Histogram h = CanaryRound.histogram(BOUNDS, new long[] {5, 5, 5, 5}, new long[] {5, 5, 5, 5});
        assertThatThrownBy(() -> CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 5).newJudge().observe(h))
                .hasMessageContaining("does not take histograms");
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5).newJudge();
        judge.observe(h);
        assertThatThrownBy(() -> judge.observe(CanaryRound.counts(1, 10, 1, 10))).hasMessageContaining("one kind");
    }

    @Test
    void slowerThanIsReadAsALatencyOrAQuantileAndABadOneIsReportedOnItsKey() {
        assertThat(CanaryJudges.fromSettings(MapProbeSettings.of("p", Map.of("judge", "sequential", "slower-than", "250ms")))
                .orElseThrow().slowerThan()).isEqualTo(SlowerThan.latency(Duration.ofMillis(250)));
        assertThat(CanaryJudges.fromSettings(MapProbeSettings.of("p", Map.of("judge", "sequential", "slower-than", "p99.9")))
                .orElseThrow().slowerThan().quantile()).isCloseTo(0.999, org.assertj.core.api.Assertions.within(1e-12));
        MapProbeSettings bad = MapProbeSettings.of("p", Map.of("judge", "sequential", "slower-than", "p100"));
        assertThat(CanaryJudges.fromSettings(bad)).isEmpty();
        assertThat(bad.problems()).anySatisfy(p -> assertThat(p).contains("slower-than").contains("between 0 and 1"));
        assertThat(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).withSlowerThan(SlowerThan.quantile(0.99))
                .describe()).endsWith(", slower-than p99)");
    }

    @Test
    void aSlowerThanLatencyBeyondWhatNanosecondsHoldIsReadNotAnOverflow() {
        // 300 years: more nanoseconds than a long holds; a latency all the same (above every bucket).
        assertThat(SlowerThan.latency(Duration.ofDays(110_000)).seconds()).isEqualTo(110_000 * 86_400.0);
        MapProbeSettings far = MapProbeSettings.of("p", Map.of("judge", "sequential", "slower-than", "2640000h"));
        assertThat(CanaryJudges.fromSettings(far).orElseThrow().slowerThan().seconds()).isEqualTo(110_000 * 86_400.0);
        assertThat(far.problems()).isEmpty();
    }
}
