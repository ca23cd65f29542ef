package dev.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * How much bad news one probe may give before the deployment is unhealthy, with Argo Rollouts'
 * semantics, and how long and how often one measurement may be attempted. Immutable.
 *
 * @param maxFailures {@link Outcome#FAIL} measurements tolerated; one more makes the deployment
 *     unhealthy. Default {@value #DEFAULT_MAX_FAILURES}.
 * @param maxConsecutiveErrors {@link Outcome#ERROR} measurements in a row tolerated; one more makes
 *     the deployment unhealthy. Default {@value #DEFAULT_MAX_CONSECUTIVE_ERRORS}.
 * @param maxInconclusive {@link Outcome#INCONCLUSIVE} measurements tolerated; one more makes the
 *     end of the bake inconclusive (the bake goes on, and failures still count). Default
 *     {@value #DEFAULT_MAX_INCONCLUSIVE}.
 * @param timeout how long one measurement may take, retries included; past it the measurement is
 *     an {@link Outcome#ERROR} and the round goes on without it. Default {@link #DEFAULT_TIMEOUT}.
 * @param maxAttempts attempts for a measurement whose failure is retryable, at least 1. Default
 *     {@value #DEFAULT_MAX_ATTEMPTS}.
 * @param retryBackoff the wait before the first retry, doubled for each further one. Default
 *     {@link #DEFAULT_RETRY_BACKOFF}.
 */
public record ProbeLimits(
        int maxFailures,
        int maxConsecutiveErrors,
        int maxInconclusive,
        Duration timeout,
        int maxAttempts,
        Duration retryBackoff) {

    /** Default {@code max-failures}: no failure tolerated. */
    public static final int DEFAULT_MAX_FAILURES = 0;
    /** Default {@code max-consecutive-errors}, as Argo Rollouts. */
    public static final int DEFAULT_MAX_CONSECUTIVE_ERRORS = 4;
    /** Default {@code max-inconclusive}. */
    public static final int DEFAULT_MAX_INCONCLUSIVE = 0;
    /** Default timeout of one measurement. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Default attempts for retryable failures within one round. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default wait before the first retry. */
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);

    /** @throws IllegalArgumentException naming the limit when a value is out of range */
    public ProbeLimits {
        if (maxFailures < 0) {
            throw new IllegalArgumentException("max-failures must be >= 0: " + maxFailures);
        }
        if (maxConsecutiveErrors < 0) {
            throw new IllegalArgumentException("max-consecutive-errors must be >= 0: " + maxConsecutiveErrors);
        }
        if (maxInconclusive < 0) {
            throw new IllegalArgumentException("max-inconclusive must be >= 0: " + maxInconclusive);
        }
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

    /** The defaults. */
    public static ProbeLimits defaults() {
        return new ProbeLimits(DEFAULT_MAX_FAILURES, DEFAULT_MAX_CONSECUTIVE_ERRORS, DEFAULT_MAX_INCONCLUSIVE,
                DEFAULT_TIMEOUT, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_BACKOFF);
    }

    /** A copy with another {@code max-failures}. */
    public ProbeLimits withMaxFailures(int value) {
        return new ProbeLimits(value, maxConsecutiveErrors, maxInconclusive, timeout, maxAttempts, retryBackoff);
    }

    /** A copy with another {@code max-consecutive-errors}. */
    public ProbeLimits withMaxConsecutiveErrors(int value) {
        return new ProbeLimits(maxFailures, value, maxInconclusive, timeout, maxAttempts, retryBackoff);
    }

    /** A copy with another {@code max-inconclusive}. */
    public ProbeLimits withMaxInconclusive(int value) {
        return new ProbeLimits(maxFailures, maxConsecutiveErrors, value, timeout, maxAttempts, retryBackoff);
    }

    /** A copy with another timeout. */
    public ProbeLimits withTimeout(Duration value) {
        return new ProbeLimits(maxFailures, maxConsecutiveErrors, maxInconclusive, value, maxAttempts, retryBackoff);
    }

    /** A copy with another number of attempts for retryable failures. */
    public ProbeLimits withMaxAttempts(int value) {
        return new ProbeLimits(maxFailures, maxConsecutiveErrors, maxInconclusive, timeout, value, retryBackoff);
    }

    /** A copy with another wait before the first retry. */
    public ProbeLimits withRetryBackoff(Duration value) {
        return new ProbeLimits(maxFailures, maxConsecutiveErrors, maxInconclusive, timeout, maxAttempts, value);
    }
}
