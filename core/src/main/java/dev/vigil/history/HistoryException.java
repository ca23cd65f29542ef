package dev.vigil.history;

import dev.vigil.VigilException;

/** The release history could not be read or written. Its message never holds a password. */
public class HistoryException extends VigilException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception with a message naming the history and what failed.
     *
     * @param message names the history and what failed
     * @param cause the underlying failure (a {@code SQLException})
     */
    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * An exception with a message naming the history and what failed.
     *
     * @param message names the history and what failed
     */
    public HistoryException(String message) {
        super(message);
    }
}
