package dev.vigil.prometheus;

import dev.vigil.Plot;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.VerificationPlan;
import dev.vigil.condition.Criteria;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canary mode of {@link PrometheusProbe}: a {@code canary-query} and a {@code baseline-query}
 * run at once each round, and their samples go to a {@link SamplesJudge} (by default the
 * conditions over {@link PrometheusProbe#CANARY_NAMES}). An empty side follows {@link OnNoData}
 * and never reaches the judge. In histogram mode ({@link HistogramQueries}) the two queries are
 * {@code canary-histogram-query} and {@code baseline-histogram-query}, and their buckets go to the
 * histogram judge of a canary analysis instead, and the round that makes that judge also asks the
 * baseline's past ({@link BaselineHistoryQueries}). Immutable; thread-safe when the judge is.
 */
final class CanaryProbe extends PrometheusProbe {

    static final List<String> KEYS = List.of("canary-query", "baseline-query");

    private final String canaryQuery;
    private final String baselineQuery;
    private final SamplesJudge judge;
    private final HistogramQueries histogram;
    private final BaselineHistoryQueries history;

    /**
     * @param criteria the conditions as configured, or {@code null} with a judge of one's own
     * @param judge the judge of each round
     */
    CanaryProbe(QueryRunner queries, Criteria criteria, OnNoData onNoData, String canaryQuery, String baselineQuery,
            SamplesJudge judge) {
        super(queries, criteria, onNoData);
        this.canaryQuery = canaryQuery;
        this.baselineQuery = baselineQuery;
        this.judge = judge;
        this.histogram = null;
        this.history = BaselineHistoryQueries.OFF;
    }

    /**
     * Histogram mode.
     *
     * @param queries what runs the queries; never with a range
     * @param criteria {@code null}: the judge replaces conditions (the builder refuses them)
     * @param histogram the two histogram queries and the judge
     * @param history the baseline's past the judge learns from, or {@link BaselineHistoryQueries#OFF}
     */
    CanaryProbe(QueryRunner queries, Criteria criteria, OnNoData onNoData, HistogramQueries histogram,
            BaselineHistoryQueries history) {
        super(queries, criteria, onNoData);
        this.canaryQuery = histogram.canary();
        this.baselineQuery = histogram.baseline();
        this.judge = null;
        this.histogram = histogram;
        this.history = history;
    }

    /** The histogram judge and the canary analysis judge compare with the baseline; conditions and a judge of one's own do not say. */
    @Override
    String judgedAgainstTheBaseline() {
        return histogram != null ? String.join(", ", HistogramQueries.KEYS)
                : judge instanceof AnalysisSamplesJudge ? String.join(", ", KEYS) : null;
    }

    /** A judge of the queries' samples or histograms whose rounds would overlap at the plan's interval ({@link RoundOverlap#warnings}). */
    @Override
    List<String> roundWarnings(VerificationPlan plan) {
        if (histogram != null) {
            return RoundOverlap.warnings(RoundOverlap.window(histogram.queries(), null), plan.interval(), HistogramQueries.KEYS);
        }
        if (judge instanceof AnalysisSamplesJudge) {
            return RoundOverlap.warnings(RoundOverlap.window(List.of(canaryQuery, baselineQuery), queries.range()),
                    plan.interval(), KEYS);
        }
        return List.of();
    }

    @Override
    ProbeResult measure(ProbeContext context, Window window, Duration left) {
        if (histogram != null) {
            List<QueryResult> both = queries.fetchAll(histogram.queries(), HistogramQueries.KEYS, window, left);
            List<String> warnings = new ArrayList<>(both.get(0).warnings());
            warnings.addAll(both.get(1).warnings());
            ProbeResult unjudged = queries.unjudged(warnings);
            if (unjudged != null) {
                return unjudged;
            }
            return queries.withWarnings(histogram.judge(both, onNoData(), context,
                    bounds -> history.histograms(queries, context, window.end(), baselineQuery, bounds, histogram.unit())), warnings);
        }
        List<QueryResult> both = queries.fetchAll(List.of(canaryQuery, baselineQuery), KEYS, window, left);
        // With a range, a series that stopped before the round's time (a canary pod that died)
        // says nothing about now: its old points are not averaged into the round.
        Instant fresh = queries.fresh(window);
        QueryResult canary = both.get(0).current(fresh);
        QueryResult baseline = both.get(1).current(fresh);
        List<String> warnings = new ArrayList<>(canary.warnings());
        warnings.addAll(baseline.warnings());
        if (canary.series().isEmpty() || baseline.series().isEmpty()) {
            String which = canary.series().isEmpty() && baseline.series().isEmpty() ? "canary-query and baseline-query"
                    : canary.series().isEmpty() ? "canary-query" : "baseline-query";
            boolean stopped = canary.series().size() < both.get(0).series().size()
                    || baseline.series().size() < both.get(1).series().size();
            return queries.withWarnings(Judging.noData(onNoData(), which + " returned no data" + (stopped
                    ? " at the round's time (no point from " + fresh + " on: the series stopped)" : ""), null), warnings);
        }
        if (judge instanceof AnalysisSamplesJudge) {
            ProbeResult unjudged = queries.unjudged(warnings);
            if (unjudged != null) {
                return unjudged;
            }
            ProbeResult overlap = RoundOverlap.check(context, RoundOverlap.window(List.of(canaryQuery, baselineQuery),
                    queries.range()), KEYS);
            if (overlap != null) {
                return queries.withWarnings(overlap, warnings);
            }
        }
        Samples canarySamples = new Samples(canaryQuery, canary.series(), canary.warnings());
        Samples baselineSamples = new Samples(baselineQuery, baseline.series(), baseline.warnings());
        ProbeResult judged;
        try {
            judged = judge.judge(canarySamples, baselineSamples, context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.error("interrupted while judging canary against baseline");
        } catch (Exception e) {
            return ProbeResult.error("the canary judge failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (judged == null) {
            return ProbeResult.error("the canary judge returned no measurement");
        }
        return queries.withWarnings(judged, warnings);
    }

    /**
     * What the judge's decision rests on: the histogram judge's evidence in histogram mode, else
     * {@link SamplesJudge#plot()} (automatic when the judge throws).
     */
    @Override
    public Plot plot() {
        if (histogram != null) {
            return histogram.analysis().plot();
        }
        try {
            Plot plot = judge.plot();
            return plot == null ? Plot.automatic() : plot;
        } catch (RuntimeException e) {
            return Plot.automatic();
        }
    }

    /**
     * {@code PromQL canary vs baseline, judged by sequential (...) at http://host:9090: canary | baseline},
     * the judge named when it is Vigil's canary analysis (the conditions of the default judge are
     * shown as the probe's {@code pass-when} / {@code fail-when}); without secrets.
     */
    @Override
    public String description() {
        if (histogram != null) {
            return "PromQL histograms" + (histogram.unit() == BucketUnit.DEFAULT ? "" : " (le in "
                    + histogram.unit().configValue() + ")") + ", canary vs baseline, judged by " + histogram.analysis().describe() + " at "
                    + shownBaseUrl() + ": " + Texts.shorten(canaryQuery, DESCRIPTION_QUERY_LENGTH / 2) + " | "
                    + Texts.shorten(baselineQuery, DESCRIPTION_QUERY_LENGTH / 2);
        }
        String judged = judge instanceof AnalysisSamplesJudge analysis ? ", judged by " + analysis.describe() : "";
        return "PromQL canary vs baseline" + queries.windowText() + judged + " at " + shownBaseUrl() + ": "
                + Texts.shorten(canaryQuery, DESCRIPTION_QUERY_LENGTH / 2) + " | "
                + Texts.shorten(baselineQuery, DESCRIPTION_QUERY_LENGTH / 2);
    }

    @Override
    Map<String, String> queriesByKey() {
        List<String> keys = histogram != null ? HistogramQueries.KEYS : KEYS;
        Map<String, String> byKey = new LinkedHashMap<>();
        byKey.put(keys.get(0), canaryQuery);
        byKey.put(keys.get(1), baselineQuery);
        return byKey;
    }

    @Override
    void describeQueries(StringBuilder out) {
        if (histogram != null) {
            out.append(", ").append(HistogramQueries.KEYS.get(0)).append('=')
                    .append(Texts.shorten(canaryQuery, DESCRIPTION_QUERY_LENGTH)).append(", ")
                    .append(HistogramQueries.KEYS.get(1)).append('=')
                    .append(Texts.shorten(baselineQuery, DESCRIPTION_QUERY_LENGTH))
                    .append(", judge=").append(histogram.analysis().describe());
            if (histogram.unit() != BucketUnit.DEFAULT) {
                out.append(", ").append(BucketUnit.KEY).append('=').append(histogram.unit().configValue());
            }
            history.describe(out);
            return;
        }
        out.append(", canary-query=").append(Texts.shorten(canaryQuery, DESCRIPTION_QUERY_LENGTH))
                .append(", baseline-query=").append(Texts.shorten(baselineQuery, DESCRIPTION_QUERY_LENGTH))
                .append(", judge=").append(judge);
    }
}
