package dev.vigil;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The implementation behind {@link TimeSource#system()}, and the guard the engine puts around any time source. */
final class TimeSources {

    static final TimeSource SYSTEM = new SystemTime();

    private TimeSources() {
    }

    /**
     * {@code time} as the engine reads it: a {@code null} from {@link TimeSource#now()} is a fault of
     * the time source, thrown as one (a {@link VigilException} saying so) like any other, so that the
     * engine's fault path, which stamps the report with the system clock instead, handles it.
     */
    static TimeSource checked(TimeSource time) {
        return time instanceof Checked || time == SYSTEM ? time : new Checked(time);
    }

    /**
     * Sleeps that may return without the monotonic reading moving forward, one after another, before
     * {@link #sleepUntil} gives up on the time source.
     */
    static final int MAX_STALLED_SLEEPS = 3;

    /**
     * Waits on {@code time} until its monotonic reading reaches {@code due}, however early its
     * {@link TimeSource#sleep} returns: a sleep cut short (a spurious wake-up, a sleeper that caps
     * its waits) is followed by another for the rest, so that a round never runs before it is due
     * and a bake never ends before its duration has passed. Each sleep asks for at most
     * {@code longest} nanoseconds. {@code from} is the reading the caller last took, so that waiting
     * reads the time source no more often than one sleep does.
     *
     * @throws VigilException when {@link #MAX_STALLED_SLEEPS} sleeps in a row leave the monotonic
     *     reading where it was, or move it backwards: such a time source cannot tell when a bake is over
     */
    static void sleepUntil(TimeSource time, long from, long due, long longest) throws InterruptedException {
        int stalled = 0;
        long before = from;
        while (due - before > 0) {
            long asked = Math.min(due - before, longest);
            time.sleep(Duration.ofNanos(asked));
            long after = time.nanoTime();
            if (after - before > 0) {
                stalled = 0;
            } else if (++stalled >= MAX_STALLED_SLEEPS) {
                throw new VigilException("the time source's monotonic reading (nanoTime) did not move forward during "
                        + stalled + " sleeps in a row of " + Durations.format(Duration.ofNanos(asked)) + " ("
                        + time.getClass().getName() + "): the bake's schedule cannot be kept on it");
            }
            before = after;
        }
    }

    /** See {@link #checked}. */
    private record Checked(TimeSource time) implements TimeSource {
        @Override
        public Instant now() {
            Instant now = time.now();
            if (now == null) {
                throw new VigilException("the time source's now() returned null (" + time.getClass().getName() + ")");
            }
            return now;
        }

        @Override
        public long nanoTime() {
            return time.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            time.sleep(duration);
        }
    }

    /** Real time. */
    static final class SystemTime implements TimeSource {
        private static final Clock CLOCK = Clock.systemUTC();

        private SystemTime() {
        }

        @Override
        public Instant now() {
            return CLOCK.instant();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            }
        }

        @Override
        public String toString() {
            return "TimeSource.system()";
        }
    }
}
