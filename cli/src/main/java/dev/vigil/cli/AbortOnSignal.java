package dev.vigil.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns SIGINT and SIGTERM during a verification into an orderly abort: the verifying thread is
 * interrupted, so the verification ends with verdict ABORTED, its reports are written and its
 * release history recorded and closed, and the JVM exits with the code the command chose
 * ({@link ExitCodes#ABORTED} unless, say, a rollback that was running failed because of the
 * interruption).
 *
 * <p>In the command line's own JVM ({@link #exitsAfterCommand()}) the two signals are handled here,
 * so the JVM starts shutting down only once the command has ended: with a shutdown hook alone, the
 * hooks of the libraries ran alongside the abort, and H2's closed the embedded history under the
 * aborted verification's record. Only the first signal interrupts the command; another one while it
 * winds up waits with the first. The shutdown hook stays for every other way the JVM ends while the
 * command runs ({@code System.exit} from a probe's test, SIGHUP, or a JVM where the signals cannot
 * be handled), with the same grace, and it is all there is when a program runs the command line in
 * a JVM of its own ({@link VigilCommand#run}): a signal there still shuts that JVM down.
 */
final class AbortOnSignal implements AutoCloseable {

    /** The signals handled while the command runs. */
    private static final List<String> SIGNALS = List.of("TERM", "INT");

    /**
     * How long the JVM waits for the verification to wind up after a signal, beyond the grace a
     * rollback attempt running then has to finish ({@link #rollbackGrace}).
     */
    static final long GRACE_SECONDS = 20;

    private final Thread worker;
    private final Thread hook;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicBoolean signalled = new AtomicBoolean();
    private final AtomicInteger exitCode = new AtomicInteger(ExitCodes.ABORTED);
    /** The grace of a rollback attempt running at the signal ({@code vigil.rollback.signal-grace}), once the configuration is read. */
    private volatile Duration rollbackGrace = Duration.ZERO;
    /** The handlers the signals had before, put back when the command ends. */
    private final List<SignalHandlers.Previous> previous = new ArrayList<>();
    /** Whether the JVM exits once the command has ended: set by {@link VigilCommand#main}. */
    private static volatile boolean exitsAfterCommand;

    /**
     * The JVM exits with the command's code once it has ended ({@link VigilCommand#main}): SIGINT and
     * SIGTERM are then handled by the commands themselves. A program that runs the command line
     * without exiting keeps the JVM's own handling of them.
     */
    static void exitsAfterCommand() {
        exitsAfterCommand = true;
    }

    private AbortOnSignal(Thread worker) {
        this.worker = worker;
        this.hook = new Thread(this::onShutdown, "vigil-abort");
    }

    /** Watches for a shutdown while {@code worker} verifies. */
    static AbortOnSignal install(Thread worker) {
        AbortOnSignal abort = new AbortOnSignal(worker);
        Runtime.getRuntime().addShutdownHook(abort.hook);
        if (exitsAfterCommand) {
            abort.handleSignals();
        }
        return abort;
    }

    private void handleSignals() {
        // Where a signal cannot be handled (-Xrs), the shutdown hook aborts instead.
        SIGNALS.forEach(name -> SignalHandlers.handle(name, this::onSignal).ifPresent(previous::add));
    }

    /**
     * A signal: the command is stopped and exits by itself once it has written and recorded; when it
     * does not end within the grace period, the JVM is stopped with the code it chose so far.
     */
    void onSignal() {
        if (closed.get()) {
            return;
        }
        if (!abortAndAwait()) {
            halt();
        }
    }

    /**
     * The grace a rollback attempt running when the signal comes has to finish
     * ({@link dev.vigil.RollbackPolicy#interruptGrace()}): the JVM waits that much longer for the command
     * to wind up.
     */
    void rollbackGrace(Duration grace) {
        rollbackGrace = grace;
    }

    /** How long the command is waited for after a signal: {@link #GRACE_SECONDS} and a rollback's grace. */
    Duration windUp() {
        return Duration.ofSeconds(GRACE_SECONDS).plus(rollbackGrace);
    }

    /** Whether SIGINT and SIGTERM are handled by this command rather than by the JVM. */
    boolean handlesSignals() {
        return !previous.isEmpty();
    }

    /** Whether a signal asked the JVM to stop. */
    boolean signalled() {
        return signalled.get();
    }

    private void onShutdown() {
        if (closed.get()) {
            return;
        }
        abortAndAwait();
        // The JVM is shutting down; System.exit would block, so the chosen code is forced.
        halt();
    }

    /**
     * Interrupts the command, the first time only (a second signal must not break its winding up:
     * the reports, the history; nor cut a rollback attempt finishing within its grace), and waits for it
     * to end, at most {@link #windUp()}; whether it ended.
     */
    private boolean abortAndAwait() {
        if (signalled.compareAndSet(false, true)) {
            worker.interrupt();
        }
        try {
            return done.await(windUp().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void halt() {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(exitCode.get());
    }

    /**
     * Runs a command's work with a signal aborting it: installed first, so that a signal while the
     * configuration is read aborts as well; the interrupt flag is cleared afterwards.
     */
    static int run(java.util.function.IntSupplier work) {
        return run(abort -> work.getAsInt());
    }

    /**
     * {@link #run(java.util.function.IntSupplier)}, the work given the abort, to tell it the rollback's
     * grace once the configuration is read.
     */
    static int run(java.util.function.ToIntFunction<AbortOnSignal> work) {
        try (AbortOnSignal abort = install(Thread.currentThread())) {
            int code = work.applyAsInt(abort);
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
            previous.forEach(SignalHandlers::restore);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook is waiting for the countdown below.
            }
        }
        done.countDown();
    }
}
