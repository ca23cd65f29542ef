package dev.vigil.prometheus;

import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryRound;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Histogram mode of canary analysis: two instant queries each round, the canary's and the
 * baseline's histogram bucket increments during the round by {@code le}
 * ({@code sum by (le) (increase(http_server_requests_seconds_bucket{version="v"}[10s]))}). The
 * buckets are cumulative (each {@code le} counts every request at most that slow); they are made
 * per band and go to the histogram judge of a canary analysis. Immutable.
 *
 * <p>What each round checks, in this order, for each side: no series or only NaN follows
 * {@code on-no-data}; a series without an {@code le} label, two series with the same {@code le},
 * an {@code le} that is not a number, or no {@code le="+Inf"} bucket is an {@code ERROR} naming the
 * key; a cumulative count that goes down from one bound to the next or a negative count (a counter
 * reset within the round, or buckets scraped at different times) makes the round
 * {@code INCONCLUSIVE}, with nothing fed to the judge: no data for that round. Sides with different
 * bounds (a release that changes its buckets) are compared on the bounds both have, said in the
 * explanation; with no finite bound in common the round is an {@code ERROR} naming both keys and
 * both sets of bounds. A round
 * in which a version served no request adds nothing to the judge and is {@code INCONCLUSIVE}.
 *
 * @param canary the canary's bucket increments during the round, by {@code le}
 * @param baseline the baseline's bucket increments during the round, by {@code le}
 * @param analysis the sequential judge the bands go to
 * @param unit the unit of {@code le}; the judge gets the bounds in seconds, messages quote {@code le} as it is
 */
record HistogramQueries(String canary, String baseline, CanaryAnalysis analysis, BucketUnit unit) {

    /** The configuration keys of the two queries, in the order of {@link #queries()}. */
    static final List<String> KEYS = List.of("canary-histogram-query", "baseline-histogram-query");

    private static final String EMPTY_HINT = "query the buckets' increments by le, such as sum by (le) "
            + "(increase(http_server_requests_seconds_bucket{...}[10s])), and check that the histogram is exported "
            + "(percentiles-histogram in Spring Boot); after rounds with data, it means that the version's series"
            + " stopped: its pods are gone or were relabelled, or the target stopped reporting or is down (check up for"
            + " its job)";

    HistogramQueries {
        Objects.requireNonNull(analysis, "analysis");
        Objects.requireNonNull(unit, "unit");
    }

    List<String> queries() {
        return List.of(canary, baseline);
    }

