package dev.vigil.testkit;

import dev.vigil.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock and a sleeper in virtual time: sleeping advances the clock at once, so a 30-minute bake
 * runs in milliseconds. Thread-safe. Sleeping still honours interruption.
 */
public final class VirtualTime extends Clock implements Sleeper {

    private final List<Duration> sleeps = new ArrayList<>();
    private Instant now;

    private VirtualTime(Instant start) {
        this.now = start;
    }

    /** Virtual time starting at 2026-01-01T12:00:00Z. */
    public static VirtualTime start() {
        return startingAt(Instant.parse("2026-01-01T12:00:00Z"));
    }

    /** Virtual time starting at the given instant. */
    public static VirtualTime startingAt(Instant start) {
        return new VirtualTime(start);
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before sleeping");
        }
        synchronized (this) {
            sleeps.add(duration);
            now = now.plus(duration);
        }
    }

    /** Moves the clock by the given amount (negative to make it jump backwards). */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Every wait asked for so far, in order. */
    public synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }

    @Override
    public synchronized Instant instant() {
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
