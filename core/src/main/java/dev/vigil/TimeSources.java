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
