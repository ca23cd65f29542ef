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

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
