package dev.vigil.prometheus;

import dev.vigil.Plot;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.VerificationPlan;
import dev.vigil.condition.Criteria;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The counts mode of {@link PrometheusProbe}: four instant queries run at once each round
 * ({@link CountQueries}), the errors and requests of canary and baseline, fed to the count test of
 * a canary judge. The round that makes the judge also asks the baseline's past
 * ({@link BaselineHistoryQueries}). Conditions are not used. Immutable; thread-safe.
 */
final class CountsProbe extends PrometheusProbe {

    private final CountQueries counts;
    private final BaselineHistoryQueries history;

    /**
     * @param queries what runs the queries; never with a range
     * @param criteria {@code null}: the judge replaces conditions (the builder refuses them)
     * @param counts the four queries and the judge
     * @param history the baseline's past the judge learns from, or {@link BaselineHistoryQueries#OFF}
     */
    CountsProbe(QueryRunner queries, Criteria criteria, OnNoData onNoData, CountQueries counts,
            BaselineHistoryQueries history) {
        super(queries, criteria, onNoData);
        this.counts = counts;
        this.history = history;
    }

    /** The count test compares the canary's errors with the baseline's. */
    @Override
    String judgedAgainstTheBaseline() {
        return String.join(", ", CountQueries.KEYS);
    }

    /** The count test's rounds would overlap at the plan's interval ({@link RoundOverlap#warnings}). */
    @Override
    List<String> roundWarnings(VerificationPlan plan) {
        return RoundOverlap.warnings(RoundOverlap.window(counts.queries(), null), plan.interval(), CountQueries.KEYS);
    }

    @Override
    ProbeResult measure(ProbeContext context, Window window, Duration left) {
        List<QueryResult> results = queries.fetchAll(counts.queries(), CountQueries.KEYS, window, left);
        List<String> warnings = new ArrayList<>();
        results.forEach(r -> warnings.addAll(r.warnings()));
        ProbeResult unjudged = queries.unjudged(warnings);
        if (unjudged != null) {
            return unjudged;
        }
        BaselineHistoryQueries.Request past = history.counts(queries, context, window.end(), counts.baselineErrors(),
                counts.baselineRequests());
        return queries.withWarnings(counts.judge(results, onNoData(), context, past), warnings);
    }

    /** The count test's evidence against its threshold ({@link dev.vigil.analysis.CanaryAnalysis#plot()}). */
    @Override
    public Plot plot() {
        return counts.analysis().plot();
    }

    /** {@code PromQL counts, canary vs baseline, judged by ... at http://host:9090: errors of requests}, without secrets. */
    @Override
    public String description() {
        return "PromQL counts, canary vs baseline, judged by " + counts.analysis().describe() + " at " + shownBaseUrl() + ": "
                + Texts.shorten(counts.canaryErrors(), DESCRIPTION_QUERY_LENGTH / 2) + " of "
                + Texts.shorten(counts.canaryRequests(), DESCRIPTION_QUERY_LENGTH / 2);
    }

    @Override
    Map<String, String> queriesByKey() {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (int i = 0; i < CountQueries.KEYS.size(); i++) {
            byKey.put(CountQueries.KEYS.get(i), counts.queries().get(i));
        }
        return byKey;
    }

    @Override
    void describeQueries(StringBuilder out) {
        for (int i = 0; i < CountQueries.KEYS.size(); i++) {
            out.append(", ").append(CountQueries.KEYS.get(i)).append('=')
                    .append(Texts.shorten(counts.queries().get(i), DESCRIPTION_QUERY_LENGTH));
        }
        out.append(", judge=").append(counts.analysis().describe());
        history.describe(out);
    }
}
