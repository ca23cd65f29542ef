package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A histogram round in which the canary served no request must never be a PASS. */
class HistogramIdleRoundTest {

    private static final double[] BOUNDS = {0.1, 0.25, 0.5, Double.POSITIVE_INFINITY};

    @Test
    void aRoundWithoutCanaryRequestsAfterMinSamplesIsNotAPass() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        long[] same = {500, 300, 150, 50};
        judge.observe(CanaryRound.histogram(BOUNDS, same, same));
        judge.observe(CanaryRound.histogram(BOUNDS, same, same));
        // The canary is drained (readiness failing) but still scraped: its buckets do not move.
        CanaryResult idle = judge.observe(CanaryRound.histogram(BOUNDS, new long[4], same));
        assertThat(idle.decision()).as(idle.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.explanation()).contains("the canary served no request this round");
        // Traffic back: the evidence of the earlier rounds stands.
        CanaryResult back = judge.observe(CanaryRound.histogram(BOUNDS, same, same));
        assertThat(back.decision()).as(back.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);
    }

    @Test
    void shareTestLikewise() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                .withSlowerThan(SlowerThan.latency(java.time.Duration.ofMillis(250))).newJudge();
        long[] same = {500, 300, 150, 50};
        judge.observe(CanaryRound.histogram(BOUNDS, same, same));
        judge.observe(CanaryRound.histogram(BOUNDS, same, same));
        CanaryResult idle = judge.observe(CanaryRound.histogram(BOUNDS, same, new long[4]));
        assertThat(idle.decision()).as(idle.explanation()).isEqualTo(CanaryDecision.INSUFFICIENT_DATA);
        assertThat(idle.explanation()).contains("the baseline served no request this round");
    }

    @Test
    void shareTestsIdleRoundReportsTheRoundsAndEvidenceSoFar() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                .withSlowerThan(SlowerThan.latency(java.time.Duration.ofMillis(250))).newJudge();
        long[] same = {500, 300, 150, 50};
        judge.observe(CanaryRound.histogram(BOUNDS, same, same));
        CanaryResult before = judge.observe(CanaryRound.histogram(BOUNDS, same, same));
        CanaryResult idle = judge.observe(CanaryRound.histogram(BOUNDS, new long[4], same));
        assertThat(idle.values()).containsEntry("canary-n", 2).containsEntry("baseline-n", 2)
                .containsEntry("e-value", before.values().get("e-value"));
        assertThat(idle.explanation()).contains("after 2 rounds");
    }
}
