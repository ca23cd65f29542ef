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
     * One value per series: the mean of its finite points (the point itself for an instant query).
     * Series without a finite point are left out. This is what the canary analysis judges: each
     * series (an instance, with {@code by (instance)}) is one independent value per round, while the
     * points of one series over a range follow each other too closely to count as separate ones.
     *
     * @return a new array, one mean per series with a finite point, in the order of the series
     */
    public double[] seriesMeans() {
        return series.stream().mapToDouble(s -> s.samples().stream().filter(Sample::isFinite)
                .mapToDouble(Sample::value).average().orElse(Double.NaN)).filter(Double::isFinite).toArray();
    }
}
