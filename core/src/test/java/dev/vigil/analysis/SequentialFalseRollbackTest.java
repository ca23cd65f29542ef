package dev.vigil.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.RandomCounts;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
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

        double rate = falseRollbackRate(RUNS, round -> {
            long canaryRequests = poisson(random, 500);
            long baselineRequests = poisson(random, 500);
            return CanaryRound.counts(RandomCounts.poisson(random, canaryRequests * 0.01), canaryRequests,
                    RandomCounts.poisson(random, baselineRequests * 0.01), baselineRequests);
        }, analysis)[0];

        assertThat(rate).isLessThanOrEqualTo(analysis.alpha());
    }

    @Test
    void meanJudgeRollsBackHealthyCanariesNoMoreOftenThanItsBound() {
        SplittableRandom random = new SplittableRandom(7);
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.EITHER, 0, 0.95, 20);

        // Both versions' round means: latency 120 ms, standard error 3 ms, with a shared drift.
        double rate = falseRollbackRate(RUNS, round -> {
            double drift = 10 * Math.sin(round / 20.0);
            return CanaryRound.samples(new double[] {120 + drift + 3 * gaussian(random)},
                    new double[] {120 + drift + 3 * gaussian(random)});
        }, analysis)[0];

        assertThat(rate).isLessThanOrEqualTo(analysis.alpha());
    }

    @Test
    void meanJudgeOnIndependentInstancesRollsBackHealthyCanariesNoMoreOftenThanItsBound() {
        SplittableRandom random = new SplittableRandom(11);
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20).withIndependentInstances(true);

        // Three instances per version (now and then one missing), each with its own noise (5 ms),
        // around a level that both versions share and that drifts from round to round.
        double rate = falseRollbackRate(2 * RUNS, round -> {
            double level = 120 * (1 + 0.05 * gaussian(random));
            return CanaryRound.samples(instances(random, level, 1 + random.nextInt(3), 5),
                    instances(random, level, 2 + random.nextInt(2), 5));
        }, analysis)[0];

        assertThat(rate).isLessThanOrEqualTo(analysis.alpha());
    }

    @Test
    void meanJudgeAveragesInstancesThatShareADisturbanceAndKeepsItsBoundWhichTheirSpreadWouldNot() {
        SplittableRandom random = new SplittableRandom(13);
        CanaryAnalysis averaged = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20);
        CanaryAnalysis independent = averaged.withIndependentInstances(true);

        // Each version's three instances move together (4% of the level, e.g. the load its traffic
        // share brings) with little noise of their own: their spread does not show that disturbance.
        double[] rates = falseRollbackRate(RUNS, round -> {
            double level = 120 * (1 + 0.05 * gaussian(random));
            return CanaryRound.samples(instances(random, level * (1 + 0.04 * gaussian(random)), 3, 0.5),
                    instances(random, level * (1 + 0.04 * gaussian(random)), 3, 0.5));
        }, averaged, independent);

        assertThat(rates[0]).isLessThanOrEqualTo(averaged.alpha());
        // Why independent-instances is off by default: here it would roll back healthy canaries often.
        assertThat(rates[1]).isGreaterThan(4 * independent.alpha());
    }

    /**
     * Runs {@code runs} healthy bakes of {@link #ROUNDS} rounds, each round made once and shown to a
     * fresh judge of every analysis, and returns for each analysis the share of bakes in which its
     * judge declared a regression.
     */
    private static double[] falseRollbackRate(int runs, IntFunction<CanaryRound> rounds, CanaryAnalysis... analyses) {
        int[] rollbacks = new int[analyses.length];
        for (int run = 0; run < runs; run++) {
            CanaryJudge[] judges = new CanaryJudge[analyses.length];
            boolean[] done = new boolean[analyses.length];
            for (int i = 0; i < analyses.length; i++) {
                judges[i] = analyses[i].newJudge();
            }
            int pending = judges.length;
            for (int round = 0; round < ROUNDS && pending > 0; round++) {
                CanaryRound observed = rounds.apply(round);
                for (int i = 0; i < judges.length; i++) {
                    if (!done[i] && judges[i].observe(observed).decision() == CanaryDecision.REGRESSION) {
                        done[i] = true;
                        rollbacks[i]++;
                        pending--;
                    }
                }
            }
        }
        double[] rates = new double[analyses.length];
        for (int i = 0; i < rates.length; i++) {
            rates[i] = (double) rollbacks[i] / runs;
        }
        return rates;
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
}
