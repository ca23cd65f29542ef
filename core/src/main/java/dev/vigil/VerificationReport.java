package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything one verification found and decided. Immutable.
 *
 * @param deployment what was verified
 * @param plan the plan it followed
 * @param verdict the decision
 * @param reason one sentence naming the rule that decided
 *     ({@code probe error-rate failed 2 times (max-failures 1): value(0.031) > 0.01 at 12:03:15Z})
 * @param probes one report per probe, in the order the probes were added
 * @param rollback what the rollback did
 * @param recheck the measurements of the re-check rounds run after a successful rollback (round 0;
 *     empty otherwise); {@link #recheckResult()} says what they mean
 * @param rounds how many rounds ran
 * @param startedAt when the verification started
 * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached (the round that broke a
 *     limit, or the end of the bake with {@code on-inconclusive=rollback}); {@code null} for every
 *     other verdict
 * @param finishedAt when the verification finished, rollback and re-check included
 * @param schedule how the rounds went against the plan: skipped rounds and the end-of-bake rule's
 *     extra rounds
 * @param recheckResult what the re-check after a successful rollback found about the previous version
 * @param id this verification's id, unique (a random UUID unless given): what a release history
 *     keys its record by, so that recording twice stores it once
 * @param confirmations for each fix of the deployment, each probe that confirms it and what it
 *     found, in the order of the fixes; empty when the deployment lists no fix. {@code HEALTHY}
 *     needs every one {@link Confirmation.Status#CONFIRMED}
 * @param phase whether this is the report of the bake or of the watch after it ({@link WatchPlan});
 *     a watch's report has its own id, its own rounds counted from 1, and the watch's plan as
 *     {@link #plan()}
 * @param supersededBy what took this verification's place, when something did: a newer verification
 *     or rollback rehearsal of the service in its environment, in this JVM or, as the release history's
 *     start log records, in another process ({@code the verification of checkout 2.1.0, which started
 *     during the bake}); {@code null} when nothing did. A superseded bake ends
 *     {@link Verdict#INCONCLUSIVE}, a superseded watch {@link Verdict#ABORTED} or, when its rounds had
 *     just decided, {@link Verdict#INCONCLUSIVE}; neither rolls back, which would undo the newer
 *     deployment
 * @param watchPlan the watch a {@link Phase#WATCH} report is of, with what only the watch has: its
 *     {@link WatchPlan#failureWindow()} and {@link WatchPlan#watchMaxFailures()} (its rounds are
 *     {@link #plan()}); {@code null} for a bake, or a watch's report built without it
 */
public record VerificationReport(
        Deployment deployment,
        VerificationPlan plan,
        Verdict verdict,
        String reason,
        List<ProbeReport> probes,
        RollbackReport rollback,
        List<Measurement> recheck,
        int rounds,
        Instant startedAt,
        Instant detectedAt,
        Instant finishedAt,
        ScheduleReport schedule,
        RecheckReport recheckResult,
        String id,
        List<Confirmation> confirmations,
        Phase phase,
        String supersededBy,
        WatchPlan watchPlan) {

    /** Which part of a verification a report is of. */
    public enum Phase {
        /** The bake right after the deployment: what {@link DeployVerifier#verifyAfterDeploy} runs. */
        BAKE,
        /** The watch after a healthy bake ({@link WatchPlan}), with the same probes and limits, counted afresh. */
        WATCH
    }

    /**
     * Copies the lists; a missing schedule means the rounds ran as planned, a missing re-check
     * result that none ran, a missing or blank id a random UUID.
     *
     * @param deployment what was verified
     * @param plan the plan it followed
     * @param verdict the decision
     * @param reason one sentence naming the rule that decided
     * @param probes one report per probe, in the order the probes were added
     * @param rollback what the rollback did
     * @param recheck the measurements of the re-check rounds; empty when none ran
     * @param rounds how many rounds ran
     * @param startedAt when the verification started
     * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished
     * @param schedule how the rounds went against the plan, or {@code null} when they ran as planned
     * @param recheckResult what the re-check found, or {@code null} when none ran
     * @param id this verification's id, or {@code null} or blank for a random UUID
     * @param confirmations one per fix the deployment lists (and per past fix the regression guard
     *     checked), or {@code null} for none
     * @param phase the bake or the watch; {@code null} reads as {@link Phase#BAKE}
     * @param supersededBy what took this verification's place, or {@code null} (or blank) when nothing did
     * @param watchPlan the watch a watch's report is of; {@code null} for a bake (and ignored in one)
     * @throws NullPointerException when {@code probes} or {@code recheck} is {@code null} or holds
     *     {@code null}
     */
    public VerificationReport {
        watchPlan = phase == Phase.WATCH ? watchPlan : null;
        supersededBy = supersededBy == null || supersededBy.isBlank() ? null : supersededBy;
        phase = phase == null ? Phase.BAKE : phase;
        probes = List.copyOf(probes);
        recheck = List.copyOf(recheck);
        confirmations = confirmations == null ? List.of() : List.copyOf(confirmations);
        if (schedule == null) {
            schedule = ScheduleReport.asPlanned(plan == null ? rounds : plan.rounds());
        }
        if (recheckResult == null) {
            recheckResult = RecheckReport.notRun();
        }
        if (id == null || id.isBlank()) {
            id = java.util.UUID.randomUUID().toString();
        }
    }

    /**
     * A report without its watch's plan: a bake's, or a watch's whose window and watch-only limits
     * are not known.
     *
     * @param deployment what was verified
     * @param plan the plan it followed
     * @param verdict the decision
     * @param reason one sentence naming the rule that decided
     * @param probes one report per probe, in the order the probes were added
     * @param rollback what the rollback did
     * @param recheck the measurements of the re-check rounds; empty when none ran
     * @param rounds how many rounds ran
     * @param startedAt when the verification started
     * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished
     * @param schedule how the rounds went against the plan, or {@code null} when they ran as planned
     * @param recheckResult what the re-check found, or {@code null} when none ran
     * @param id this verification's id, or {@code null} or blank for a random UUID
     * @param confirmations one per fix the deployment lists (and per past fix the regression guard
     *     checked), or {@code null} for none
     * @param phase the bake or the watch; {@code null} reads as {@link Phase#BAKE}
     * @param supersededBy what took this verification's place, or {@code null} (or blank) when nothing did
     * @throws NullPointerException when {@code probes} or {@code recheck} is {@code null} or holds
     *     {@code null}
     */
    public VerificationReport(Deployment deployment, VerificationPlan plan, Verdict verdict, String reason,
            List<ProbeReport> probes, RollbackReport rollback, List<Measurement> recheck, int rounds,
            Instant startedAt, Instant detectedAt, Instant finishedAt, ScheduleReport schedule, RecheckReport recheckResult,
            String id, List<Confirmation> confirmations, Phase phase, String supersededBy) {
        this(deployment, plan, verdict, reason, probes, rollback, recheck, rounds, startedAt, detectedAt, finishedAt,
                schedule, recheckResult, id, confirmations, phase, supersededBy, null);
    }

    /**
     * A report that nothing superseded.
     *
     * @param deployment what was verified
     * @param plan the plan it followed
     * @param verdict the decision
     * @param reason one sentence naming the rule that decided
     * @param probes one report per probe, in the order the probes were added
     * @param rollback what the rollback did
     * @param recheck the measurements of the re-check rounds; empty when none ran
     * @param rounds how many rounds ran
     * @param startedAt when the verification started
     * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished
     * @param schedule how the rounds went against the plan, or {@code null} when they ran as planned
     * @param recheckResult what the re-check found, or {@code null} when none ran
     * @param id this verification's id, or {@code null} or blank for a random UUID
     * @param confirmations one per fix the deployment lists (and per past fix the regression guard
     *     checked), or {@code null} for none
     * @param phase the bake or the watch; {@code null} reads as {@link Phase#BAKE}
     * @throws NullPointerException when {@code probes} or {@code recheck} is {@code null} or holds
     *     {@code null}
     */
    public VerificationReport(Deployment deployment, VerificationPlan plan, Verdict verdict, String reason,
            List<ProbeReport> probes, RollbackReport rollback, List<Measurement> recheck, int rounds,
            Instant startedAt, Instant detectedAt, Instant finishedAt, ScheduleReport schedule, RecheckReport recheckResult,
            String id, List<Confirmation> confirmations, Phase phase) {
        this(deployment, plan, verdict, reason, probes, rollback, recheck, rounds, startedAt, detectedAt, finishedAt,
                schedule, recheckResult, id, confirmations, phase, null);
    }

    /**
     * The report of a bake.
     *
     * @param deployment what was verified
     * @param plan the plan it followed
     * @param verdict the decision
     * @param reason one sentence naming the rule that decided
     * @param probes one report per probe, in the order the probes were added
     * @param rollback what the rollback did
     * @param recheck the measurements of the re-check rounds; empty when none ran
     * @param rounds how many rounds ran
     * @param startedAt when the verification started
     * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished
     * @param schedule how the rounds went against the plan, or {@code null} when they ran as planned
     * @param recheckResult what the re-check found, or {@code null} when none ran
     * @param id this verification's id, or {@code null} or blank for a random UUID
     * @param confirmations one per fix the deployment lists, or {@code null} for none
     * @throws NullPointerException when {@code probes} or {@code recheck} is {@code null} or holds
     *     {@code null}
     */
    public VerificationReport(Deployment deployment, VerificationPlan plan, Verdict verdict, String reason,
            List<ProbeReport> probes, RollbackReport rollback, List<Measurement> recheck, int rounds,
            Instant startedAt, Instant detectedAt, Instant finishedAt, ScheduleReport schedule, RecheckReport recheckResult,
            String id, List<Confirmation> confirmations) {
        this(deployment, plan, verdict, reason, probes, rollback, recheck, rounds, startedAt, detectedAt, finishedAt,
                schedule, recheckResult, id, confirmations, Phase.BAKE);
    }

    /**
     * Whether this is the report of a watch after the bake.
     *
     * @return {@code true} for {@link Phase#WATCH}
     */
    public boolean watch() {
        return phase == Phase.WATCH;
    }

    /**
     * A report without confirmations: its deployment lists no fix.
     *
     * @param deployment what was verified
     * @param plan the plan it followed
     * @param verdict the decision
     * @param reason one sentence naming the rule that decided
     * @param probes one report per probe, in the order the probes were added
     * @param rollback what the rollback did
     * @param recheck the measurements of the re-check rounds; empty when none ran
     * @param rounds how many rounds ran
     * @param startedAt when the verification started
     * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished
     * @param schedule how the rounds went against the plan, or {@code null} when they ran as planned
     * @param recheckResult what the re-check found, or {@code null} when none ran
     * @param id the report's id; a new one when {@code null} or blank
     * @throws NullPointerException when {@code probes} or {@code recheck} is {@code null} or holds
     *     {@code null}
     */
    public VerificationReport(Deployment deployment, VerificationPlan plan, Verdict verdict, String reason,
            List<ProbeReport> probes, RollbackReport rollback, List<Measurement> recheck, int rounds,
            Instant startedAt, Instant detectedAt, Instant finishedAt, ScheduleReport schedule, RecheckReport recheckResult,
            String id) {
        this(deployment, plan, verdict, reason, probes, rollback, recheck, rounds, startedAt, detectedAt, finishedAt,
                schedule, recheckResult, id, List.of());
    }

    /**
     * A report with a new id.
     *
     * @param deployment what was verified
     * @param plan the plan it followed
     * @param verdict the decision
     * @param reason one sentence naming the rule that decided
     * @param probes one report per probe, in the order the probes were added
     * @param rollback what the rollback did
     * @param recheck the measurements of the re-check rounds; empty when none ran
     * @param rounds how many rounds ran
     * @param startedAt when the verification started
     * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished
     * @param schedule how the rounds went against the plan, or {@code null} when they ran as planned
     * @param recheckResult what the re-check found, or {@code null} when none ran
     * @throws NullPointerException when {@code probes} or {@code recheck} is {@code null} or holds
     *     {@code null}
     */
    public VerificationReport(Deployment deployment, VerificationPlan plan, Verdict verdict, String reason,
            List<ProbeReport> probes, RollbackReport rollback, List<Measurement> recheck, int rounds,
            Instant startedAt, Instant detectedAt, Instant finishedAt, ScheduleReport schedule, RecheckReport recheckResult) {
        this(deployment, plan, verdict, reason, probes, rollback, recheck, rounds, startedAt, detectedAt, finishedAt,
                schedule, recheckResult, null);
    }

    /**
     * A report whose rounds ran as planned, with no re-check result and a new id.
     *
     * @param deployment what was verified
     * @param plan the plan it followed
     * @param verdict the decision
     * @param reason one sentence naming the rule that decided
     * @param probes one report per probe, in the order the probes were added
     * @param rollback what the rollback did
     * @param recheck the measurements of the re-check rounds; empty when none ran
     * @param rounds how many rounds ran
     * @param startedAt when the verification started
     * @param detectedAt when an {@link Verdict#UNHEALTHY} verdict was reached, or {@code null}
     * @param finishedAt when the verification finished
     * @throws NullPointerException when {@code probes} or {@code recheck} is {@code null} or holds
     *     {@code null}
     */
    public VerificationReport(Deployment deployment, VerificationPlan plan, Verdict verdict, String reason,
            List<ProbeReport> probes, RollbackReport rollback, List<Measurement> recheck, int rounds,
            Instant startedAt, Instant detectedAt, Instant finishedAt) {
        this(deployment, plan, verdict, reason, probes, rollback, recheck, rounds, startedAt, detectedAt, finishedAt, null, null,
                null);
    }

    /**
     * Whether a newer verification or rollback rehearsal of the service in its environment took this
     * verification's place ({@link #supersededBy()}).
     *
     * @return {@code true} when something superseded it
     */
    public boolean superseded() {
        return supersededBy != null;
    }

    /**
     * Whether the deployment can stay: the verdict is {@link Verdict#HEALTHY}.
     *
     * @return {@code true} when the verdict is {@link Verdict#HEALTHY}
     */
    public boolean healthy() {
        return verdict == Verdict.HEALTHY;
    }

    /**
     * Whether the deployment was rolled back but the re-check did not find the previous version
     * healthy either: a person must look (exit code 5 of the command line).
     *
     * @return {@code true} when the rollback succeeded and the re-check leaves the previous
     *     version in doubt
     */
    public boolean rolledBackButPreviousVersionInDoubt() {
        return rollback != null && rollback.outcome() == RollbackOutcome.ROLLED_BACK && recheckResult.previousVersionInDoubt();
    }

    /**
     * The time from the start of the verification to an {@link Verdict#UNHEALTHY} verdict.
     *
     * @return the time to detect, or empty when no {@link Verdict#UNHEALTHY} verdict was reached
     */
    public Optional<Duration> timeToDetect() {
        return Optional.ofNullable(detectedAt).map(d -> Duration.between(startedAt, d));
    }

    /**
     * Whether every fix the deployment lists was confirmed.
     *
     * @return {@code true} when every confirmation passed, or the deployment lists no fix
     */
    public boolean fixesConfirmed() {
        return confirmations.stream().allMatch(Confirmation::confirmed);
    }

    /**
     * The report of the probe with that name.
     *
     * @param name the probe's name
     * @return the first probe report with that name, or empty when there is none
     */
    public Optional<ProbeReport> probe(String name) {
        return probes.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The value on one line, to be logged: the id, deployment, verdict, phase, rounds, times and rollback; the reason by its length, the
     * probes by name, the re-check's measurements and the confirmations by their number (a reason or a
     * measurement may quote a credential).
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "VerificationReport[id=" + id + ", deployment=" + deployment + ", plan=" + plan + ", verdict=" + verdict
                + ", reason=" + Unshown.text(reason) + ", probes=" + (probes == null ? null : probes.stream().map(ProbeReport::name).toList())
                + ", rollback=" + rollback + ", recheck=" + Unshown.size(recheck) + ", rounds=" + rounds + ", startedAt=" + startedAt
                + ", detectedAt=" + detectedAt + ", finishedAt=" + finishedAt + ", schedule=" + schedule + ", recheckResult="
                + recheckResult + ", confirmations=" + Unshown.size(confirmations) + ", phase=" + phase + ", supersededBy="
                + supersededBy + ", watchPlan=" + watchPlan + "]";
    }
}
