package dev.vigil;

import java.time.Duration;
import java.util.Objects;

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
 */
public record RecheckReport(Status status, String reason, int rounds, Duration delay) {

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
     * @throws NullPointerException when {@code status} or {@code reason} is {@code null}
     */
    public RecheckReport {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
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
}
