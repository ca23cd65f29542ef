package dev.vigil;


/**
 * A rollback attempt failed. {@link #retryable()} says whether another attempt may help (a
 * command that exited non-zero, a webhook that answered 503) or not (a command that does not
 * exist, one that hung past its timeout).
 */
public class RollbackException extends VigilException {
    private static final long serialVersionUID = 1L;

    private final boolean retryable;
    private final String output;

    /**
     * @param message what failed
     * @param retryable whether another attempt may help
     * @param output what the attempt printed, bounded (may be empty)
     */
    public RollbackException(String message, boolean retryable, String output) {
        super(message);
        this.retryable = retryable;
        this.output = output == null ? "" : output;
    }

    /** Whether another attempt may help. */
    public boolean retryable() {
        return retryable;
    }

    /** What the failed attempt printed, bounded; may be empty. */
    public String output() {
        return output;
    }
}
