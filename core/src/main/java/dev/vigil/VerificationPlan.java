package dev.vigil;

import java.time.Duration;
import java.util.Objects;

/**
 * When and how long to measure, and what to do with an inconclusive end. Immutable.
 *
 * <p>The verification waits {@link #initialDelay()}, then runs {@link #rounds()} rounds
 * ({@code duration / interval}, rounded down), the first at once and round {@code k} due
 * {@code k × interval} after the first on a monotonic clock (a round that overran makes the ticks it
 * ran over be skipped, never run back to back). It stops earlier when a probe breaks a limit. When
 * the planned rounds are over, probes whose latest measurement is not a {@code PASS} are measured
 * again for at most {@link #rounds()} extra rounds (the end-of-bake rule), and
 * {@link #onInconclusive()} applies only when the bake ends inconclusive.
 *
 * <p>A plan may hold an interval longer than its duration (so that {@code withDuration} and
 * {@code withInterval} can be called in either order), but {@link DeployVerifier.Builder#plan}
 * refuses one, as the configuration does: such a bake would measure once and judge the deployment
 * on that one round.
 *
 * @param initialDelay warm-up before the first round; default {@link #DEFAULT_INITIAL_DELAY}
 * @param interval time between the starts of two rounds; default {@link #DEFAULT_INTERVAL}
 * @param duration the bake time; default {@link #DEFAULT_DURATION}
 * @param onInconclusive what an inconclusive end of the bake leads to (never a reason to end it
 *     early); default {@link OnInconclusive#FAIL}
 * @param dryRun when true everything runs except the rollback trigger
 */
public record VerificationPlan(
        Duration initialDelay,
        Duration interval,
        Duration duration,
        OnInconclusive onInconclusive,
        boolean dryRun) {

    /** Default warm-up before the first round: none. */
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ZERO;
    /** Default time between rounds: 10 seconds. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Default bake time: 5 minutes. */
    public static final Duration DEFAULT_DURATION = Duration.ofMinutes(5);
    /**
     * The most rounds a bake may plan ({@link #rounds()}): a million, a round a second for more than
     * eleven days. {@link DeployVerifier.Builder#plan} refuses a plan with more, as the configuration
     * does: a 1 ns interval over a 100-year duration would plan about 3 × 10<sup>18</sup> rounds, a
     * bake that never ends.
     */
    public static final int MAX_ROUNDS = 1_000_000;
    /**
     * The longest initial-delay, interval or duration a plan takes: {@link Long#MAX_VALUE}
     * milliseconds (about 292 million years), what the engine and the reports count time in, and
     * the longest duration the configuration reads.
     */
    public static final Duration LONGEST_DURATION = Duration.ofMillis(Long.MAX_VALUE);

    /** What an inconclusive bake leads to. */
    public enum OnInconclusive {
        /** The verdict stays {@link Verdict#INCONCLUSIVE}; nothing is rolled back; the pipeline should stop. */
        FAIL,
        /** Treated as unhealthy: the rollback runs. */
        ROLLBACK,
        /** Accepted as healthy; the reason says that the evidence was missing. */
        PASS
    }

    /**
     * Validates the plan.
     *
     * @param initialDelay warm-up before the first round; zero or more
     * @param interval time between the starts of two rounds; positive
     * @param duration the bake time; positive
     * @param onInconclusive what an inconclusive end of the bake leads to
     * @param dryRun when true everything runs except the rollback trigger
     * @throws NullPointerException when a duration or {@code onInconclusive} is {@code null}
     * @throws IllegalArgumentException when a duration is negative, the interval or duration is
     *     not positive, or a duration is longer than {@link #LONGEST_DURATION}
     */
    public VerificationPlan {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(onInconclusive, "onInconclusive");
        if (initialDelay.isNegative()) {
            throw new IllegalArgumentException("initial-delay must not be negative: " + initialDelay);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        atMostLongest("initial-delay", initialDelay);
        atMostLongest("interval", interval);
        atMostLongest("duration", duration);
    }

    private static void atMostLongest(String name, Duration value) {
        if (value.compareTo(LONGEST_DURATION) > 0) {
            throw new IllegalArgumentException(name + " " + value + " is longer than a plan takes: at most "
                    + LONGEST_DURATION + " (VerificationPlan.LONGEST_DURATION, a count of milliseconds)");
        }
    }

    /**
     * The defaults: no warm-up, a round every 10 s for 5 minutes, inconclusive fails, no dry-run.
     *
     * @return the default plan
     */
    public static VerificationPlan defaults() {
        return new VerificationPlan(DEFAULT_INITIAL_DELAY, DEFAULT_INTERVAL, DEFAULT_DURATION, OnInconclusive.FAIL, false);
    }

    /**
     * The number of rounds a full bake runs: {@code duration / interval}, at least one. The
     * end-of-bake rule may add up to as many again.
     *
     * @return the planned rounds, from 1 to {@link Integer#MAX_VALUE}
     */
    public int rounds() {
        // dividedBy works in exact arithmetic: durations too long for a long of nanoseconds do not overflow.
        long n;
        try {
            n = duration.dividedBy(interval);
        } catch (ArithmeticException e) {
            n = Long.MAX_VALUE;
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, n));
    }

    /**
     * The most extra rounds the end-of-bake rule may add after the planned ones: as many as were
     * planned ({@link #rounds()}), but no more than fit in an hour of intervals, and at least one: a
     * bake of hours must not run as long again on a probe that stays inconclusive.
     *
     * @return the extra rounds at most, from 1 to {@link #rounds()}
     */
    public int extraRounds() {
        long fit = Math.max(1, EXTRA_ROUNDS_TIME.dividedBy(interval));
        return (int) Math.min(rounds(), fit);
    }

    /** The longest the end-of-bake rule's extra rounds may take together ({@link #extraRounds()}). */
    private static final Duration EXTRA_ROUNDS_TIME = Duration.ofHours(1);

    /**
     * A copy with another warm-up.
     *
     * @param value warm-up before the first round; zero or more
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public VerificationPlan withInitialDelay(Duration value) {
        return new VerificationPlan(value, interval, duration, onInconclusive, dryRun);
    }

    /**
     * A copy with another interval.
     *
     * @param value time between the starts of two rounds; positive
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public VerificationPlan withInterval(Duration value) {
        return new VerificationPlan(initialDelay, value, duration, onInconclusive, dryRun);
    }

    /**
     * A copy with another bake time.
     *
     * @param value the bake time; positive
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public VerificationPlan withDuration(Duration value) {
        return new VerificationPlan(initialDelay, interval, value, onInconclusive, dryRun);
    }

    /**
     * A copy with another handling of an inconclusive end.
     *
     * @param value what an inconclusive end of the bake leads to
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public VerificationPlan withOnInconclusive(OnInconclusive value) {
        return new VerificationPlan(initialDelay, interval, duration, value, dryRun);
    }

    /**
     * A copy with dry-run switched on or off.
     *
     * @param value when true everything runs except the rollback trigger
     * @return the copy
     */
    public VerificationPlan withDryRun(boolean value) {
        return new VerificationPlan(initialDelay, interval, duration, onInconclusive, value);
    }
}
