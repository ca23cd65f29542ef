package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.RandomCounts;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 25's check of the histogram judges: slow requests that come in bursts. Both versions pause
 * now and then (a garbage collection, a stalled dependency): 1.5 pauses per version and round, each
 * holding up 1 to 7 of its 500 requests (a pause of up to 0.4 s at 50 requests/s spread over three
 * instances, as in the bench's scenario), which all finish at 600 ms, beyond the 99th percentile;
 * the same for both versions. Every histogram test, checked every round of a 10-minute bake, rolls
 * back at most {@code 1 - confidence} of these healthy canaries (2,000 runs of each while writing
 * this: at most 1.85% at 0.95 and 0.35% at 0.99). Larger pauses break some of them: with pauses of
 * 1 to 20 requests the shift test rolled back 1.4% at 0.99; see BENCHMARKS.md and
 * docs/canary-analysis.md for the measured limits.
 */
class HistogramPausesTest {

    private static final int RUNS = 200;
    private static final int ROUNDS = 60;
    private static final int REQUESTS = 500;
    private static final double PAUSES = 1.5;
    private static final int LARGEST_PAUSE = 7;
    private static final double[] BOUNDS =
        {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, Double.POSITIVE_INFINITY};
    /** The band of a request held up by a pause: 600 ms, in (0.5, 0.75]. */
    private static final int PAUSED = 12;

    @ParameterizedTest(name = "{0} at confidence {1}")
    @CsvSource({"shift, 0.95", "p90, 0.95", "p99, 0.95", "250ms, 0.95", "shift, 0.99", "p99, 0.99"})
    void healthyCanariesWhoseRequestsArePausedInBurstsAreRolledBackNoMoreOftenThanTheBound(String test, double confidence) {
        SlowerThan slowerThan = switch (test) {
            case "shift" -> null;
            case "p90" -> SlowerThan.quantile(0.9);
            case "p99" -> SlowerThan.quantile(0.99);
            default -> SlowerThan.latency(Duration.ofMillis(250));
        };
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, confidence, 20).withSlowerThan(slowerThan);
        SplittableRandom random = new SplittableRandom(20261130L + test.hashCode() + (long) (confidence * 100));
        int rolledBack = 0;
        int pauses = 0;
        for (int run = 0; run < RUNS; run++) {
            CanaryJudge judge = analysis.newJudge();
            for (int round = 0; round < ROUNDS; round++) {
                long[] canary = BaselineHistoryTest.logNormal(random, BOUNDS, REQUESTS, 0.02);
                long[] baseline = BaselineHistoryTest.logNormal(random, BOUNDS, REQUESTS, 0.02);
                pauses += pause(random, canary) + pause(random, baseline);
                if (judge.observe(CanaryRound.histogram(BOUNDS, canary, baseline)).decision() == CanaryDecision.REGRESSION) {
                    rolledBack++;
                    break;
                }
            }
        }
        assertThat(pauses).as("the runs had pauses").isPositive();
        assertThat((double) rolledBack / RUNS).as(test + " at " + confidence + ": rolled back " + rolledBack + " of " + RUNS)
                .isLessThanOrEqualTo(analysis.alpha());
    }

    /** Poisson-many pauses, each moving 1 to 7 of the requests in the faster bands to the paused band; returns the pauses. */
    private static int pause(SplittableRandom random, long[] counts) {
        int pauses = (int) RandomCounts.poisson(random, PAUSES);
        for (int p = 0; p < pauses; p++) {
            int held = 1 + random.nextInt(LARGEST_PAUSE);
            for (int i = 0; i < held; i++) {
                // A request drawn from the faster bands in proportion to their counts.
                long faster = 0;
                for (int j = 0; j < PAUSED; j++) {
                    faster += counts[j];
                }
                if (faster == 0) {
                    break;
                }
                long pick = random.nextLong(faster);
                int band = 0;
                while (pick >= counts[band]) {
                    pick -= counts[band++];
                }
                counts[band]--;
                counts[PAUSED]++;
            }
        }
        return pauses;
    }
}
