package dev.vigil.history;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the release history keeps of one verification. Immutable and thread-safe.
 *
 * @param id the verification's id ({@link VerificationReport#id()}): recording the same id twice stores it once
 * @param deployment what was deployed
 * @param verdict the verdict
 * @param reason the sentence that explained it
 * @param rollback what the rollback did
 * @param rollbackStartedAt when the rollback started, or {@code null} when none ran
 * @param rollbackFinishedAt when it finished, or {@code null} when none ran
 * @param recheck what the re-check after a rollback found about the previous version
 * @param startedAt when the verification started
 * @param detectedAt when an {@code UNHEALTHY} verdict was reached, or {@code null}
 * @param finishedAt when the verification finished (rollback and re-check included)
 * @param probes each probe's counts, in the report's order
 * @param confirmations for each issue id the deployment fixes, what confirmed it and passed: the tests
 *     ({@code CheckoutSmokeTest#couponsApplyOnce}, see {@link #isTest}) or, for a probe confirming it
 *     as a whole, {@code probe:<name>}; an issue without a passed confirmation maps to an empty list.
 *     Records written before confirmations were judged hold the names of passed probes that named
 *     the issue
 * @param rollbackRan whether a rollback trigger started ({@code true}: it ran, or a concurrent
 *     verification's rollback that this one shared ran; {@code false}: none started, as when the
 *     verification was interrupted between its verdict and the rollback's start or no trigger is
 *     configured), or {@code null} when not known (records written before it was kept)
 */
public record ReleaseRecord(
        String id,
        Deployment deployment,
        Verdict verdict,
        String reason,
        RollbackOutcome rollback,
        Instant rollbackStartedAt,
        Instant rollbackFinishedAt,
        RecheckReport.Status recheck,
        Instant startedAt,
        Instant detectedAt,
        Instant finishedAt,
        List<ProbeCounts> probes,
        Map<String, List<String>> confirmations,
        Boolean rollbackRan) {

    /**
     * Validates and copies.
     *
     * @param id the verification's id ({@link VerificationReport#id()}): recording the same id twice stores it once
     * @param deployment what was deployed
     * @param verdict the verdict
     * @param reason the sentence that explained it
     * @param rollback what the rollback did
     * @param rollbackStartedAt when the rollback started, or {@code null} when none ran
     * @param rollbackFinishedAt when it finished, or {@code null} when none ran
     * @param recheck what the re-check after a rollback found about the previous version
     * @param startedAt when the verification started
     * @param detectedAt when an {@code UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished (rollback and re-check included)
     * @param probes each probe's counts, in the report's order
     * @param confirmations for each issue id the deployment fixes, the probes that confirm the fix and passed
     *         (a probe whose name or description names the issue id); an issue with no such probe maps to an empty list
     * @param rollbackRan whether a rollback trigger started, or {@code null} when not known
     * @throws NullPointerException when the id, deployment, verdict, rollback, re-check status or a time that is
     *     always known (started, finished) is missing
     */
    public ReleaseRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(rollback, "rollback");
        Objects.requireNonNull(recheck, "recheck");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        reason = reason == null ? "" : reason;
        probes = probes == null ? List.of() : List.copyOf(probes);
        Map<String, List<String>> copy = new LinkedHashMap<>();
        if (confirmations != null) {
            confirmations.forEach((issue, tests) -> copy.put(issue, List.copyOf(tests)));
        }
        confirmations = java.util.Collections.unmodifiableMap(copy);
    }

    /**
     * A record that does not say whether a rollback trigger started ({@link #rollbackRan()} {@code null}).
     *
     * @param id the verification's id
     * @param deployment what was deployed
     * @param verdict the verdict
     * @param reason the sentence that explained it
     * @param rollback what the rollback did
     * @param rollbackStartedAt when the rollback started, or {@code null} when none ran
     * @param rollbackFinishedAt when it finished, or {@code null} when none ran
     * @param recheck what the re-check after a rollback found about the previous version
     * @param startedAt when the verification started
     * @param detectedAt when an {@code UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished (rollback and re-check included)
     * @param probes each probe's counts, in the report's order
     * @param confirmations for each issue id the deployment fixes, what confirmed it and passed
     */
    public ReleaseRecord(String id, Deployment deployment, Verdict verdict, String reason, RollbackOutcome rollback,
            Instant rollbackStartedAt, Instant rollbackFinishedAt, RecheckReport.Status recheck, Instant startedAt,
            Instant detectedAt, Instant finishedAt, List<ProbeCounts> probes, Map<String, List<String>> confirmations) {
        this(id, deployment, verdict, reason, rollback, rollbackStartedAt, rollbackFinishedAt, recheck, startedAt, detectedAt,
                finishedAt, probes, confirmations, null);
    }

    /**
     * Whether the trigger of a rollback that a report describes started: it went through, or it
     * failed after at least one attempt, or a concurrent verification ran the rollback this one shared.
     *
     * @param r what the rollback did
     * @return {@code false} for a rollback that was not needed, dry-run, only notified, or never started
     */
    public static boolean triggerStarted(RollbackReport r) {
        return r.outcome() == RollbackOutcome.ROLLED_BACK
                || r.outcome() == RollbackOutcome.FAILED && (r.attempts() > 0 || r.shared());
    }

    /**
     * Whether an entry of {@link #confirmations()} names a test ({@code CheckoutSmokeTest#couponsApplyOnce}),
     * which the regression guard checks again, rather than a probe.
     *
     * @param confirmation an entry of {@link #confirmations()}
     * @return {@code true} for a test, {@code false} for a probe ({@code probe:<name>})
     */
    public static boolean isTest(String confirmation) {
        return confirmation.contains("#") && !confirmation.startsWith("probe:");
    }

    /**
     * The record of a finished verification.
     *
     * @param report the verification's report
     * @return the record to store
     */
    public static ReleaseRecord of(VerificationReport report) {
        RollbackReport r = report.rollback() == null ? RollbackReport.notNeeded() : report.rollback();
        Map<String, List<String>> confirmations = new LinkedHashMap<>();
        for (String issue : report.deployment().fixes()) {
            List<String> confirming = new ArrayList<>();
            for (dev.vigil.Confirmation c : report.confirmations()) {
                if (c.issue().equals(issue) && !c.regression() && c.confirmed()) {
                    if (c.tests().isEmpty()) {
                        confirming.add("probe:" + c.probe());
                    } else {
                        c.tests().stream().map(t -> qualified(report, c.probe(), t)).filter(t -> !confirming.contains(t))
                                .forEach(confirming::add);
                    }
                }
            }
            confirmations.put(issue, confirming);
        }
        return new ReleaseRecord(report.id(), report.deployment(), report.verdict(), report.reason(), r.outcome(),
                r.startedAt(), r.finishedAt(), report.recheckResult().status(), report.startedAt(), report.detectedAt(),
                report.finishedAt(), report.probes().stream().map(ProbeCounts::of).toList(), confirmations, triggerStarted(r));
    }

    /**
     * A confirmation test as the history remembers it: with its class's full name
     * ({@link dev.vigil.ItemResult#qualifiedLabel()}), taken from the latest run of tests of its
     * probe, so that the regression guard does not take a test of the same simple name in another
     * package for it; the test as the confirmation names it when that run does not have it.
     */
    private static String qualified(VerificationReport report, String probe, String test) {
        return report.probe(probe).flatMap(dev.vigil.ProbeReport::latestRun)
                .flatMap(run -> run.items().stream().filter(it -> it.label().equals(test)).findFirst())
                .map(dev.vigil.ItemResult::qualifiedLabel).orElse(test);
    }

    /** {@return the service deployed} */
    public String service() {
        return deployment.service();
    }

    /** {@return whether this was a hotfix} */
    public boolean hotfix() {
        return deployment.kind() == Deployment.Kind.HOTFIX;
    }

    /** {@return whether this was a quiet release: the verification ended {@code HEALTHY} and nothing was rolled back} */
    public boolean quiet() {
        return verdict == Verdict.HEALTHY && rollback != RollbackOutcome.ROLLED_BACK && rollback != RollbackOutcome.FAILED;
    }

    /**
     * {@return whether a rollback ran for this deployment (rolled back, or tried and failed); not one
     * recorded as never started ({@link #rollbackRan()} {@code false})}
     */
    public boolean rolledBack() {
        return rollback == RollbackOutcome.ROLLED_BACK || rollback == RollbackOutcome.FAILED && !Boolean.FALSE.equals(rollbackRan);
    }

    /**
     * From the start of the verification to the {@code UNHEALTHY} verdict; empty for every other verdict,
     * and when the times run backwards (a wall clock stepped back, a record edited by hand), which no
     * figure of the history may take for a real duration.
     *
     * @return the time to detect, or empty
     */
    public Optional<Duration> timeToDetect() {
        return Optional.ofNullable(detectedAt).flatMap(d -> between(startedAt, d));
    }

    /**
     * From detection to the healthy re-check of the previous version (at {@link #finishedAt}); empty when
     * nothing was detected, the re-check did not find the previous version healthy, or the times run
     * backwards.
     *
     * @return the time to restore, or empty
     */
    public Optional<Duration> timeToRestore() {
        if (detectedAt == null || recheck != RecheckReport.Status.HEALTHY) {
            return Optional.empty();
        }
        return between(detectedAt, finishedAt);
    }

    /** {@return how long the rollback took; empty when none ran or its times run backwards} */
    public Optional<Duration> rollbackDuration() {
        return rollbackStartedAt == null || rollbackFinishedAt == null ? Optional.empty()
                : between(rollbackStartedAt, rollbackFinishedAt);
    }

    /** The time from {@code from} to {@code to}; empty when {@code to} is before {@code from}. */
    private static Optional<Duration> between(Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        return d.isNegative() ? Optional.empty() : Optional.of(d);
    }
}
