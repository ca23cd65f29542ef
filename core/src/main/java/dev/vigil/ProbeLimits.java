package dev.vigil;

/**
 * How much bad news one probe may give before the deployment is unhealthy, with Argo Rollouts'
 * semantics. How one measurement is attempted (timeout, retries) is a {@link MeasurementPolicy}.
 * Immutable.
 *
 * @param maxFailures {@link Outcome#FAIL} measurements tolerated; one more makes the deployment
 *     unhealthy. Default {@value #DEFAULT_MAX_FAILURES}.
 * @param maxConsecutiveErrors {@link Outcome#ERROR} measurements in a row tolerated; one more makes
 *     the deployment unhealthy. Default {@value #DEFAULT_MAX_CONSECUTIVE_ERRORS}.
 * @param maxInconclusive {@link Outcome#INCONCLUSIVE} measurements tolerated; one more makes the
 *     end of the bake inconclusive (the bake goes on, and failures still count). Default
 *     {@value #DEFAULT_MAX_INCONCLUSIVE}.
 */
public record ProbeLimits(int maxFailures, int maxConsecutiveErrors, int maxInconclusive) {

    /** Default {@code max-failures}: no failure tolerated. */
    public static final int DEFAULT_MAX_FAILURES = 0;
    /** Default {@code max-consecutive-errors}, as Argo Rollouts. */
    public static final int DEFAULT_MAX_CONSECUTIVE_ERRORS = 4;
    /** Default {@code max-inconclusive}. */
    public static final int DEFAULT_MAX_INCONCLUSIVE = 0;
    /**
     * A limit that is never broken, shown as {@code unlimited}: the {@code max-inconclusive} of a
     * probe with a canary judge unless it is set, since the judge is inconclusive until its
     * evidence is enough.
     */
    public static final int UNLIMITED = Integer.MAX_VALUE;

    /**
     * Validates.
     *
     * @param maxFailures {@link Outcome#FAIL} measurements tolerated; at least 0
     * @param maxConsecutiveErrors {@link Outcome#ERROR} measurements in a row tolerated; at least 0
     * @param maxInconclusive {@link Outcome#INCONCLUSIVE} measurements tolerated; at least 0
     * @throws IllegalArgumentException naming the limit when a value is negative
     */
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
    }

    /**
     * The defaults.
     *
     * @return no failure, 4 errors in a row, no inconclusive measurement tolerated
     */
    public static ProbeLimits defaults() {
        return new ProbeLimits(DEFAULT_MAX_FAILURES, DEFAULT_MAX_CONSECUTIVE_ERRORS, DEFAULT_MAX_INCONCLUSIVE);
    }

    /**
     * The limits as the configuration names them, for descriptions.
     *
     * @return {@code max-failures 0, max-consecutive-errors 4, max-inconclusive 0}; a limit of
     *     {@link #UNLIMITED} reads {@code unlimited}
     */
    public String describe() {
        return "max-failures " + shown(maxFailures) + ", max-consecutive-errors " + shown(maxConsecutiveErrors)
                + ", max-inconclusive " + shown(maxInconclusive);
    }

    private static String shown(int limit) {
        return limit == UNLIMITED ? "unlimited" : Integer.toString(limit);
    }

    /**
     * A copy with another {@code max-failures}.
     *
     * @param value at least 0
     * @return the copy
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public ProbeLimits withMaxFailures(int value) {
        return new ProbeLimits(value, maxConsecutiveErrors, maxInconclusive);
    }

    /**
     * A copy with another {@code max-consecutive-errors}.
     *
     * @param value at least 0
     * @return the copy
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public ProbeLimits withMaxConsecutiveErrors(int value) {
        return new ProbeLimits(maxFailures, value, maxInconclusive);
    }

    /**
     * A copy with another {@code max-inconclusive}.
     *
     * @param value at least 0
     * @return the copy
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public ProbeLimits withMaxInconclusive(int value) {
        return new ProbeLimits(maxFailures, maxConsecutiveErrors, value);
    }
}
