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

    /**
     * A failure for a log line: the class and stack frames of the exception and of its causes,
     * without their messages. A message may quote what the failing code was given (a URL with its
     * password, a token in a header), which a log cannot tell from the rest and would keep in
     * clear; the report says the message with its credentials masked.
     *
     * @param e the failure
     * @return the classes and frames, one per line, as a stack trace shows them
     */
    static String frames(Throwable e) {
        StringBuilder out = new StringBuilder();
        java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            out.append(t == e ? "" : "Caused by: ").append(t.getClass().getName())
                    .append(t.getMessage() == null ? "" : " (message left out of the log)").append(System.lineSeparator());
            for (StackTraceElement frame : t.getStackTrace()) {
                out.append("\tat ").append(frame).append(System.lineSeparator());
            }
        }
        return out.toString();
    }
}
