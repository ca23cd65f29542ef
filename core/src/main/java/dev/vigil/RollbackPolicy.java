package dev.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * How a rollback is attempted, for every trigger. Immutable. Which failures are retried at all is
 * the trigger's to say (see {@link dev.vigil.RollbackTrigger}): only those that cannot have
 * changed anything, since a rollback run twice may undo itself.
 *
 * @param maxAttempts attempts in all for a failure that may be retried, at least 1; default {@value #DEFAULT_MAX_ATTEMPTS}
 * @param backoff wait before the first retry, doubled for each further one; default {@link #DEFAULT_BACKOFF}.
 *     Waited on the verifier's {@link TimeSource}, so virtual time does not wait for it in real time
 * @param timeout how long one attempt may take before it is killed; default {@link #DEFAULT_TIMEOUT}.
 *     A trigger that enforces it itself (a command is killed at its timeout, the same by
 *     configuration) is given 5 s more to end and report what it printed before it is interrupted;
 *     one that does not (a callback that hangs) is interrupted then, and the attempt fails as
 *     "timed out after" this timeout, not retried. The timeout bounds an attempt, not the wait for
 *     it: an interrupted attempt is waited for at most 4 s more for what it printed, and one that
 *     ignores interruption is left on a daemon thread, the verification waiting 2 s more at its end
 *     for its threads; so a timed-out attempt holds the caller of
 *     {@link DeployVerifier#verifyAfterDeploy} for this timeout plus at most 11 s (with 1 s, about
 *     12 s), and a whole rollback at most, per trigger, {@code maxAttempts × (timeout + 5 s)} plus the
 *     backoffs, plus those 6 s once
 * @param interruptGrace how long an attempt already running when the calling thread is interrupted (the
 *     command line's SIGINT or SIGTERM, a cancelled job) is still waited for, so that a {@code helm rollback}
 *     or {@code kubectl apply} is not cut in half; zero or more, default zero (stopped at once) for a policy
 *     made in code, {@link #DEFAULT_SIGNAL_GRACE} by configuration ({@code vigil.rollback.signal-grace}).
 *     An attempt that ends within it is reported as it ended ({@code ROLLED_BACK}, or {@code FAILED} with its
 *     own error), the interrupt kept for the caller: no further attempt or trigger starts, and the re-check
 *     after it ends at once, inconclusive. One that does not is stopped as at once, when the grace ends; so
 *     is one whose thread is interrupted a second time during it
 */
public record RollbackPolicy(int maxAttempts, Duration backoff, Duration timeout, Duration interruptGrace) {

    /** Default attempts in all. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Default wait before the first retry. */
    public static final Duration DEFAULT_BACKOFF = Duration.ofSeconds(2);
    /** Default time one attempt may take: 2 minutes. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);
    /**
     * The default of {@code vigil.rollback.signal-grace}, the {@link #interruptGrace()} of a policy bound
     * from configuration: 15 seconds, so that with the winding up after it the command line ends within
     * Kubernetes' default 30 s between SIGTERM and SIGKILL.
     */
    public static final Duration DEFAULT_SIGNAL_GRACE = Duration.ofSeconds(15);

    /**
     * Validates the policy.
     *
     * @param maxAttempts attempts in all for a failure that may be retried; at least 1
     * @param backoff wait before the first retry, doubled for each further one; zero or more
     * @param timeout how long one attempt may take before it is killed; positive
     * @param interruptGrace how long an attempt running when the calling thread is interrupted is still
     *     waited for; zero or more
     * @throws NullPointerException when {@code backoff}, {@code timeout} or {@code interruptGrace} is {@code null}
     * @throws IllegalArgumentException naming the setting when a value is out of range
     */
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
        Objects.requireNonNull(interruptGrace, "interruptGrace");
        if (interruptGrace.isNegative()) {
            throw new IllegalArgumentException("rollback signal-grace must not be negative: " + interruptGrace);
        }
    }

    /**
     * A policy that stops an attempt at once when the calling thread is interrupted ({@link #interruptGrace()} zero).
     *
     * @param maxAttempts attempts in all for a failure that may be retried; at least 1
     * @param backoff wait before the first retry, doubled for each further one; zero or more
     * @param timeout how long one attempt may take before it is killed; positive
     * @throws NullPointerException when {@code backoff} or {@code timeout} is {@code null}
     * @throws IllegalArgumentException naming the setting when a value is out of range
     */
    public RollbackPolicy(int maxAttempts, Duration backoff, Duration timeout) {
        this(maxAttempts, backoff, timeout, Duration.ZERO);
    }

    /**
     * The defaults: {@value #DEFAULT_MAX_ATTEMPTS} attempts, 2 s before the first retry, 2
     * minutes per attempt, an attempt stopped at once when the calling thread is interrupted.
     *
     * @return the default policy
     */
    public static RollbackPolicy defaults() {
        return new RollbackPolicy(DEFAULT_MAX_ATTEMPTS, DEFAULT_BACKOFF, DEFAULT_TIMEOUT);
    }

    /**
     * A copy with another number of attempts.
     *
     * @param value attempts in all; at least 1
     * @return the copy
     * @throws IllegalArgumentException when {@code value} is less than 1
     */
    public RollbackPolicy withMaxAttempts(int value) {
        return new RollbackPolicy(value, backoff, timeout, interruptGrace);
    }

    /**
     * A copy with another backoff.
     *
     * @param value wait before the first retry; zero or more
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public RollbackPolicy withBackoff(Duration value) {
        return new RollbackPolicy(maxAttempts, value, timeout, interruptGrace);
    }

    /**
     * A copy with another timeout per attempt.
     *
     * @param value how long one attempt may take; positive
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public RollbackPolicy withTimeout(Duration value) {
        return new RollbackPolicy(maxAttempts, backoff, value, interruptGrace);
    }

    /**
     * A copy with another grace for an attempt running when the calling thread is interrupted.
     *
     * @param value how long such an attempt is still waited for; zero or more (zero: stopped at once)
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public RollbackPolicy withInterruptGrace(Duration value) {
        return new RollbackPolicy(maxAttempts, backoff, timeout, value);
    }
}
