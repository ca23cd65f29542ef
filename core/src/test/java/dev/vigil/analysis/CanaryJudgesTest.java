package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.spi.ConfigKey;
import dev.vigil.testkit.MapProbeSettings;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CanaryJudgesTest {

    private static CanaryRound.Counts errors(long canary, long baseline) {
        return CanaryRound.counts(canary, 1000, baseline, 1000);
    }

    @Test
    void sequentialJudgeFlagsAClearErrorRegressionWithinAFewRoundsAndKeepsTheDecision() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).newJudge();
        int detectedAt = -1;
        for (int round = 1; round <= 20 && detectedAt < 0; round++) {
            if (judge.observe(errors(30, 5)).decision() == CanaryDecision.REGRESSION) {
                detectedAt = round;
            }
        }
        // 30 against 5 errors is overwhelming, but until the rounds' spread shows the errors are not
        // bursts the judge discounts them as if they were (dispersion 14): the fourth round decides.
        assertThat(detectedAt).isBetween(1, 4);
        CanaryResult later = judge.observe(errors(0, 0));
        assertThat(later.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(later.explanation()).contains("sequential: canary higher than baseline", "e-value", "rate ratio");
        assertThat((double) later.values().get("p-value")).isLessThanOrEqualTo(0.05);
    }

    @Test
    void sequentialJudgeIsInsufficientBeforeMinSamplesAndPassesAfterWhenVersionsMatch() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5).newJudge();
        for (int round = 1; round < 5; round++) {
            CanaryResult r = judge.observe(errors(5, 5));
            assertThat(r.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
            assertThat(r.values()).containsEntry("canary-n", round).containsEntry("baseline-n", round);
            assertThat(r.explanation()).contains("waiting for 5 rounds");
        }
        CanaryResult fifth = judge.observe(errors(5, 5));
        assertThat(fifth.decision()).isEqualTo(CanaryDecision.NO_REGRESSION);
        assertThat(fifth.explanation()).contains("no regression", "25/5000 vs 25/5000");
    }

    @Test
    void sequentialJudgeIgnoresAnImprovementWhenOnlyIncreasesAreRegressions() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        CanaryResult last = null;
        for (int round = 0; round < 30; round++) {
            last = judge.observe(errors(1, 30));
        }
        assertThat(last.decision()).isEqualTo(CanaryDecision.NO_REGRESSION);
    }

    @Test
    void sequentialJudgeWithEitherDirectionFlagsADecrease() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.EITHER, 0, 0.95, 2).newJudge();
        CanaryResult last = null;
        for (int round = 0; round < 10; round++) {
            last = judge.observe(errors(1, 30));
        }
        assertThat(last.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(last.explanation()).contains("different");
    }

    @Test
    void sequentialJudgeLearnsTheNoiseFromTheInstancesAndDecidesBeforeOneMeanPerRoundCould() {
        double[][] canary = {{151, 148, 153}, {149, 155, 150}, {152, 147, 151}};
        double[][] baseline = {{121, 119, 124}, {118, 122, 120}, {123, 120, 117}};
        CanaryJudge instances = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).withIndependentInstances(true)
                .newJudge();
        CanaryJudge averaged = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).newJudge();
        CanaryJudge means = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).newJudge();

        CanaryResult first = instances.observe(CanaryRound.samples(canary[0], baseline[0]));
        CanaryResult firstAveraged = averaged.observe(CanaryRound.samples(canary[0], baseline[0]));
        CanaryResult secondAveraged = averaged.observe(CanaryRound.samples(canary[1], baseline[1]));
        CanaryResult firstMean = means.observe(CanaryRound.samples(new double[] {mean(canary[0])}, new double[] {mean(baseline[0])}));
        CanaryResult secondMean = means.observe(CanaryRound.samples(new double[] {mean(canary[1])}, new double[] {mean(baseline[1])}));

        assertThat(first.decision()).as(first.explanation()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(first.explanation()).contains("after 1 paired round (3 canary and 3 baseline values)");
        assertThat(first.values()).containsEntry("canary-values", 3).containsEntry("baseline-values", 3);
        // One mean per round carries no measure of the noise: no verdict is possible in two rounds.
        assertThat(firstMean.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(secondMean.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat((double) secondMean.values().get("e-value")).isBetween(1.0, 10.4);
        // Unless the instances are declared independent, each version's values are averaged first.
        assertThat(firstAveraged.values()).isEqualTo(firstMean.values());
        assertThat(secondAveraged.values()).isEqualTo(secondMean.values());
    }

    @Test
    void sequentialJudgeWithNoisyInstancesWaitsForMoreEvidence() {
        // Same means as above, but the instances disagree as much as the versions do.
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).withIndependentInstances(true)
                .newJudge();

        CanaryResult first = judge.observe(CanaryRound.samples(new double[] {121, 181, 152}, new double[] {91, 150, 123}));

        assertThat(first.decision()).as(first.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
    }

    @Test
    void eitherReportsTheStatisticOfTheSideThatHasTheEvidence() {
        CanaryJudge either = CanaryJudges.sequential(Direction.EITHER, 0.1, 0.95, 20).newJudge();
        CanaryJudge decrease = CanaryJudges.sequential(Direction.DECREASE, 0.1, 0.95, 20).newJudge();
        CanaryJudge increase = CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 20).newJudge();
        CanaryResult e = null;
        CanaryResult d = null;
        CanaryResult i = null;
        for (double[] round : new double[][] {{80, 120}, {82, 121}, {79, 118}, {81, 122}}) {
            CanaryRound samples = CanaryRound.samples(new double[] {round[0]}, new double[] {round[1]});
            e = either.observe(samples);
            d = decrease.observe(samples);
            i = increase.observe(samples);
        }

        // The canary is a third lower: the evidence is on the decrease side, tested against 0.9 x baseline.
        assertThat(e.values().get("statistic")).isEqualTo(d.values().get("statistic"))
                .isNotEqualTo(i.values().get("statistic"));
        assertThat((double) e.values().get("statistic")).isNegative();
    }

    private static double mean(double[] values) {
        return java.util.Arrays.stream(values).average().orElseThrow();
    }

    @Test
    void sequentialJudgeOnSamplesFlagsALatencyIncreaseBeyondTheToleranceOnly() {
        CanaryJudge tolerant = CanaryJudges.sequential(Direction.INCREASE, 0.3, 0.95, 5).newJudge();
        CanaryJudge strict = CanaryJudges.sequential(Direction.INCREASE, 0.0, 0.95, 5).newJudge();
        CanaryResult tolerantResult = null;
        CanaryResult strictResult = null;
        for (int round = 0; round < 20; round++) {
            double noise = (round % 3 - 1) * 2.0;
            CanaryRound samples = CanaryRound.samples(new double[] {120 + noise, 121 + noise},
                    new double[] {100 - noise, 101});
            tolerantResult = tolerant.observe(samples);
            strictResult = strict.observe(samples);
        }
        assertThat(strictResult.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(strictResult.explanation()).contains("mean", "t=");
        assertThat(tolerantResult.decision()).isEqualTo(CanaryDecision.NO_REGRESSION);
        assertThat((double) tolerantResult.values().get("relative-effect")).isBetween(0.18, 0.22);
    }

    @Test
    void theToleranceWidensTheTestForAMetricWithNegativeMeansToo() {
        // A metric below zero (a margin, a log ratio): -100 with a tolerance of 0.3 allows up to -70
        // for increase and down to -130 for decrease. Multiplying the mean by 1 + tolerance allowed
        // only -130 for increase: a canary 20% better than the tolerance was rolled back.
        for (Direction direction : new Direction[] {Direction.INCREASE, Direction.DECREASE}) {
            double shift = direction == Direction.INCREASE ? 20 : -20;
            CanaryJudge tolerant = CanaryJudges.sequential(direction, 0.3, 0.95, 5).newJudge();
            CanaryJudge strict = CanaryJudges.sequential(direction, 0.0, 0.95, 5).newJudge();
            CanaryResult tolerantResult = null;
            CanaryResult strictResult = null;
            for (int round = 0; round < 20; round++) {
                double noise = (round % 3 - 1) * 2.0;
                CanaryRound samples = CanaryRound.samples(new double[] {-100 + shift + noise, -99 + shift + noise},
                        new double[] {-100 - noise, -99});
                tolerantResult = tolerant.observe(samples);
                strictResult = strict.observe(samples);
            }
            assertThat(strictResult.decision()).as("%s: %s", direction, strictResult.explanation())
                    .isEqualTo(CanaryDecision.REGRESSION);
            assertThat(tolerantResult.decision()).as("%s: %s", direction, tolerantResult.explanation())
                    .isEqualTo(CanaryDecision.NO_REGRESSION);
        }
    }

    @Test
    void aValueAstronomicallyBeyondTheFirstRoundsIsRefusedNeverAPassWithoutEvidence() {
        // A canary instance at 1e308 against a first round of 0.1: the squares overflowed the test's
        // sums, the evidence came out as none, and after min-samples such rounds were a pass
        // ("no regression (e-value 0.1595 < 20), mean 3.333e+307 vs 0.1067").
        for (boolean independent : new boolean[] {false, true}) {
            CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                    .withIndependentInstances(independent).newJudge();
            judge.observe(CanaryRound.samples(new double[] {0.1, 0.11}, new double[] {0.1, 0.12}));

            for (double garbage : new double[] {1e200, 1e308}) {
                assertThatThrownBy(() -> judge.observe(CanaryRound.samples(new double[] {garbage, 0.1},
                        new double[] {0.1, 0.11})))
                        .as("independent instances %s, %s", independent, garbage)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageEndingWith("too large for the mean test to weigh; the round is not judged");
            }
            CanaryResult next = judge.observe(CanaryRound.samples(new double[] {0.1, 0.11}, new double[] {0.1, 0.12}));
            assertThat(next.values()).as("the judge is as it was").containsEntry("canary-n", 2);
        }
    }

    @Test
    void valuesAstronomicallyBelowTheFirstRoundsAreRefusedNeverAPassWithoutEvidence() {
        // A first round at 1e200 (a garbage scrape), then a canary at twice the baseline: divided by
        // the first round's magnitude, the squares underflowed to 0, the differences weighed as none
        // and after min-samples the bake passed ("no regression (e-value 0.002354 < 20), ... no spread
        // in the values after 31 paired rounds").
        for (boolean independent : new boolean[] {false, true}) {
            CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5)
                    .withIndependentInstances(independent).newJudge();
            judge.observe(CanaryRound.samples(new double[] {1e200, 1e200}, new double[] {1e200, 1e200}));

            for (int round = 0; round < 30; round++) {
                CanaryRound twice = CanaryRound.samples(new double[] {2 + 0.1 * (round % 3), 2.1},
                        new double[] {1 + 0.1 * (round % 2), 1.05});
                assertThatThrownBy(() -> judge.observe(twice))
                        .as("independent instances %s, round %d", independent, round)
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageEndingWith("too small for the mean test to weigh; the round is not judged");
            }
            // A round of zeros is a measurement (no errors, no load), not too small.
            CanaryResult zeros = judge.observe(CanaryRound.samples(new double[] {0, 0}, new double[] {0, 0}));
            assertThat(zeros.values()).as("the judge is as it was, plus the round of zeros").containsEntry("canary-n", 2);
        }
    }

    @Test
    void alphaIsOneMinusTheConfidenceAsWrittenNotItsBinaryApproximation() {
        CanaryAnalysis mannWhitney = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 3);
        CanaryAnalysis sequential = CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 3);

        assertThat(mannWhitney.alpha()).isEqualTo(0.05);
        assertThat(sequential.alpha()).isEqualTo(0.01);
        // What report.json and the timeline show as the line the judge decides at.
        assertThat(mannWhitney.plot().threshold().value()).isEqualTo(0.05);
        assertThat(sequential.plot().threshold().value()).isEqualTo(100.0);
    }

    @Test
    void aMannWhitneyTestThatCouldOnlyPassWaitsUntilItCanFindARegression() {
        // Three canary values above three baseline values: the exact one-sided p-value is 1/20, the
        // smallest three against three can give, and it is not below 1 - 0.95. Testing then could
        // only pass, and the pass would end the bake HEALTHY whatever the canary did.
        CanaryJudge judge = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 3).newJudge();
        CanaryResult result = null;
        for (int round = 0; round < 3; round++) {
            result = judge.observe(CanaryRound.samples(new double[] {10 + round}, new double[] {1 + round}));
        }

        assertThat(result.decision()).as(result.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(result.explanation()).isEqualTo("mann-whitney: waiting for more samples: with 3 vs 3 samples the"
                + " smallest p-value the test can give is 0.05, not below 1 - confidence = 0.05");
        CanaryResult fourth = judge.observe(CanaryRound.samples(new double[] {13}, new double[] {4}));
        assertThat(fourth.decision()).as(fourth.explanation()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(fourth.explanation()).contains("4 vs 4 samples");
    }

    @Test
    void theSmallestMannWhitneyPValueIsOneOverTheWaysToSplitTheSamples() {
        assertThat(MannWhitneyJudge.smallestPValue(3, 3, Direction.INCREASE)).isCloseTo(1 / 20.0, within(1e-15));
        assertThat(MannWhitneyJudge.smallestPValue(4, 4, Direction.DECREASE)).isCloseTo(1 / 70.0, within(1e-15));
        assertThat(MannWhitneyJudge.smallestPValue(4, 4, Direction.EITHER)).isCloseTo(2 / 70.0, within(1e-15));
        assertThat(MannWhitneyJudge.smallestPValue(1, 30, Direction.INCREASE)).isCloseTo(1 / 31.0, within(1e-15));
        assertThat(MannWhitneyJudge.smallestPValue(1, 1, Direction.EITHER)).isEqualTo(1.0);
        assertThat(MannWhitneyJudge.smallestPValue(5000, 5000, Direction.INCREASE)).isLessThan(1e-290);
    }

    @Test
    void atConfidence099MannWhitneyNeedsFiveValuesPerVersion() {
        CanaryJudge judge = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.99, 1).newJudge();
        for (int round = 1; round <= 4; round++) {
            CanaryResult r = judge.observe(CanaryRound.samples(new double[] {100 + round}, new double[] {round}));
            assertThat(r.decision()).as(r.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        }
        CanaryResult fifth = judge.observe(CanaryRound.samples(new double[] {105}, new double[] {5}));
        assertThat(fifth.decision()).as(fifth.explanation()).isEqualTo(CanaryDecision.REGRESSION);
    }

    @Test
    void mannWhitneyJudgeWaitsForItsHorizonThenDecidesOnceAndForAll() {
        CanaryJudge judge = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 10).newJudge();
        for (int round = 1; round < 10; round++) {
            CanaryResult r = judge.observe(CanaryRound.samples(new double[] {200 + round}, new double[] {100 + round}));
            assertThat(r.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
            assertThat(r.explanation()).contains("canary " + round + ", baseline " + round);
        }
        CanaryResult horizon = judge.observe(CanaryRound.samples(new double[] {210}, new double[] {110}));
        assertThat(horizon.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(horizon.explanation()).contains("U=100", "p=", "10 vs 10 samples");
        CanaryResult after = judge.observe(CanaryRound.samples(new double[] {1}, new double[] {500}));
        assertThat(after).isEqualTo(horizon);
    }

    @Test
    void mannWhitneyJudgeTakesEachRoundsRateAsOneSampleOfCounts() {
        CanaryJudge judge = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 3).newJudge();
        judge.observe(errors(10, 10));
        judge.observe(CanaryRound.counts(0, 0, 3, 1000));
        CanaryResult r = judge.observe(errors(10, 10));
        assertThat(r.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(r.values()).containsEntry("canary-n", 2).containsEntry("baseline-n", 3);
    }

    @Test
    void quietVersionsGiveANoRegressionWithOnlyFiniteNumbers() {
        CanaryJudge mannWhitney = CanaryJudges.mannWhitney(Direction.EITHER, 0.1, 0.95, 3).newJudge();
        CanaryJudge sequential = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 3).newJudge();
        CanaryJudge means = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 3).newJudge();
        CanaryResult mw = null;
        CanaryResult seq = null;
        CanaryResult mean = null;
        // Four rounds: with three a two-sided Mann-Whitney test could not reach 0.05 and waits.
        for (int round = 0; round < 4; round++) {
            mw = mannWhitney.observe(errors(0, 0));
            seq = sequential.observe(errors(0, 0));
            mean = means.observe(CanaryRound.samples(new double[] {0}, new double[] {0}));
        }
        for (CanaryResult r : new CanaryResult[] {mw, seq, mean}) {
            assertThat(r.decision()).as(r.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);
            assertThat(r.values().values()).as(r.explanation())
                    .allMatch(v -> !(v instanceof Double d) || Double.isFinite(d));
            assertThat(r.explanation()).doesNotContain("NaN", "inf");
        }
        assertThat(seq.explanation()).contains("no events yet");
    }

    @Test
    void aDifferenceThatNeverVariesIsARegressionAfterFourRoundsAtConfidence099() {
        // With no spread the direction of the differences is as extreme as it gets; the one-sided
        // grid's factor is then 87 after 3 rounds and 904 after 4 (threshold 100).
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 3).newJudge();
        CanaryResult[] results = new CanaryResult[4];
        for (int round = 0; round < 4; round++) {
            results[round] = judge.observe(CanaryRound.samples(new double[] {6}, new double[] {5}));
        }
        assertThat(results[1].decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat((double) results[1].values().get("e-value")).isBetween(10.0, 11.0);
        assertThat(results[2].decision()).isEqualTo(CanaryDecision.NO_REGRESSION);
        assertThat((double) results[2].values().get("e-value")).isBetween(80.0, 100.0);
        assertThat(results[3].decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(results[3].explanation()).contains("no spread in the values").doesNotContain("inf");
        assertThat(results[3].values()).doesNotContainKey("statistic");
    }

    @Test
    void oneRoundCarriesOnlyItsSignSoTheEValueStaysBelowTwo() {
        CanaryResult huge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 3).newJudge()
                .observe(CanaryRound.samples(new double[] {1000}, new double[] {1}));
        CanaryResult better = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 3).newJudge()
                .observe(CanaryRound.samples(new double[] {1}, new double[] {1000}));
        assertThat((double) huge.values().get("e-value")).isGreaterThan(1.0).isLessThan(2.0);
        assertThat((double) better.values().get("e-value")).isLessThan(1.0);
    }

    @Test
    void resultsBecomeMeasurementsWithTheMappedOutcome() {
        assertThat(CanaryDecision.REGRESSION.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(CanaryDecision.NO_REGRESSION.outcome()).isEqualTo(Outcome.PASS);
        assertThat(CanaryDecision.INSUFFICIENT_DATA.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        CanaryResult result = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge().observe(errors(1, 1));
        ProbeResult m = result.toMeasurement();
        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).isEqualTo(result.explanation());
        assertThat(m.values()).containsEntry("judge", "sequential").containsKeys("e-value", "p-value", "canary-n");
    }

    @Test
    void measureKeepsOneJudgePerVerificationInTheProbesState() {
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 3);
        ProbeContext first = TestProbeContext.of("latency", Instant.parse("2026-01-01T12:00:10Z"), Duration.ofSeconds(5));
        ProbeContext second = TestProbeContext.of("latency", Instant.parse("2026-01-01T12:00:10Z"), Duration.ofSeconds(5));
        IntStream.range(0, 3).forEach(i -> analysis.measure(first, errors(4, 4)));
        ProbeResult firstThird = analysis.measure(first, errors(4, 4));
        ProbeResult secondFirst = analysis.measure(second, errors(4, 4));
        assertThat(firstThird.outcome()).isEqualTo(Outcome.PASS);
        assertThat(firstThird.values()).containsEntry("canary-n", 4);
        assertThat(secondFirst.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(secondFirst.values()).containsEntry("canary-n", 1);
    }

    @Test
    void aJudgeRefusesSamplesAfterCounts() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 3).newJudge();
        judge.observe(errors(1, 1));
        assertThatThrownBy(() -> judge.observe(CanaryRound.samples(new double[] {1}, new double[] {1})))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("counts").hasMessageContaining("samples");
    }

    @Test
    void roundsRejectImpossibleValues() {
        assertThatThrownBy(() -> CanaryRound.samples(new double[] {Double.NaN}, new double[] {1}))
                .hasMessageContaining("canary samples must be finite");
        assertThatThrownBy(() -> CanaryRound.counts(5, 4, 0, 1)).hasMessageContaining("canary events (5) exceed its trials (4)");
        assertThatThrownBy(() -> CanaryRound.counts(0, 1, -1, 1)).hasMessageContaining("baseline counts must not be negative");
    }

    @Test
    void fromSettingsFillsDefaults() {
        CanaryAnalysis analysis = CanaryJudges.fromSettings("Sequential", null, null, null, null);
        assertThat(analysis).isEqualTo(new CanaryAnalysis(CanaryAnalysis.Method.SEQUENTIAL, Direction.INCREASE,
                CanaryJudges.DEFAULT_TOLERANCE, CanaryJudges.DEFAULT_CONFIDENCE, CanaryJudges.DEFAULT_MIN_SAMPLES));
        assertThat(CanaryJudges.fromSettings("mann-whitney", "either", 0.1, 0.99, 30).describe())
                .isEqualTo("mann-whitney (either, tolerance 0.1, confidence 0.99, min-samples 30)");
    }

    @Test
    void fromSettingsListsEveryBadValueWithItsKey() {
        assertThatThrownBy(() -> CanaryJudges.fromSettings("kayenta", "up", -1.0, 95.0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("judge: unknown judge 'kayenta'; known: mann-whitney, sequential")
                .hasMessageContaining("direction: unknown direction 'up'; known: increase, decrease, either")
                .hasMessageContaining("tolerance: must be a number >= 0, was -1.0")
                .hasMessageContaining("confidence: must be between 0 and 1")
                .hasMessageContaining("min-samples: must be >= 1, was 0");
        assertThatThrownBy(() -> CanaryJudges.fromSettings(null, null, null, null, null)).hasMessageContaining("judge: is required");
    }

    @Test
    void fromProbeSettingsReportsProblemsThroughTheSettingsAndIsEmptyWithoutAJudge() {
        MapProbeSettings none = MapProbeSettings.of("latency", java.util.Map.of());
        assertThat(CanaryJudges.fromSettings(none)).isEmpty();
        assertThat(none.problems()).isEmpty();

        MapProbeSettings bad = MapProbeSettings.of("latency", java.util.Map.of()).with("judge", "sequential").with("direction", "sideways")
                .with("confidence", "1.5").with("min-samples", "1");
        assertThat(CanaryJudges.fromSettings(bad)).isEmpty();
        assertThat(bad.problems()).containsExactly(
                "vigil.probes.latency.direction: unknown direction 'sideways'; known: increase, decrease, either",
                "vigil.probes.latency.confidence: must be between 0 and 1 (exclusive, e.g. 0.95), was 1.5",
                "vigil.probes.latency.min-samples: must be >= 2, was 1");

        MapProbeSettings good = MapProbeSettings.of("latency", java.util.Map.of()).with("judge", "mann-whitney").with("tolerance", "0.25")
                .with("min-samples", "12");
        assertThat(CanaryJudges.fromSettings(good)).contains(
                CanaryJudges.mannWhitney(Direction.INCREASE, 0.25, 0.95, 12));
    }

    @Test
    void aBareToleranceOfOneOrMoreIsRefusedAsAPercentageWrittenWithoutItsSign() {
        // tolerance=10 meant 10%: read as 1000%, a canary with eleven times the baseline's errors passed.
        MapProbeSettings ten = MapProbeSettings.of("errors", java.util.Map.of()).with("judge", "sequential").with("tolerance", "10");

        assertThat(CanaryJudges.fromSettings(ten)).isEmpty();
        assertThat(ten.problems()).containsExactly("vigil.probes.errors.tolerance: 10 (read as 1000%: a tolerance is a fraction,"
                + " 0.1 = 10%) would let a canary 11 times the baseline pass; write 0.1 or 10% (or 1000% if that much is"
                + " really tolerated)");
    }

    @Test
    void aToleranceMayBeWrittenAsAPercentage() {
        MapProbeSettings tenPercent = MapProbeSettings.of("errors", java.util.Map.of()).with("judge", "sequential")
                .with("tolerance", "10%");
        MapProbeSettings double_ = MapProbeSettings.of("errors", java.util.Map.of()).with("judge", "sequential")
                .with("tolerance", "100%");
        MapProbeSettings nonsense = MapProbeSettings.of("errors", java.util.Map.of()).with("judge", "sequential")
                .with("tolerance", "ten%");

        assertThat(CanaryJudges.fromSettings(tenPercent)).map(CanaryAnalysis::tolerance).contains(0.1);
        assertThat(CanaryJudges.fromSettings(double_)).map(CanaryAnalysis::tolerance).contains(1.0);
        assertThat(CanaryJudges.fromSettings(nonsense)).isEmpty();
        assertThat(nonsense.problems()).containsExactly(
                "vigil.probes.errors.tolerance: not a number or a percentage; write a fraction (0.1) or a percentage (10%)");
    }

    @Test
    void aConfidenceBelowOneHalfIsRefusedAsASignificanceLevelWrittenInItsPlace() {
        // confidence=0.05 (a p-value's 5% in mind) rolled a healthy canary back with a probability of up to 95%.
        MapProbeSettings alpha = MapProbeSettings.of("errors", java.util.Map.of()).with("judge", "sequential")
                .with("confidence", "0.05");
        MapProbeSettings percent = MapProbeSettings.of("errors", java.util.Map.of()).with("judge", "sequential")
                .with("confidence", "99%");

        assertThat(CanaryJudges.fromSettings(alpha)).isEmpty();
        assertThat(alpha.problems()).containsExactly("vigil.probes.errors.confidence: 0.05 would roll a healthy canary back"
                + " with a probability of up to 95% (1 - confidence): it reads like a significance level; write 0.95 (or 95%)");
        assertThat(CanaryJudges.fromSettings(percent)).map(CanaryAnalysis::confidence).contains(0.99);
    }

    @Test
    void keysDescribeEverySettingWithItsDefault() {
        assertThat(CanaryJudges.KEYS).extracting(ConfigKey::name)
                .containsExactly("judge", "direction", "tolerance", "confidence", "min-samples", "independent-instances");
        assertThat(CanaryJudges.KEYS).extracting(ConfigKey::defaultValue)
                .containsExactly(null, "increase", "0", "0.95", "20", "false");
        assertThat(CanaryJudges.KEYS).noneMatch(ConfigKey::secret).allMatch(k -> !k.description().isBlank());
    }
}
