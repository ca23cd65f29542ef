package dev.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * How one measurement of a probe is attempted: how long it may take and how often a transient
 * failure is tried again within the round. Separate from {@link ProbeLimits}, which say how much
 * bad news the verdict tolerates. Immutable.
 *
 * @param timeout how long one measurement may take, retries included; past it the measurement is
 *     an {@link Outcome#ERROR} and the round goes on without it. Default {@link #DEFAULT_TIMEOUT};
 *     configuration shortens it to the plan's interval when that is shorter.
 * @param maxAttempts attempts for a measurement whose failure is retryable
 *     ({@link RetryableProbeException}), at least 1. Default {@value #DEFAULT_MAX_ATTEMPTS}.
 * @param retryBackoff the wait before the first retry, doubled for each further one; waited on
 *     the verifier's {@link TimeSource}. Default {@link #DEFAULT_RETRY_BACKOFF}.
 */
public record MeasurementPolicy(Duration timeout, int maxAttempts, Duration retryBackoff) {

    /** Default timeout of one measurement: 10 seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default attempts for retryable failures within one round. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default wait before the first retry: 200 milliseconds. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);

    /**
     * Validates.
     *
     * @param timeout how long one measurement may take, retries included; positive
     * @param maxAttempts attempts for a measurement whose failure is retryable; at least 1
     * @param retryBackoff the wait before the first retry; zero or more
     * @throws IllegalArgumentException naming the setting when a value is out of range
     * @throws NullPointerException when a duration is {@code null}
     */
    public MeasurementPolicy {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max-attempts must be >= 1: " + maxAttempts);
        }
        Objects.requireNonNull(retryBackoff, "retryBackoff");
        if (retryBackoff.isNegative()) {
            throw new IllegalArgumentException("retry-backoff must not be negative: " + retryBackoff);
        }
    }

    /**
     * The defaults.
     *
     * @return 10 seconds, 3 attempts, 200 milliseconds
     */
    public static MeasurementPolicy defaults() {
        return new MeasurementPolicy(DEFAULT_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BACKOFF);
    }

    /**
     * A copy with another timeout.
     *
     * @param value positive
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public MeasurementPolicy withTimeout(Duration value) {
        return new MeasurementPolicy(value, maxAttempts, retryBackoff);
    }

    /**
     * A copy with another number of attempts for retryable failures.
     *
     * @param value at least 1
     * @return the copy
     * @throws IllegalArgumentException when {@code value} is less than 1
     */
    public MeasurementPolicy withMaxAttempts(int value) {
        return new MeasurementPolicy(timeout, value, retryBackoff);
    }

    /**
     * A copy with another wait before the first retry.
     *
     * @param value not negative
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public MeasurementPolicy withRetryBackoff(Duration value) {
        return new MeasurementPolicy(timeout, maxAttempts, value);
    }
}
