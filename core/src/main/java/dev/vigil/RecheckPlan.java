package dev.vigil;

import java.time.Duration;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * How the previous version is checked after a rollback: after {@link #delay()}, the same probes
 * with the same limits measure it for {@link #rounds()} rounds, one every plan interval, and the
 * result is judged like a bake (a broken limit is unhealthy at once; at the end every probe's latest
 * measurement must be a {@code PASS}). Immutable.
 *
 * <p>The delay lets the rollback take effect and lets windowed metrics forget the bad version: a
 * Prometheus {@code rate(...[1m])} still sees mostly the rolled-back version for a minute. Unset, it
 * is the plan's interval or the longest {@link Probe#lookback()} of the probes re-checked, whichever
 * is longer (at most {@link #LONGEST_DEFAULT_DELAY}); a delay that is set is used as it is.
 *
 * <p>A probe that cannot measure the previous version alone is left out ({@link #unchecked()}): a
 * canary probe compares the canary with the baseline, and after the rollback there is no canary,
 * so its queries answer nothing and it would make every re-check {@code INCONCLUSIVE}.
 *
 * <p>A probe can also be measured in the re-check only ({@link #only()}; {@code recheck=only} in the
 * properties): the bake and the watch leave it out. That is where a probe that reads which version
 * answers belongs when it expects the previous one ({@code body.build.version ==
 * "${vigil.deployment.previous-version}"}): without it, a rollback that changed nothing (a command
 * that only echoes, a rollout that kept the new pods) is re-checked healthy whenever the version
 * rolled back answers, and a rehearsal of it reports {@code REHEARSED}.
 *
 * @param delay the wait between the rollback and the first re-check round; {@code null} means the
 *     plan's interval or the probes' lookback (the default, {@link #delayFor(VerificationPlan, java.util.Collection)})
 * @param rounds how many rounds the re-check plans, at least 0; 0 turns the re-check off. Default
 *     {@value #DEFAULT_ROUNDS}
 * @param unchecked the names of the probes the re-check leaves out; empty by default
 * @param only the names of the probes measured in the re-check only, left out of the bake and the
 *     watch; empty by default
 */
public record RecheckPlan(Duration delay, int rounds, Set<String> unchecked, Set<String> only) {

    /** Default number of re-check rounds. */
    public static final int DEFAULT_ROUNDS = 3;

    /**
     * Validates the plan.
     *
     * @param delay the wait between the rollback and the first re-check round; zero or more, or
     *     {@code null} for the plan's interval or the probes' lookback
     * @param rounds how many rounds the re-check plans; 0 or more, 0 turns it off
     * @param unchecked probes left out of the re-check; {@code null} for none
     * @param only probes measured in the re-check only; {@code null} for none
     * @throws IllegalArgumentException when the delay is negative, the rounds are negative, or a
     *     probe is both left out of the re-check and measured in it only
     * @throws NullPointerException when {@code unchecked} or {@code only} holds a {@code null} name
     */
    public RecheckPlan {
        if (delay != null && delay.isNegative()) {
            throw new IllegalArgumentException("re-check delay must not be negative: " + delay);
        }
        if (rounds < 0) {
            throw new IllegalArgumentException("re-check rounds must be >= 0: " + rounds);
        }
        if (unchecked != null && unchecked.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("re-check unchecked probes must not hold a null name: " + unchecked);
        }
        if (only != null && only.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("re-check only probes must not hold a null name: " + only);
        }
        unchecked = unchecked == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(unchecked));
        only = only == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(only));
        Set<String> both = new TreeSet<>(only);
        both.retainAll(unchecked);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException("probes " + both + " cannot be both left out of the re-check and"
                    + " measured in it only");
        }
    }

    /**
     * A plan that leaves these probes out and measures every other probe, the bake's and the
     * watch's alike.
     *
     * @param delay the wait between the rollback and the first re-check round; zero or more, or
     *     {@code null} for the plan's interval or the probes' lookback
     * @param rounds how many rounds the re-check plans; 0 or more, 0 turns it off
     * @param unchecked probes left out of the re-check; {@code null} for none
     * @throws IllegalArgumentException when the delay is negative or the rounds are negative
     * @throws NullPointerException when {@code unchecked} holds a {@code null} name
     */
    public RecheckPlan(Duration delay, int rounds, Set<String> unchecked) {
        this(delay, rounds, unchecked, Set.of());
    }

    /**
     * A plan that re-checks with every probe.
     *
     * @param delay the wait between the rollback and the first re-check round; zero or more, or
     *     {@code null} for the plan's interval
     * @param rounds how many rounds the re-check plans; 0 or more, 0 turns it off
     * @throws IllegalArgumentException when the delay is negative or the rounds are negative
     */
    public RecheckPlan(Duration delay, int rounds) {
        this(delay, rounds, Set.of(), Set.of());
    }

    /**
     * The default: {@value #DEFAULT_ROUNDS} rounds after one plan interval, or after the longest
     * {@link Probe#lookback()} of the probes when that is longer ({@link #delayFor(VerificationPlan, java.util.Collection)}).
     *
     * @return the default re-check
     */
    public static RecheckPlan defaults() {
        return new RecheckPlan(null, DEFAULT_ROUNDS);
    }

    /**
     * No re-check: the report says it was switched off.
     *
     * @return a plan of 0 rounds
     */
    public static RecheckPlan off() {
        return new RecheckPlan(null, 0);
    }

    /**
     * Whether the re-check runs at all.
     *
     * @return {@code true} when it plans at least one round
     */
    public boolean enabled() {
        return rounds > 0;
    }

    /**
     * The delay to use with a verification plan: {@link #delay()}, or the plan's interval when
     * unset.
     *
     * @param plan the verification's plan; read only when the delay is unset
     * @return the wait between the rollback and the first re-check round
     * @throws NullPointerException when the delay is unset and {@code plan} is {@code null}
     */
    public Duration delayFor(VerificationPlan plan) {
        return delayFor(plan, java.util.List.of());
    }

    /**
     * The delay to use with a verification plan and the probes re-checked: {@link #delay()}, or when
     * unset the longer of the plan's interval and the longest {@link Probe#lookback()} of the probes,
     * at most {@link #LONGEST_DEFAULT_DELAY}. Right after a rollback a query over the last minute
     * still sees mostly the version rolled back; a re-check that judged it would report the previous
     * version unhealthy. A probe whose {@code lookback} throws, against its contract, counts as
     * reading nothing back.
     *
     * @param plan the verification's plan; read only when the delay is unset
     * @param probes the probes the re-check measures; read only when the delay is unset
     * @return the wait between the rollback and the first re-check round
     * @throws NullPointerException when the delay is unset and {@code plan} or {@code probes} is {@code null}
     */
    public Duration delayFor(VerificationPlan plan, java.util.Collection<? extends Probe> probes) {
        if (delay != null) {
            return delay;
        }
        Duration interval = Objects.requireNonNull(plan, "plan").interval();
        Duration reads = Duration.ZERO;
        for (Probe probe : Objects.requireNonNull(probes, "probes")) {
            Duration back = lookback(probe);
            if (back.compareTo(reads) > 0) {
                reads = back;
            }
        }
        Duration wanted = reads.compareTo(LONGEST_DEFAULT_DELAY) > 0 ? LONGEST_DEFAULT_DELAY : reads;
        return wanted.compareTo(interval) > 0 ? wanted : interval;
    }

    /**
     * The longest delay chosen from the probes' lookback, 10 minutes: a probe that reads further back
     * (an hour's average) cannot tell the previous version from the one rolled back soon after the
     * rollback; leave it out of the re-check or set the delay.
     */
    public static final Duration LONGEST_DEFAULT_DELAY = Duration.ofMinutes(10);

    private static Duration lookback(Probe probe) {
        try {
            Duration back = probe.lookback();
            return back == null || back.isNegative() ? Duration.ZERO : back;
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /**
     * A copy with another delay.
     *
     * @param value the wait between the rollback and the first re-check round; zero or more
     * @return the copy
     * @throws NullPointerException when {@code value} is {@code null}
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public RecheckPlan withDelay(Duration value) {
        return new RecheckPlan(Objects.requireNonNull(value, "delay"), rounds, unchecked, only);
    }

    /**
     * A copy with another number of rounds.
     *
     * @param value how many rounds the re-check plans; 0 or more, 0 turns it off
     * @return the copy
     * @throws IllegalArgumentException when {@code value} is negative
     */
    public RecheckPlan withRounds(int value) {
        return new RecheckPlan(delay, value, unchecked, only);
    }

    /**
     * A copy that leaves these probes out of the re-check ({@code recheck=false} in the properties):
     * canary probes, which compare the canary with a baseline and have nothing to compare once the
     * canary is rolled back.
     *
     * @param probes the probes' names; {@link DeployVerifier.Builder#build()} refuses names of no probe
     * @return the copy
     * @throws NullPointerException when {@code probes} is {@code null} or holds a {@code null} name
     * @throws IllegalArgumentException when one of them is measured in the re-check only
     */
    public RecheckPlan withUnchecked(Set<String> probes) {
        return new RecheckPlan(delay, rounds, Objects.requireNonNull(probes, "probes"), only);
    }

    /**
     * A copy that measures these probes in the re-check only ({@code recheck=only} in the
     * properties): the bake and the watch leave them out. A probe that checks that the previous
     * version answers belongs here; in the bake it would fail on the version deployed.
     *
     * @param probes the probes' names; {@link DeployVerifier.Builder#build()} refuses names of no
     *     probe, and a plan in which every probe is measured in the re-check only
     * @return the copy
     * @throws NullPointerException when {@code probes} is {@code null} or holds a {@code null} name
     * @throws IllegalArgumentException when one of them is left out of the re-check
     */
    public RecheckPlan withOnly(Set<String> probes) {
        return new RecheckPlan(delay, rounds, unchecked, Objects.requireNonNull(probes, "probes"));
    }

    /**
     * Whether the bake and the watch measure this probe: it is not one of {@link #only()}.
     *
     * @param probe a probe's name
     * @return {@code false} for a probe measured in the re-check only
     */
    public boolean baked(String probe) {
        return !only.contains(probe);
    }
}
