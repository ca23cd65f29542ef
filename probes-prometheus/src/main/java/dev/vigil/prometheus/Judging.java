package dev.vigil.prometheus;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Judges a query result point by point: every series of an instant vector, every point of every
 * series of a range query. The probe fails when any point fails; otherwise it is in error when
 * any point could not be judged, inconclusive when any point proves nothing (NaN), and passes
 * only when every point passed. In a range, a series without data at the round's time (its newest
 * point older than {@code fresh}, the service stopped reporting; or NaN, no traffic now) is a
 * series without data, as in an instant vector: its failing points still count, its passing ones
 * show nothing about now. A failing point can be made no failure ({@code notCounted}): it is
 * {@code INCONCLUSIVE}, or left out when its series has a point that counts. Stateless.
 */
final class Judging {

    private Judging() {
    }

    /** One judged point. */
    private record Point(int index, Series series, Sample sample, ProbeResult measurement) {
    }

    /**
     * Judges the points of {@code result}.
     *
     * @param fresh for a range query, the time from which a series' newest point shows the round's
     *     time (the explanation then names the time); {@code null} for an instant query
     * @param notCounted why a failing point at the given time is no failure, and a point at that time
     *     does not show its series (a hotfix's query reaching into the incident it fixes), or
     *     {@code null} when it is one; {@code null} when every point counts
     * @param emptyHint what to say about an empty answer ({@link #emptyHint})
     */
    static ProbeResult points(QueryResult result, Criteria criteria, ConditionScan scan, OnNoData onNoData,
            Instant fresh, Function<Instant, String> notCounted, String emptyHint) {
        boolean range = fresh != null;
        List<Series> all = result.series();
        if (all.isEmpty() || all.stream().allMatch(s -> s.samples().isEmpty())) {
            return noData(onNoData, "the query returned no data (an empty " + result.resultType() + ")", emptyHint);
        }
        boolean labelled = !QueryResult.SCALAR.equals(result.resultType());
        List<Point> points = new ArrayList<>();
        List<Series> idle = new ArrayList<>();
        List<Series> stale = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            Series series = all.get(i);
            if (series.samples().isEmpty()) {
                continue;
            }
            Sample newest = series.newest().orElseThrow();
            boolean staleNow = range && series.stoppedBefore(fresh);
            // A range series that is NaN at its newest point has no traffic now, as an instant NaN.
            boolean idleNow = !staleNow && isNoData(newest, scan);
            boolean current = !staleNow && !idleNow;
            for (Sample sample : series.samples()) {
                if (isNoData(sample, scan)) {
                    // A NaN inside a range that has data now is a moment without traffic: nothing to
                    // judge, unless on-no-data says that missing data fails (or passes) wherever it is.
                    if (current && onNoData != OnNoData.INCONCLUSIVE) {
                        points.add(new Point(i, series, sample, noData(onNoData, nonFinite("value", sample.value()), null)));
                    }
                    continue;
                }
                ProbeResult judged = judge(series, sample, criteria);
                if (current || judged.outcome() == Outcome.FAIL || judged.outcome() == Outcome.ERROR) {
                    points.add(new Point(i, series, sample, judged));
                }
            }
            if (current) {
                continue;
            }
            // No data now: this series follows on-no-data on its own.
            if (onNoData == OnNoData.INCONCLUSIVE) {
                (staleNow ? stale : idle).add(series);
            } else {
                points.add(new Point(i, series, newest, noData(onNoData, staleNow ? staleText(newest, fresh)
                        : nonFinite("value", newest.value()), null)));
            }
        }
        List<Point> leftOut = new ArrayList<>();
        if (notCounted != null) {
            points = counted(points, notCounted, leftOut);
        }
        if (points.isEmpty()) {
            ProbeResult none = stale.isEmpty()
                    ? noData(onNoData, "value is NaN in " + (all.size() == 1 ? "the only series" : "all " + all.size()
                            + " series") + " (0/0: no traffic at all, or NaN in the data)", NAN_HINT)
                    : noData(onNoData, "no series has data at the round's time: " + (stale.size() == all.size()
                            ? "" : "NaN in the others, and ") + staleText(newest(stale), fresh), null);
            return ProbeResult.of(none.outcome(), Map.of("value", Double.NaN, "series", all.size()), none.explanation());
        }
        if (range) {
            points.sort(Comparator.comparing((Point p) -> p.sample().time()).thenComparingInt(Point::index));
        }
        Point fail = first(points, Outcome.FAIL);
        Point error = first(points, Outcome.ERROR);
        Point inconclusive = first(points, Outcome.INCONCLUSIVE);
        Point decisive = fail != null ? fail : error != null ? error : inconclusive != null ? inconclusive
                : lastOfFirstSeries(points);
        Outcome outcome = decisive.measurement().outcome();