    /**
     * Reads both histograms and hands the bands to the judge.
     *
     * @param results the answers to {@link #queries()}, in the same order
     * @param history the baseline's past for the judge, given the round's bucket bounds as {@code le} says them; asked for
     *     once per verification, by the round that makes the judge
     */
    ProbeResult judge(List<QueryResult> results, OnNoData onNoData, ProbeContext context,
            Function<double[], BaselineHistoryQueries.Request> history) {
        Buckets[] sides = new Buckets[2];
        for (int i = 0; i < 2; i++) {
            Object read = read(KEYS.get(i), results.get(i).series(), onNoData);
            if (read instanceof ProbeResult early) {
                return early;
            }
            sides[i] = (Buckets) read;
        }
        String otherBounds = null;
        if (!Arrays.equals(sides[0].bounds, sides[1].bounds)) {
            // A release that changes its histogram's buckets: compared on the bounds both have, which
            // cumulative buckets count exactly; refused only when no finite bound is shared.
            double[] common = common(sides[0].bounds, sides[1].bounds);
            String both = KEYS.get(0) + " and " + KEYS.get(1) + " have different bucket bounds: canary "
                    + text(sides[0].bounds) + ", baseline " + text(sides[1].bounds);
            if (common.length < 2) {
                return ProbeResult.error(both + ", and no finite bound in common; both versions need buckets in common"
                        + " (the same histogram configuration, or bounds that one keeps of the other's)");
            }
            sides[0] = sides[0].onto(common);
            sides[1] = sides[1].onto(common);
            otherBounds = both + "; compared on the " + common.length + " bounds both have, " + text(common);
        }
        for (int i = 0; i < 2; i++) {
            String reset = sides[i].reset;
            if (reset != null) {
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("series", sides[i].bounds.length);
                return ProbeResult.inconclusive(values, KEYS.get(i) + " " + reset + "; no data for this round, nothing judged");
            }
        }
        CanaryRound.Histogram round;
        try {
            round = CanaryRound.histogram(unit.seconds(sides[0].bounds), sides[0].bands, sides[1].bands);
        } catch (IllegalArgumentException e) {
            return ProbeResult.error(KEYS.get(0) + " and " + KEYS.get(1) + ": " + e.getMessage());
        }
        ProbeResult overlap = RoundOverlap.check(context, RoundOverlap.window(queries(), null), KEYS);
        if (overlap != null) {
            return overlap;
        }
        ProbeResult judged;
        BaselineHistoryQueries.Request past = history.apply(sides[1].bounds);
        try {
            judged = past.noted(analysis.measure(context, round, past));
        } catch (IllegalArgumentException e) {
            return ProbeResult.error("the histogram judge refused the round: " + e.getMessage());
        }
        Map<String, Object> values = new LinkedHashMap<>(judged.values());
        values.putIfAbsent("canary-requests", sides[0].total());
        values.putIfAbsent("baseline-requests", sides[1].total());
        values.put("round-canary-requests", sides[0].total());
        values.put("round-baseline-requests", sides[1].total());
        values.put("buckets", sides[0].bounds.length);
        if (otherBounds != null) {
            values.put("bounds-in-common", text(sides[0].bounds));
        }
        if (judged.outcome() == Outcome.ERROR) {
            return ProbeResult.error(otherBounds == null ? judged.error() : judged.error() + " (" + otherBounds + ")", values);
        }
        String explanation = judged.explanation();
        if (otherBounds != null) {
            explanation = explanation == null || explanation.isBlank() ? otherBounds : explanation + "; " + otherBounds;
        }
        return ProbeResult.of(judged.outcome(), values, explanation);
    }

    /** The bounds both sides have, in order; {@code +Inf}, which both must have, is the last. */
    static double[] common(double[] a, double[] b) {
        return Arrays.stream(a).filter(x -> Arrays.binarySearch(b, x) >= 0).toArray();
    }

    /**
     * One side's bands from its cumulative buckets, or a {@link ProbeResult} that ends the round: an
     * {@code ERROR} for buckets that cannot be read in any round, else what {@code onNoData} makes of
     * no data. Also reads each step of the baseline's past ({@link BaselineHistoryQueries}).
     */
    static Object read(String key, List<Series> series, OnNoData onNoData) {
        if (series.isEmpty() || series.stream().allMatch(s -> s.samples().isEmpty())) {
            return Judging.noData(onNoData, key + " returned no data", EMPTY_HINT);
        }
        TreeMap<Double, Double> cumulative = new TreeMap<>();
        boolean allNaN = true;
        for (Series s : series) {
            String le = s.labels().get("le");
            if (le == null) {
                return ProbeResult.error(key + " returned a series without an 'le' label (" + s.selector()
                        + "); a histogram query keeps the buckets apart: sum by (le) (increase(..._bucket[10s]))");
            }
            double bound;
            try {
                bound = le.equals("+Inf") || le.equalsIgnoreCase("inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
            } catch (NumberFormatException e) {
                return ProbeResult.error(key + " returned le=\"" + le + "\", which is not a bucket bound");
            }
            if (Double.isNaN(bound)) {
                return ProbeResult.error(key + " returned le=\"" + le + "\", which is not a bucket bound");
            }
            if (s.samples().isEmpty()) {
                continue;
            }
            double value = s.lastValue();
            allNaN &= Double.isNaN(value);
            if (cumulative.put(bound, value) != null) {
                return ProbeResult.error(key + " returned two series for le=\"" + le + "\" (" + s.selector()
                        + ", ...); aggregate the buckets with sum by (le) (...)");
            }
        }
        if (allNaN) {
            return Judging.noData(onNoData, key + " is NaN", EMPTY_HINT);
        }
        if (!cumulative.containsKey(Double.POSITIVE_INFINITY)) {
            return ProbeResult.error(key + " has no le=\"+Inf\" bucket, so the number of requests is unknown: query "
                    + "every bucket (no filter on le); bounds found: " + text(cumulative.keySet().stream()
                            .mapToDouble(Double::doubleValue).toArray()));
        }
        double[] bounds = new double[cumulative.size()];
        long[] bands = new long[cumulative.size()];
        String reset = null;
        long previous = 0;
        double previousBound = 0;
        int i = 0;
        for (Map.Entry<Double, Double> e : cumulative.entrySet()) {
            double value = e.getValue();
            bounds[i] = e.getKey();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                reset = reset != null ? reset : "returned " + Texts.number(value) + " for le=\"" + le(e.getKey())
                        + "\", which is not a count of requests (count with increase(...))";
                value = 0;
            } else if (value < 0) {
                reset = reset != null ? reset : "returned " + Texts.number(value) + " for le=\"" + le(e.getKey())
                        + "\", a negative increment: a counter reset during the round (a restart) that the query does"
                        + " not make up for, or a query that subtracts instead of increase(...)";
                value = 0;
            }
            // increase() extrapolates to the window, so counts come as fractions: rounded.
            long count = Math.round(value);
            if (count < previous && reset == null) {
                reset = "counts fewer requests at le=\"" + le(e.getKey()) + "\" (" + count + ") than at le=\""
                        + le(previousBound) + "\" (" + previous + "), " + (e.getKey() == Double.POSITIVE_INFINITY
                        ? "though the +Inf bucket counts every request: its series is not the total of the same buckets"
                                + " (the query leaves out or filters some +Inf series, or counts them over another window)"
                        : "though buckets are cumulative: a counter reset during the round (a restart) or buckets"
                                + " counted over different windows" + perBand(cumulative));
            }
            bands[i] = Math.max(0, count - previous);
            if (count > previous) {
                previous = count;
                previousBound = e.getKey();
            }
            i++;
        }
        return new Buckets(bounds, bands, reset);
    }

