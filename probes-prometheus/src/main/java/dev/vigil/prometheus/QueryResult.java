package dev.vigil.prometheus;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * A successful answer of Prometheus' query API.
 *
 * @param resultType {@code vector}, {@code scalar}, {@code matrix} or {@code string}
 * @param series the series (a scalar is one series without labels); empty for {@code string}
 * @param text the value of a {@code string} result, else {@code null}
 * @param warnings the warnings Prometheus sent, its infos and a partial answer among them, or an empty list
 */
record QueryResult(String resultType, List<Series> series, String text, List<String> warnings) {

    static final String VECTOR = "vector";
    static final String SCALAR = "scalar";
    static final String MATRIX = "matrix";
    static final String STRING = "string";

    QueryResult {
        series = List.copyOf(series);
        warnings = List.copyOf(warnings);
    }

    /**
     * This result with only the points from {@code start} to {@code end}: a query frontend that
     * aligns a range to its step (Thanos', Cortex' {@code align_queries_with_step}) answers points
     * up to a step before the start asked for, which may be before the verification started. The
     * times are compared in milliseconds, as they are sent ({@link PrometheusClient#seconds(Instant)}).
     */
    QueryResult within(Instant start, Instant end) {
        Instant from = start.truncatedTo(ChronoUnit.MILLIS);
        Instant to = end.truncatedTo(ChronoUnit.MILLIS);
        List<Series> inside = series.stream().map(s -> new Series(s.labels(), s.samples().stream()
                .filter(p -> !p.time().isBefore(from) && !p.time().isAfter(to)).toList())).toList();
        return new QueryResult(resultType, inside, text, warnings);
    }

    /**
     * This result without the series of a range that have no point from {@code fresh} on (they
     * stopped before the round's time, as a service that stopped reporting does); itself when
     * {@code fresh} is {@code null} (an instant query).
     */
    QueryResult current(Instant fresh) {
        if (fresh == null) {
            return this;
        }
        List<Series> now = series.stream().filter(s -> !s.stoppedBefore(fresh)).toList();
        return now.size() == series.size() ? this : new QueryResult(resultType, now, text, warnings);
    }
}
