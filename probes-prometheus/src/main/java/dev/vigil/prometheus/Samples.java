package dev.vigil.prometheus;

import java.util.List;
import java.util.Objects;

/**
 * What one PromQL query returned in one round, as handed to a {@link SamplesJudge}: every series
 * with every point. Immutable.
 *
 * @param query the PromQL query as configured
 * @param series the series, in the order Prometheus returned them; empty when the query had no data
 * @param warnings warnings Prometheus sent with the result (empty when none)
 */
public record Samples(String query, List<Series> series, List<String> warnings) {

    /**
     * Validates and copies the lists.
     *
     * @param query the PromQL query as configured; not {@code null}
     * @param series the series, in order; not {@code null}
     * @param warnings warnings Prometheus sent; {@code null} means none
     * @throws NullPointerException when {@code query} or {@code series} is {@code null}, or a list
     *     holds {@code null}
     */
    public Samples {
        Objects.requireNonNull(query, "query");
        series = List.copyOf(Objects.requireNonNull(series, "series"));
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    /**
     * Whether the query returned no series at all.
     *
     * @return {@code true} when there is no series
     */
    public boolean isEmpty() {
        return series.isEmpty();
    }

    /**
     * The number of points over all series.
     *
     * @return the count of points, NaN and infinite ones included
     */
    public int size() {
        return series.stream().mapToInt(s -> s.samples().size()).sum();
    }

    /**
     * Every value of every series, series after series and oldest first within a series: the raw
     * sample that statistical tests take. NaN and infinite values are included as they came.
     *
     * @return a new array of {@link #size()} values
     */
    public double[] values() {
        return series.stream().flatMap(s -> s.samples().stream()).mapToDouble(Sample::value).toArray();
    }

    /**
     * Like {@link #values()}, without NaN and infinite values.
     *
     * @return a new array of the finite values, in the same order
     */
    public double[] finiteValues() {
        return series.stream().flatMap(s -> s.samples().stream()).filter(Sample::isFinite)
                .mapToDouble(Sample::value).toArray();
    }

    /**
     * One value per series: the mean of its points other than NaN (the point itself for an instant
     * query). NaN is no data (a ratio of 0 over 0: no requests), so a series whose points are all NaN
     * is left out. A series with an infinite point keeps it: its mean is that infinity ({@code +Inf}
     * for an instance whose latency is a sum over zero requests), the worst or the best value there
     * is, which must not vanish from what is judged ({@code +Inf} and {@code -Inf} together give
     * {@code +Inf}). This is what the canary analysis judges (it refuses a round with an infinite mean,
     * naming the series): each series (an instance, with {@code by (instance)}) is one independent
     * value per round, while the points of one series over a range follow each other too closely to
     * count as separate ones.
     *
     * @return a new array, one mean per series with a point other than NaN, in the order of the series
     */
    public double[] seriesMeans() {
        return series.stream().mapToDouble(Samples::mean).filter(m -> !Double.isNaN(m)).toArray();
    }

    /**
     * The mean of a series' points other than NaN, as {@link #seriesMeans()} takes it; NaN when it has
     * none.
     *
     * @param series a series
     * @return the mean, infinite when a point is
     */
    static double mean(Series series) {
        double sum = 0;
        int n = 0;
        boolean up = false;
        boolean down = false;
        for (Sample point : series.samples()) {
            double v = point.value();
            if (Double.isNaN(v)) {
                continue;
            }
            up |= v == Double.POSITIVE_INFINITY;
            down |= v == Double.NEGATIVE_INFINITY;
            sum += v;
            n++;
        }
        if (up) {
            return Double.POSITIVE_INFINITY;
        }
        return down ? Double.NEGATIVE_INFINITY : n == 0 ? Double.NaN : sum / n;
    }
}
