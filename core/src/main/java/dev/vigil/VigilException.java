package dev.vigil;

/**
 * The root of every exception Vigil throws on purpose. Unchecked; subtypes say what went wrong.
 */
public class VigilException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message.
     *
     * @param message what went wrong, naming the thing at fault
     */
    public VigilException(String message) {
        super(message);
    }

    /**
     * An exception with a message and its cause.
     *
     * @param message what went wrong, naming the thing at fault
     * @param cause the underlying failure
     */
    public VigilException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * A failure in words, for a report or a log line: a {@link VigilException}'s message as it is (it names the
     * thing already), else the exception's simple name and its message.
     *
     * @param e the failure; may be {@code null}
     * @return the words; {@code unknown error} for {@code null}, never {@code null}
     */
    public static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage();
        if (e instanceof VigilException && message != null) {
            return message;
        }
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

}
