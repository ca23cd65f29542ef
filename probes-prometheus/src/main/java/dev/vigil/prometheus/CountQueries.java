package dev.vigil.prometheus;

import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryRound;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Counts mode: four instant queries each round, each one number of events counted during the
 * round ({@code sum(increase(...[10s]))}): the canary's errors and requests, the baseline's errors
 * and requests. They feed the count test of a canary judge (errors against requests), which is the
 * test that catches an error-rate regression soonest. Immutable.
 *
 * @param canaryErrors the canary's errors counted during the round
 * @param canaryRequests the canary's requests counted during the round
 * @param baselineErrors the baseline's errors counted during the round
 * @param baselineRequests the baseline's requests counted during the round
 * @param analysis the judge the counts go to
 */
record CountQueries(String canaryErrors, String canaryRequests, String baselineErrors, String baselineRequests,
        CanaryAnalysis analysis) {

    /** The configuration keys of the four queries, in the order of {@link #queries()}. */
    static final List<String> KEYS = List.of("canary-errors-query", "canary-requests-query",
            "baseline-errors-query", "baseline-requests-query");

    private static final String EMPTY_HINT = "a count of errors stays empty until the first error is counted:"
            + " append 'or vector(0)' to the query to read that as 0";

    CountQueries {
        Objects.requireNonNull(analysis, "analysis");
    }

    List<String> queries() {
        return List.of(canaryErrors, canaryRequests, baselineErrors, baselineRequests);
    }

    /**
     * Reads the four counts and hands them to the judge. An empty result or NaN follows
     * {@code on-no-data}; more than one series, a negative or infinite count is an {@code ERROR}.
     * Counts from {@code increase()} are extrapolated, so they are rounded, and errors are capped at
     * the requests of the same version.
     *
     * @param results the answers to {@link #queries()}, in the same order
     * @param history the baseline's past for the judge, asked for once per verification, by the
     *     round that makes the judge
     */
    ProbeResult judge(List<QueryResult> results, OnNoData onNoData, ProbeContext context,
            BaselineHistoryQueries.Request history) {
        double[] counts = new double[4];
        for (int i = 0; i < 4; i++) {
            QueryResult result = results.get(i);
            String key = KEYS.get(i);
            List<Series> series = result.series();
            if (series.isEmpty() || series.stream().allMatch(s -> s.samples().isEmpty())) {
                return Judging.noData(onNoData, key + " returned no data", EMPTY_HINT);
            }
            if (series.size() > 1) {
                return ProbeResult.error(key + " returned " + series.size() + " series (" + series.get(0).selector()
                        + ", ...); a count is one number: aggregate the query with sum(...)");
            }
            double value = series.get(0).samples().get(series.get(0).samples().size() - 1).value();
            if (Double.isNaN(value)) {
                return Judging.noData(onNoData, key + " is NaN", null);
            }
            if (value < 0 || Double.isInfinite(value)) {
                return ProbeResult.error(key + " returned " + Texts.number(value) + ", which is not a count of events:"
                        + " count with sum(increase(...[interval]))");
            }
            counts[i] = value;
        }
        long canaryRequests = Math.round(counts[1]);
        long baselineRequests = Math.round(counts[3]);
        CanaryRound.Counts round = new CanaryRound.Counts(Math.min(Math.round(counts[0]), canaryRequests), canaryRequests,
                Math.min(Math.round(counts[2]), baselineRequests), baselineRequests);
        ProbeResult judged = history.noted(analysis.measure(context, round, history));
        Map<String, Object> values = new java.util.LinkedHashMap<>(judged.values());
        values.putIfAbsent("canary-errors", round.canaryEvents());
        values.putIfAbsent("canary-requests", round.canaryTrials());
        values.putIfAbsent("baseline-errors", round.baselineEvents());
        values.putIfAbsent("baseline-requests", round.baselineTrials());
        return judged.outcome() == dev.vigil.Outcome.ERROR ? ProbeResult.error(judged.error(), values)
                : ProbeResult.of(judged.outcome(), values, judged.explanation());
    }
}
