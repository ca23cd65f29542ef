package dev.vigil;

/**
 * The root of every exception Vigil throws on purpose. Unchecked; subtypes say what went wrong.
 */
public class VigilException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what went wrong, naming the thing at fault */
    public VigilException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the thing at fault
     * @param cause the underlying failure
     */
    public VigilException(String message, Throwable cause) {
        super(message, cause);
    }
}
