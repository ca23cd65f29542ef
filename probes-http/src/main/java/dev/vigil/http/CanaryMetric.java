package dev.vigil.http;

/** What a canary comparison of two HTTP fleets compares, round by round. */
public enum CanaryMetric {
    /**
     * The latency of each instance's answer that passes the probe's condition, in milliseconds:
     * samples of a continuous metric. An answer that does not pass is left out, as a missing one is;
     * a round in which a canary instance has no latency (no answer, or one that did not pass) is
     * never a pass: {@code INCONCLUSIVE}, or the judge's {@code FAIL} when the others show a regression.
     */
    LATENCY,
    /**
     * Errors against requests: an answer that does not pass the probe's condition (or no answer at
     * all) counts as an error of its version.
     */
    ERRORS;

    /**
     * Parses {@code latency} or {@code errors}.
     *
     * @param text {@code latency} or {@code errors}, in any case
     * @return the metric
     * @throws IllegalArgumentException naming the known values
     */
    public static CanaryMetric parse(String text) {
        for (CanaryMetric m : values()) {
            if (m.name().equalsIgnoreCase(text == null ? "" : text.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + text + "'; known: latency, errors");
    }
}
