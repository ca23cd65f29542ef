package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.RandomCounts;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 25, A/A property: when both versions fail at the same rate but their errors are overdispersed
 * (bursts, negative-binomial counts, a rate that drifts during the bake), the sequential count judge
 * checked every round of a 30-minute bake (180 rounds of 10 s, 500 requests per round and version,
 * error rate 0.5%) declares a regression in at most {@code 1 - confidence} of the runs, without
 * being told the dispersion. Each test also runs the untempered count test (dispersion 1, the judge
 * before issue 25) on the same rounds and checks that it breaks the bound there: the runs are
 * enough to see a violation. Seeds are fixed, so the results are reproducible; the long runs with
 * Wilson intervals are in the bench simulation (BENCHMARKS.md).
 */
class BurstyFalseRollbackTest {

    private static final int ROUNDS = 180;
    private static final int REQUESTS = 500;
    private static final double ERROR_RATE = 0.005;

    /** How a version's errors in one round are drawn, given its expected errors. */
    private interface Errors {
        long draw(SplittableRandom random, double mean);
    }

    /** Bursts of a size uniform in {@code 1..largest}, each wholly in one version (a retry storm, one bad client). */
    private static Errors bursts(int largest) {
        double meanSize = (1 + largest) / 2.0;
        return (random, mean) -> {
            long bursts = RandomCounts.poisson(random, mean / meanSize);
            long errors = 0;
            for (long i = 0; i < bursts; i++) {
                errors += 1 + random.nextInt(largest);
            }
            return errors;
        };
    }

    /** Negative-binomial counts with variance {@code dispersion} times the mean (a gamma-mixed Poisson). */
    private static Errors negativeBinomial(double dispersion) {
        return (random, mean) -> {
            double shape = mean / (dispersion - 1);
            return RandomCounts.poisson(random, mean * gamma(random, shape) / shape);
        };
    }

    @Test
    void burstsOfOneToFiveKeepTheBoundAtConfidence095() {
        assertCalibrated(0.95, 1000, 251, bursts(5), false);
    }

    @Test
    void burstsOfOneToTwentyKeepTheBoundAtConfidence095() {
        assertCalibrated(0.95, 1000, 252, bursts(20), false);
    }

    @Test
    void negativeBinomialCountsWithADriftingRateKeepTheBoundAtConfidence095() {
        assertCalibrated(0.95, 1000, 253, negativeBinomial(4), true);
    }

    @Test
    void burstsOfOneToThreeKeepTheBoundAtConfidence099() {
        assertCalibrated(0.99, 1500, 254, bursts(3), false);
    }

    @Test
    void negativeBinomialCountsKeepTheBoundAtConfidence099() {
        assertCalibrated(0.99, 1500, 255, negativeBinomial(4), false);
    }

    @Test
    void theExplanationTellsABurstFromARegressionByTheDispersion() {
        SplittableRandom random = new SplittableRandom(256);
        Errors bursty = bursts(20);
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20);
        CanaryJudge burstJudge = analysis.newJudge();
        CanaryJudge steadyJudge = analysis.newJudge();
        CanaryJudge regressionJudge = analysis.newJudge();
        CanaryResult burst = null;
        CanaryResult steady = null;
        CanaryResult regression = null;
        for (int round = 0; round < 30; round++) {
            burst = burstJudge.observe(CanaryRound.counts(bursty.draw(random, 25), 5000, bursty.draw(random, 25), 5000));
            steady = steadyJudge.observe(CanaryRound.counts(RandomCounts.poisson(random, 25), 5000, RandomCounts.poisson(random, 25), 5000));
            regression = regressionJudge.observe(CanaryRound.counts(RandomCounts.poisson(random, 50), 5000, RandomCounts.poisson(random, 25), 5000));
        }
        assertThat((double) burst.values().get("dispersion")).isGreaterThan(5);
        assertThat(burst.explanation()).containsPattern("dispersion \\d+(\\.\\d)? \\(learned from 30 rounds\\)");
        assertThat((double) steady.values().get("dispersion")).isLessThan(2);
        assertThat(steady.explanation()).containsPattern("dispersion 1(\\.\\d)? \\(learned from 30 rounds\\)");
        assertThat(regression.decision()).isEqualTo(CanaryDecision.REGRESSION);
        assertThat(regression.explanation()).contains("e-value", "rate ratio", "dispersion ");
    }

    @Test
    void theDispersionIsAssumedUntilTheSpreadHasSeveralDegreesOfFreedom() {
        CanaryJudge judge = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).newJudge();
        CanaryResult first = judge.observe(CanaryRound.counts(3, 500, 2, 500));
        assertThat(first.values()).containsEntry("dispersion", CountTest.PRIOR_DISPERSION);
        assertThat(first.explanation()).contains("dispersion 14 (assumed: too few rounds with errors to learn it)");
    }

    /**
     * Runs healthy bakes whose errors come from {@code errors} for both versions and asserts that the
     * judge rolls back at most {@code 1 - confidence} of them, while the untempered count test on the
     * same rounds rolls back more than twice as many.
     */
    private static void assertCalibrated(double confidence, int runs, long seed, Errors errors, boolean drift) {
        SplittableRandom random = new SplittableRandom(seed);
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, confidence, 20);
        double threshold = 1 / analysis.alpha();
        int rollbacks = 0;
        int untemperedRollbacks = 0;
        for (int run = 0; run < runs; run++) {
            CanaryJudge judge = analysis.newJudge();
            CountTest untempered = new CountTest(Direction.INCREASE, 0);
            boolean rolledBack = false;
            boolean untemperedRolledBack = false;
            for (int round = 0; round < ROUNDS && !(rolledBack && untemperedRolledBack); round++) {
                double rate = ERROR_RATE * (drift ? 1 + 0.8 * Math.sin(2 * Math.PI * round / 60) : 1);
                long canaryRequests = REQUESTS + random.nextInt(41) - 20;
                long baselineRequests = REQUESTS + random.nextInt(41) - 20;
                CanaryRound.Counts counts = CanaryRound.counts(
                        Math.min(canaryRequests, errors.draw(random, canaryRequests * rate)), canaryRequests,
                        Math.min(baselineRequests, errors.draw(random, baselineRequests * rate)), baselineRequests);
                if (!rolledBack && judge.observe(counts).decision() == CanaryDecision.REGRESSION) {
                    rolledBack = true;
                    rollbacks++;
                }
                untempered.add(counts);
                if (!untemperedRolledBack && untempered.mixture(1) >= threshold) {
                    untemperedRolledBack = true;
                    untemperedRollbacks++;
                }
            }
        }
        double rate = (double) rollbacks / runs;
        double untemperedRate = (double) untemperedRollbacks / runs;
        assertThat(untemperedRate).as("the untempered count test's false rollbacks: the runs can see a violation")
                .isGreaterThan(2 * analysis.alpha());
        assertThat(rate).as("false rollbacks (untempered: %s)", untemperedRate).isLessThanOrEqualTo(analysis.alpha());
    }

    /** Gamma with the given shape and scale 1 (Marsaglia and Tsang; shape below 1 by boosting). */
    private static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(random);
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            if (Math.log(random.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
