package dev.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * How a rollback is attempted, for every trigger. Immutable. Which failures are retried at all is
 * the trigger's to say (see {@link dev.vigil.RollbackTrigger}): only those that cannot have
 * changed anything, since a rollback run twice may undo itself.
 *
 * @param maxAttempts attempts in all for a failure that may be retried, at least 1; default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param backoff wait before the first retry, doubled for each further one; default {@link #DEFAULT_BACKOFF}
 * @param timeout how long one attempt may take before it is killed; default {@link #DEFAULT_TIMEOUT}
 */
public record RollbackPolicy(int maxAttempts, Duration backoff, Duration timeout) {

    /** Default attempts in all. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default wait before the first retry. */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);
    /** Default time one attempt may take: 2 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    /** @throws IllegalArgumentException naming the setting when a value is out of range */
    public RollbackPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("rollback max-attempts must be >= 1: " + maxAttempts);
        }
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(timeout, "timeout");
        if (backoff.isNegative()) {
            throw new IllegalArgumentException("rollback backoff must not be negative: " + backoff);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("rollback timeout must be positive: " + timeout);
        }
    }

    /** The defaults. */
    public static RollbackPolicy defaults() {
        return new RollbackPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF, DEFAULT_TIMEOUT);
    }

    /** A copy with another number of attempts. */
    public RollbackPolicy withMaxAttempts(int value) {
        return new RollbackPolicy(value, backoff, timeout);
    }

    /** A copy with another backoff. */
    public RollbackPolicy withBackoff(Duration value) {
        return new RollbackPolicy(maxAttempts, value, timeout);
    }

    /** A copy with another timeout per attempt. */
    public RollbackPolicy withTimeout(Duration value) {
        return new RollbackPolicy(maxAttempts, backoff, value);
    }
}
