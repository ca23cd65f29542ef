package dev.vigil;

import java.time.Duration;

/**
 * Formats durations the way users write them in properties ({@code 700ms}, {@code 30s}, {@code 5m},
 * {@code 2h}), and reads them as nanoseconds without overflow.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * The duration in nanoseconds; one too long for a {@code long} (about 292 years) is a quarter of
     * {@code Long.MAX_VALUE}, so that sums of a few such values still do not overflow.
     *
     * @param d the duration; not {@code null}
     * @return the nanoseconds, capped at {@code Long.MAX_VALUE / 4}
     * @throws NullPointerException when {@code d} is {@code null}
     */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 4;
        }
    }

    /**
     * The shortest exact form: whole hours, minutes or seconds when exact, milliseconds otherwise
     * ({@code 2h}, {@code 5m}, {@code 30s}, {@code 700ms}, {@code 0ms}). A duration too long for
     * milliseconds, or one with a part finer than a millisecond, comes back as
     * {@link Duration#toString()} or rounded down to milliseconds.
     *
     * @param d the duration; not {@code null}
     * @return the text as a user would write it in properties
     * @throws NullPointerException when {@code d} is {@code null}
     */
    public static String format(Duration d) {
        if (d.getSeconds() >= Long.MAX_VALUE / 1000 || d.getSeconds() <= Long.MIN_VALUE / 1000) {
            return d.toString();
        }
        if (d.isZero() || d.toMillis() % 1000 != 0 || d.getNano() % 1_000_000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0) {
            return s / 60 + "m";
        }
        return s + "s";
    }
}
