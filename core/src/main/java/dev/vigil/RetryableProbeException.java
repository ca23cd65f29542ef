package dev.vigil;


/**
 * Thrown by a probe for a transient failure (connection refused or reset, DNS failure, a 5xx from
 * a metrics back end) that is worth another attempt within the same round. When the attempts run
 * out, the measurement is an {@code ERROR} carrying this message and, after more than one, how many
 * were made ({@code "connection refused: ... (after 3 attempts)"}). One wrapped in a
 * {@link java.util.concurrent.CompletionException} or {@link java.util.concurrent.ExecutionException}
 * (a probe that joins a future) is retried and reported the same. How many attempts and the wait
 * before each retry are the probe's {@link MeasurementPolicy}; all of them share the round's
 * deadline ({@link ProbeContext#deadline()}). Any other exception a probe throws is an
 * {@code ERROR} at once, without another attempt.
 */
public class RetryableProbeException extends VigilException {
    private static final long serialVersionUID = 1L;

    /**
     * A transient failure with a message.
     *
     * @param message what failed, naming the target (never a secret)
     */
    public RetryableProbeException(String message) {
        super(message);
    }

    /**
     * A transient failure with a message and its cause.
     *
     * @param message what failed, naming the target (never a secret)
     * @param cause the underlying failure
     */
    public RetryableProbeException(String message, Throwable cause) {
        super(message, cause);
    }
}
