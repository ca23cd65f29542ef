package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A/A property: when canary and baseline are the same, the sequential judge checked every round of
 * a 30-minute bake (180 rounds of 10 s) declares a regression in at most {@code 1 - confidence}
 * of the runs. Seeds are fixed, so the result is reproducible.
 */
class SequentialFalseRollbackTest {

    private static final int RUNS = 250;
    private static final int ROUNDS = 180;

    @Test
    void countJudgeRollsBackHealthyCanariesNoMoreOftenThanItsBound() {
        SplittableRandom random = new SplittableRandom(42);
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20);
        int falseRollbacks = 0;
        for (int run = 0; run < RUNS; run++) {
            CanaryJudge judge = analysis.newJudge();
            for (int round = 0; round < ROUNDS; round++) {
                long canaryRequests = poisson(random, 500);
                long baselineRequests = poisson(random, 500);
                CanaryRound.Counts counts = CanaryRound.counts(smallPoisson(random, canaryRequests * 0.01),
                        canaryRequests, smallPoisson(random, baselineRequests * 0.01), baselineRequests);
                if (judge.observe(counts).decision() == CanaryDecision.REGRESSION) {
                    falseRollbacks++;
                    break;
                }
            }
        }
        assertThat((double) falseRollbacks / RUNS).isLessThanOrEqualTo(analysis.alpha());
    }

    @Test
    void meanJudgeRollsBackHealthyCanariesNoMoreOftenThanItsBound() {
        SplittableRandom random = new SplittableRandom(7);
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.EITHER, 0, 0.95, 20);
        int falseRollbacks = 0;
        for (int run = 0; run < RUNS; run++) {
            CanaryJudge judge = analysis.newJudge();
            for (int round = 0; round < ROUNDS; round++) {
                // Both versions' round means: latency 120 ms, standard error 3 ms, with a shared drift.
                double drift = 10 * Math.sin(round / 20.0);
                CanaryRound samples = CanaryRound.samples(new double[] {120 + drift + 3 * gaussian(random)},
                        new double[] {120 + drift + 3 * gaussian(random)});
                if (judge.observe(samples).decision() == CanaryDecision.REGRESSION) {
                    falseRollbacks++;
                    break;
                }
            }
        }
        assertThat((double) falseRollbacks / RUNS).isLessThanOrEqualTo(analysis.alpha());
    }

    @Test
    void meanJudgeOnIndependentInstancesRollsBackHealthyCanariesNoMoreOftenThanItsBound() {
        SplittableRandom random = new SplittableRandom(11);
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).withIndependentInstances(true);
        int runs = 2 * RUNS;
        int falseRollbacks = 0;
        for (int run = 0; run < runs; run++) {
            CanaryJudge judge = analysis.newJudge();
            for (int round = 0; round < ROUNDS; round++) {
                // Three instances per version (now and then one missing), each with its own noise
                // (5 ms), around a level that both versions share and that drifts from round to round.
                double level = 120 * (1 + 0.05 * gaussian(random));
                CanaryRound samples = CanaryRound.samples(instances(random, level, 1 + random.nextInt(3)),
                        instances(random, level, 2 + random.nextInt(2)));
                if (judge.observe(samples).decision() == CanaryDecision.REGRESSION) {
                    falseRollbacks++;
                    break;
                }
            }
        }
        assertThat((double) falseRollbacks / runs).isLessThanOrEqualTo(analysis.alpha());
    }

    @Test
    void meanJudgeAveragesInstancesThatShareADisturbanceAndKeepsItsBoundWhichTheirSpreadWouldNot() {
        SplittableRandom random = new SplittableRandom(13);
        CanaryAnalysis averaged = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20);
        CanaryAnalysis independent = averaged.withIndependentInstances(true);
        int averagedRollbacks = 0;
        int independentRollbacks = 0;
        for (int run = 0; run < RUNS; run++) {
            CanaryJudge averagedJudge = averaged.newJudge();
            CanaryJudge independentJudge = independent.newJudge();
            boolean averagedDone = false;
            boolean independentDone = false;
            for (int round = 0; round < ROUNDS && !(averagedDone && independentDone); round++) {
                // Each version's three instances move together (4% of the level, e.g. the load its
                // traffic share brings) with little noise of their own: their spread does not show
                // that disturbance.
                double level = 120 * (1 + 0.05 * gaussian(random));
                CanaryRound samples = CanaryRound.samples(
                        instances(random, level * (1 + 0.04 * gaussian(random)), 3, 0.5),
                        instances(random, level * (1 + 0.04 * gaussian(random)), 3, 0.5));
                if (!averagedDone && averagedJudge.observe(samples).decision() == CanaryDecision.REGRESSION) {
                    averagedRollbacks++;
                    averagedDone = true;
                }
                if (!independentDone && independentJudge.observe(samples).decision() == CanaryDecision.REGRESSION) {
                    independentRollbacks++;
                    independentDone = true;
                }
            }
        }
        assertThat((double) averagedRollbacks / RUNS).isLessThanOrEqualTo(averaged.alpha());
        // Why independent-instances is off by default: here it would roll back healthy canaries often.
        assertThat((double) independentRollbacks / RUNS).isGreaterThan(4 * independent.alpha());
    }

    private static double[] instances(SplittableRandom random, double level, int count) {
        return instances(random, level, count, 5);
    }

    private static double[] instances(SplittableRandom random, double level, int count, double noise) {
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = level + noise * gaussian(random);
        }
        return values;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller; enough for a test's noise.
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static long poisson(SplittableRandom random, double mean) {
        return Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
    }

    /** Knuth's method: fine for the handful of errors a round has. */
    private static long smallPoisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
