package dev.vigil.prometheus;

/**
 * What a Prometheus probe concludes when its query returns no series at all (an empty vector or
 * matrix). An empty result is common and rarely means "healthy": a ratio of error counters is
 * empty until the first error series exists, a dead target disappears after a few seconds, and a
 * misspelt label matcher matches nothing.
 */
public enum OnNoData {
    /** No data proves nothing: the measurement is {@code INCONCLUSIVE}. The default. */
    INCONCLUSIVE,
    /** No data is a failure: the measurement is {@code FAIL}. */
    FAIL,
    /** No data is fine (the query selects only bad things, such as firing alerts): {@code PASS}. */
    PASS;

    /** The default: {@link #INCONCLUSIVE}. */
    public static final OnNoData DEFAULT = INCONCLUSIVE;

    /**
     * Reads {@code inconclusive}, {@code fail} or {@code pass}, in any case.
     *
     * @param text the configured value ({@code on-no-data}); surrounding blanks are ignored
     * @return the constant
     * @throws IllegalArgumentException naming the accepted values, also for {@code null}
     */
    public static OnNoData parse(String text) {
        return ConfigValues.parse(OnNoData.class, text);
    }

    /**
     * The value as written in configuration ({@code inconclusive}); {@link #parse} reads it back.
     *
     * @return the name in lower case
     */
    public String configValue() {
        return ConfigValues.of(this);
    }

    static String names() {
        return ConfigValues.names(OnNoData.class);
    }
}
