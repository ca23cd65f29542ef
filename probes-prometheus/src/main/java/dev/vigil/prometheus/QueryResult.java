package dev.vigil.prometheus;

import java.util.List;

/**
 * A successful answer of Prometheus' query API.
 *
 * @param resultType {@code vector}, {@code scalar}, {@code matrix} or {@code string}
 * @param series the series (a scalar is one series without labels); empty for {@code string}
 * @param text the value of a {@code string} result, else {@code null}
 * @param warnings the warnings Prometheus sent, or an empty list
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
}
