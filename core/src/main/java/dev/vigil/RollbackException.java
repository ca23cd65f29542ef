package dev.vigil;


/**
 * A rollback attempt failed. {@link #retryable()} says whether another attempt may help (a
 * command that exited non-zero, a webhook that answered 503) or not (a command that does not
 * exist, one that hung past its timeout).
 */
public class RollbackException extends VigilException {
    private static final long serialVersionUID = 1L;

    /** Whether another attempt may help. */
    private final boolean retryable;
    /** What the failed attempt printed, bounded; never {@code null}. */
    private final String output;

    /**
     * A failed rollback attempt.
     *
     * @param message what failed
     * @param retryable whether another attempt may help
     * @param output what the attempt printed, bounded (may be empty; {@code null} reads as empty)
     */
    public RollbackException(String message, boolean retryable, String output) {
        super(message);
        this.retryable = retryable;
        this.output = output == null ? "" : output;
    }

    /**
     * Whether another attempt may help: {@code true} when the attempt certainly changed nothing.
     *
     * @return whether the failed attempt may be tried again
     */
    public boolean retryable() {
        return retryable;
    }

    /**
     * What the failed attempt printed, bounded.
     *
     * @return the output; may be empty, never {@code null}
     */
    public String output() {
        return output;
    }
}
