package dev.vigil;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

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
 * {@link InterruptedException} promptly when the waiting thread is interrupted. A {@code sleep}
 * that returns early is asked again for the rest, until {@link #nanoTime()} reaches the time a
 * round is due; a {@code nanoTime()} that does not move forward over 3 such sleeps in a row ends the
 * verification {@link Verdict#INCONCLUSIVE}, since no bake can be timed on it.
 */
public interface TimeSource {

    /**
     * The wall-clock time, for timestamps. May jump either way.
     *
     * @return the current instant; never {@code null} (a verification whose time source answers
     *     {@code null} ends {@link Verdict#INCONCLUSIVE}, as when it throws)
     */
    Instant now();

    /**
     * A monotonic reading in nanoseconds, for measuring elapsed time: never goes backwards, has no
     * relation to the wall clock, and only differences of two readings mean anything (like
     * {@link System#nanoTime()}).
     *
     * @return the reading, in nanoseconds from an arbitrary origin
     */
    long nanoTime();

    /**
     * Waits for the given time; returns at once for a zero or negative duration.
     *
     * @param duration how long to wait
     * @throws InterruptedException when the waiting thread is interrupted; the wait ends at once
     */
    void sleep(Duration duration) throws InterruptedException;

    /**
     * Real time: {@link Clock#systemUTC()}, {@link System#nanoTime()} and
     * {@link Thread#sleep(long, int)}. The default of {@link DeployVerifier}.
     *
     * @return the shared instance; thread-safe
     */
    static TimeSource system() {
        return TimeSources.SYSTEM;
    }
}
