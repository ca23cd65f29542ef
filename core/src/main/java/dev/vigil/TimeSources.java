package dev.vigil;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** The implementation behind {@link TimeSource#system()}. */
final class TimeSources {

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
