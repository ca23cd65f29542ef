package dev.vigil;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one verification's events to its listeners and its meters on a thread of their own, in
 * order, so that a slow, hanging or throwing listener (a notification webhook that never answers, a
 * registry that throws) can neither delay a round or the rollback nor change the verdict.
 *
 * <p>{@link #close()} waits for the events already handed over, at most the drain timeout, so that
 * a report writer has written its files when the verification returns; a listener still busy then
 * is named in a warning and left behind on its daemon thread, interrupted.
 */
final class Notifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Notifier.class);

    /**
     * The deployment whose listener the calling thread is running a callback of, while it runs, and
     * the method of {@link DeployVerifier} whose verification or rehearsal tells it.
     */
    private static final ThreadLocal<Told> IN_LISTENER = new ThreadLocal<>();

    /** What a listener's callback is told about: a deployment, by the method {@code call}. */
    private record Told(Deployment deployment, String call) {
    }

    /**
     * Refuses a verification of a deployment started from a listener's callback of a verification
     * of the same deployment (service and environment): each such call would start another
     * verification whose listener starts another, and without an environment each rolls back on its
     * own. A verification of another service, or of the same service in another environment, stays
     * allowed.
     *
     * @throws IllegalStateException when the calling thread runs a listener's callback of a
     *     verification of {@code deployment}'s service in its environment
     */
    static void refuseInsideListener(String call, Deployment deployment) {
        Told told = IN_LISTENER.get();
        if (told != null && told.deployment().service().equals(deployment.service())
                && java.util.Objects.equals(told.deployment().environment(), deployment.environment())) {
            throw new IllegalStateException(call + " of " + deployment.service()
                    + (deployment.environment() == null ? "" : " in " + deployment.environment())
                    + " was called from a listener of the verification of that deployment: a listener must not start"
                    + " a verification or a rehearsal of the deployment it is told about (each would start another,"
                    + " and roll back on its own); start it after " + told.call() + " has returned");
        }
    }

    private final Deployment deployment;
    /** The method of {@link DeployVerifier} whose verification or rehearsal this tells of. */
    private final String call;
    private final List<VerificationListener> listeners;
    private final Meters meters;
    private final ExecutorService thread;
    private final Duration drainTimeout;
    private volatile String busy = "";

    /** @param call the method of {@link DeployVerifier} whose verification or rehearsal this tells of */
    Notifier(Deployment deployment, List<VerificationListener> listeners, Meters meters, String threadName, Duration drainTimeout,
            String call) {
        this.deployment = deployment;
        this.call = call;
        this.listeners = listeners;
        this.meters = meters;
        this.drainTimeout = drainTimeout;
        this.thread = listeners.isEmpty() && !meters.enabled() ? null
                : Executors.newSingleThreadExecutor(Engine.daemonThreads(threadName));
    }

    /** Hands an event to every listener, in the order they were added. */
    void listeners(Consumer<VerificationListener> event) {
        if (listeners.isEmpty()) {
            return;
        }
        submit(() -> {
            IN_LISTENER.set(new Told(deployment, call));
            try {
                for (VerificationListener listener : listeners) {
                    String name = listener.getClass().getName();
                    busy = name;
                    try {
                        event.accept(listener);
                    } catch (Exception | Error e) {
                        // Errors too (an assertion in a listener): a listener never changes the verification.
                        // The frames only: the message may quote a credential (a listener posting to a URL with a token).
                        LOG.warn("listener {} failed and was ignored:{}{}", name, System.lineSeparator(), VigilException.frames(e));
                    }
                }
            } finally {
                IN_LISTENER.remove();
            }
            busy = "";
        });
    }

    /**
     * Tells every listener, in order, on a thread of its own, that the rollback is about to run
     * ({@link VerificationListener#beforeRollback}), and waits for them at most
     * {@link VerificationListener#BEFORE_ROLLBACK_WAIT}: what they keep is kept before the trigger
     * runs, and a slow one holds the rollback up no longer than that. Never throws; an interrupt
     * stops the wait and stays set.
     */
    void beforeRollback(Deployment deployment, String threadName) {
        if (listeners.isEmpty()) {
            return;
        }
        java.util.concurrent.atomic.AtomicReference<String> current = new java.util.concurrent.atomic.AtomicReference<>("");
        Thread thread = Engine.daemonThreads(threadName).newThread(() -> {
            IN_LISTENER.set(new Told(deployment, call));
            for (VerificationListener listener : listeners) {
                current.set(listener.getClass().getName());
                try {
                    listener.beforeRollback(deployment);
                } catch (Exception | Error e) {
                    LOG.warn("listener {} failed before the rollback and was ignored:{}{}", current.get(), System.lineSeparator(),
                            VigilException.frames(e));
                }
            }
        });
        thread.start();
        try {
            thread.join(VerificationListener.BEFORE_ROLLBACK_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("listener {} did not return within {} before the rollback; the rollback runs without waiting for it",
                    current.get(), Durations.format(VerificationListener.BEFORE_ROLLBACK_WAIT));
        }
    }

    /** Records on the meters. */
    void meters(Consumer<Meters> record) {
        if (!meters.enabled()) {
            return;
        }
        submit(() -> {
            busy = "the meter registry";
            try {
                record.accept(meters);
            } catch (Exception | Error e) {
                LOG.warn("recording Vigil's meters failed and was ignored:{}{}", System.lineSeparator(), VigilException.frames(e));
            }
            busy = "";
        });
    }

    private void submit(Runnable task) {
        try {
            thread.execute(task);
        } catch (RuntimeException e) {
            LOG.warn("an event for the listeners was dropped: {}", VigilException.describe(e));
        }
    }

    /** Waits for the events handed over so far, at most the drain timeout; never throws. */
    @Override
    public void close() {
        if (thread == null) {
            return;
        }
        boolean interrupted = Thread.interrupted();
        try {
            Future<?> drained = thread.submit(() -> { });
            drained.get(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("listener {} did not finish within {}; the verification ended without waiting for it",
                    busy, Durations.format(drainTimeout));
        } catch (InterruptedException e) {
            interrupted = true;
        } catch (Exception e) {
            LOG.warn("waiting for the listeners failed: {}", VigilException.describe(e));
        } finally {
            thread.shutdownNow();
            try {
                thread.awaitTermination(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
