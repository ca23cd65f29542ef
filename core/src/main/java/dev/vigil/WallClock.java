package dev.vigil;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A time source's wall clock as a {@link Clock}; the system clock when that one fails, so that a
 * report can still be made and a rollback that ran is never lost for want of a timestamp.
 */
final class WallClock extends Clock {
    /** A monotonic reading that was not taken. */
    static final long NO_READING = Long.MIN_VALUE;

    private final TimeSource time;

    private WallClock(TimeSource time) {
        this.time = time;
    }

    static WallClock of(TimeSource time) {
        return new WallClock(time);
    }

    @Override
    public Instant instant() {
        try {
            return time.now();
        } catch (RuntimeException e) {
            return Instant.now();
        }
    }

    /**
     * The monotonic reading, or {@link #NO_READING} when the time source fails: then
     * {@link #after} falls back to the wall clock.
     */
    long nanos() {
        try {
            return time.nanoTime();
        } catch (RuntimeException e) {
            return NO_READING;
        }
    }

    /**
     * {@code start} plus the time elapsed on the monotonic clock since {@code startNanos}: the
     * instants of one verification (its detection, its end, a rollback's end) are read this way
     * from one wall-clock reading, so that the durations between them (time to detect, time to
     * restore) stay right when the wall clock steps during the verification, as the meters' are.
     * The wall clock itself when either reading failed.
     *
     * @param start the wall-clock reading taken with {@code startNanos}
     * @param startNanos the monotonic reading at {@code start}, or {@link #NO_READING}
     */
    Instant after(Instant start, long startNanos) {
        return afterNanos(start, startNanos, nanos());
    }

    /** {@link #after} at a monotonic reading taken earlier ({@code nowNanos}). */
    Instant afterNanos(Instant start, long startNanos, long nowNanos) {
        if (start == null || startNanos == NO_READING || nowNanos == NO_READING) {
            return instant();
        }
        return start.plusNanos(Math.max(0, nowNanos - startNanos));
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
