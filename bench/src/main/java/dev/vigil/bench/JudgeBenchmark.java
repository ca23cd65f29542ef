package dev.vigil.bench;

import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudge;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.CanaryResult;
import dev.vigil.analysis.CanaryRound;
import dev.vigil.analysis.Direction;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one round of each judge: what a canary probe adds to a measurement. The judges are
 * re-created every 180 rounds (a 30-minute bake) so that their state stays realistic.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JudgeBenchmark {

    private static final CanaryAnalysis SEQUENTIAL = CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20);
    private static final CanaryAnalysis SEQUENTIAL_INSTANCES = SEQUENTIAL.withIndependentInstances(true);
    /** Thirty values given at once: each counts. */
    private static final CanaryAnalysis MANN_WHITNEY = CanaryJudges.mannWhitney(Direction.INCREASE, 0, 0.95, 30)
            .withIndependentInstances(true);

    private final CanaryRound.Counts[] counts = new CanaryRound.Counts[180];
    private final CanaryRound.Samples[] means = new CanaryRound.Samples[180];
    private CanaryJudge sequentialCounts;
    private CanaryJudge sequentialMeans;
    private double[] canary;
    private double[] baseline;
    private int countRounds;
    private int meanRounds;

    /** A healthy bake's rounds, and thirty rounds' values per version for the Mann-Whitney judge. */
    @Setup
    public void samples() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(1);
        for (int i = 0; i < 180; i++) {
            counts[i] = CanaryRound.counts(random.nextInt(10), 500, random.nextInt(10), 505);
            means[i] = CanaryRound.samples(instances(random), instances(random));
        }
        canary = new double[30];
        baseline = new double[30];
        for (int i = 0; i < 30; i++) {
            canary[i] = 120 + (i * 7919 % 13) * 0.37;
            baseline[i] = 120 + (i * 104729 % 11) * 0.41;
        }
    }

    /** Three instances' mean latencies. */
    private static double[] instances(java.util.SplittableRandom random) {
        return new double[] {120 + 5 * random.nextDouble(), 120 + 5 * random.nextDouble(), 120 + 5 * random.nextDouble()};
    }

    /** One round of the sequential count test. */
    @Benchmark
    public CanaryResult sequentialCountsRound() {
        int round = countRounds++ % 180;
        if (round == 0) {
            sequentialCounts = SEQUENTIAL.newJudge();
        }
        return sequentialCounts.observe(counts[round]);
    }

    /**
     * One round of the sequential mean test on three independent instances per version (the grid
     * mixture of scale-invariant Bayes factors; one mean per version costs the same).
     */
    @Benchmark
    public CanaryResult sequentialMeansRound() {
        int round = meanRounds++ % 180;
        if (round == 0) {
            sequentialMeans = SEQUENTIAL_INSTANCES.newJudge();
        }
        return sequentialMeans.observe(means[round]);
    }

    /** One Mann-Whitney test of 30 values per version (exact p-value). */
    @Benchmark
    public CanaryResult mannWhitneyAtHorizon() {
        return MANN_WHITNEY.newJudge().observe(CanaryRound.samples(canary, baseline));
    }
}