        Map<String, Object> values = new LinkedHashMap<>();
        values.put("value", decisive.sample().value());
        decisive.measurement().values().forEach(values::putIfAbsent);
        if (labelled) {
            values.put("labels", decisive.series().selector());
        }
        if (range) {
            values.put("at", decisive.sample().time().toString());
        }
        values.put("series", all.size());
        if (range) {
            values.put("points", points.size());
        }
        double min = Double.NaN;
        double max = Double.NaN;
        for (Point p : points) {
            if (p.sample().isFinite()) {
                min = Double.isNaN(min) ? p.sample().value() : Math.min(min, p.sample().value());
                max = Double.isNaN(max) ? p.sample().value() : Math.max(max, p.sample().value());
            }
        }
        if (points.size() > 1 && !Double.isNaN(min)) {
            values.put("min", min);
            values.put("max", max);
        }

        // An aggregated series ({@code sum(...)}) has no labels: "{}" would say nothing.
        boolean named = labelled && !decisive.series().labels().isEmpty();
        String where = (named ? decisive.series().selector() : "")
                + (range ? (named ? " " : "") + "at " + decisive.sample().time() : "");
        String prefix = where.isEmpty() ? "" : where + ": ";
        String detail = decisive.measurement().outcome() == Outcome.ERROR && decisive.measurement().error() != null
                ? decisive.measurement().error() : decisive.measurement().explanation();
        int judgedSeries = (int) points.stream().mapToInt(Point::index).distinct().count();
        String explanation = prefix + detail + tally(points, outcome, judgedSeries, range) + leftOutNote(leftOut, labelled)
                + idleNote(idle, labelled) + staleNote(stale, fresh, labelled);
        if (!idle.isEmpty() || !stale.isEmpty()) {
            values.put("series-without-data", idle.size() + stale.size());
        }
        if (outcome == Outcome.FAIL && all.size() > 1) {
            values.put("failing-series", countSeries(points, Outcome.FAIL));
        }
        return outcome == Outcome.ERROR ? ProbeResult.error(explanation, values) : ProbeResult.of(outcome, values, explanation);
    }

    /**
     * The points with each failure that {@code notCounted} gives a reason for made
     * {@code INCONCLUSIVE}, or left out (into {@code leftOut}) when its series has a point that
     * counts: that point shows the series without what made the failure none.
     */
    private static List<Point> counted(List<Point> points, Function<Instant, String> notCounted, List<Point> leftOut) {
        List<String> reasons = new ArrayList<>();
        Set<Integer> shown = new HashSet<>();
        for (Point p : points) {
            String reason = notCounted.apply(p.sample().time());
            reasons.add(p.measurement().outcome() == Outcome.FAIL ? reason : null);
            if (reason == null) {
                shown.add(p.index());
            }
        }
        List<Point> kept = new ArrayList<>();
        for (int k = 0; k < points.size(); k++) {
            Point p = points.get(k);
            String reason = reasons.get(k);
            if (reason == null) {
                kept.add(p);
                continue;
            }
            Map<String, Object> values = new LinkedHashMap<>(p.measurement().values());
            values.put(ProbeResult.FAILURE_NOT_COUNTED, true);
            Point none = new Point(p.index(), p.series(), p.sample(), ProbeResult.inconclusive(values,
                    p.measurement().explanation() + "; " + reason));
            (shown.contains(p.index()) ? leftOut : kept).add(none);
        }
        return kept;
    }

    /** Says which failing points were left out, as later points of their series count, and why the first was. */
    private static String leftOutNote(List<Point> leftOut, boolean labelled) {
        if (leftOut.isEmpty()) {
            return "";
        }
        Point first = leftOut.stream().min(Comparator.comparing((Point p) -> p.sample().time())).orElseThrow();
        String where = labelled && !first.series().labels().isEmpty() ? first.series().selector() + " " : "";
        return "; " + leftOut.size() + " failing point" + (leftOut.size() == 1 ? "" : "s")
                + " left out, as points of the same series count (the first, " + where + "at " + first.sample().time()
                + ": " + first.measurement().explanation() + ")";
    }

    /** A query of {@code absent} or {@code absent_over_time}, which is empty while what it looks for is there. */
    private static final Pattern ABSENT = Pattern.compile("\\s*absent(?:_over_time)?\\s*\\(");

    /** Words of a query that counts errors: {@code errors_total}, {@code code=~"5.."}, {@code status="500"}. */
    private static final Pattern ERRORS = Pattern.compile("error|fail|fault|exception|5xx|5\\.\\.|[\"'`]5\\d\\d");

    /**
     * What to say about an empty answer to {@code promql}, the likely causes first. {@code absent(...)}
     * is empty while what it looks for is there, the healthy case: {@code on-no-data=pass}. An error
     * ratio or count without {@code or vector(0)} is empty until the first error is counted, which
     * {@code or vector(0)} reads as 0; but any query is empty also when the target stopped reporting or
     * is down, and when a range of {@code rate} or another function needing two samples is shorter
     * than two scrape intervals, which {@code or vector(0)} would hide, so those are named too.
     *
     * @param promql the query, as configured
     * @return the hint, never {@code null}
     */
    static String emptyHint(String promql) {
        return emptyHint(promql, ERRORS.matcher(promql.toLowerCase(Locale.ROOT)).find());
    }

    /**
     * As {@link #emptyHint(String)}, told whether the query counts errors ({@code canary-errors-query}).
     *
     * @param countsErrors whether the query counts errors, or a ratio of them
     */
    static String emptyHint(String promql, boolean countsErrors) {
        String plain = QueryReach.withoutQuotes(promql);
        if (ABSENT.matcher(plain).lookingAt()) {
            return "absent(...) is empty while what it looks for exists, which is the healthy case: set on-no-data=pass"
                    + " for it (or append 'or vector(0)' to read that as 0)";
        }
        List<QueryReach.RangeSelector> ranges = QueryReach.of(promql).rangeSelectors();
        String causes = "the target stopped reporting or is down (check up for its job)" + (ranges.isEmpty() ? ""
                : ", or " + ranges.get(0).range() + " in " + ranges.get(0).function() + "(" + ranges.get(0).text()
                        + ") is shorter than two scrape intervals (" + ranges.get(0).function() + " needs two samples in it)");
        boolean zeroed = plain.replace(" ", "").contains("orvector(");
        if (zeroed || !countsErrors) {
            return "an empty answer may mean that " + causes;
        }
        return "a count of errors, and a ratio over it, stays empty until the first error is counted: append"
                + " 'or vector(0)' to the errors count to read that as 0; but it is empty also when " + causes
                + ", which 'or vector(0)' would hide";
    }

    /** How to judge NaN instead of reading it as missing data. */
    private static final String NAN_HINT = "test it in the condition with isNaN(value) to judge it,"
            + " or set on-no-data=fail or pass";

    /**
     * Whether a point is missing data: NaN (0/0), unless the condition tests for it with
     * {@code isNaN}. Infinities are not missing data: {@code histogram_quantile}
     * gives {@code +Inf} when requests overflow the largest bucket, the worst case, and it compares
     * like a number ({@code +Inf > 0.5}).
     */
    private static boolean isNoData(Sample sample, ConditionScan scan) {
        return Double.isNaN(sample.value()) && scan.uses("value") && !scan.testsNaN();
    }

    /** Judges one point with the conditions. */
    private static ProbeResult judge(Series series, Sample sample, Criteria criteria) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("value", sample.value());
        values.put("labels", series.labels());
        return criteria.judge(values);
    }

    /** Why a NaN value is missing data, and how to judge it instead. */
    static String nonFinite(String name, double value) {
        return name + " is " + Texts.number(value) + " (0/0: no traffic at all, or NaN in the data), which is no data;"
                + " test it in the condition with isNaN(" + name + ") to judge it";
    }

    /** Names the series left out because they had no data and on-no-data is inconclusive. */
    private static String idleNote(List<Series> idle, boolean labelled) {
        if (idle.isEmpty()) {
            return "";
        }
        List<String> names = idle.stream().limit(5).map(s -> labelled ? s.selector() : "the series").toList();
        return "; " + idle.size() + " series without data (NaN) left out, as on-no-data=inconclusive: "
                + String.join(", ", names) + (idle.size() > 5 ? ", ..." : "");
    }

    /** Names the series of a range left out because their newest point is older than the round's time shows. */
    private static String staleNote(List<Series> stale, Instant fresh, boolean labelled) {
        if (stale.isEmpty()) {
            return "";
        }
        List<String> names = stale.stream().limit(5).map(s -> labelled ? s.selector() : "the series").toList();
        return "; " + stale.size() + " series without data at the round's time left out, as on-no-data=inconclusive ("
                + staleText(newest(stale), fresh) + "): " + String.join(", ", names) + (stale.size() > 5 ? ", ..." : "");
    }

    /** The newest point of the series. */
    private static Sample newest(List<Series> series) {
        return series.stream().map(Series::newest).flatMap(Optional::stream).max(Comparator.comparing(Sample::time)).orElseThrow();
    }

    /** Why a series of a range has no data now: how old its newest point is. */
    private static String staleText(Sample newest, Instant fresh) {
        return "the newest point is at " + newest.time() + ", before " + fresh
                + " (two steps before the round's time): the series stopped, as a service that stopped reporting does";
    }

    /** The measurement for a query that returned no series. */
    static ProbeResult noData(OnNoData onNoData, String what, String hint) {
        Map<String, Object> values = Map.of("series", 0);
        return switch (onNoData) {
            case PASS -> ProbeResult.pass(values, what + "; passes because on-no-data=pass");
            case FAIL -> ProbeResult.fail(values, what + "; fails because on-no-data=fail");
            case INCONCLUSIVE -> ProbeResult.inconclusive(values, what + ", which proves nothing (on-no-data=inconclusive)"
                    + (hint == null ? "" : "; " + hint));
        };
    }

    private static Point first(List<Point> points, Outcome outcome) {
        for (Point p : points) {
            if (p.measurement().outcome() == outcome) {
                return p;
            }
        }
        return null;
    }

    /**
     * For a passing result, the newest point of the first series judged: its current value. The
     * first series of the result may have been left out (NaN with on-no-data=inconclusive).
     */
    private static Point lastOfFirstSeries(List<Point> points) {
        int first = points.stream().mapToInt(Point::index).min().orElseThrow();
        Point chosen = null;
        for (Point p : points) {
            if (p.index() == first && (chosen == null || !p.sample().time().isBefore(chosen.sample().time()))) {
                chosen = p;
            }
        }
        return chosen;
    }

    private static int countSeries(List<Point> points, Outcome outcome) {
        Set<Integer> series = new HashSet<>();
        points.stream().filter(p -> p.measurement().outcome() == outcome).forEach(p -> series.add(p.index()));
        return series.size();
    }

    private static String tally(List<Point> points, Outcome outcome, int seriesCount, boolean range) {
        if (points.size() == 1) {
            return "";
        }
        long matching = points.stream().filter(p -> p.measurement().outcome() == outcome).count();
        String verb = switch (outcome) {
            case PASS -> "passed";
            case FAIL -> "failed";
            case INCONCLUSIVE -> "proved nothing";
            case ERROR -> "could not be judged";
        };
        if (!range) {
            return outcome == Outcome.PASS
                    ? " (all " + seriesCount + " series passed)"
                    : " (" + matching + " of " + seriesCount + " series " + verb + ")";
        }
        int seriesMatching = countSeries(points, outcome);
        if (outcome == Outcome.PASS) {
            return " (all " + points.size() + " points of " + seriesCount + " series" + " passed)";
        }
        return " (the first of " + matching + " points out of " + points.size() + " that " + verb + ", in "
                + seriesMatching + " of " + seriesCount + " series)";
    }
}
