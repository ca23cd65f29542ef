package dev.vigil.prometheus;

import dev.vigil.Plot;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryRound;

/**
 * The judge of {@link SamplesJudge#canaryAnalysis}: each round's series means go to a canary
 * analysis, whose evidence accumulates over the rounds of a verification. So that no partial answer
 * enters that evidence, {@link CanaryProbe} does not call it with answers that carry warnings
 * {@code allow-warnings} does not accept. Thread-safe.
 */
final class AnalysisSamplesJudge implements SamplesJudge {

    private final CanaryAnalysis analysis;

    AnalysisSamplesJudge(CanaryAnalysis analysis) {
        this.analysis = analysis;
    }

    @Override
    public ProbeResult judge(Samples canary, Samples baseline, ProbeContext context) {
        double[] canaryMeans = canary.seriesMeans();
        double[] baselineMeans = baseline.seriesMeans();
        String idle = canaryMeans.length > 0 && baselineMeans.length > 0 ? null
                : (canaryMeans.length == 0 && baselineMeans.length == 0 ? "neither canary-query nor baseline-query"
                        : canaryMeans.length == 0 ? "canary-query" : "baseline-query")
                        + " gave no finite value this round (NaN: no requests)";
        return Judging.idleRound(analysis.measure(context, new CanaryRound.Samples(canaryMeans, baselineMeans)), idle);
    }

    @Override
    public Plot plot() {
        return analysis.plot();
    }

    @Override
    public String toString() {
        return analysis.describe();
    }
}
