package dev.vigil.prometheus;

import java.time.Instant;
import java.util.Objects;

/**
 * One point of a Prometheus series: a time and a value. Immutable.
 *
 * @param time when Prometheus evaluated the point (for an instant query, the query's time)
 * @param value the value; may be {@link Double#NaN} or infinite, as Prometheus reports
 *     {@code "NaN"}, {@code "+Inf"} and {@code "-Inf"}
 */
public record Sample(Instant time, double value) {

    /**
     * Validates.
     *
     * @param time when Prometheus evaluated the point; not {@code null}
     * @param value the value; NaN and infinities allowed
     * @throws NullPointerException when {@code time} is {@code null}
     */
    public Sample {
        Objects.requireNonNull(time, "time");
    }

    /**
     * Whether the value is an ordinary number (neither NaN nor infinite).
     *
     * @return {@code true} for a finite value
     */
    public boolean isFinite() {
        return Double.isFinite(value);
    }
}
