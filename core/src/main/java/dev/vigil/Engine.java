package dev.vigil;

import dev.vigil.VerdictPolicy.Decision;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification engine behind {@link dev.vigil.DeployVerifier}: it follows the
 * {@link Schedule}, runs each round with the {@link RoundRunner}, asks the {@link VerdictPolicy}
 * after each one, and hands an unhealthy verdict to the {@link RollbackStep}. Immutable; every
 * call to {@link #verify} runs with its own state and threads.
 */
final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final AtomicInteger VERIFICATION_IDS = new AtomicInteger();

    private final List<ProbeSpec> probes;
    private final VerificationPlan plan;
    private final RollbackStep rollbackStep;
    private final RollbackCoordinator coordinator;
    private final List<VerificationListener> listeners;
    private final Meters meters;
    private final TimeSource time;
    private final Duration listenerTimeout;
    private final RecheckPlan recheckPlan;
    private final WallClock wallClock;
    private final RegressionGuard guard;

    /** Creates an engine; called by the verifier's builder, which has validated everything. */
    Engine(List<ProbeSpec> probes, VerificationPlan plan, List<RollbackTrigger> triggers,
            RollbackPolicy rollbackPolicy, RollbackCoordinator coordinator, List<VerificationListener> listeners,
            MeterRegistry registry, TimeSource time, Duration listenerTimeout, RecheckPlan recheckPlan, RegressionGuard guard) {
        time = TimeSources.checked(time);
        this.guard = guard;
        this.probes = probes;
        this.plan = plan;
        this.wallClock = WallClock.of(time);
        this.rollbackStep = new RollbackStep(triggers, rollbackPolicy, plan, time, wallClock);
        this.coordinator = coordinator;
        this.listeners = listeners;
        this.meters = new Meters(registry);
        this.time = time;
        this.listenerTimeout = listenerTimeout;
        this.recheckPlan = recheckPlan;
    }

    /**
     * Runs one verification; never throws for what probes, triggers, listeners, meters or time do
     * (a time source that throws, or whose {@code now()} answers {@code null}).
     */
    VerificationReport verify(Deployment deployment, List<Confirmer> confirmers) {
        return verify(deployment, confirmers, deciding -> Optional.empty(), "verifyAfterDeploy");
    }

    /** What a reason says before what took a verification's place. */
    static final String SUPERSEDED_BY = "superseded by ";

    /**
     * What newer deployment of the same service took a verification's place, asked before each
     * round ({@code deciding} false) and once its rounds decided that it is unhealthy, before it acts
     * ({@code deciding} true: an answer may cost more then, such as a read of a shared log).
     */
    @FunctionalInterface
    interface Overtaken {
        /**
         * @param deciding whether the rounds have decided and the verification is about to act
         * @return what took its place, in words that follow {@link #SUPERSEDED_BY} ({@code the
         *     verification of checkout 2.1.0, which started during the bake}); empty while nothing did
         */
        Optional<String> why(boolean deciding);
    }

    /**
     * {@link #verify(Deployment, List)}, told by {@code overtaken} when a newer deployment of the
     * same service took this one's place during the bake (what it says is why): the bake then ends
     * {@link Verdict#INCONCLUSIVE} before its next round, and a bake that found the deployment
     * unhealthy does not roll back, which would undo the newer one. {@code call} is the method of
     * {@link DeployVerifier} that runs the bake ({@code verifyThenWatch}), for the refusal of a nested
     * call from its triggers and listeners.
     */
    VerificationReport verify(Deployment deployment, List<Confirmer> confirmers, Overtaken overtaken, String call) {
        Run run = new Run(deployment, confirmers, plan, baked(), null, call);
        run.overtaken = overtaken;
        return run.execute();
    }

    /**
     * Runs the watch after a healthy bake: the watched probes, counted afresh, on the watch's
     * schedule; an unhealthy verdict rolls back or only notifies, as the watch plan says. Ends
     * {@link Verdict#ABORTED} when the thread is interrupted; never throws. What {@code elsewhere}
     * says (a newer deployment of the service started in another process) stops the watch as
     * {@link WatchStop#stop} does, between rounds and before it acts.
     */
    VerificationReport watch(Deployment deployment, WatchPlan watch, WatchStop stop, Overtaken elsewhere) {
        List<ProbeSpec> watched = baked().stream().filter(p -> !watch.unwatched().contains(p.name()))
                .map(p -> new ProbeSpec(p.name(), p.probe(), watch.limits(p.name(), p.limits()), p.measurement(), p.confirms()))
                .toList();
        Run run = new Run(deployment, List.of(), watch.rounds(plan), watched, watch, "verifyThenWatch");
        run.stop = stop;
        run.overtaken = deciding -> {
            elsewhere.why(deciding).ifPresent(by -> stop.supersede(SUPERSEDED_BY + by, by));
            return Optional.empty();
        };
        // The watch does not judge the fixes again, but rolling back still re-opens them: the re-check
        // expects their confirmations to fail on the previous version, as after a bake's rollback.
        run.recheckConfirmers = withRecheckOnly(deployment, confirmersOf(deployment));
        return run.execute();
    }

    /**
     * Runs the rollback on purpose, then the re-check (with the configured plan, or the default one
     * when it is off); never throws for what triggers or probes do. The caller has checked that
     * the environment is not production and that this is no dry-run.
     */
    RehearsalReport rehearse(Deployment deployment) {
        return new Run(deployment, confirmersOf(deployment), plan, probes, null, "rehearseRollback").rehearse();
    }

    /**
     * The rehearsal that did not start because the calling thread was interrupted: nothing was
     * rolled back. No listener hears of it, as nothing happened.
     */
    RehearsalReport rehearsalAborted(Deployment deployment) {
        Instant at = wallClock.instant();
        return new RehearsalReport(RehearsalReport.Outcome.ABORTED, "rehearsal aborted: the calling thread was interrupted"
                + " before the rollback started; nothing was rolled back", deployment, RollbackReport.notNeeded(),
                RecheckReport.notRun(), List.of(), at, at);
    }

    /** The confirmations of the deployment's fixes, by every probe the bake measures. */
    private List<Confirmer> confirmersOf(Deployment deployment) {
        return deployment.fixes().stream().distinct().flatMap(issue -> Confirmer.find(issue, baked()).stream()).toList();
    }

    /**
     * The confirmations the re-check expects to fail on the previous version: the bake's, and the
     * tests tagged with a fix in a probe measured in the re-check only. That probe confirms nothing
     * (the bake does not run it), but the version rolled back to still has the bug, so its tagged
     * tests fail there as a confirmation does.
     */
    private List<Confirmer> withRecheckOnly(Deployment deployment, List<Confirmer> confirmers) {
        List<ProbeSpec> only = probes.stream().filter(p -> !recheckPlan.baked(p.name())).toList();
        if (only.isEmpty()) {
            return confirmers;
        }
        List<Confirmer> out = new ArrayList<>(confirmers);
        deployment.fixes().stream().distinct().forEach(issue -> out.addAll(Confirmer.find(issue, only)));
        return List.copyOf(out);
    }

    /** The probes of the bake and the watch: all but those measured in the re-check only. */
    private List<ProbeSpec> baked() {
        return probes.stream().filter(p -> recheckPlan.baked(p.name())).toList();
    }

    /** One verification: its trackers, its threads, its state. */
    private final class Run {
        private final Deployment deployment;
        /** The plan of this run's rounds: the bake's, or the watch's. */
        private final VerificationPlan plan;
        /** The watch this run is, or {@code null} for a bake. */
        private final WatchPlan watch;
        /** How the watch's handle stops it; {@code null} for a bake. */
        private WatchStop stop;
        private final List<Confirmer> confirmers;
        /** The confirmations the re-check expects to fail on the previous version: this run's, or the bake's for a watch. */
        private List<Confirmer> recheckConfirmers;
        private Map<String, List<String>> past = Map.of();
        /** The earlier confirmation tests that only a probe measured in the re-check only holds. */
        private List<Confirmation> pastOutOfTheBake = List.of();
        private final ExecutorService executor;
        private final RoundRunner rounds;
        private final Notifier notifier;
        private final List<Tracker> trackers = new ArrayList<>();
        private final String threadPrefix;
        private final String id = java.util.UUID.randomUUID().toString();
        private Schedule schedule;
        private Bake bake;
        private Instant startedAt;
        private long startNanos = WallClock.NO_READING;
        private RollbackCoordinator.Registration registration;
        /** What was decided and done, kept so that a fault after the decision cannot lose it. */
        private Decision decided;
        private Instant detectedAt;
        private RollbackReport rollback;
        private List<Measurement> recheck = List.of();
        private RecheckReport recheckResult = RecheckReport.notRun();
        /** Why a newer deployment of the service took this one's place, once one did; a bake's only. */
        private Overtaken overtaken = deciding -> Optional.empty();
        /**
         * Whether the bake ended because a newer deployment overtook it, or the watch was stopped
         * before it acted on its decision: its probes are then not settled.
         */
        private boolean superseded;
        /** What took this run's place, for the report; {@code null} while nothing did. */
        private String supersededBy;

        /** The method of {@link DeployVerifier} that runs this, named when a trigger or listener calls one again. */
        private final String call;

        Run(Deployment deployment, List<Confirmer> confirmers, VerificationPlan plan, List<ProbeSpec> probes, WatchPlan watch,
                String call) {
            this.deployment = deployment;
            this.call = call;
            this.plan = plan;
            this.watch = watch;
            this.confirmers = List.copyOf(confirmers);
            this.recheckConfirmers = withRecheckOnly(deployment, this.confirmers);
            int id = VERIFICATION_IDS.incrementAndGet();
            this.threadPrefix = "vigil-" + id + "-" + deployment.service() + (watch == null ? "" : "-watch");
            this.executor = Executors.newCachedThreadPool(daemonThreads(threadPrefix));
            this.rounds = new RoundRunner(deployment, executor, time);
            this.notifier = new Notifier(deployment, listeners, meters, threadPrefix + "-listeners", listenerTimeout, call);
            probes.forEach(p -> trackers.add(new Tracker(p, watch)));
        }

        VerificationReport execute() {
            try {
                if (watch == null) {
                    // The watch measures with the probes its bake got ready.
                    prepareProbes();
                }
                startedAt = time.now();
                startNanos = time.nanoTime();
                rounds.verificationStarted(startedAt);
                schedule = new Schedule(time, plan, startNanos);
                bake = new Bake(trackers, plan, schedule, rounds, notifier, time, startNanos, this::endedElsewhere);
                registration = coordinator.register(deployment, rollbackStep.triggers());
                if (watch == null) {
                    past = guard.past(deployment);
                    pastOutOfTheBake = past.isEmpty() ? List.of() : RegressionGuard.outOfTheBake(past, deployment,
                            probes.stream().filter(p -> !recheckPlan.baked(p.name())).toList());
                    notifier.listeners(l -> l.started(deployment, plan));
                } else {
                    notifier.listeners(l -> l.watchStarted(deployment, watch));
                }
                Decision end = bake.run();
                decided = notOvertaken(measuredOnlyOnce(end, watched(end, confirmed(end))));
                if (stop != null && !stop.acting()) {
                    decided = stoppedBeforeActing(decided);
                }
                if (decided.verdict() == Verdict.UNHEALTHY) {
                    // On the monotonic clock from the start, as the meters' time to detect: a step of the
                    // wall clock during the bake must not make it negative or hours long.
                    detectedAt = wallClock.afterNanos(startedAt, startNanos, bake.decidedNanos());
                    Duration toDetect = Duration.ofNanos(Math.max(0, bake.decidedNanos() - startNanos));
                    notifier.meters(meters -> meters.detected(deployment, toDetect, phase()));
                }
                return act();
            } catch (InterruptedException e) {
                // Only the bake waits interruptibly; after the decision the re-check keeps the flag instead.
                String reason = watch != null
                        ? "watch stopped " + (roundsRun() == 0 ? "before its first round" : "at round " + roundsRun()
                                + " of " + plan.rounds() + " with no limit broken") + ": "
                                + (stop != null && stop.why() != null ? stop.why() : "its thread was interrupted")
                        : "verification aborted: interrupted (the command line stopped by Ctrl-C or SIGTERM, or"
                                + " the calling thread interrupted) " + (roundsRun() == 0 ? "before the first round"
                                        : "after round " + roundsRun()) + "; nothing was rolled back";
                if (stop != null) {
                    supersededBy = stop.supersededBy();
                }
                VerificationReport report = finish(Verdict.ABORTED, reason, false);
                Thread.currentThread().interrupt();
                return report;
            } catch (Exception | Error e) {
                // A fault of Vigil itself, or of a time source handed to it (checked exceptions
                // included, which a plug-in may throw without declaring them): never a false healthy,
                // never an exception for the caller, and a rollback that ran stays in the report.
                // The frames only: the message may quote a credential, and the report gives it masked.
                LOG.error("verification of {} {} failed unexpectedly (the report says why):{}{}", deployment.service(),
                        deployment.version(), System.lineSeparator(), VigilException.frames(e));
                if (startedAt == null) {
                    startedAt = now();
                }
                String fault = "verification failed unexpectedly: " + VigilException.describe(e);
                if (decided != null && decided.verdict() == Verdict.UNHEALTHY) {
                    if (rollback == null) {
                        // Never NOT_NEEDED: it was needed, and whether it ran is not known.
                        rollback = new RollbackReport(RollbackOutcome.FAILED, "", 0, "",
                                "the rollback did not complete: " + fault + "; check which version runs", null, null);
                    }
                    return finish(Verdict.UNHEALTHY, decided.reason() + "; then " + fault, false);
                }
                return finish(Verdict.INCONCLUSIVE, fault, false);
            } finally {
                if (registration != null) {
                    registration.close();
                }
                stopThreads();
            }
        }

        RehearsalReport rehearse() {
            try {
                prepareProbes();
                startedAt = time.now();
                startNanos = time.nanoTime();
                // A rehearsal shares nothing with verifications that may be running, but never runs beside their rollback.
                registration = coordinator.registerRehearsal(deployment, rollbackStep.triggers());
                String reason = "rehearsal: the rollback of " + deployment.service() + " " + deployment.version()
                        + " runs on purpose in " + deployment.environment() + " to prove that it works";
                // Kept before the trigger runs, as for a verification's rollback: a rehearsal changes what runs too.
                rollback = rollbackStep.run(deployment, Verdict.UNHEALTHY, reason, registration, executor, call,
                        () -> notifier.beforeRollback(deployment, threadPrefix + "-before-rollback"));
                Optional<RollbackCoordinator.RolledBack> running = registration.rolledBackByOther();
                if (running.isPresent()) {
                    return new RehearsalReport(RehearsalReport.Outcome.ABORTED, "rehearsal not started: " + running.get().running()
                            + " is rolling it back now (" + running.get().reason() + "), and a second rollback at once would"
                            + " undo that one; nothing was rolled back by the rehearsal: rehearse again when it has ended",
                            deployment, RollbackReport.notNeeded(), RecheckReport.notRun(), List.of(), startedAt, now());
                }
                recheck(recheckPlan.enabled() ? recheckPlan : RecheckPlan.defaults().withUnchecked(recheckPlan.unchecked()).withOnly(recheckPlan.only()));
                RehearsalReport report = rehearsal(rollback, recheckResult);
                notifier.listeners(l -> l.rehearsed(report));
                return report;
            } catch (Exception | Error e) {
                LOG.error("rehearsal of {} {} failed unexpectedly (the report says why):{}{}", deployment.service(),
                        deployment.version(), System.lineSeparator(), VigilException.frames(e));
                if (startedAt == null) {
                    startedAt = now();
                }
                return new RehearsalReport(RehearsalReport.Outcome.FAILED, "rehearsal failed unexpectedly: " + VigilException.describe(e),
                        deployment, rollback == null ? RollbackReport.notNeeded() : rollback, recheckResult, recheck,
                        startedAt, now());
            } finally {
                if (registration != null) {
                    registration.close();
                }
                stopThreads();
            }
        }

        private RehearsalReport rehearsal(RollbackReport done, RecheckReport found) {
            RehearsalReport.Outcome outcome;
            String reason;
            if (done.outcome() != RollbackOutcome.ROLLED_BACK) {
                outcome = RehearsalReport.Outcome.FAILED;
                reason = "the rollback did not work (" + done.outcome() + "): "
                        + (done.error() == null ? "see its output" : done.error());
            } else if (found.healthy()) {
                outcome = RehearsalReport.Outcome.REHEARSED;
                reason = "rolled back with " + done.trigger() + " and the previous version came back healthy: " + found.reason();
            } else {
                outcome = RehearsalReport.Outcome.FAILED;
                reason = "rolled back with " + done.trigger() + ", but the re-check did not find the previous version healthy ("
                        + found.status() + "): " + found.reason();
            }
            return new RehearsalReport(outcome, reason, deployment, done, found, recheck, startedAt, now());
        }

        /**
         * What ends the bake from outside before its next round: a concurrent verification that
         * rolled this deployment back ({@link Verdict#UNHEALTHY}, it is gone), or a newer deployment
         * that took its place ({@link Verdict#INCONCLUSIVE}: the rounds would measure the newer one).
         */
        private Optional<Decision> endedElsewhere() {
            Optional<String> other = rolledBackByOther();
            if (other.isPresent()) {
                return Optional.of(new Decision(Verdict.UNHEALTHY, other.get()));
            }
            return overtakenNow(false).map(by -> new Decision(Verdict.INCONCLUSIVE, "verification stopped "
                    + (roundsRun() == 0 ? "before its first round" : "after round " + roundsRun()) + ": " + SUPERSEDED_BY + by
                    + "; the rounds from now on would measure that version, not " + deployment.version()
                    + "; nothing was rolled back"));
        }

        /**
         * An unhealthy decision of a bake that a newer deployment overtook, after its last round
         * (the newer one started between that round and the decision): {@link Verdict#INCONCLUSIVE},
         * and no rollback, which would undo the newer deployment.
         */
        private Decision notOvertaken(Decision decision) {
            if (decision.verdict() != Verdict.UNHEALTHY || rolledBackByOther().isPresent()) {
                return decision;
            }
            return overtakenNow(true).map(by -> new Decision(Verdict.INCONCLUSIVE, decision.reason()
                    + "; not rolled back: " + SUPERSEDED_BY + by + ", and a rollback now would undo it")).orElse(decision);
        }

        /**
         * A watch asked to stop (closed before the next deployment, superseded by a newer verification)
         * after its rounds decided and before it acted: it does not roll back, as it would not have a
         * moment earlier; what it found stays in the reason, and its probes are not settled.
         */
        private Decision stoppedBeforeActing(Decision decision) {
            if (decision.verdict() != Verdict.UNHEALTHY) {
                return decision;
            }
            superseded = true;
            supersededBy = stop.supersededBy();
            return new Decision(Verdict.INCONCLUSIVE, decision.reason() + "; not rolled back: the watch was stopped ("
                    + stop.why() + ") before it acted on this");
        }

        /** What newer deployment took this one's place, if one did; remembered for {@link #finish}. */
        private Optional<String> overtakenNow(boolean deciding) {
            Optional<String> newer = overtaken.why(deciding);
            superseded = newer.isPresent();
            supersededBy = newer.orElse(null);
            return newer;
        }

        /**
         * The reason of a concurrent verification that rolled this deployment back, if one did, and
         * whether it was given another previous version than this one.
         */
        private Optional<String> rolledBackByOther() {
            return registration == null ? Optional.empty() : registration.rolledBackByOther()
                    .map(other -> "rolled back by a concurrent verification of " + deployment.service() + " "
                            + deployment.version() + ": " + other.reason()
                            + (other.otherPreviousVersion() == null ? "" : "; but " + other.otherPreviousVersion()));
        }

        private VerificationReport.Phase phase() {
            return watch == null ? VerificationReport.Phase.BAKE : VerificationReport.Phase.WATCH;
        }

        private int roundsRun() {
            return bake == null ? 0 : bake.roundsRun();
        }

        /**
         * Each probe gets ready ({@link Probe#prepare}), all at once and before any measurement's
         * timeout runs, for {@link Probe#PREPARE_WAIT} at most: one that throws or takes longer is
         * logged, and its first measurement meets what did not get ready. Interrupted, it leaves the
         * interrupt for the bake, which ends aborted.
         */
        private void prepareProbes() {
            List<java.util.Map.Entry<String, java.util.concurrent.Future<?>>> preparing = new ArrayList<>();
            for (ProbeSpec p : Engine.this.probes) {
                preparing.add(java.util.Map.entry(p.name(), executor.submit(() -> {
                    p.probe().prepare();
                    return null;
                })));
            }
            long deadline = System.nanoTime() + Probe.PREPARE_WAIT.toNanos();
            for (java.util.Map.Entry<String, java.util.concurrent.Future<?>> p : preparing) {
                try {
                    p.getValue().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.warn("probe {} could not get ready before the first round: {}; its first measurement meets it again",
                            p.getKey(), VigilException.describe(e.getCause()));
                } catch (java.util.concurrent.TimeoutException e) {
                    LOG.warn("probe {} was not ready within {}; the rounds start without waiting for it", p.getKey(),
                            Durations.format(Probe.PREPARE_WAIT));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Tells the listeners, rolls back when the verdict calls for it, re-checks, and reports. */
        private VerificationReport act() {
            Verdict verdict = decided.verdict();
            // In a watch's own words for the listeners and the rollback as well as for the report.
            String reason = watch == null ? decided.reason() : VerdictPolicy.inWordsOf("watch", tolerated(decided));
            // Listeners are told on their own thread: telling them first never delays the rollback.
            notifier.listeners(l -> l.verdict(deployment, verdict, reason));
            if (verdict == Verdict.UNHEALTHY) {
                boolean notifyOnly = watch != null && watch.action() == WatchPlan.Action.NOTIFY;
                rollback = rollbackStep.run(deployment, verdict, reason, registration, executor, call,
                        () -> {
                            notifier.beforeRollback(deployment, threadPrefix + "-before-rollback");
                            notifier.listeners(l -> l.rollbackStarted(deployment));
                        }, notifyOnly);
                RollbackReport done = rollback;
                notifier.meters(meters -> meters.rolledBack(deployment, done.outcome()));
                notifier.listeners(l -> l.rollbackFinished(deployment, done));
                recheck(recheckPlan);
            }
            return finish(verdict, reason, !superseded);
        }

        /**
         * A watch's reason, with why the FAILs its failure window tolerated did not break a limit
         * when it did not end unhealthy: a reader of a healthy report with FAILs in it sees why
         * nothing was rolled back.
         */
        private String tolerated(Decision decision) {
            List<String> tolerated = decision.verdict() == Verdict.UNHEALTHY ? List.of()
                    : trackers.stream().map(Tracker::toleratedInWindow).filter(java.util.Objects::nonNull).toList();
            return tolerated.isEmpty() ? decision.reason() : decision.reason() + "; " + String.join("; ", tolerated);
        }

        /** Whether a rollback trigger ran: the rollback succeeded, or failed after at least one attempt. */
        private boolean triggerRan() {
            return rollback != null && (rollback.outcome() == RollbackOutcome.ROLLED_BACK
                    || rollback.outcome() == RollbackOutcome.FAILED && rollback.attempts() > 0);
        }

        /** After a rollback whose trigger ran, the judged re-check; see {@link Recheck}. */
        private void recheck(RecheckPlan recheckPlan) {
            if (!triggerRan()) {
                return;
            }
            // The bake's plan, also after a watch: the previous version is re-checked at the bake's pace.
            Recheck check = new Recheck(recheckPlan, Engine.this.plan, deployment, probes, rounds, notifier, time, recheckConfirmers,
                    rollback.outcome() == RollbackOutcome.FAILED);
            try {
                recheckResult = check.run();
            } finally {
                recheck = check.measured();
            }
        }

        /**
         * A bake or watch that skipped more than a tenth of its planned rounds (the host was
         * suspended or starved, or rounds overran) did not watch: a late measurement or two at its
         * end says nothing about the time it skipped, so it is not {@link Verdict#HEALTHY}. A
         * bake's end is then inconclusive and {@code on-inconclusive} applies, as to any; a watch
         * ends {@link Verdict#INCONCLUSIVE}, never a reason to roll back. A broken limit
         * ({@link Verdict#UNHEALTHY}) stays as it is. The reason names the skips and every probe
         * whose state at the end is unknown, whichever {@code on-inconclusive} decides.
         *
         * @param end the bake's own decision
         * @param decision the decision so far: the end's, or one a confirmation made of it, which
         *     stays as it is
         */
        private Decision watched(Decision end, Decision decision) {
            if (decision != end || !bake.reachedEnd() || !VerdictPolicy.skippedTooMany(schedule)) {
                return decision;
            }
            List<String> causes = bake.skipCauses(watch == null ? "bake" : "watch", schedule);
            String reason = String.join("; ", causes);
            boolean noneUnknown = causes.size() == 1;
            // A watch's skips alone roll nothing back; a probe without evidence at its end still follows on-inconclusive=rollback.
            boolean inconclusiveOnly = watch != null && (noneUnknown || end.verdict() != Verdict.UNHEALTHY);
            return inconclusiveOnly ? new Decision(Verdict.INCONCLUSIVE, reason) : VerdictPolicy.onInconclusive(plan, reason);
        }

        /**
         * A watch whose every probe measured the service in its first round only, and carried that
         * round's {@code PASS} over to all the others (a JUnit suite that runs once per
         * verification), did not watch: the service may have failed an hour in and the rounds would
         * still read {@code PASS}. It is not {@link Verdict#HEALTHY}, but {@link Verdict#INCONCLUSIVE}
         * and never a reason to roll back, as a watch that skipped its rounds.
         */
        private Decision measuredOnlyOnce(Decision end, Decision decision) {
            if (watch == null || decision != end || decision.verdict() != Verdict.HEALTHY || roundsRun() < 2
                    || trackers.stream().anyMatch(Tracker::measuredAfterFirstRound)) {
                return decision;
            }
            String names = String.join(", ", trackers.stream().map(Tracker::name).toList());
            return new Decision(Verdict.INCONCLUSIVE, "the watch measured the service in its first round only: "
                    + (trackers.size() == 1 ? "probe " : "probes ") + names + " carried that round's PASS over to its other "
                    + (roundsRun() - 1) + " rounds (a suite that runs once per verification); no limit was broken, but a watch"
                    + " that measured once proves nothing about the time after it: give the suite every=<n> or"
                    + " every-round=true, or watch a probe that measures every round");
        }

        private VerificationReport finish(Verdict verdict, String reason, boolean bakeEnded) {
            if (watch != null) {
                reason = VerdictPolicy.inWordsOf("watch", reason);
            }
            // UNHEALTHY at the end of the bake (on-inconclusive=rollback, a failed confirmation) came after
            // every probe was measured to the end: each is reported as it ended, not as cut short.
            boolean reachedEnd = bakeEnded && (verdict != Verdict.UNHEALTHY || bake != null && bake.reachedEnd());
            List<ProbeReport> reports = trackers.stream().map(t -> t.report(reachedEnd ? settledStatus(t) : null)).toList();
            Instant finishedAt = wallClock.after(startedAt, startNanos);
            ScheduleReport scheduled = bake == null ? ScheduleReport.asPlanned(plan.rounds())
                    : new ScheduleReport(schedule.planned(), schedule.skipped(), bake.settlingRounds(),
                            watch == null ? schedule.notes()
                                    : schedule.notes().stream().map(n -> VerdictPolicy.inWordsOf("watch", n)).toList());
            VerificationReport report = new VerificationReport(deployment, plan, verdict, reason, reports,
                    rollback == null ? RollbackReport.notNeeded() : rollback, recheck, roundsRun(), startedAt,
                    verdict == Verdict.UNHEALTHY ? detectedAt : null, finishedAt, scheduled, recheckResult, id,
                    confirmations(reports), phase(), supersededBy, watch);
            Duration took = Duration.between(startedAt, finishedAt);
            notifier.meters(meters -> meters.verified(deployment, verdict, took, phase()));
            notifier.listeners(l -> l.finished(report));
            return report;
        }

        /**
         * A healthy end needs every fix confirmed by a pass: a failed confirmation makes the
         * deployment unhealthy, one without proof inconclusive ({@code on-inconclusive=pass} does
         * not accept a fix nobody saw work; {@code rollback} rolls it back).
         */
        private Decision confirmed(Decision decision) {
            // A confirmation that failed (or a past fix's test failing again) is evidence against the
            // new version: it makes an INCONCLUSIVE bake UNHEALTHY as well as a HEALTHY one. A fix not
            // proven matters only where the bake would otherwise be HEALTHY.
            boolean open = decision.verdict() == Verdict.HEALTHY || decision.verdict() == Verdict.INCONCLUSIVE;
            if (!open || confirmers.isEmpty() && past.isEmpty()) {
                return decision;
            }
            List<ProbeReport> reports = trackers.stream().map(t -> t.report(settledStatus(t))).toList();
            List<Confirmation> all = confirmations(reports);
            Optional<String> regressed = guard.failing(all);
            if (regressed.isPresent()) {
                return new Decision(Verdict.UNHEALTHY, regressed.get());
            }
            List<Confirmation> found = all.stream().filter(c -> !c.regression()).toList();
            List<String> failed = found.stream().filter(c -> c.status() == Confirmation.Status.FAILED)
                    .map(c -> c.issue() + " is not fixed: " + c.explanation() + " (probe " + c.probe() + ")").toList();
            if (!failed.isEmpty()) {
                return new Decision(Verdict.UNHEALTHY, "the confirmation failed: " + String.join("; ", failed));
            }
            List<String> unproven = found.stream().filter(c -> c.status() == Confirmation.Status.NOT_PROVEN)
                    .map(c -> c.issue() + ": " + c.explanation()).toList();
            if (unproven.isEmpty() || decision.verdict() != Verdict.HEALTHY) {
                return decision;
            }
            String reason = "no proof that the fix works: " + String.join("; ", unproven)
                    + "; a fix is confirmed only by a pass";
            return plan.onInconclusive() == VerificationPlan.OnInconclusive.ROLLBACK
                    ? new Decision(Verdict.UNHEALTHY, reason + "; treated as unhealthy because on-inconclusive=rollback")
                    : new Decision(Verdict.INCONCLUSIVE, reason);
        }

        /** The confirmations of this deployment's fixes, then the regression guard's. */
        private List<Confirmation> confirmations(List<ProbeReport> reports) {
            List<Confirmation> out = new ArrayList<>(Confirmer.judgeAll(confirmers, byName(reports)));
            out.addAll(RegressionGuard.check(past, deployment, reports, pastOutOfTheBake));
            return out;
        }

        private static java.util.Map<String, ProbeReport> byName(List<ProbeReport> reports) {
            java.util.Map<String, ProbeReport> out = new java.util.HashMap<>();
            reports.forEach(r -> out.put(r.name(), r));
            return out;
        }

        private ProbeReport.Status settledStatus(Tracker tracker) {
            Tracker.Standing s = tracker.standing();
            return s.inconclusiveLimit() == null && s.endsInPass() ? ProbeReport.Status.PASSED : ProbeReport.Status.INCONCLUSIVE;
        }

        private void stopThreads() {
            notifier.close();
            boolean interrupted = Thread.interrupted();
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                    // Java cannot stop a thread that ignores interruption; it is a daemon thread, so it
                    // never keeps the JVM alive, and the verification has ended without it.
                    List<String> left = rounds.measuring().entrySet().stream().filter(e -> e.getKey().isAlive())
                            .map(e -> e.getKey().getName() + " (probe " + e.getValue() + ")").sorted().toList();
                    LOG.warn("verification of {} {} ended, but {} ignored interruption and {} still running as daemon {}: {}",
                            deployment.service(), deployment.version(),
                            left.size() == 1 ? "a thread" : "threads", left.size() == 1 ? "is" : "are",
                            left.size() == 1 ? "thread" : "threads",
                            left.isEmpty() ? threadPrefix + "-*" : String.join(", ", left));
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** The time source's wall clock; the system clock when that one fails, so that a report can still be made. */
        private Instant now() {
            return wallClock.instant();
        }
    }

    /** resilience4j's backoff needs at least a millisecond. */
    static Duration atLeastOneMilli(Duration d) {
        return d.toMillis() < 1 ? Duration.ofMillis(1) : d;
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
