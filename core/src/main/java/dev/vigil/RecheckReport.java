package dev.vigil;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the re-check after a rollback found about the previous version. Immutable. Its measurements
 * are {@link VerificationReport#recheck()}. It runs after every rollback whose trigger ran, a
 * {@code FAILED} one included: a rollback may have gone through before its command failed, and
 * the re-check then says which version answers.
 *
 * @param status the judgement
 * @param reason one sentence naming the rule that decided, or why it did not run
 * @param rounds the re-check rounds that ran
 * @param delay how long it waited after the rollback, or {@code null} when it did not run
 * @param only the probes this re-check measured that the bake and the watch leave out
 *     ({@link RecheckPlan#only()}, {@code recheck=only}): those that read which version answers;
 *     empty when none (and when it did not run)
 */
public record RecheckReport(Status status, String reason, int rounds, Duration delay, Set<String> only) {

    /** The judgement of a re-check. */
    public enum Status {
        /** Every probe passed at the end of the re-check: the previous version is healthy. */
        HEALTHY,
        /** A probe broke a limit on the previous version too: a person must look. */
        UNHEALTHY,
        /** The re-check ended without every probe passing: the state of the previous version is unknown. */
        INCONCLUSIVE,
        /** No rollback ran to check (none needed, dry-run, no trigger configured, or shared with another verification that failed before trying). */
        NOT_RUN,
        /** Switched off ({@code vigil.rollback.recheck.rounds=0}, {@code --no-recheck}). */
        OFF
    }

    /**
     * Validates.
     *
     * @param status the judgement; not {@code null}
     * @param reason one sentence naming the rule that decided, or why it did not run; not {@code null}
     * @param rounds the re-check rounds that ran; 0 when it did not run
     * @param delay how long it waited after the rollback, or {@code null} when it did not run
     * @param only the probes measured in the re-check only; {@code null} for none
     * @throws NullPointerException when {@code status} or {@code reason} is {@code null}, or
     *     {@code only} holds {@code null}
     */
    public RecheckReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        only = only == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(only));
    }

    /**
     * A re-check without probes measured in it only.
     *
     * @param status the judgement; not {@code null}
     * @param reason one sentence naming the rule that decided, or why it did not run; not {@code null}
     * @param rounds the re-check rounds that ran; 0 when it did not run
     * @param delay how long it waited after the rollback, or {@code null} when it did not run
     * @throws NullPointerException when {@code status} or {@code reason} is {@code null}
     */
    public RecheckReport(Status status, String reason, int rounds, Duration delay) {
        this(status, reason, rounds, delay, Set.of());
    }

    /**
     * The probes of {@link #only()} when not one of them could measure anything in the re-check:
     * each of their measurements an {@link Outcome#ERROR} (refused, timed out), or none taken.
     * Which version answers is then unknown, whatever the re-check's status: the probes that read
     * it could not reach the service.
     *
     * @param measurements the re-check's measurements ({@link VerificationReport#recheck()},
     *     {@link RehearsalReport#recheck()})
     * @return the names of {@link #only()}, sorted; empty when it is empty or one of them measured
     *     something
     * @throws NullPointerException when {@code measurements} is {@code null} or holds {@code null}
     */
    public List<String> onlyUnmeasured(List<Measurement> measurements) {
        boolean read = measurements.stream().anyMatch(m -> m.outcome() != Outcome.ERROR && only.contains(m.probe()));
        return read ? List.of() : List.copyOf(only);
    }

    /**
     * No re-check ran because there was no rollback to check.
     *
     * @return {@link Status#NOT_RUN}, reason {@code no rollback to check}, no rounds, no delay
     */
    public static RecheckReport notRun() {
        return new RecheckReport(Status.NOT_RUN, "no rollback to check", 0, null);
    }

    /**
     * Whether the previous version was seen to be healthy.
     *
     * @return {@code true} only for {@link Status#HEALTHY}
     */
    public boolean healthy() {
        return status == Status.HEALTHY;
    }

    /**
     * Whether a re-check ran and did not find the previous version healthy: a person must look.
     *
     * @return {@code true} for {@link Status#UNHEALTHY} and {@link Status#INCONCLUSIVE}
     */
    public boolean previousVersionInDoubt() {
        return status == Status.UNHEALTHY || status == Status.INCONCLUSIVE;
    }

    /**
     * The value on one line, to be logged: the status, rounds, delay and probes; the reason by its length only (it may quote what a probe
     * measured).
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "RecheckReport[status=" + status + ", reason=" + Unshown.text(reason) + ", rounds=" + rounds + ", delay=" + delay
                + ", only=" + only + "]";
    }
}
