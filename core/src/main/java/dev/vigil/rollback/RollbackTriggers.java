package dev.vigil.rollback;

import dev.vigil.RollbackEvent;
import dev.vigil.RollbackTrigger;
import dev.vigil.command.CommandRollbackTrigger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in rollback triggers. Each is immutable and thread-safe.
 *
 * <p><b>Commands</b> get {@code VIGIL_SERVICE}, {@code VIGIL_VERSION},
 * {@code VIGIL_PREVIOUS_VERSION}, {@code VIGIL_ENVIRONMENT}, {@code VIGIL_KIND},
 * {@code VIGIL_VERDICT}, {@code VIGIL_REASON}, {@code VIGIL_ATTEMPT} and {@code VIGIL_ROLLBACK_ID}
 * in their environment. A command is run once: rollback commands are rarely idempotent
 * ({@code kubectl rollout undo} returns to the revision before the current one, so a second run
 * after a first that rolled back but then failed, say in {@code rollout status}, puts the bad
 * version back). It is run again only when it exits with one of its retry exit codes, by which
 * it says "nothing was changed, try again": by default {@value #EX_TEMPFAIL} ({@code EX_TEMPFAIL}
 * of {@code sysexits.h}). A command that cannot be started, or that runs past its timeout (it is
 * killed with its children), is a failure not retried.
 *
 * <p><b>Callbacks</b> say whether they are idempotent: {@link #callback} is not (retried only when
 * it throws a retryable {@link dev.vigil.RollbackException}), {@link #idempotentCallback} is (retried
 * on any failure except a {@code RollbackException} that is not retryable).
 *
 * <p>How often and how long a trigger is tried is the {@link dev.vigil.RollbackPolicy}'s: the
 * triggers made here decide only whether a failed attempt may be tried again.
 */
public final class RollbackTriggers {

    /** Most output kept from a command, in bytes; the rest is dropped and the drop is noted. */
    public static final int MAX_OUTPUT_BYTES = CommandRollbackTrigger.MAX_OUTPUT_BYTES;
    /** {@code EX_TEMPFAIL} of {@code sysexits.h}: "temporary failure, try again later". */
    public static final int EX_TEMPFAIL = 75;
    /** The exit codes after which a command is run again by default: {@value #EX_TEMPFAIL} only. */
    public static final Set<Integer> DEFAULT_RETRY_ON_EXIT_CODES = Set.of(EX_TEMPFAIL);

    private RollbackTriggers() {
    }

    /**
     * A command run by {@code /bin/sh -c}, retried only after exit {@value #EX_TEMPFAIL}.
     *
     * @param command the command line; make it safe to repeat where you can, e.g.
     *     {@code kubectl rollout undo deployment/checkout --to-revision=41} rather than a bare {@code rollout undo}
     * @param timeout how long one attempt may run before it is killed with its children
     * @return the trigger; immutable and thread-safe
     * @throws IllegalArgumentException when the command is blank or the timeout not positive
     * @throws NullPointerException when an argument is {@code null}
     */
    public static RollbackTrigger shell(String command, Duration timeout) {
        return shell(command, timeout, DEFAULT_RETRY_ON_EXIT_CODES);
    }

    /**
     * A command run by {@code /bin/sh -c}.
     *
     * @param command the command line
     * @param timeout how long one attempt may run before it is killed with its children
     * @param retryOnExitCodes the exit codes by which the command says it changed nothing, so that
     *     it is run again (within the {@link dev.vigil.RollbackPolicy}'s attempts); empty: never
     *     run again
     * @return the trigger; immutable and thread-safe
     * @throws IllegalArgumentException when the command is blank, the timeout not positive, or an
     *     exit code is outside 1..255
     * @throws NullPointerException when an argument is {@code null}
     */
    public static RollbackTrigger shell(String command, Duration timeout, Set<Integer> retryOnExitCodes) {
        return CommandRollbackTrigger.shell(command, timeout, retryOnExitCodes);
    }

    /**
     * A command run directly, without a shell, retried only after exit {@value #EX_TEMPFAIL}.
     *
     * @param argv the program and its arguments
     * @param timeout how long one attempt may run before it is killed with its children
     * @return the trigger; immutable and thread-safe
     * @throws IllegalArgumentException when no program is named or the timeout is not positive
     * @throws NullPointerException when the timeout is {@code null}
     */
    public static RollbackTrigger command(List<String> argv, Duration timeout) {
        return command(argv, timeout, DEFAULT_RETRY_ON_EXIT_CODES);
    }

    /**
     * A command run directly, without a shell.
     *
     * @param argv the program and its arguments
     * @param timeout how long one attempt may run before it is killed with its children
     * @param retryOnExitCodes the exit codes after which it is run again; empty: never
     * @return the trigger; immutable and thread-safe
     * @throws IllegalArgumentException when no program is named, the timeout is not positive, or
     *     an exit code is outside 1..255
     * @throws NullPointerException when the timeout or the exit codes are {@code null}
     */
    public static RollbackTrigger command(List<String> argv, Duration timeout, Set<Integer> retryOnExitCodes) {
        return CommandRollbackTrigger.command(argv, timeout, retryOnExitCodes);
    }

    /**
     * A Java callback that is not idempotent: it fails an attempt by throwing, and is tried again
     * only when it throws a {@link dev.vigil.RollbackException} that is
     * {@linkplain dev.vigil.RollbackException#retryable() retryable}, by which it says that nothing
     * was changed.
     *
     * @param name what the callback does, for reports
     * @param callback the rollback itself; two verifications share a rollback only when they share
     *     this object
     * @return the trigger; thread-safe when the callback is
     * @throws NullPointerException when an argument is {@code null}
     */
    public static RollbackTrigger callback(String name, Callback callback) {
        return new CallbackTrigger(name, callback, false);
    }

    /**
     * A Java callback that is idempotent (running it twice does no more than once, e.g. "set the
     * image to the previous version"): any failure is retried, except a
     * {@link dev.vigil.RollbackException} that is not retryable.
     *
     * @param name what the callback does, for reports
     * @param callback the rollback itself; two verifications share a rollback only when they share
     *     this object
     * @return the trigger; thread-safe when the callback is
     * @throws NullPointerException when an argument is {@code null}
     */
    public static RollbackTrigger idempotentCallback(String name, Callback callback) {
        return new CallbackTrigger(name, callback, true);
    }

    /**
     * A rollback written in Java. It may be called from the engine's threads, and again after a
     * failed attempt when the trigger retries it, so it must be safe to call from any thread.
     */
    @FunctionalInterface
    public interface Callback {
        /**
         * Rolls back; returns normally when this attempt succeeded.
         *
         * @param event what is rolled back and why: the deployment, the verdict, the attempt
         * @throws Exception when this attempt failed; a {@link dev.vigil.RollbackException} says
         *     whether it may be retried, any other exception is retried only by an
         *     {@linkplain #idempotentCallback idempotent callback}
         */
        void rollback(RollbackEvent event) throws Exception;
    }

    /** Its identity is the callback object: two verifications share a rollback only with the same callback. */
    private record CallbackTrigger(String name, Callback callback, boolean idempotent) implements RollbackTrigger {
        CallbackTrigger {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(callback, "callback");
        }

        @Override
        public String execute(RollbackEvent event) throws Exception {
            callback.rollback(event);
            return "";
        }

        @Override
        public String description() {
            return "callback: " + name;
        }

        @Override
        public Object identity() {
            return callback;
        }

        @Override
        public String toString() {
            return description();
        }
    }
}
