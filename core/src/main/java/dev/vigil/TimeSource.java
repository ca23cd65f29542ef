package dev.vigil;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a verification gets its time from: a wall-clock reading for the timestamps of reports, a
 * monotonic reading for its schedule, and a way to wait. Injected into {@link DeployVerifier} so
 * that tests and simulations run a long bake in virtual time.
 *
 * <p>The schedule of a verification (when a round is due, how long a measurement took, when the
 * bake is over) is computed on {@link #nanoTime()} only, so that a wall clock stepping forwards or
 * backwards (NTP, a suspended virtual machine, a daylight-saving mistake) moves no round and
 * changes no verdict; {@link #now()} only stamps what happened.
 *
 * <p>Implementations must be thread-safe, and {@link #sleep} must throw
 * {@link InterruptedException} promptly when the waiting thread is interrupted.
 */
public interface TimeSource {

    /** The wall-clock time, for timestamps. May jump either way. */
    Instant now();

    /**
     * A monotonic reading in nanoseconds, for measuring elapsed time: never goes backwards, has no
     * relation to the wall clock, and only differences of two readings mean anything (like
     * {@link System#nanoTime()}).
     */
    long nanoTime();

    /** Waits for the given time; returns at once for a zero or negative duration. */
    void sleep(Duration duration) throws InterruptedException;

    /** Real time: {@link Clock#systemUTC()}, {@link System#nanoTime()} and {@link Thread#sleep(long, int)}. */
    static TimeSource system() {
        return TimeSources.SYSTEM;
    }

    /**
     * A time source made of a clock and a sleeper, for code written against
     * {@link DeployVerifier.Builder#clock(Clock)} and {@link DeployVerifier.Builder#sleeper(Sleeper)}.
     *
     * <p>With {@link Sleeper#system()} the monotonic reading is {@link System#nanoTime()}. Any other
     * sleeper is taken to be virtual (a test's or a simulation's): the monotonic reading then
     * advances by exactly the waits the sleeper was asked for, and never follows the clock, so that
     * a clock made to jump in a test moves no round. A real-time sleeper of your own should come
     * with its own {@code TimeSource} instead.
     */
    static TimeSource of(Clock clock, Sleeper sleeper) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(sleeper, "sleeper");
        if (clock.equals(Clock.systemUTC()) && sleeper == Sleeper.system()) {
            return system();
        }
        return new TimeSources.ClockAndSleeper(clock, sleeper);
    }
}
