package dev.vigil;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** The implementations behind {@link TimeSource}'s factories. */
final class TimeSources {

    static final Sleeper SYSTEM_SLEEPER = d -> {
        if (!d.isNegative() && !d.isZero()) {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    };
    static final TimeSource SYSTEM = new SystemTime();

    private TimeSources() {
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
            Sleeper.system().sleep(duration);
        }

        @Override
        public String toString() {
            return "TimeSource.system()";
        }
    }

    /** A clock and a sleeper; see {@link TimeSource#of(Clock, Sleeper)}. */
    static final class ClockAndSleeper implements TimeSource {
        private final Clock clock;
        private final Sleeper sleeper;
        private final boolean realSleeper;
        private final AtomicLong slept = new AtomicLong();

        ClockAndSleeper(Clock clock, Sleeper sleeper) {
            this.clock = clock;
            this.sleeper = sleeper;
            this.realSleeper = sleeper == Sleeper.system();
        }

        @Override
        public Instant now() {
            return clock.instant();
        }

        @Override
        public long nanoTime() {
            return realSleeper ? System.nanoTime() : slept.get();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            sleeper.sleep(duration);
            if (!realSleeper && !duration.isNegative()) {
                slept.addAndGet(dev.vigil.internal.Durations.nanos(duration));
            }
        }


        @Override
        public String toString() {
            return "TimeSource.of(" + clock + ", " + sleeper + ")";
        }
    }
}
