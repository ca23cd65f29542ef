package dev.vigil;

import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
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
 * <p>A probe's {@code FAIL}s count against its {@code max-failures} over the whole watch, unless the
 * plan has a {@link #failureWindow()}: then only those within the window do. The window is counted
 * in rounds, {@link #windowRounds()} of them (the last rounds run, the current one included), so the
 * watch's limit reads as "more than {@code max-failures} FAILs in {@code N} rounds", as the
 * "M out of N datapoints" of an alarm.
 *
 * @param duration how long to watch; {@link Duration#ZERO} for no watch (the default)
 * @param interval time between the starts of two rounds of the watch; default {@link #DEFAULT_INTERVAL}
 * @param action what an unhealthy watch leads to; default {@link Action#ROLLBACK}
 * @param unwatched the names of the probes that are not measured during the watch (a smoke test
 *     that creates orders, say); sorted
 * @param failureWindow the span within which a probe's {@code FAIL}s count against its
 *     {@code max-failures} in the watch; {@link Duration#ZERO} (the default) for the whole watch.
 *     Otherwise at least {@code interval} and, in a watch, at most {@code duration}
 * @param watchMaxFailures the {@code max-failures} a probe has in the watch instead of its own, by
 *     probe name (a watch that allows two FAILs an hour while the bake allows none); a probe not
 *     named keeps its own; sorted
 */
public record WatchPlan(Duration duration, Duration interval, Action action, Set<String> unwatched,
        Duration failureWindow, Map<String, Integer> watchMaxFailures) {

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
     * @param failureWindow the span within which FAILs count; zero or {@code null} for the whole watch
     * @param watchMaxFailures the watch's {@code max-failures} by probe name; {@code null} for none
     * @throws NullPointerException when the duration, interval or action is {@code null}, or a probe
     *     name or limit in {@code watchMaxFailures} is
     * @throws IllegalArgumentException when the duration is negative, the interval not positive, the
     *     failure window negative, shorter than the interval or (in a watch) longer than the duration,
     *     or a watch's {@code max-failures} negative
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
        unwatched = unwatched == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(unwatched));
        failureWindow = failureWindow == null ? Duration.ZERO : failureWindow;
        windowProblem(failureWindow, interval, duration).ifPresent(problem -> {
            throw new IllegalArgumentException("watch-failure-window " + problem);
        });
        Map<String, Integer> limits = new TreeMap<>();
        if (watchMaxFailures != null) {
            watchMaxFailures.forEach((probe, limit) -> {
                if (Objects.requireNonNull(limit, "watch-max-failures") < 0) {
                    throw new IllegalArgumentException("watch-max-failures of probe '" + probe + "' must be >= 0: " + limit);
                }
                limits.put(Objects.requireNonNull(probe, "probe"), limit);
            });
        }
        watchMaxFailures = Collections.unmodifiableMap(limits);
    }

    /**
     * Validates and copies a plan that counts FAILs over the whole watch.
     *
     * @param duration how long to watch; zero for no watch, never negative
     * @param interval time between two rounds; positive
     * @param action what an unhealthy watch leads to
     * @param unwatched probes left out of the watch; {@code null} for none
     * @throws NullPointerException when the duration, interval or action is {@code null}
     * @throws IllegalArgumentException when the duration is negative or the interval not positive
     */
    public WatchPlan(Duration duration, Duration interval, Action action, Set<String> unwatched) {
        this(duration, interval, action, unwatched, Duration.ZERO, Map.of());
    }

    /**
     * What is wrong with a failure window for a watch of this interval and duration, starting with
     * the window ({@code "30s is shorter than watch-interval (1m): ..."}); empty when
     * nothing is. Zero is no window (the whole watch); a window longer than a watch that runs would
     * count over the whole watch while it seems to count less, so it is refused rather than clamped.
     *
     * @param window the failure window; zero for none
     * @param interval the watch's interval
     * @param duration the watch's duration; zero for no watch, which checks the interval only
     * @return the problem, or empty
     * @throws NullPointerException when an argument is {@code null}
     */
    public static Optional<String> windowProblem(Duration window, Duration interval, Duration duration) {
        if (window.isNegative()) {
            return Optional.of(Durations.format(window) + " must not be negative");
        }
        if (window.isZero()) {
            return Optional.empty();
        }
        if (window.compareTo(interval) < 0) {
            return Optional.of(Durations.format(window) + " is shorter than watch-interval ("
                    + Durations.format(interval) + "): it would hold no round; make it at least one interval, or leave it"
                    + " out to count FAILs over the whole watch");
        }
        if (!duration.isZero() && window.compareTo(duration) > 0) {
            return Optional.of(Durations.format(window) + " is longer than the watch ("
                    + Durations.format(duration) + "): it would count FAILs over the whole watch; shorten it, or leave it"
                    + " out to count over the whole watch");
        }
        return Optional.empty();
    }

    /**
     * What is wrong with a probe's {@code max-failures} in this watch's failure window, starting with
     * the window; empty when nothing is (or when there is no window). The window holds
     * {@link #windowRounds()} rounds and a probe FAILs at most once a round, so a {@code max-failures}
     * (or {@code watch-max-failures}) of {@code windowRounds()} or more could never be broken: a probe
     * that FAILs in every round of the watch would never roll it back.
     *
     * @param probe the probe's name
     * @param limits the probe's limits in the bake ({@link #limits(String, ProbeLimits)} gives them in the watch)
     * @return the problem, or empty
     * @throws NullPointerException when an argument is {@code null}
     */
    public Optional<String> limitProblem(String probe, ProbeLimits limits) {
        Objects.requireNonNull(probe, "probe");
        int rounds = windowRounds();
        int maxFailures = limits(probe, Objects.requireNonNull(limits, "limits")).maxFailures();
        if (rounds == 0 || maxFailures < rounds) {
            return Optional.empty();
        }
        String key = watchMaxFailures.containsKey(probe) ? "watch-max-failures" : "max-failures";
        return Optional.of(Durations.format(failureWindow) + " holds " + rounds + (rounds == 1 ? " round" : " rounds")
                + " of the watch (watch-interval " + Durations.format(interval) + "), at most " + rounds
                + (rounds == 1 ? " FAIL" : " FAILs") + " of probe " + probe + ", so its " + key + " " + maxFailures
                + " could never be broken and a probe failing every round would never roll back: make the window"
                + " longer than " + maxFailures + (maxFailures == 1 ? " interval" : " intervals") + ", or lower " + key);
    }

    /**
     * No watch: the verification ends with the bake.
     *
     * @return the plan of no watch
     */
    public static WatchPlan off() {
        return new WatchPlan(Duration.ZERO, DEFAULT_INTERVAL, Action.ROLLBACK, Set.of(), Duration.ZERO, Map.of());
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
        return new WatchPlan(duration, interval, Action.ROLLBACK, Set.of(), Duration.ZERO, Map.of());
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
        return new WatchPlan(duration, interval, value, unwatched, failureWindow, watchMaxFailures);
    }

    /**
     * A copy that leaves these probes out of the watch.
     *
     * @param probes the names of the probes not to measure during the watch
     * @return the copy
     * @throws NullPointerException when {@code probes} is {@code null}
     */
    public WatchPlan withUnwatched(Set<String> probes) {
        return new WatchPlan(duration, interval, action, Objects.requireNonNull(probes, "probes"), failureWindow,
                watchMaxFailures);
    }

    /**
     * A copy that counts each probe's {@code FAIL}s against its {@code max-failures} within this
     * window only, not over the whole watch.
     *
     * @param value the window; {@link Duration#ZERO} for the whole watch; otherwise at least
     *     {@link #interval()} and, in a watch, at most {@link #duration()}
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when the window is negative, shorter than the interval or longer
     *     than the watch
     */
    public WatchPlan withFailureWindow(Duration value) {
        return new WatchPlan(duration, interval, action, unwatched, Objects.requireNonNull(value, "value"), watchMaxFailures);
    }

    /**
     * A copy in which this probe has another {@code max-failures} during the watch than in the bake:
     * with a {@link #failureWindow()}, say, two FAILs an hour in the watch while the bake allows none.
     * Its other limits stay as they are.
     *
     * @param probe the name of the probe; {@link DeployVerifier.Builder#build()} refuses one that is not
     *     a probe of the verifier
     * @param value {@code FAIL} measurements tolerated in the watch (within the window, when there is
     *     one); at least 0
     * @return the copy
     * @throws NullPointerException when {@code probe} is {@code null}
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public WatchPlan withMaxFailures(String probe, int value) {
        Map<String, Integer> limits = new HashMap<>(watchMaxFailures);
        limits.put(Objects.requireNonNull(probe, "probe"), value);
        return new WatchPlan(duration, interval, action, unwatched, failureWindow, limits);
    }

    /**
     * A probe's limits during the watch: its own, with the watch's {@code max-failures} for it when
     * {@link #watchMaxFailures()} names it.
     *
     * @param probe the name of the probe
     * @param limits its limits in the bake
     * @return its limits in the watch
     */
    public ProbeLimits limits(String probe, ProbeLimits limits) {
        Integer maxFailures = watchMaxFailures.get(probe);
        return maxFailures == null ? limits : limits.withMaxFailures(maxFailures);
    }

    /**
     * How many rounds the failure window holds: {@link #failureWindow()} divided by
     * {@link #interval()}, rounded down (a window of 1h with a round a minute holds the last 60 rounds).
     *
     * @return the rounds, at least 1; 0 when there is no window (FAILs count over the whole watch)
     */
    public int windowRounds() {
        if (failureWindow.isZero()) {
            return 0;
        }
        long rounds = failureWindow.dividedBy(interval);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, rounds));
    }

    /**
     * What this watch counts differently from the bake, in the words every place that shows the
     * watch uses (the validated plan, the console's {@code Vigil: watching} line, the reports): the
     * failure window its FAILs are counted within and the probes' watch-only {@code max-failures},
     * as {@code "max-failures counted within watch-failure-window 1h (the last 60 rounds);
     * watch-max-failures: health 2"}.
     *
     * @return the watch's own limits; empty when it counts over the whole watch with the bake's limits
     */
    public String describeLimits() {
        StringJoiner limits = new StringJoiner("; ");
        int rounds = windowRounds();
        if (rounds > 0) {
            limits.add("max-failures counted within watch-failure-window " + Durations.format(failureWindow) + " (the last "
                    + rounds + (rounds == 1 ? " round)" : " rounds)"));
        }
        if (!watchMaxFailures.isEmpty()) {
            StringJoiner probes = new StringJoiner(", ", "watch-max-failures: ", "");
            watchMaxFailures.forEach((probe, limit) -> probes.add(probe + " " + limit));
            limits.add(probes.toString());
        }
        return limits.toString();
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
