package dev.vigil;

import dev.vigil.VerdictPolicy.Decision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The rounds of a bake, or of the re-check after a rollback: the planned rounds on the
 * {@link Schedule}, then the end-of-bake rule's extra rounds, until the {@link VerdictPolicy} reaches
 * a decision. Used by the verifying thread only.
 */
final class Bake {

    private final List<Tracker> trackers;
    private final VerificationPlan plan;
    private final Schedule schedule;
    private final RoundRunner rounds;
    private final Notifier notifier;
    private final TimeSource time;
    private final long startNanos;
    private final boolean recheck;
    private final Supplier<Optional<Decision>> endedElsewhere;
    private final List<Measurement> measured = new ArrayList<>();
    /** When each probe was last measured, on the monotonic reading. */
    private final java.util.Map<Tracker, Long> lastMeasured = new java.util.IdentityHashMap<>();
    /**
     * The probes whose latest PASS was older than an interval when the planned rounds ended or an extra
     * round was due, until measured again.
     */
    private final java.util.Set<Tracker> stale = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private int roundsRun;
    private int settlingRounds;
    /** Whether the decision is the end-of-bake rule's: every round ran and no limit of health broke. */
    private boolean reachedEnd;
    private long decidedNanos;

    /**
     * A bake of a verification.
     *
     * @param endedElsewhere the decision when something outside this bake ended it (another
     *     verification rolled this deployment back, or a newer one took its place); the bake then
     *     ends before its next round
     */
    Bake(List<Tracker> trackers, VerificationPlan plan, Schedule schedule, RoundRunner rounds, Notifier notifier,
            TimeSource time, long startNanos, Supplier<Optional<Decision>> endedElsewhere) {
        this(trackers, plan, schedule, rounds, notifier, time, startNanos, endedElsewhere, false);
    }

    private Bake(List<Tracker> trackers, VerificationPlan plan, Schedule schedule, RoundRunner rounds, Notifier notifier,
            TimeSource time, long startNanos, Supplier<Optional<Decision>> endedElsewhere, boolean recheck) {
        this.trackers = trackers;
        this.plan = plan;
        this.schedule = schedule;
        this.rounds = rounds;
        this.notifier = notifier;
        this.time = time;
        this.startNanos = startNanos;
        this.endedElsewhere = endedElsewhere;
        this.recheck = recheck;
    }

    /** The rounds of a re-check: measurements of round 0, no meters, no round events. */
    static Bake recheck(List<Tracker> trackers, VerificationPlan plan, Schedule schedule, RoundRunner rounds,
            Notifier notifier, TimeSource time) {
        return new Bake(trackers, plan, schedule, rounds, notifier, time, time.nanoTime(), Optional::empty, true);
    }

    /** Runs rounds until a decision; the decision's time is {@link #decidedNanos()}. */
    Decision run() throws InterruptedException {
        while (schedule.awaitNext(false)) {
            Optional<Decision> elsewhere = endedElsewhere();
            if (elsewhere.isPresent()) {
                return elsewhere.get();
            }
            Optional<Decision> unhealthy = round(trackers);
            if (unhealthy.isPresent()) {
                return unhealthy.get();
            }
        }
        int cap = VerdictPolicy.settlingCap(plan);
        markStale(false);
        List<Tracker> unsettled = unsettled();
        while (!unsettled.isEmpty() && settlingRounds < cap) {
            schedule.awaitNext(true);
            Optional<Decision> elsewhere = endedElsewhere();
            if (elsewhere.isPresent()) {
                return elsewhere.get();
            }
            settlingRounds++;
            // A probe that passed is not measured in every extra round, but its PASS may not grow older than an
            // interval meanwhile: an hour of extra rounds for another probe must not promote a state nobody saw.
            markStale(true);
            Optional<Decision> unhealthy = round(unsettled());
            if (unhealthy.isPresent()) {
                return unhealthy.get();
            }
            unsettled = unsettled();
        }
        // The last round may have measured the deployment just before another verification rolled it
        // back: no healthy end for a version that has been taken away.
        Optional<Decision> elsewhere = endedElsewhere();
        if (elsewhere.isPresent()) {
            return elsewhere.get();
        }
        reachedEnd = true;
        return decided(VerdictPolicy.atEnd(plan, standings(), roundsRun, settlingRounds), time.nanoTime());
    }

    /**
     * Whether the bake ran to its end and was judged there (its verdict may still be
     * {@link Verdict#UNHEALTHY}, by {@code on-inconclusive=rollback}), rather than cut short by a
     * broken limit or from outside: every probe was then measured to the end.
     */
    boolean reachedEnd() {
        return reachedEnd;
    }

