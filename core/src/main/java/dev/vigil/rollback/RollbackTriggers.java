package dev.vigil.rollback;

import dev.vigil.spi.RollbackTrigger;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The built-in rollback triggers.
 *
 * <p>The shell command gets {@code VIGIL_SERVICE}, {@code VIGIL_VERSION},
 * {@code VIGIL_PREVIOUS_VERSION}, {@code VIGIL_VERDICT} and {@code VIGIL_REASON} in its
 * environment; a non-zero exit is a retryable failure; a command that cannot be started, or that
 * runs past its timeout (it is killed with its children), is a failure not retried.
 */
public final class RollbackTriggers {

    /** Most output kept from a command, in bytes; the rest is dropped and the drop is noted. */
    public static final int MAX_OUTPUT_BYTES = 64 * 1024;

    private RollbackTriggers() {
    }

    /**
     * A command run by {@code /bin/sh -c}.
     *
     * @param command the command line, e.g. {@code kubectl rollout undo deployment/checkout}
     * @param timeout how long one attempt may run before it is killed with its children
     */
    public static RollbackTrigger shell(String command, Duration timeout) {
        Objects.requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException("rollback command must not be blank");
        }
        return new CommandRollbackTrigger(List.of("/bin/sh", "-c", command), command, timeout);
    }

    /**
     * A command run directly, without a shell.
     *
     * @param argv the program and its arguments
     * @param timeout how long one attempt may run before it is killed with its children
     */
    public static RollbackTrigger command(List<String> argv, Duration timeout) {
        if (argv == null || argv.isEmpty() || argv.get(0).isBlank()) {
            throw new IllegalArgumentException("rollback command must name a program");
        }
        return new CommandRollbackTrigger(List.copyOf(argv), String.join(" ", argv), timeout);
    }

    /**
     * A Java callback. It fails an attempt by throwing; a {@link RollbackException} says whether
     * to retry, anything else is retried.
     *
     * @param name what the callback does, for reports
     * @param callback the rollback itself
     */
    public static RollbackTrigger callback(String name, Callback callback) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(callback, "callback");
        return new RollbackTrigger() {
            @Override
            public String execute(RollbackEvent event) throws Exception {
                callback.rollback(event);
                return "";
            }

            @Override
            public String description() {
                return "callback: " + name;
            }
        };
    }

    /** A rollback written in Java. */
    @FunctionalInterface
    public interface Callback {
        /** Rolls back; throws when this attempt failed. */
        void rollback(RollbackEvent event) throws Exception;
    }
}
