package dev.vigil.prometheus;

import dev.vigil.Durations;
import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.BaselineHistory;
import dev.vigil.prometheus.PrometheusClient.PrometheusQueryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The baseline's own past for the sequential judge of counts and histogram modes: the baseline's
 * queries ({@code baseline-errors-query} and {@code baseline-requests-query}, or
 * {@code baseline-histogram-query}) asked as range queries over {@code [t - lookback, t - step]},
 * where {@code t} is the time of the round that makes the judge and {@code step} is the round's
 * length (by default the longest range selector {@code [10s]} of those queries), so that each point
 * counts one round-long step of the time before the canary. The judge learns from them how bursty
 * the baseline's errors are and how much its latency wobbles ({@link BaselineHistory}).
 *
 * <p>The history never makes a verification worse: a failed, timed-out, warned, empty or malformed
 * answer gives {@link BaselineHistory#none()}, the judge starts from its cautious prior as without
 * it, and the first judged round's explanation says why. It is asked for once per verification,
 * by the round that makes the judge, within half of what is left of that round's deadline so that
 * the round itself is never late. A step missing in one of the two count queries, or NaN, negative
 * or infinite there, is skipped; so is a histogram step whose cumulative buckets go down from one
 * bound to the next or are negative (a counter reset), read exactly as a round is
 * ({@link HistogramQueries#read}). One answer is not left out but makes the round an {@code ERROR}:
 * a count step whose errors are clearly above its requests ({@link CountQueries#excess}), since the
 * same errors query judges the bake. Immutable; thread-safe.
 */
final class BaselineHistoryQueries {

    /** The key of how far back the history reaches. */
    static final String KEY = "baseline-history";

    /** The key of the length of one past round. */
    static final String STEP_KEY = "baseline-history-step";

    /** No history: the judge starts from its cautious prior. */
    static final BaselineHistoryQueries OFF = new BaselineHistoryQueries(null, null);

    private static final String NOTE = "no baseline history (the judge starts from its cautious prior): ";

    private final Duration lookback;
    private final Duration step;

    /**
     * @param lookback how far back, or {@code null} for none
     * @param step the length of one past round, or {@code null} for the longest range selector
     */
    BaselineHistoryQueries(Duration lookback, Duration step) {
        this.lookback = lookback;
        this.step = step;
    }

    /** Whether the history is switched off. */
    boolean off() {
        return lookback == null;
    }

    /**
     * Checks the settings against the baseline queries when the user set them: a window that holds
     * fewer past rounds than the judge learns from, or more points than Prometheus gives, is an error
     * naming the key that was set. With the default window, the same is only said in the first
     * round's explanation.
     *
     * @param keys the keys of the baseline queries, for messages
     * @param queries the baseline queries
     * @param lookbackSet whether {@code baseline-history} was set
     * @throws InvalidSetting naming {@code baseline-history} or {@code baseline-history-step}
     */
    void check(List<String> keys, List<String> queries, boolean lookbackSet) {
        if (off() || !lookbackSet && step == null) {
            return;
        }
        Plan plan = plan(keys, queries);
        if (plan.step() == null) {
            // No range selector to take the step from: said in the first round, as the default does.
            return;
        }
        String problem = plan.problem();
        if (problem != null) {
            String key = lookbackSet && !plan.stepTooShort() ? KEY : STEP_KEY;
            throw new InvalidSetting(key, "(" + Durations.format(key.equals(KEY) ? lookback : step) + ") does not fit: "
                    + problem);
        }
    }

    /**
     * The step of the past rounds (or {@code null} when there is none to take), and the problem that
     * leaves the history out (or {@code null}).
     */
    private Plan plan(List<String> keys, List<String> queries) {
        Duration s = step;
        String from = "";
        if (s != null) {
            // A past round shorter than the queries' range would count part of the next one, and the
            // last past round part of the first judged round: the bake's own requests in the past.
            for (int i = 0; i < queries.size(); i++) {
                Duration range = QueryReach.longestRange(queries.get(i));
                if (range != null && range.compareTo(s) > 0) {
                    return new Plan(s, STEP_KEY + " " + Durations.format(s) + " is shorter than the range ["
                            + Durations.format(range) + "] of " + keys.get(i) + ": each past round would overlap the next,"
                            + " and the last one the first judged round; set " + STEP_KEY + " to at least "
                            + Durations.format(range) + " (the round's length), or leave it out", true);
                }
            }
        }
        if (s == null) {
            for (String query : queries) {
                Duration range = QueryReach.longestRange(query);
                if (range != null && (s == null || range.compareTo(s) > 0)) {
                    s = range;
                }
            }
            from = " (the longest range selector of " + String.join(" and ", keys) + ")";
            if (s == null) {
                return new Plan(null, String.join(" and ", keys) + (keys.size() > 1 ? " have" : " has")
                        + " no range selector such as [10s] to take a round's length from: set " + STEP_KEY
                        + " to the round's length, or " + KEY + "=off", false);
            }
        }
        // Divided as durations: a range selector such as [200000000000d] holds more milliseconds than a long.
        long rounds = s.compareTo(Duration.ofMillis(1)) < 0 ? Long.MAX_VALUE : lookback.dividedBy(s);
        if (rounds < BaselineHistory.MIN_ROUNDS) {
            return new Plan(s, KEY + " " + Durations.format(lookback) + " holds " + rounds + " step"
                    + (rounds == 1 ? "" : "s") + " of " + Durations.format(s) + from + ", fewer than the "
                    + BaselineHistory.MIN_ROUNDS + " past rounds the judge learns from: set " + KEY + " to at least "
                    + Durations.format(s.multipliedBy(BaselineHistory.MIN_ROUNDS)) + ", or off", false);
        }
        if (rounds > PrometheusProbe.MAX_POINTS) {
            return new Plan(s, KEY + " " + Durations.format(lookback) + " in steps of " + Durations.format(s) + from
                    + " is more than " + PrometheusProbe.MAX_POINTS + " points; Prometheus refuses that: shorten "
                    + KEY + " or lengthen " + STEP_KEY, false);
        }
        return new Plan(s, null, false);
    }

    /**
     * The count history of one round: asked for by the judge, it runs both range queries at once.
     *
     * @param time the round's time
     */
    Request counts(QueryRunner runner, ProbeContext context, Instant time, String errorsQuery, String requestsQuery) {
        if (off()) {
            return Request.NONE;
        }
        List<String> keys = CountQueries.KEYS.subList(2, 4);
        return new Request(() -> {
            Plan plan = plan(keys, List.of(errorsQuery, requestsQuery));
            if (plan.problem() != null) {
                throw new Unavailable(plan.problem());
            }
            List<QueryResult> both = fetch(runner, context, time, plan.step(), keys, List.of(errorsQuery, requestsQuery));
            List<TreeMap<Instant, Double>> points = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                List<Series> series = both.get(i).series();
                if (series.size() > 1) {
                    throw new Unavailable(keys.get(i) + " returned " + series.size() + " series over " + source() + " ("
                            + series.get(0).selector() + ", ...); a count is one number: aggregate the query with sum(...)");
                }
                if (series.isEmpty() || series.get(0).samples().isEmpty()) {
                    throw new Unavailable(keys.get(i) + " returned no data over " + source()
                            + (i == 0 ? " (append 'or vector(0)' to read no errors as 0)" : ""));
                }
                TreeMap<Instant, Double> byTime = new TreeMap<>();
                series.get(0).samples().stream().filter(p -> past(p, time, plan.step()))
                        .forEach(p -> byTime.put(p.time(), p.value()));
                points.add(byTime);
            }
            TreeSet<Instant> times = new TreeSet<>(points.get(0).keySet());
            times.addAll(points.get(1).keySet());
            int steps = times.size();
            long[] events = new long[steps];
            long[] trials = new long[steps];
            int kept = 0;
            for (Map.Entry<Instant, Double> requests : points.get(1).entrySet()) {
                Double errors = points.get(0).get(requests.getKey());
                if (errors == null || !CountQueries.isCount(errors) || !CountQueries.isCount(requests.getValue())) {
                    continue;
                }
                String excess = CountQueries.excess(keys.get(0), keys.get(1), errors, requests.getValue(),
                        " at " + requests.getKey() + " over " + source());
                if (excess != null) {
                    // The same query judges the bake: a past it cannot count is a query that is wrong.
                    throw new CountQueries.NotCounts(excess);
                }
                CountQueries.Tally step = CountQueries.tally(errors, requests.getValue());
                events[kept] = step.errors();
                trials[kept] = step.requests();
                kept++;
            }
            return usable(BaselineHistory.ofCounts(Arrays.copyOf(events, kept), Arrays.copyOf(trials, kept), source()),
                    steps - kept);
        });
    }

    /**
     * The histogram history of one round: asked for by the judge, it runs the baseline's histogram
     * query over the past and makes each step per band as a round is made.
     *
     * @param time the round's time
     * @param bounds the round's bucket bounds as {@code le} says them; a past with buckets that do not hold them all is not used
     * @param unit the unit of {@code le}; the judge learns from the bounds in seconds
     */
    Request histograms(QueryRunner runner, ProbeContext context, Instant time, String query, double[] bounds,
            BucketUnit unit) {
        if (off()) {
            return Request.NONE;
        }
        String key = HistogramQueries.KEYS.get(1);
        return new Request(() -> {
            Plan plan = plan(List.of(key), List.of(query));
            if (plan.problem() != null) {
                throw new Unavailable(plan.problem());
            }
            List<Series> series = fetch(runner, context, time, plan.step(), List.of(key), List.of(query)).get(0).series();
            if (series.stream().allMatch(s -> s.samples().isEmpty())) {
                throw new Unavailable(key + " returned no data over " + source());
            }
            List<Map<Instant, Double>> byTime = new ArrayList<>();
            TreeSet<Instant> times = new TreeSet<>();
            for (Series s : series) {
                Map<Instant, Double> points = new HashMap<>();
                s.samples().stream().filter(p -> past(p, time, plan.step())).forEach(p -> points.put(p.time(), p.value()));
                byTime.add(points);
                times.addAll(points.keySet());
            }
            List<long[]> rounds = new ArrayList<>();
            for (Instant at : times) {
                List<Series> step = new ArrayList<>();
                for (int i = 0; i < series.size() && step.size() == i; i++) {
                    Double value = byTime.get(i).get(at);
                    if (value != null) {
                        step.add(new Series(series.get(i).labels(), List.of(new Sample(at, value))));
                    }
                }
                if (step.size() < series.size()) {
                    continue;
                }
                Object read = HistogramQueries.read(key, step, OnNoData.INCONCLUSIVE);
                if (read instanceof ProbeResult unreadable) {
                    if (unreadable.outcome() == Outcome.ERROR) {
                        throw new Unavailable("over " + source() + ": " + unreadable.error());
                    }
                    continue;
                }
                HistogramQueries.Buckets buckets = (HistogramQueries.Buckets) read;
                if (buckets.reset() != null) {
                    continue;
                }
                if (!Arrays.equals(buckets.bounds(), bounds)) {
                    // Buckets that hold every bound of the round are counted on the round's bounds, exactly.
                    if (HistogramQueries.common(buckets.bounds(), bounds).length != bounds.length) {
                        throw new Unavailable(source() + " had other buckets than this round: "
                                + HistogramQueries.text(buckets.bounds()) + " against " + HistogramQueries.text(bounds));
                    }
                    buckets = buckets.onto(bounds);
                }
                rounds.add(buckets.bands());
            }
            return usable(BaselineHistory.ofHistograms(unit.seconds(bounds), rounds, source()), times.size() - rounds.size());
        });
    }

    /**
     * Whether a point counts a step wholly before the round at {@code time} and within the window
     * asked for: at or before {@code time - step}, and less than a step before
     * {@code time - lookback} (the start asked for is cut to the millisecond, and a server may align
     * it down to a multiple of the step). Prometheus answers no point outside the range asked for; a
     * proxy or a cache in front of it that answers a later one would put the bake itself into the
     * baseline's past, and one that answers earlier ones a past the user left out
     * ({@code baseline-history}), such as an incident or the previous version, whose noise would
     * discount the bake's evidence.
     */
    private boolean past(Sample point, Instant time, Duration step) {
        return !point.time().isAfter(time.minus(step)) && point.time().isAfter(time.minus(lookback).minus(step));
    }

    private BaselineHistory usable(BaselineHistory history, int skipped) {
        if (!history.usable()) {
            throw new Unavailable("only " + history.rounds() + " past round" + (history.rounds() == 1 ? "" : "s")
                    + " with requests in " + source() + (skipped > 0 ? " (" + skipped + " step" + (skipped == 1 ? "" : "s")
                    + " skipped: missing in a query, NaN, negative or a counter reset)" : "")
                    + ", fewer than the " + BaselineHistory.MIN_ROUNDS + " the judge learns from");
        }
        return history;
    }

    /** Runs the range queries within half of what is left of the round's deadline; Prometheus' warnings make them unusable. */
    private List<QueryResult> fetch(QueryRunner runner, ProbeContext context, Instant time, Duration s, List<String> keys,
            List<String> queries) {
        // Half, so that a history that takes all its time still leaves the round its answer.
        Duration left = runner.timeLeft(context).dividedBy(2);
        if (left.toMillis() < 1) {
            throw new Unavailable("no time left in the round's deadline for the range query");
        }
        List<QueryResult> results = runner.fetchRanges(queries, keys, time.minus(lookback), time.minus(s), s, left);
        List<String> warnings = new ArrayList<>();
        results.forEach(r -> warnings.addAll(r.warnings()));
        if (!runner.trusted(warnings)) {
            throw new Unavailable("Prometheus warned about the range query over " + source() + ": "
                    + String.join("; ", warnings) + " (a warned answer may miss series)");
        }
        return results;
    }

    /** {@code the baseline's last 30m}: where the past rounds come from. */
    private String source() {
        return "the baseline's last " + Durations.format(lookback);
    }

    /** Appends {@code , baseline-history=30m} (or {@code off}) and the step when it was set. */
    void describe(StringBuilder out) {
        out.append(", ").append(KEY).append('=').append(off() ? "off" : Durations.format(lookback));
        if (step != null && !off()) {
            out.append(", ").append(STEP_KEY).append('=').append(Durations.format(step));
        }
    }

    /**
     * The step of the past rounds, or the problem that leaves the history out, and whether that is a
     * step shorter than the queries' range (the fault of {@code baseline-history-step}, whatever else was set).
     */
    private record Plan(Duration step, String problem, boolean stepTooShort) {
    }

    /** Why there is no history; caught by {@link Request}, never leaves this class. */
    private static final class Unavailable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unavailable(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * What one round hands its judge ({@link dev.vigil.analysis.CanaryAnalysis#measure(ProbeContext,
     * dev.vigil.analysis.CanaryRound, Supplier)}): fetches the history when the judge asks for it,
     * throws only {@link CountQueries.NotCounts} (a past step whose errors are clearly above its
     * requests: the errors query is wrong, and the round is an {@code ERROR}), and remembers why none
     * was used, for that round's explanation. Used by the
     * round's thread only.
     */
    static final class Request implements Supplier<BaselineHistory> {

        /** No history and nothing to say: the history is off. */
        static final Request NONE = new Request(null);

        private final Supplier<BaselineHistory> fetch;
        private volatile String note;

        private Request(Supplier<BaselineHistory> fetch) {
            this.fetch = fetch;
        }

        @Override
        public BaselineHistory get() {
            if (fetch == null) {
                return BaselineHistory.none();
            }
            try {
                return fetch.get();
            } catch (CountQueries.NotCounts e) {
                throw e;
            } catch (Unavailable | PrometheusQueryException e) {
                note = NOTE + e.getMessage();
            } catch (RuntimeException e) {
                note = NOTE + "the range query failed: "
                        + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            }
            return BaselineHistory.none();
        }

        /** The measurement with why there was no history added to its explanation, when it was asked for and failed. */
        ProbeResult noted(ProbeResult m) {
            String why = note;
            if (why == null || m.outcome() == Outcome.ERROR) {
                return m;
            }
            return m.withExplanation(m.explanation() + "; " + why);
        }
    }
}
