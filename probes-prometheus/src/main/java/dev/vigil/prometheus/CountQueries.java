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

    CountQueries {
        Objects.requireNonNull(analysis, "analysis");
    }

    List<String> queries() {
        return List.of(canaryErrors, canaryRequests, baselineErrors, baselineRequests);
    }

    /**
     * The errors a version may count above its requests before the round is refused, as a share of
     * the requests: {@link #EXCESS_ALLOWED} or one request, whichever is more. The errors and the
     * requests of one service are scraped together, so {@code increase()} extrapolates both by the
     * same factor, and the errors come out above the requests only by rounding or by the few
     * requests a scrape catches counted in one counter and not yet in the other. An excess beyond
     * that is no extrapolation: the errors query counts something the requests query does not
     * (another metric, another version, no version selector), and a capped count would be judged as
     * a 100% error rate, which on the baseline's side makes any canary look better.
     */
    static final double EXCESS_ALLOWED = 0.1;

    /**
     * Reads the four counts and hands them to the judge. An empty result or NaN follows
     * {@code on-no-data}; more than one series, a negative or infinite count is an {@code ERROR}.
     * Counts from {@code increase()} are extrapolated, so they are rounded, and errors a little above
     * the requests of the same version are capped at them; errors clearly above them
     * ({@link #excess}) are an {@code ERROR} naming both queries and both numbers, and so are they in
     * a step of the baseline's past. A round in which a version served no request is never a
     * {@code PASS}: the judge calls it {@code INSUFFICIENT_DATA} unless it found a regression.
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
                // The errors queries (first and third) count errors whatever their words.
                return Judging.noData(onNoData, key + " returned no data", Judging.emptyHint(queries().get(i), i % 2 == 0));
            }
            if (series.size() > 1) {
                return ProbeResult.error(key + " returned " + series.size() + " series (" + series.get(0).selector()
                        + ", ...); a count is one number: aggregate the query with sum(...)");
            }
            double value = series.get(0).samples().get(series.get(0).samples().size() - 1).value();
            if (Double.isNaN(value)) {
                return Judging.noData(onNoData, key + " is NaN", null);
            }
            if (!isCount(value)) {
                return ProbeResult.error(key + " returned " + Texts.number(value) + ", which is not a count of events:"
                        + " count with sum(increase(...[interval]))");
            }
            counts[i] = value;
        }
        for (int v = 0; v < 4; v += 2) {
            String excess = excess(KEYS.get(v), KEYS.get(v + 1), counts[v], counts[v + 1], "");
            if (excess != null) {
                return ProbeResult.error(excess);
            }
        }
        Tally canary = tally(counts[0], counts[1]);
        Tally baseline = tally(counts[2], counts[3]);
        CanaryRound.Counts round = new CanaryRound.Counts(canary.errors(), canary.requests(), baseline.errors(),
                baseline.requests());
        ProbeResult overlap = RoundOverlap.check(context, RoundOverlap.window(queries(), null), KEYS);
        if (overlap != null) {
            return overlap;
        }
        ProbeResult judged;
        try {
            judged = history.noted(analysis.measure(context, round, history));
        } catch (NotCounts e) {
            return ProbeResult.error(e.getMessage());
        } catch (IllegalArgumentException e) {
            // Counts no judge can add up (beyond a long), with the judge as it was.
            return ProbeResult.error("the count judge refused the round: " + e.getMessage());
        }
        Map<String, Object> values = new java.util.LinkedHashMap<>(judged.values());
        values.putIfAbsent("canary-errors", round.canaryEvents());
        values.putIfAbsent("canary-requests", round.canaryTrials());
        values.putIfAbsent("baseline-errors", round.baselineEvents());
        values.putIfAbsent("baseline-requests", round.baselineTrials());
        return judged.outcome() == dev.vigil.Outcome.ERROR ? ProbeResult.error(judged.error(), values)
                : ProbeResult.of(judged.outcome(), values, judged.explanation());
    }

    /**
     * Whether a query's value is a count of events: finite and not negative.
     *
     * @param value the value of a count query
     * @return {@code true} for a count
     */
    static boolean isCount(double value) {
        return Double.isFinite(value) && value >= 0;
    }

    /**
     * Why a version's errors cannot be read against its requests: more errors than the requests and
     * the allowance for extrapolation ({@link #EXCESS_ALLOWED}, at least one request) together.
     *
     * @param errorsKey the key of the errors query, for the message
     * @param requestsKey the key of the requests query, for the message
     * @param errors the value of the errors query, a count ({@link #isCount})
     * @param requests the value of the requests query, a count
     * @param where {@code ""} for a round, or where in the baseline's past, with a leading blank
     * @return the sentence for the {@code ERROR}, or {@code null} when the errors are within it
     */
    static String excess(String errorsKey, String requestsKey, double errors, double requests, String where) {
        if (errors <= requests + Math.max(1, EXCESS_ALLOWED * requests)) {
            return null;
        }
        return errorsKey + " counted " + Texts.number(errors) + " errors against " + Texts.number(requests)
                + " requests of " + requestsKey + where + ": more errors than requests is no error rate (at most "
                + Math.round(EXCESS_ALLOWED * 100) + "% more, from increase()'s extrapolation, is read as all requests"
                + " failing); the errors query must count a part of what the requests query counts: the same metric"
                + " and version selectors, with the error filter added";
    }

    /**
     * One version's errors and requests over one round-long step, from the values of its two count
     * queries, as the count test takes them: {@code increase()} extrapolates to its window, so the
     * values come as fractions and are rounded to the nearest whole count, and the errors are capped
     * at the requests (extrapolated separately, they can come out a little above them). Used for a
     * round and for each step of the baseline's past alike.
     *
     * @param errors the value of the errors query
     * @param requests the value of the requests query
     * @return the rounded counts, errors at most requests
     * @throws IllegalArgumentException when a value is not a count ({@link #isCount}): NaN, negative
     *     or infinite, or when the errors are clearly above the requests ({@link #excess})
     */
    static Tally tally(double errors, double requests) {
        if (!isCount(errors) || !isCount(requests)) {
            throw new IllegalArgumentException("not counts: " + Texts.number(errors) + " errors of "
                    + Texts.number(requests) + " requests");
        }
        String excess = excess("errors", "requests", errors, requests, "");
        if (excess != null) {
            throw new IllegalArgumentException(excess);
        }
        long trials = Math.round(requests);
        return new Tally(Math.min(Math.round(errors), trials), trials);
    }

    /**
     * One version's whole counts over one round-long step, made by {@link #tally}.
     *
     * @param errors the errors, {@code 0 <= errors <= requests}
     * @param requests the requests, {@code >= 0}
     */
    record Tally(long errors, long requests) {
    }

    /**
     * Counts that are no counts of errors against requests, found where the judge asks for them (a
     * step of the baseline's past): the round is an {@code ERROR} with this message, not judged.
     */
    static final class NotCounts extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotCounts(String message) {
            super(message, null, false, false);
        }
    }
}
