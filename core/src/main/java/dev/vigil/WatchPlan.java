package dev.vigil;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The watch after a healthy bake: how long to keep measuring, how often, and what breaking a limit
 * then leads to. Immutable.
 *
 * <p>A watch runs only after a {@link Verdict#HEALTHY} bake. It measures with the same probes (less
 * those in {@link #unwatched()}) and the same limits, counted afresh from zero: one round every
 * {@link #interval()}, the first one {@code interval} after the bake ended, for {@link #duration()}.
 * A probe that breaks {@code max-failures} or {@code max-consecutive-errors} during the watch makes it
 * {@link Verdict#UNHEALTHY} at once, and {@link #action()} says whether the rollback runs. When the
 * watch's time is over, the end-of-bake rule and {@code on-inconclusive} apply as at the end of a bake.
 *
 * @param duration how long to watch; {@link Duration#ZERO} for no watch (the default)
 * @param interval time between the starts of two rounds of the watch; default {@link #DEFAULT_INTERVAL}
 * @param action what an unhealthy watch leads to; default {@link Action#ROLLBACK}
 * @param unwatched the names of the probes that are not measured during the watch (a smoke test
 *     that creates orders, say); sorted
 */
public record WatchPlan(Duration duration, Duration interval, Action action, Set<String> unwatched) {

    /** Default time between two rounds of a watch: 1 minute. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);

    /** What breaking a limit during the watch leads to. */
    public enum Action {
        /** The rollback runs, exactly as after an unhealthy bake, re-check included. */
        ROLLBACK,
        /**
         * Nothing is rolled back: the verdict is {@link Verdict#UNHEALTHY}, listeners and reports say
         * so, and the rollback report's outcome is {@link RollbackOutcome#NOTIFIED}.
         */
        NOTIFY
    }

    /**
     * Validates and copies.
     *
     * @param duration how long to watch; zero for no watch, never negative
     * @param interval time between two rounds; positive
     * @param action what an unhealthy watch leads to
     * @param unwatched probes left out of the watch; {@code null} for none
     * @throws NullPointerException when the duration, interval or action is {@code null}
     * @throws IllegalArgumentException when the duration is negative or the interval not positive
     */
    public WatchPlan {
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(action, "action");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("watch must not be negative: " + duration);
        }
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("watch-interval must be positive: " + interval);
        }
        unwatched = unwatched == null ? Set.of() : java.util.Collections.unmodifiableSet(new TreeSet<>(unwatched));
    }

    /**
     * No watch: the verification ends with the bake.
     *
     * @return the plan of no watch
     */
    public static WatchPlan off() {
        return new WatchPlan(Duration.ZERO, DEFAULT_INTERVAL, Action.ROLLBACK, Set.of());
    }

    /**
     * A watch of every probe that rolls back when a limit breaks.
     *
     * @param duration how long to watch; zero for no watch
     * @param interval time between two rounds; positive
     * @return the plan
     * @throws NullPointerException when an argument is {@code null}
     * @throws IllegalArgumentException when the duration is negative or the interval not positive
     */
    public static WatchPlan of(Duration duration, Duration interval) {
        return new WatchPlan(duration, interval, Action.ROLLBACK, Set.of());
    }

    /**
     * Whether there is a watch at all.
     *
     * @return true when {@link #duration()} is positive
     */
    public boolean enabled() {
        return !duration.isZero();
    }

    /**
     * A copy with another action.
     *
     * @param value what an unhealthy watch leads to
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public WatchPlan withAction(Action value) {
        return new WatchPlan(duration, interval, value, unwatched);
    }

    /**
     * A copy that leaves these probes out of the watch.
     *
     * @param probes the names of the probes not to measure during the watch
     * @return the copy
     * @throws NullPointerException when {@code probes} is {@code null}
     */
    public WatchPlan withUnwatched(Set<String> probes) {
        return new WatchPlan(duration, interval, action, Objects.requireNonNull(probes, "probes"));
    }

    /**
     * The watch as the plan its rounds follow: no warm-up (the first round one interval after the
     * bake), this interval and duration, the bake's {@code on-inconclusive} and dry-run.
     *
     * @param bake the bake's plan
     * @return the plan of the watch's rounds
     * @throws IllegalStateException when there is no watch
     */
    public VerificationPlan rounds(VerificationPlan bake) {
        if (!enabled()) {
            throw new IllegalStateException("no watch: its duration is zero");
        }
        return new VerificationPlan(interval, interval, duration, bake.onInconclusive(), bake.dryRun());
    }
}
