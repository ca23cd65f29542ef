package dev.vigil.prometheus;

import dev.vigil.Plot;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.condition.Criteria;
import java.util.Objects;

/**
 * Judges one round of a canary comparison: what the {@code canary-query} and the
 * {@code baseline-query} returned, side by side. This is the plug-in point for canary analysis
 * (statistical tests over the two samples, sequential tests that keep totals across rounds in
 * {@link ProbeContext#state}).
 *
 * <p>The probe calls the judge only when both queries returned data; an empty side is handled by
 * the probe's {@link OnNoData} setting first, so a judge never sees an empty {@link Samples}.
 * Instant queries give one point per series; range queries ({@code range}, {@code step}) give
 * every point of the window.
 *
 * <p>Implementations must be thread-safe (rounds may overlap when a round times out) and must put
 * no secret into the measurement.
 */
@FunctionalInterface
public interface SamplesJudge {

    /**
     * Judges one round.
     *
     * @param canary what the canary query returned (never empty)
     * @param baseline what the baseline query returned (never empty)
     * @param context the round: deployment, time, state kept across rounds
     * @return the measurement; never {@code null}
     * @throws Exception any failure, which becomes an {@code ERROR} measurement
     */
    ProbeResult judge(Samples canary, Samples baseline, ProbeContext context) throws Exception;

    /**
     * What the timeline of a probe with this judge plots ({@link dev.vigil.Probe#plot()}): the
     * values of its measurements that its decision rests on.
     *
     * @return the plot; the default, {@link Plot#automatic()}, lets the report choose
     */
    default Plot plot() {
        return Plot.automatic();
    }

    /**
     * The default judge: reduces each side to one number, the mean of its points, and judges
     * {@code pass-when} / {@code fail-when} over {@code canary}, {@code baseline} and
     * {@code ratio} ({@code canary / baseline}). Each query must return a single series
     * (aggregate with {@code sum(...)} or {@code avg(...)}); more series is an {@code ERROR} that
     * names them. A NaN value that a condition uses (a ratio of 0 over 0, say) makes the
     * measurement {@code INCONCLUSIVE}, unless the condition tests for it with {@code isNaN};
     * infinities (a ratio over a zero baseline) compare as the numbers they are.
     *
     * <p>Its timeline plots {@code ratio} against the number the conditions compare it with when
     * they do; otherwise {@code canary} and {@code baseline} as two lines, against the number the
     * conditions compare either with, if any.
     *
     * @param criteria conditions over {@link PrometheusProbe#CANARY_NAMES}
     * @return the judge; immutable and thread-safe
     */
    static SamplesJudge criteria(Criteria criteria) {
        return new CriteriaSamplesJudge(criteria);
    }

    /**
     * A judge that feeds each round to Vigil's canary analysis ({@code judge=mann-whitney} or
     * {@code judge=sequential}): each series of a side is one value, the mean of its points other
     * than NaN ({@link Samples#seriesMeans()}). Query one series per instance ({@code ... by (instance)}) to
     * give the sequential judge the spread between instances from the first round on, or one series
     * per side ({@code sum(...)}, {@code avg(...)}) when the instances of one version share
     * disturbances that the other version does not see. The analysis keeps its judge in the probe's
     * per-verification state, so evidence accumulates over the rounds of one verification. Feed it
     * increments: instant queries, or a {@code range} no longer than the verification's interval.
     * A round in which a side has no value (NaN: no requests) is never a {@code PASS} on the
     * evidence of earlier rounds: it is {@code INCONCLUSIVE} unless a regression was found. A series
     * whose mean is infinite ({@code +Inf}: a ratio over 0) is neither left out nor judged: the round
     * is an {@code ERROR} naming the series.
     * Its timeline plots the judge's evidence against its threshold ({@link CanaryAnalysis#plot()}).
     *
     * @param analysis the judge's settings, from {@link dev.vigil.analysis.CanaryJudges}
     * @return the judge; thread-safe
     */
    static SamplesJudge canaryAnalysis(CanaryAnalysis analysis) {
        return new AnalysisSamplesJudge(Objects.requireNonNull(analysis, "analysis"));
    }
}
