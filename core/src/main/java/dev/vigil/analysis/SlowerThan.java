package dev.vigil.analysis;

import java.time.Duration;
import java.util.Locale;

/**
 * Which requests count as slow for the histogram judge's share test: those above a fixed latency
 * ({@code slower-than=250ms}), or those above the band that holds a quantile of the first rounds'
 * requests ({@code slower-than=p99}). Immutable.
 *
 * @param seconds the fixed latency in seconds, or NaN when the band is chosen by {@code quantile}
 * @param quantile the quantile whose band is chosen, in {@code (0, 1)}, or NaN for a fixed latency
 */
public record SlowerThan(double seconds, double quantile) {

    /**
     * Requests before the band of a quantile is chosen, per unit of {@code 1 - quantile}: the band of
     * p99 is chosen once both versions together have counted 2,000 requests (about 20 above it).
     */
    public static final double REQUESTS_TO_CHOOSE = 20;

    /**
     * How many times a fixed latency the bucket bound that stands for it may be: a round whose first
     * bound at or above the latency is further above it is refused by the judge (an {@code ERROR}
     * naming slower-than and the bound), never judged: the requests between the two would count as
     * fast, and a canary slower within them would pass. It is what a histogram in milliseconds read
     * as seconds looks like ({@code 250ms} against {@code le="5"}); the neighbouring bounds of the
     * usual layouts (Prometheus' client defaults, Micrometer's) are at most 2.5 times apart.
     */
    public static final double MAX_BOUND_RATIO = 10;

    /**
     * Validates.
     *
     * @param seconds the fixed latency in seconds ({@code > 0}), or NaN
     * @param quantile the quantile in {@code (0, 1)}, or NaN
     * @throws IllegalArgumentException unless exactly one of them is set and in range
     */
    public SlowerThan {
        boolean fixed = !Double.isNaN(seconds);
        boolean byQuantile = !Double.isNaN(quantile);
        if (fixed == byQuantile) {
            throw new IllegalArgumentException("slower-than is either a latency or a quantile, not both or neither");
        }
        if (fixed && !(seconds > 0 && Double.isFinite(seconds))) {
            throw new IllegalArgumentException("slower-than must be a positive latency such as 250ms, was " + seconds + "s");
        }
        if (byQuantile && !(quantile > 0 && quantile < 1)) {
            throw new IllegalArgumentException("slower-than quantile must be between 0 and 1 (p50 to p99.9), was " + quantile);
        }
    }

    /**
     * Requests slower than a fixed latency: the share above the first bucket bound at or above it;
     * a bound more than {@link #MAX_BOUND_RATIO} times the latency is refused.
     *
     * @param latency positive
     * @return the setting
     * @throws IllegalArgumentException when {@code latency} is {@code null}, zero or negative
     */
    public static SlowerThan latency(Duration latency) {
        if (latency == null || latency.isNegative() || latency.isZero()) {
            throw new IllegalArgumentException("slower-than must be a positive latency such as 250ms, was " + latency);
        }
        // Not toNanos(): it overflows beyond 292 years, which is still a latency (above every bucket).
        return new SlowerThan(latency.getSeconds() + latency.getNano() / 1e9, Double.NaN);
    }

    /**
     * Requests above the band that holds this quantile of the first rounds' requests (both
     * versions together; see {@link #REQUESTS_TO_CHOOSE}).
     *
     * @param quantile in {@code (0, 1)}: 0.9 for p90, 0.99 for p99
     * @return the setting
     * @throws IllegalArgumentException when {@code quantile} is out of range
     */
    public static SlowerThan quantile(double quantile) {
        return new SlowerThan(Double.NaN, quantile);
    }

    /**
     * Reads a quantile as written in configuration: {@code p90}, {@code p99}, {@code p99.9}.
     *
     * @param text the value; case and surrounding blanks are ignored
     * @return the setting, or {@code null} when {@code text} is not a quantile (then it is a latency)
     * @throws IllegalArgumentException when it starts with {@code p} but is no quantile in range
     */
    static SlowerThan parseQuantile(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (!t.startsWith("p")) {
            return null;
        }
        try {
            double percent = Double.parseDouble(t.substring(1));
            return quantile(percent / 100);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a latency (250ms) nor a quantile (p90, p99)");
        }
    }

    /** Whether the band is chosen by a quantile of the first rounds. */
    boolean byQuantile() {
        return !Double.isNaN(quantile);
    }

    /** {@code p99} or {@code 250ms}. */
    String label() {
        return byQuantile() ? "p" + Fmt.num(quantile * 100) : Fmt.latency(seconds);
    }
}
