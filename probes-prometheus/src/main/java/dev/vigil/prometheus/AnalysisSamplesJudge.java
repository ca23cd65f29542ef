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
        // An infinite series is the worst (or best) instance there is: left out, the round would be
        // judged, and could pass, on the other instances.
        String infinite = infinite("canary-query", canary);
        if (infinite == null) {
            infinite = infinite("baseline-query", baseline);
        }
        if (infinite != null) {
            return ProbeResult.error(infinite);
        }
        // A side without a value (NaN: no requests) is an empty array: the judge calls that round
        // INSUFFICIENT_DATA, never a pass on earlier rounds.
        return analysis.measure(context, new CanaryRound.Samples(canary.seriesMeans(), baseline.seriesMeans()));
    }

    /** Why a side cannot be judged: a series whose mean is infinite, named; {@code null} when none is. */
    private static String infinite(String key, Samples samples) {
        for (Series series : samples.series()) {
            double mean = Samples.mean(series);
            if (Double.isInfinite(mean)) {
                return key + " returned " + Texts.number(mean) + " for " + series.selector() + ": an infinite value"
                        + " (a ratio over 0, x / 0) cannot be judged, and leaving that series out would judge the round"
                        + " on the others; fix the query so that a series without requests is NaN (0 / 0) or absent";
            }
        }
        return null;
    }

    @Override
    public Plot plot() {
        return analysis.plot();
    }

    /** {@return the judge and its settings: {@code sequential (increase, tolerance 0.1, confidence 0.99, ...)}} */
    String describe() {
        return analysis.describe();
    }

    @Override
    public String toString() {
        return describe();
    }
}
