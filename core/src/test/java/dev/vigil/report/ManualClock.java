package dev.vigil.report;

import dev.vigil.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when the verification sleeps, so a bake runs in no time; a time source too. */
final class ManualClock extends Clock implements TimeSource {

    private volatile Instant now;

    ManualClock(Instant start) {
        this.now = start;
    }

    private volatile long nanos;

    /** Sleeping advances the clock and the monotonic reading. */
    @Override
    public void sleep(Duration d) {
        advance(d);
    }

    synchronized void advance(Duration d) {
        now = now.plus(d);
        nanos += d.toNanos();
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public Instant now() {
        return now;
    }

    @Override
    public Instant instant() {
        return now;
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
