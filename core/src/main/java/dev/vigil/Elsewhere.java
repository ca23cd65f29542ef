package dev.vigil;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What other processes started, as a {@link StartLog} records it: the verifier records each bake and
 * rehearsal there and asks it whether a newer one of the same service and environment took this
 * one's place. Each call to the log runs on a daemon thread of its own and is waited for at most
 * {@link #WAIT}; a read that has not answered yet is not repeated (at most one thread is left hanging
 * on a log that hangs). A log that fails or does not answer is logged, and the verifier goes on as
 * without it: a rollback is never kept from running by a log that is down. Thread-safe.
 */
final class Elsewhere {

    private static final Logger LOG = LoggerFactory.getLogger(Elsewhere.class);
    /** How long a read of the log is waited for at most. */
    static final Duration WAIT = Duration.ofSeconds(10);
    /** How often a watch reads the log between its rounds at most (it always reads before it acts). */
    static final Duration BETWEEN_ROUNDS = Duration.ofSeconds(10);

    private final StartLog log;
    private final TimeSource time;
    private final Duration wait;
    /** The last read, while it has not answered. */
    private final AtomicReference<Future<?>> pending = new AtomicReference<>();
    /** Whether the last read failed: a warning is logged for the first failure in a row only. */
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();

    private Elsewhere(StartLog log, TimeSource time, Duration wait) {
        this.log = log;
        this.time = time;
        this.wait = wait;
    }

    /** Reads and writes {@code log} ({@code null}: none), telling the time by {@code time}. */
    static Elsewhere of(StartLog log, TimeSource time) {
        return of(log, time, WAIT);
    }

    /** {@link #of(StartLog, TimeSource)} with another wait, for tests. */
    static Elsewhere of(StartLog log, TimeSource time, Duration wait) {
        return new Elsewhere(log, time, wait);
    }

    /**
     * Records that a bake or rehearsal of {@code deployment} starts now, without waiting for the log.
     *
     * @return the start, to ask about later; {@code null} without a log
     */
    StartLog.Start record(Deployment deployment, StartLog.Kind kind) {
        if (log == null) {
            return null;
        }
        StartLog.Start start = new StartLog.Start(UUID.randomUUID().toString(), deployment, time.now(), kind);
        DaemonCalls.execute(() -> {
            try {
                log.record(start);
            } catch (RuntimeException e) {
                LOG.warn("{} could not record that {} starts: {}; a watch in another process will not know of it",
                        log.description(), start.what(), words(e));
            }
        });
        return start;
    }

    /**
     * What took the place of a bake that started as {@code own}, so that it must not roll back: a
     * newer verification of another version of the service in its environment, or a rehearsal,
     * started since (in another process), in words that follow "superseded by". A deployment without
     * an environment is never overtaken, as within one JVM.
     */
    Optional<String> overtookBake(StartLog.Start own) {
        if (own == null || StartLog.Start.environment(own.deployment()) == null) {
            return Optional.empty();
        }
        return newest(own, s -> s.kind() == StartLog.Kind.REHEARSAL || !s.deployment().version().equals(own.deployment().version()))
                .map(s -> s.what() + ", which started during the bake (" + recorded(s) + ")");
    }

    /**
     * What took the place of the watch after the bake that started as {@code own}, so that it must
     * stop (or not start): any verification or rehearsal of the service in its environment started
     * since, but a dry-run of the watch's own version, in words that follow "superseded by".
     */
    Optional<String> overtookWatch(StartLog.Start own) {
        if (own == null) {
            return Optional.empty();
        }
        // A dry-run of the watch's own version checks what runs and changes nothing: it leaves the watch running.
        return newest(own, s -> s.kind() != StartLog.Kind.DRY_RUN || !s.deployment().version().equals(own.deployment().version()))
                .map(s -> s.what() + " (" + recorded(s) + ")");
    }

    /**
     * For a watch: {@link #overtookWatch} when deciding, and between rounds at most every
     * {@link #BETWEEN_ROUNDS} (on the time source's monotonic clock).
     */
    Engine.Overtaken forWatch(StartLog.Start own) {
        if (own == null) {
            return deciding -> Optional.empty();
        }
        long[] asked = {0};
        boolean[] ever = {false};
        return deciding -> {
            long now = time.nanoTime();
            if (!deciding && ever[0] && now - asked[0] < BETWEEN_ROUNDS.toNanos()) {
                return Optional.empty();
            }
            ever[0] = true;
            asked[0] = now;
            return overtookWatch(own);
        };
    }

    private String recorded(StartLog.Start s) {
        return "started " + s.at().truncatedTo(ChronoUnit.SECONDS) + ", as " + log.description() + " records";
    }

    /** The newest start after {@code own} that {@code counts}, if the log answers. */
    private Optional<StartLog.Start> newest(StartLog.Start own, java.util.function.Predicate<StartLog.Start> counts) {
        List<StartLog.Start> after = read(own);
        for (int i = after.size() - 1; i >= 0; i--) {
            StartLog.Start s = after.get(i);
            // Checked again here, whatever the log: a log that answered a bake with its own start would keep it from rolling back.
            if (s.follows(own) && counts.test(s)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private List<StartLog.Start> read(StartLog.Start own) {
        Future<?> last = pending.get();
        if (last != null && !last.isDone()) {
            unknown(own, "has not answered the last question yet");
            return List.of();
        }
        Future<List<StartLog.Start>> asked = DaemonCalls.submit(() -> log.after(own));
        pending.set(asked);
        try {
            List<StartLog.Start> after = asked.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            if (failing.getAndSet(false)) {
                LOG.info("{} answers again", log.description());
            }
            return after == null ? List.of() : after;
        } catch (TimeoutException e) {
            unknown(own, "did not answer within " + Durations.format(wait));
        } catch (java.util.concurrent.ExecutionException e) {
            unknown(own, "could not be read: " + words(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    /**
     * Says that the log failed: a warning the first time in a row, then at debug level until it
     * answers again, so that a day's watch on a history that is down logs it once, not once a round.
     */
    private void unknown(StartLog.Start own, String what) {
        String line = log.description() + " " + what + ": whether a newer verification of " + own.deployment().service()
                + " started elsewhere is unknown; going on as without it";
        if (failing.getAndSet(true)) {
            LOG.debug(line);
        } else {
            LOG.warn(line + " (said once until it answers again)");
        }
    }

    /** A failure in words for the log: a {@link VigilException}'s message (it masks what it quotes), else only the class. */
    private static String words(Throwable e) {
        return e instanceof VigilException ? VigilException.describe(e)
                : (e == null ? "unknown error" : e.getClass().getSimpleName() + " (message left out of the log)");
    }
}
