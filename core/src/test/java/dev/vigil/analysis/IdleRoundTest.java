package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Outcome;
import org.junit.jupiter.api.Test;

/**
 * A round of counts or samples in which one version had no data says nothing about the canary now:
 * never a PASS on the evidence of earlier rounds (a drained canary that is still scraped, an HTTP
 * canary whose every answer failed its condition), as for histograms ({@link HistogramIdleRoundTest}).
 */
class IdleRoundTest {

    @Test
    void aCountsRoundWithoutCanaryTrialsAfterMinSamplesIsInconclusiveNotAPass() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        judge.observe(CanaryRound.counts(5, 1000, 5, 1000));
        CanaryResult passed = judge.observe(CanaryRound.counts(5, 1000, 5, 1000));
        assertThat(passed.decision()).as(passed.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);

        CanaryResult idle = judge.observe(CanaryRound.counts(0, 0, 5, 1000));
        assertThat(idle.decision()).as(idle.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.toMeasurement().outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(idle.explanation()).contains("the canary served no request this round", "no evidence of health",
                "after 2 rounds");
        assertThat(idle.values()).containsEntry("canary-n", 2).containsEntry("decision", "INSUFFICIENT_DATA");

        // Traffic back: the evidence of the earlier rounds stands.
        CanaryResult back = judge.observe(CanaryRound.counts(5, 1000, 5, 1000));
        assertThat(back.decision()).as(back.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);
        assertThat(back.values()).containsEntry("canary-n", 3);
    }

    @Test
    void aCountsRoundWithoutBaselineTrialsAfterMinSamplesIsInconclusiveNotAPass() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        judge.observe(CanaryRound.counts(5, 1000, 5, 1000));
        judge.observe(CanaryRound.counts(5, 1000, 5, 1000));

        CanaryResult idle = judge.observe(CanaryRound.counts(3, 1000, 0, 0));
        assertThat(idle.decision()).as(idle.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.explanation()).contains("the baseline served no request this round");
    }

    @Test
    void aSamplesRoundWithoutCanaryValuesAfterMinSamplesIsInconclusiveNotAPass() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        double[][] canary = {{101, 99}, {100, 102}, {98, 100}};
        double[][] baseline = {{100, 101}, {99, 100}, {101, 99}};
        CanaryResult last = null;
        for (int r = 0; r < canary.length; r++) {
            last = judge.observe(CanaryRound.samples(canary[r], baseline[r]));
        }
        assertThat(last.decision()).as(last.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);

        // Every canary answer failed the probe's condition: no latency to compare.
        CanaryResult idle = judge.observe(CanaryRound.samples(new double[0], new double[] {100, 101}));
        assertThat(idle.decision()).as(idle.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.explanation()).contains("the canary had no value this round", "no evidence of health",
                "after 3 paired rounds");
        assertThat(idle.values()).containsEntry("canary-n", 3);
    }

    @Test
    void aSamplesRoundWithNeitherVersionsValuesIsInconclusiveWithIndependentInstancesToo() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).withIndependentInstances(true)
                .newJudge();
        judge.observe(CanaryRound.samples(new double[] {100, 101, 99}, new double[] {100, 99, 101}));
        judge.observe(CanaryRound.samples(new double[] {101, 100, 99}, new double[] {99, 100, 101}));

        CanaryResult idle = judge.observe(CanaryRound.samples(new double[0], new double[0]));
        assertThat(idle.decision()).as(idle.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.explanation()).contains("neither the canary nor the baseline had a value this round");
    }

    @Test
    void aRegressionStaysFinalThroughARoundWithoutData() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        CanaryResult r = null;
        for (int round = 0; round < 10 && (r == null || r.decision() != CanaryDecision.REGRESSION); round++) {
            r = judge.observe(CanaryRound.counts(30, 1000, 5, 1000));
        }
        assertThat(r.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(judge.observe(CanaryRound.counts(0, 0, 5, 1000))).isEqualTo(r);
    }

    @Test
    void aHistogramRoundWithoutAnyRequestSaysSoWithoutADoubleNegative() {
        double[] bounds = {0.1, 0.25, Double.POSITIVE_INFINITY};
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        CanaryResult idle = judge.observe(CanaryRound.histogram(bounds, new long[3], new long[3]));
        assertThat(idle.decision()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.explanation()).contains("neither the canary nor the baseline served a request this round")
                .doesNotContain("served no request");
    }

    @Test
    void afterMannWhitneysPassARoundWithoutCanaryDataIsInconclusiveAndTheDecisionStands() {
        CanaryJudge judge = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 4).newJudge();
        CanaryResult passed = null;
        for (int r = 0; r < 4; r++) {
            passed = judge.observe(CanaryRound.counts(5, 1000, 5 + r, 1000));
        }
        assertThat(passed.decision()).as(passed.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);

        CanaryResult idle = judge.observe(CanaryRound.counts(0, 0, 5, 1000));
        assertThat(idle.decision()).as(idle.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.toMeasurement().outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(idle.explanation()).startsWith("mann-whitney: the canary served no request this round: no evidence of health")
                .contains("decided at the horizon: no regression");

        CanaryResult back = judge.observe(CanaryRound.counts(5, 1000, 5, 1000));
        assertThat(back).isEqualTo(passed);
    }

    @Test
    void afterMannWhitneysPassASamplesRoundWithoutCanaryValuesIsInconclusive() {
        CanaryJudge judge = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 4).newJudge();
        CanaryResult passed = null;
        for (int r = 0; r < 4; r++) {
            passed = judge.observe(CanaryRound.samples(new double[] {100 + r}, new double[] {101 - r}));
        }
        assertThat(passed.decision()).as(passed.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);

        CanaryResult noValue = judge.observe(CanaryRound.samples(new double[0], new double[] {100}));
        assertThat(noValue.decision()).as(noValue.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(noValue.explanation()).contains("the canary had no value this round", "no evidence of health");
    }
}
