package dev.vigil;

import dev.vigil.VerdictPolicy.Decision;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The re-check after a rollback whose trigger ran: waits the re-check delay, then measures what runs
 * now with the same probes and limits for the planned re-check rounds, one every plan interval,
 * judged like a bake (limits break at once; at the end every probe's latest measurement must be a
 * {@code PASS}) but without {@code on-inconclusive}. It runs after a {@code FAILED} rollback whose
 * trigger ran too: a command may have rolled back and then failed (an undo that went through, a
 * status check that timed out), and the person who must act needs to know which version answers.
 *
 * <p>Its probes see the moment the re-check began, right after the rollback, as
 * {@link ProbeContext#verificationStarted()}: what they measure from then on is the previous
 * version, and a range that reached back to the bake's start would judge it on the version rolled
 * back.
 *
 * <p>After rolling back a deployment that fixes issues, the previous version still has them: its
 * confirmations are expected to fail there, and such a failure counts as a pass that says so
 * ({@code as expected: 2.4.1 still has INC-123}); see {@link StillBroken}. Every other probe, and
 * every other test, must pass. A probe that confirms a fix as a whole fails on a version that does not
 * answer just as on one that still has the bug, and so does a suite whose only tests are the tagged
 * ones, so such an expected failure shows nothing about health: a re-check in which every probe saw
 * only its expected failure at the end (no other test passed) is {@code INCONCLUSIVE}, never
 * {@code HEALTHY}.
 */
final class Recheck {

    private static final Logger LOG = LoggerFactory.getLogger(Recheck.class);

    private final RecheckPlan recheckPlan;
    private final VerificationPlan plan;
    private final Deployment deployment;
    private final List<ProbeSpec> probes;
    private final RoundRunner rounds;
    private final Notifier notifier;
    private final TimeSource time;
    private final boolean rollbackFailed;
    private List<Measurement> measured = List.of();

    /**
     * @param rollbackFailed whether the rollback before it failed: then what answers may still be the
     *     version rolled back (a command refused or not started changed nothing), and the reason says
     *     so instead of naming the previous version as what was measured
     */
    Recheck(RecheckPlan recheckPlan, VerificationPlan plan, Deployment deployment, List<ProbeSpec> probes,
            RoundRunner rounds, Notifier notifier, TimeSource time, List<Confirmer> confirmers, boolean rollbackFailed) {
        this.rollbackFailed = rollbackFailed;
        this.recheckPlan = recheckPlan;
        this.plan = plan;
        this.deployment = deployment;
        this.probes = probes.stream().filter(p -> !recheckPlan.unchecked().contains(p.name()))
                .map(p -> StillBroken.expecting(p, confirmers, deployment)).toList();
        this.rounds = rounds;
        this.notifier = notifier;
        this.time = time;
    }

    /**
     * Runs the re-check; never throws: what a probe does is measured, an interrupt ends it
     * inconclusive (the flag set again), and so does a fault of Vigil or of the time source.
     */
    RecheckReport run() {
        if (!recheckPlan.enabled()) {
            return new RecheckReport(RecheckReport.Status.OFF,
                    "the re-check after the rollback is switched off (re-check rounds 0)", 0, null);
        }
        if (probes.isEmpty()) {
            return new RecheckReport(RecheckReport.Status.OFF, "every probe is left out of the re-check after the rollback ("
                    + String.join(", ", recheckPlan.unchecked()) + "): nothing measures the previous version alone", 0, null);
        }
        Duration delay = recheckPlan.delayFor(plan, probes.stream().map(ProbeSpec::probe).toList());
        VerificationPlan recheckRounds = new VerificationPlan(Duration.ZERO, plan.interval(),
                plan.interval().multipliedBy(recheckPlan.rounds()), VerificationPlan.OnInconclusive.FAIL, false);
        String previous = deployment.previousVersion() == null ? "the previous version"
                : "the previous version " + deployment.previousVersion();
        if (rollbackFailed) {
            // A failed rollback may have changed nothing (a command not run, or failing before it
            // acted): what the probes measure is then the version rolled back, not the previous one.
            previous = "what answers after the failed rollback (" + previous + " if it went through, else "
                    + deployment.version() + ")";
        }
        Bake check = null;
        try {
            // What runs from now on is the previous version: a probe that looks back (a Prometheus
            // range) must not reach into the version just rolled back.
            rounds.verificationStarted(time.now());
            long from = time.nanoTime();
            TimeSources.sleepUntil(time, from, from + Durations.nanos(delay), Durations.nanos(delay));
            Schedule schedule = new Schedule(time, recheckRounds, time.nanoTime());
            check = Bake.recheck(probes.stream().map(Tracker::new).toList(), recheckRounds, schedule, rounds, notifier, time);
            Decision found = skipsJudged(check, schedule, check.run());
            RecheckReport.Status status = switch (found.verdict()) {
                case HEALTHY -> RecheckReport.Status.HEALTHY;
                case UNHEALTHY -> RecheckReport.Status.UNHEALTHY;
                default -> RecheckReport.Status.INCONCLUSIVE;
            };
            String reason = VerdictPolicy.inWordsOf("re-check", found.reason());
            if (status == RecheckReport.Status.HEALTHY && onlyExpectedFailures()) {
                status = RecheckReport.Status.INCONCLUSIVE;
                reason = nothingShowedItRuns();
            }
            String left = recheckPlan.unchecked().isEmpty() ? ""
                    : "; not re-checked: " + String.join(", ", recheckPlan.unchecked());
            return new RecheckReport(status, previous + ": " + reason + left, check.roundsRun(), delay, only());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            int done = check == null ? 0 : check.roundsRun();
            return new RecheckReport(RecheckReport.Status.INCONCLUSIVE, "the re-check of " + previous
                    + " was interrupted after " + done + (done == 1 ? " round" : " rounds"), done, delay, only());
        } catch (RuntimeException e) {
            // A fault of Vigil or of the time source: the previous version was not seen healthy, and
            // "no rollback to check" would hide that a rollback ran (a person must look).
            int done = check == null ? 0 : check.roundsRun();
            LOG.error("the re-check of {} {} failed unexpectedly (the report says why):{}{}", deployment.service(),
                    previous, System.lineSeparator(), VigilException.frames(e));
            return new RecheckReport(RecheckReport.Status.INCONCLUSIVE, "the re-check of " + previous
                    + " failed unexpectedly after " + done + (done == 1 ? " round" : " rounds") + ": "
                    + VigilException.describe(e), done, delay, only());
        } finally {
            measured = check == null ? List.of() : check.measured();
        }
    }

    /** The probes re-checked that the bake and the watch leave out. */
    private java.util.Set<String> only() {
        return probes.stream().map(ProbeSpec::name).filter(name -> !recheckPlan.baked(name)).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * The bake's rule 5 for the re-check: one that ran to its end but skipped more than a tenth of
     * its rounds (the host was suspended or starved) did not watch the previous version, so it is
     * {@link Verdict#INCONCLUSIVE}, never {@link Verdict#HEALTHY}; a broken limit stays as it is.
     */
    private static Decision skipsJudged(Bake check, Schedule schedule, Decision found) {
        if (!check.reachedEnd() || found.verdict() == Verdict.UNHEALTHY || !VerdictPolicy.skippedTooMany(schedule)) {
            return found;
        }
        return new Decision(Verdict.INCONCLUSIVE, String.join("; ", check.skipCauses("re-check", schedule)));
    }

    /** Whether every re-checked probe confirms a fix and saw only its expected failure at the end. */
    private boolean onlyExpectedFailures() {
        return probes.stream().allMatch(p -> p.probe() instanceof StillBroken s && s.sawOnlyTheExpectedFailure());
    }

    private String nothingShowedItRuns() {
        String names = probes.stream().map(ProbeSpec::name).collect(Collectors.joining(", "));
        String issues = probes.stream().map(p -> ((StillBroken) p.probe()).issues()).distinct()
                .collect(Collectors.joining(", "));
        return "nothing showed it healthy: every re-checked probe (" + names + ") confirms a fix it does not have ("
                + issues + ") and saw nothing but its expected failure, as it would on a version that does not answer;"
                + " re-check a probe or a test that confirms no fix too";
    }

    /** The re-check's measurements (round 0), in order. */
    List<Measurement> measured() {
        return measured;
    }
}
