package dev.vigil.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns SIGINT and SIGTERM during a verification into an orderly abort: the verifying thread is
 * interrupted, so the verification ends with verdict ABORTED and its reports are written, and the
 * JVM exits with the code the command chose ({@link ExitCodes#ABORTED} unless, say, a rollback
 * that was running failed because of the interruption).
 */
final class AbortOnSignal implements AutoCloseable {

    /** How long the JVM waits for the verification to wind up after a signal. */
    static final long GRACE_SECONDS = 20;

    private final Thread worker;
    private final Thread hook;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicInteger exitCode = new AtomicInteger(ExitCodes.ABORTED);

    private AbortOnSignal(Thread worker) {
        this.worker = worker;
        this.hook = new Thread(this::onShutdown, "vigil-abort");
    }

    /** Watches for a shutdown while {@code worker} verifies. */
    static AbortOnSignal install(Thread worker) {
        AbortOnSignal abort = new AbortOnSignal(worker);
        Runtime.getRuntime().addShutdownHook(abort.hook);
        return abort;
    }

    /** Whether a signal asked the JVM to stop. */
    boolean signalled() {
        return signalled.get();
    }

    private void onShutdown() {
        if (closed.get()) {
            return;
        }
        signalled.set(true);
        worker.interrupt();
        try {
            done.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.out.flush();
        System.err.flush();
        // The JVM is shutting down; System.exit would block, so the chosen code is forced.
        Runtime.getRuntime().halt(exitCode.get());
    }

    /**
     * Runs a command's work with a signal aborting it: installed first, so that a signal while the
     * configuration is read aborts as well; the interrupt flag is cleared afterwards.
     */
    static int run(java.util.function.IntSupplier work) {
        try (AbortOnSignal abort = install(Thread.currentThread())) {
            int code = work.getAsInt();
            abort.finished(code);
            return code;
        } finally {
            Thread.interrupted();
        }
    }

    /** The verification is over and the command exits with {@code code}. */
    void finished(int code) {
        exitCode.set(code);
        close();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is waiting for the countdown below.
            }
        }
        done.countDown();
    }
}