    /**
     * {@code ", or ..."} when the finite buckets add up to no more than the {@code +Inf} bucket, as
     * buckets that each count one band do (an exporter whose histogram is not cumulative: the same
     * in every round, so every round is no data); else empty. Cumulative buckets add up to more.
     */
    private static String perBand(TreeMap<Double, Double> cumulative) {
        Double all = cumulative.get(Double.POSITIVE_INFINITY);
        if (all == null || !Double.isFinite(all)) {
            return "";
        }
        long finite = Math.round(cumulative.headMap(Double.POSITIVE_INFINITY).values().stream()
                .mapToDouble(v -> Double.isFinite(v) ? v : 0).sum());
        long total = Math.round(all);
        return finite <= total ? ", or buckets that are not cumulative (each le counting only its own band, which a"
                + " Prometheus histogram never does): the finite buckets add up to " + finite + ", no more than the +Inf"
                + " bucket's " + total : "";
    }

    private static String le(double bound) {
        return bound == Double.POSITIVE_INFINITY ? "+Inf" : Texts.number(bound);
    }

    static String text(double[] bounds) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < bounds.length; i++) {
            if (bounds.length > 12 && i == 5) {
                out.append(", ... ").append(bounds.length - 8).append(" more");
                i = bounds.length - 3;
            }
            out.append(i == 0 ? "" : ", ").append(le(bounds[i]));
        }
        return out.append(']').toString();
    }

    /** One side's bands; {@code reset} says why the round is no data, or is {@code null}. */
    record Buckets(double[] bounds, long[] bands, String reset) {
        long total() {
            return Arrays.stream(bands).sum();
        }

        /**
         * These bands on fewer bounds, each of them one of these, the last {@code +Inf} ({@link #common}):
         * a band of {@code coarser} holds the bands between its lower and upper bound. Exact, as the
         * buckets count every request at most as slow as their bound.
         */
        Buckets onto(double[] coarser) {
            long[] merged = new long[coarser.length];
            int j = 0;
            for (int i = 0; i < bounds.length; i++) {
                while (bounds[i] > coarser[j]) {
                    j++;
                }
                merged[j] += bands[i];
            }
            return new Buckets(coarser, merged, reset);
        }
    }
}
