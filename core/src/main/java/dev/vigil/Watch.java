package dev.vigil;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A verification that goes on watching after its bake: what
 * {@link DeployVerifier#verifyThenWatch(Deployment)} returns once the bake is over. The bake's
 * verdict is {@link #bake()}; when the bake was {@link Verdict#HEALTHY} and a {@link WatchPlan} is
 * set, the watch runs on a thread of its own until its time is over, a probe breaks a limit, or
 * {@link #close()} stops it. Thread-safe.
 *
 * <pre>{@code
 * try (Watch watch = verifier.verifyThenWatch(deployment)) {
 *     if (!watch.bake().healthy()) {
 *         return fail(watch.bake());           // rolled back already, as without a watch
 *     }
 *     promote();                               // the pipeline goes on while the watch runs
 *     VerificationReport last = watch.await(); // the watch's report (or the bake's, without a watch)
 * }
 * }</pre>
 *
 * <p>The watch's thread is a daemon thread: it never keeps the JVM alive, so a program that wants
 * the watch to run to its end waits for it with {@link #await()} (the command line's
 * {@code verify --watch} does).
 */
public final class Watch implements AutoCloseable {

    private final VerificationReport bake;
    private final String notStarted;
    private final FutureTask<VerificationReport> task;
    private final Thread thread;
    private final WatchStop stop;

    private Watch(VerificationReport bake, String notStarted, java.util.function.Function<WatchStop, VerificationReport> watch,
            String threadName) {
        this.bake = bake;
        this.notStarted = notStarted;
        this.stop = new WatchStop();
        if (watch == null) {
            this.task = null;
            this.thread = null;
        } else {
            this.task = new FutureTask<>(() -> watch.apply(stop));
            this.thread = new Thread(task, threadName);
            thread.setDaemon(true);
            stop.thread(thread);
        }
    }

    /** A watch that did not start, and why. */
    static Watch notStarted(VerificationReport bake, String reason) {
        return new Watch(bake, reason, null, null);
    }

    /** Starts the watch on its own daemon thread. */
    static Watch start(VerificationReport bake, java.util.function.Function<WatchStop, VerificationReport> watch,
            String threadName) {
        Watch w = new Watch(bake, null, watch, threadName);
        w.thread.start();
        return w;
    }

    /**
     * The bake's report, exactly what {@link DeployVerifier#verifyAfterDeploy} would have returned.
     *
     * @return the bake's report
     */
    public VerificationReport bake() {
        return bake;
    }

    /**
     * Whether a watch was started after the bake.
     *
     * @return {@code true} when the bake was healthy and a watch is configured
     */
    public boolean started() {
        return task != null;
    }

    /**
     * Why no watch was started ({@code no watch is configured}, {@code the bake was UNHEALTHY}).
     *
     * @return the reason, or empty when the watch started
     */
    public Optional<String> notStartedReason() {
        return Optional.ofNullable(notStarted);
    }

    /**
     * Whether the watch is still measuring (or rolling back).
     *
     * @return {@code true} until the watch has ended; {@code false} when none started
     */
    public boolean running() {
        return task != null && !task.isDone();
    }

    /**
     * Waits for the watch to end.
     *
     * @return the watch's report ({@link VerificationReport.Phase#WATCH}) when one started, else the
     *     bake's report
     * @throws InterruptedException when the calling thread is interrupted while waiting; the watch
     *     goes on
     */
    public VerificationReport await() throws InterruptedException {
        if (task == null) {
            return bake;
        }
        try {
            return task.get();
        } catch (ExecutionException e) {
            throw unexpected(e);
        }
    }

    /**
     * Waits at most {@code timeout} for the watch to end.
     *
     * @param timeout how long to wait
     * @return the final report as {@link #await()} gives it, or empty when the watch is still running
     * @throws InterruptedException when the calling thread is interrupted while waiting
     * @throws NullPointerException when {@code timeout} is {@code null}
     */
    public Optional<VerificationReport> await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        if (task == null) {
            return Optional.of(bake);
        }
        try {
            return Optional.of(task.get(Math.max(0, Durations.nanos(timeout)), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw unexpected(e);
        }
    }

    /**
     * Stops the watch and waits for it to end: a watch between rounds or measuring ends at once with
     * {@link Verdict#ABORTED} and nothing rolled back; one whose rounds have decided unhealthy but
     * which has not begun to act ends {@link Verdict#INCONCLUSIVE} with what it found, nothing rolled
     * back; once it acts, it is not interrupted: a rollback under way (and its re-check) is finished
     * first, never cut short. Idempotent; does nothing when no watch started or it has ended.
     */
    @Override
    public void close() {
        stop("closed");
    }

    /**
     * Stops the watch at once, as a signal stops a verification: like {@link #close()}, but a
     * rollback under way is interrupted too, and reported {@code FAILED} (nobody knows how far it
     * got). For a process that is being terminated and cannot wait; {@link #close()} is the graceful
     * way. Waits at most {@code timeout} for the watch to end.
     *
     * @param reason why, for the watch's report ({@code stopped by SIGTERM})
     * @param timeout how long to wait for the watch to end
     * @return the watch's report when it ended within the timeout; empty when none started or it is
     *     still winding up
     * @throws NullPointerException when an argument is {@code null}
     */
    public Optional<VerificationReport> abort(String reason, Duration timeout) {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(timeout, "timeout");
        if (task == null) {
            return Optional.empty();
        }
        stop.abort(reason);
        try {
            return Optional.of(task.get(Math.max(0, Durations.nanos(timeout)), TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (TimeoutException | ExecutionException | CancellationException e) {
            return Optional.empty();
        }
    }

    /** Stops the watch as {@link #close()} does, with the reason its report gives. */
    void stop(String reason) {
        stop(reason, null);
    }

    /**
     * Stops the watch as {@link #close()} does, with the reason its report gives and, when a newer
     * verification or rehearsal took its place, what did ({@code null} otherwise).
     */
    void stop(String reason, String supersededBy) {
        if (task == null || task.isDone()) {
            return;
        }
        if (supersededBy == null) {
            stop.stop(reason);
        } else {
            stop.supersede(reason, supersededBy);
        }
        boolean interrupted = false;
        while (true) {
            try {
                task.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException | CancellationException e) {
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The engine never throws; an Error of the JVM itself is passed on as it is. */
    private static RuntimeException unexpected(ExecutionException e) {
        if (e.getCause() instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("the watch failed unexpectedly: " + VigilException.describe(e.getCause()), e.getCause());
    }

    @Override
    public String toString() {
        return "Watch[bake=" + bake.verdict() + (task == null ? ", not started: " + notStarted
                : running() ? ", running" : ", ended") + "]";
    }
}
