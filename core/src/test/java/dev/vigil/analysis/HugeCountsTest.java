package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Counts near {@code Long.MAX_VALUE} (a gauge read as a counter, a value extrapolated from garbage)
 * are no counts of requests: a round that would take the judge's running totals past what a long
 * holds is refused with a sentence naming the counts, before any test has seen it, rather than
 * wrapping around to negative totals that are then judged.
 */
class HugeCountsTest {

    private static final double[] BOUNDS = {0.1, 0.25, Double.POSITIVE_INFINITY};

    @Test
    void aCountsRoundThatWouldOverflowTheTotalsIsRefusedAndTheJudgeGoesOnAsItWas() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        judge.observe(CanaryRound.counts(5, 1000, 5, 1000));

        assertThatThrownBy(() -> judge.observe(CanaryRound.counts(0, Long.MAX_VALUE, 5, 1000)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("this round's " + Long.MAX_VALUE + " canary and 1000 baseline requests and the 2000 before"
                        + " them add up to more than " + Long.MAX_VALUE + ", the most a count can hold: these are no"
                        + " counts of requests, and the round is not judged");

        CanaryResult next = judge.observe(CanaryRound.counts(5, 1000, 5, 1000));
        assertThat(next.values()).containsEntry("canary-n", 2).containsEntry("canary-trials", 2000L)
                .containsEntry("baseline-trials", 2000L).containsEntry("canary-events", 10L);
        assertThat(next.decision()).as(next.explanation()).isEqualTo(CanaryDecision.NO_REGRESSION);
    }

    @Test
    void roundsThatOverflowOnlyTogetherAreRefusedWhenTheyWould() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).newJudge();
        long half = Long.MAX_VALUE / 2;
        CanaryResult first = judge.observe(CanaryRound.counts(10, half - 1000, 10, 1000));
        assertThat(first.values()).containsEntry("canary-trials", half - 1000);

        assertThatThrownBy(() -> judge.observe(CanaryRound.counts(10, half, 10, 1000)))
                .hasMessageContaining("add up to more than " + Long.MAX_VALUE);
    }

    @Test
    void farMoreCanaryThanBaselineTrialsStillGiveANumberAndTheCanarysErrorsCount() {
        // With 1e17 canary trials against 1 baseline trial the canary's share of the errors rounded to
        // 1, 1 - q to 0, and 0 / 0 made the e-value NaN: no threshold reached, a pass after min-samples
        // although every canary request failed.
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 3).newJudge();
        CanaryResult last = null;
        for (int round = 0; round < 4; round++) {
            last = judge.observe(CanaryRound.counts(100_000_000_000_000_000L, 100_000_000_000_000_000L, 0, 1));
        }

        assertThat((double) last.values().get("e-value")).isNotNaN();
        assertThat(last.explanation()).doesNotContain("NaN");
        assertThat(last.decision()).as(last.explanation()).isNotEqualTo(CanaryDecision.NO_REGRESSION);
    }

    @Test
    void aHistogramWhoseBandsAddUpBeyondALongIsRefusedNotReadAsNoRequests() {
        // The sum wraps around to 0 (Long.MAX_VALUE * 2 + 2): read as a canary that served no request.
        assertThatThrownBy(() -> CanaryRound.histogram(BOUNDS, new long[] {Long.MAX_VALUE, Long.MAX_VALUE, 2},
                new long[] {10, 5, 1}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("canary band counts add up to more than " + Long.MAX_VALUE + " requests");
    }

    @Test
    void histogramRoundsThatWouldOverflowTheBandTotalsAreRefused() {
        for (SlowerThan slow : new SlowerThan[] {null, SlowerThan.quantile(0.9)}) {
            CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2).withSlowerThan(slow).newJudge();
            long big = Long.MAX_VALUE / 3;
            judge.observe(CanaryRound.histogram(BOUNDS, new long[] {big, 10, 10}, new long[] {900, 80, 20}));

            assertThatThrownBy(() -> judge.observe(CanaryRound.histogram(BOUNDS, new long[] {big, big, 10},
                    new long[] {900, 80, 20})))
                    .as("slower-than %s", slow)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("add up to more than " + Long.MAX_VALUE);
        }
    }

    @Test
    void aBaselinePastBeyondALongIsRefusedWithTheRound() {
        long[] trials = new long[12];
        long[] events = new long[12];
        java.util.Arrays.fill(trials, Long.MAX_VALUE / 10);
        assertThatThrownBy(() -> BaselineHistory.ofCounts(events, trials, "the baseline's last 30m"))
                .hasMessage("the baseline's history counts more than " + Long.MAX_VALUE + " requests up to round 10,"
                        + " the most a count can hold: these are no counts of requests");
        List<long[]> bands = java.util.Collections.nCopies(12, new long[] {Long.MAX_VALUE / 20, Long.MAX_VALUE / 20, 0});
        assertThatThrownBy(() -> BaselineHistory.ofHistograms(BOUNDS, bands, "the baseline's last 30m"))
                .hasMessageContaining("up to round 10");
    }

    @Test
    void measureRefusesTheRoundRatherThanReturningWrappedTotals() {
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2);
        ProbeContext context = TestProbeContext.of("errors", Instant.EPOCH, Duration.ofSeconds(5));
        ProbeResult ok = analysis.measure(context, CanaryRound.counts(5, Long.MAX_VALUE - 10, 5, 10));
        assertThat(ok.outcome()).isNotEqualTo(Outcome.ERROR);

        assertThatThrownBy(() -> analysis.measure(context, CanaryRound.counts(5, 1000, 5, 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the most a count can hold");
    }
}
