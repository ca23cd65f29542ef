package dev.vigil.testkit;

import dev.vigil.TimeSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Time in a test: a wall clock, a monotonic reading and a sleeper, all virtual. Sleeping advances
 * both readings at once, so a 30-minute bake runs in milliseconds; {@link #pass} lets time go by
 * (a probe that hangs, a process that stalls); {@link #advance} makes only the wall clock jump, as
 * NTP or an operator would. Thread-safe. Sleeping still honours interruption.
 *
 * <p>Hand it to a verifier with {@code .timeSource(time)}; {@code .timeSource(time)}
 * works too, with the monotonic reading then made by {@link TimeSource#of}.
 */
public final class VirtualTime extends Clock implements TimeSource {

    private final List<Duration> sleeps = new ArrayList<>();
    private Instant now;
    private long nanos;

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
            if (!duration.isNegative()) {
                now = now.plus(duration);
                nanos += duration.toNanos();
            }
        }
    }

    /** Makes only the wall clock jump by the given amount (negative to make it jump backwards). */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Lets the given time go by: both the wall clock and the monotonic reading move. */
    public synchronized void pass(Duration duration) {
        now = now.plus(duration);
        nanos += duration.toNanos();
    }

    /**
     * Lets time go by until the monotonic reading is at least {@code target}; for probes that run
     * at the same time and each take a while, so that the round lasts as long as the slowest.
     */
    public synchronized void passUntil(long target) {
        if (target > nanos) {
            pass(Duration.ofNanos(target - nanos));
        }
    }

    /**
     * This virtual time as a time source that runs {@code beforeReading} before every reading of the
     * wall clock, on the reading thread: to fail there at a chosen moment (a clock service that goes
     * away), or to let something happen exactly then (a stop that lands after a decision).
     */
    public TimeSource beforeEachNow(Runnable beforeReading) {
        return wrapped(beforeReading, () -> { }, d -> { }, () -> { }, d -> d);
    }

    /**
     * This virtual time as a time source that runs {@code beforeReading} before every monotonic
     * reading, on the reading thread: the engine reads it right after each round's measurements,
     * before it decides on them, so something can happen exactly then.
     */
    public TimeSource beforeEachNanoTime(Runnable beforeReading) {
        return wrapped(() -> { }, beforeReading, d -> { }, () -> { }, d -> d);
    }

    /**
     * This virtual time as a time source whose waits of exactly {@code interrupted} throw an
     * {@link InterruptedException}, as a wait does when the waiting thread is signalled: to land an
     * interrupt in one chosen wait (the pause before a retry).
     */
    public TimeSource interruptingWaitsOf(Duration interrupted) {
        return wrapped(() -> { }, () -> { }, d -> {
            if (d.equals(interrupted)) {
                throw new InterruptedException("sleep interrupted");
            }
        }, () -> { }, d -> d);
    }

    private interface BeforeSleep {
        void run(Duration duration) throws InterruptedException;
    }

    /**
     * This virtual time as a time source that runs {@code afterSleeping} after every wait, on the
     * waiting thread: to make a wait take longer than asked ({@link #pass} there), as a suspended
     * host does.
     */
    public TimeSource afterEachSleep(Runnable afterSleeping) {
        return wrapped(() -> { }, () -> { }, d -> { }, afterSleeping, d -> d);
    }

    /**
     * This virtual time as a time source whose waits let at most {@code longest} pass, however long
     * the wait asked for: a sleeper that caps its waits, or wakes up before time.
     */
    public TimeSource sleepingAtMost(Duration longest) {
        return wrapped(() -> { }, () -> { }, d -> { }, () -> { }, d -> d.compareTo(longest) > 0 ? longest : d);
    }

    private TimeSource wrapped(Runnable beforeReading, Runnable beforeNanos, BeforeSleep beforeSleeping, Runnable afterSleeping,
            java.util.function.UnaryOperator<Duration> slept) {
        VirtualTime virtual = this;
        return new TimeSource() {
            @Override
            public Instant now() {
                beforeReading.run();
                return virtual.now();
            }

            @Override
            public long nanoTime() {
                beforeNanos.run();
                return virtual.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                beforeSleeping.run(duration);
                virtual.sleep(slept.apply(duration));
                afterSleeping.run();
            }
        };
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
    public synchronized Instant now() {
        return now;
    }

    @Override
    public synchronized long nanoTime() {
        return nanos;
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