    /**
     * Why the state at the end is not known to be healthy, a sentence per probe
     * ({@link VerdictPolicy#withoutEvidence}); for a bake that {@link #reachedEnd() reached its end}.
     */
    List<String> withoutEvidence() {
        return VerdictPolicy.withoutEvidence(standings(), settlingRounds);
    }

    /**
     * Rule 5's causes for a bake, watch or re-check that reached its end having skipped more than a
     * tenth of its rounds ({@link VerdictPolicy#skippedTooMany}): the skips, said as
     * {@link VerdictPolicy#skipped}, then every probe whose state at the end is unknown
     * ({@link #withoutEvidence()}).
     *
     * @param phase {@code bake}, {@code watch} or {@code re-check}
     */
    List<String> skipCauses(String phase, Schedule schedule) {
        List<String> causes = new ArrayList<>();
        causes.add(VerdictPolicy.skipped(phase, roundsRun, schedule));
        causes.addAll(withoutEvidence());
        return causes;
    }

    int roundsRun() {
        return roundsRun;
    }

    int settlingRounds() {
        return settlingRounds;
    }

    /** When the decision was reached, on the monotonic reading. */
    long decidedNanos() {
        return decidedNanos;
    }

    /**
     * Every measurement a re-check took, in order; empty for a bake, whose measurements are kept
     * (bounded) by its trackers only.
     */
    List<Measurement> measured() {
        return List.copyOf(measured);
    }

    private Decision decided(Decision decision, long nanos) {
        decidedNanos = nanos;
        return decision;
    }

    private Optional<Decision> endedElsewhere() {
        return endedElsewhere.get().map(decision -> decided(decision, time.nanoTime()));
    }

    /** Runs one round with the given probes and records it; a decision when a limit of health broke. */
    private Optional<Decision> round(List<Tracker> probed) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        int round = ++roundsRun;
        long began = time.nanoTime();
        List<Measurement> results = rounds.run(probed.stream().map(Tracker::spec).toList(), recheck ? 0 : round);
        for (int i = 0; i < results.size(); i++) {
            Measurement m = results.get(i);
            probed.get(i).record(m);
            if (recheck) {
                // A re-check is short and its report lists every measurement; a bake's are in its trackers.
                measured.add(m);
            }
            if (!recheck) {
                notifier.meters(meters -> meters.measured(m));
            }
            notifier.listeners(l -> l.measured(m));
        }
        long ended = time.nanoTime();
        probed.forEach(t -> lastMeasured.put(t, ended));
        stale.removeAll(probed);
        schedule.roundEnded(round, ended - began);
        if (!recheck) {
            int total = schedule.planned();
            Duration elapsed = Duration.ofNanos(Math.max(0, ended - startNanos));
            notifier.listeners(l -> l.roundFinished(round, total, elapsed));
        }
        Optional<String> unhealthy = VerdictPolicy.unhealthy(standings());
        if (unhealthy.isEmpty()) {
            return Optional.empty();
        }
        String reason = unhealthy.get();
        if (settlingRounds > 0) {
            reason += " (end-of-bake rule: measured again after the planned rounds because its latest measurement"
                    + " was not a PASS)";
        }
        return Optional.of(decided(new Decision(Verdict.UNHEALTHY, reason), ended));
    }

    /**
     * Marks the probes whose latest measurement is older than one interval now, until measured again.
     *
     * @param passesOnly only those whose latest {@code PASS} would otherwise count at the end (the others
     *     are measured again anyway, or cannot end healthy)
     */
    private void markStale(boolean passesOnly) {
        long now = time.nanoTime();
        trackers.stream().filter(t -> lastMeasured.containsKey(t) && now - lastMeasured.get(t) > Durations.nanos(plan.interval()))
                .filter(t -> !passesOnly || t.standing().inconclusiveLimit() == null && t.standing().endsInPass())
                .forEach(stale::add);
    }

    /**
     * The probes the end-of-bake rule measures again: those whose latest measurement is not a PASS,
     * and those whose latest measurement was older than one interval when the planned rounds ended
     * (the host was suspended or starved and the schedule skipped to the end) or when an extra round
     * is due (the extra rounds of another probe went on), until measured again: a PASS from an hour
     * ago says nothing about the state at the end.
     */
    private List<Tracker> unsettled() {
        List<String> names = VerdictPolicy.toSettle(standings());
        return trackers.stream().filter(t -> names.contains(t.name()) || stale.contains(t)).toList();
    }

    private List<Tracker.Standing> standings() {
        return trackers.stream().map(Tracker::standing).toList();
    }
}
