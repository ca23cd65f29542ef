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
        // A side without a finite value (NaN: no requests) is an empty array: the judge calls that
        // round INSUFFICIENT_DATA, never a pass on earlier rounds.
        return analysis.measure(context, new CanaryRound.Samples(canary.seriesMeans(), baseline.seriesMeans()));
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
