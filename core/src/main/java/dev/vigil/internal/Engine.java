package dev.vigil.internal;

import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.ScheduleReport;
import dev.vigil.TimeSource;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.VigilException;
import dev.vigil.internal.VerdictPolicy.Decision;
import dev.vigil.rollback.RollbackCoordinator;
import dev.vigil.rollback.RollbackPolicy;
import dev.vigil.spi.RollbackTrigger;
import dev.vigil.spi.VerificationListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
public final class Engine {

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

    /** Creates an engine; called by the verifier's builder, which has validated everything. */
    public Engine(List<ProbeSpec> probes, VerificationPlan plan, List<RollbackTrigger> triggers,
            RollbackPolicy rollbackPolicy, RollbackCoordinator coordinator, List<VerificationListener> listeners,
            MeterRegistry registry, TimeSource time, Duration listenerTimeout) {
        this.probes = probes;
        this.plan = plan;
        this.rollbackStep = new RollbackStep(triggers, rollbackPolicy, plan, time);
        this.coordinator = coordinator;
        this.listeners = listeners;
        this.meters = new Meters(registry);
        this.time = time;
        this.listenerTimeout = listenerTimeout;
    }

    /** Runs one verification; never throws for what probes, triggers, listeners, meters or time do. */
    public VerificationReport verify(Deployment deployment) {
        return new Run(deployment).execute();
    }

    /** One verification: its trackers, its threads, its state. */
    private final class Run {
        private final Deployment deployment;
        private final ExecutorService executor;
        private final RoundRunner rounds;
        private final Notifier notifier;
        private final List<Tracker> trackers = new ArrayList<>();
        private final String threadPrefix;
        private Schedule schedule;
        private Instant startedAt;
        private long startNanos;
        private int roundsRun;
        private int settlingRounds;
        private RollbackCoordinator.Registration registration;
        /** What was decided and done, kept so that a fault after the decision cannot lose it. */
        private Decision decided;
        private Instant detectedAt;
        private RollbackReport rollback;
        private List<Measurement> recheck = List.of();

        Run(Deployment deployment) {
            this.deployment = deployment;
            int id = VERIFICATION_IDS.incrementAndGet();
            this.threadPrefix = "vigil-" + id + "-" + deployment.service();
            this.executor = Executors.newCachedThreadPool(daemonThreads(threadPrefix));
            this.rounds = new RoundRunner(deployment, executor, time);
            this.notifier = new Notifier(listeners, meters, threadPrefix + "-listeners", listenerTimeout);
            probes.forEach(p -> trackers.add(new Tracker(p)));
        }

        VerificationReport execute() {
            try {
                startedAt = time.now();
                startNanos = time.nanoTime();
                schedule = new Schedule(time, plan, startNanos);
                registration = coordinator.register(deployment);
                notifier.listeners(l -> l.started(deployment, plan));
                bake();
                return act();
            } catch (InterruptedException e) {
                if (decided != null) {
                    // Interrupted after the decision (during the re-check): the decision stands.
                    return finish(decided.verdict(), decided.reason(), true);
                }
                decided = new Decision(Verdict.ABORTED, "verification aborted: the calling thread was interrupted "
                        + (roundsRun == 0 ? "before the first round" : "after round " + roundsRun));
                VerificationReport report = finish(Verdict.ABORTED, decided.reason(), false);
                Thread.currentThread().interrupt();
                return report;
            } catch (Exception | Error e) {
                // A fault of Vigil itself, or of a time source handed to it (checked exceptions
                // included, which a plug-in may throw without declaring them): never a false healthy,
                // never an exception for the caller, and a rollback that ran stays in the report.
                LOG.error("verification of {} {} failed unexpectedly", deployment.service(), deployment.version(), e);
                if (startedAt == null) {
                    startedAt = now();
                }
                String fault = "verification failed unexpectedly: " + describe(e);
                if (decided != null && decided.verdict() == Verdict.UNHEALTHY) {
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

        /** Runs the planned rounds, then the end-of-bake rule, until a verdict is reached. */
        private void bake() throws InterruptedException {
            while (schedule.awaitNext(false)) {
                if (round(trackers)) {
                    return;
                }
            }
            int cap = VerdictPolicy.settlingCap(plan);
            List<Tracker> unsettled = unsettled();
            while (!unsettled.isEmpty() && settlingRounds < cap) {
                schedule.awaitNext(true);
                settlingRounds++;
                if (round(unsettled)) {
                    return;
                }
                unsettled = unsettled();
            }
            decided = VerdictPolicy.atEnd(plan, standings(), roundsRun, settlingRounds);
            if (decided.verdict() == Verdict.UNHEALTHY) {
                detectedAt = time.now();
            }
        }

        /**
         * Runs one round with the given probes and records it.
         *
         * @return whether a probe broke a limit of health, which decides the verification
         */
        private boolean round(List<Tracker> measured) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            int round = ++roundsRun;
            long began = time.nanoTime();
            List<Measurement> results = rounds.run(measured.stream().map(Tracker::spec).toList(), round);
            for (int i = 0; i < results.size(); i++) {
                Measurement m = results.get(i);
                measured.get(i).record(m);
                notifier.meters(meters -> meters.measured(m));
                notifier.listeners(l -> l.measured(m));
            }
            long ended = time.nanoTime();
            schedule.roundEnded(round, ended - began);
            int total = schedule.planned();
            Duration elapsed = Duration.ofNanos(Math.max(0, ended - startNanos));
            notifier.listeners(l -> l.roundFinished(round, total, elapsed));
            Optional<String> unhealthy = VerdictPolicy.unhealthy(standings());
            if (unhealthy.isEmpty()) {
                return false;
            }
            String reason = unhealthy.get();
            if (settlingRounds > 0) {
                reason += " (end-of-bake rule: measured again after the planned rounds because its latest measurement"
                        + " was not a PASS)";
            }
            decided = new Decision(Verdict.UNHEALTHY, reason);
            detectedAt = time.now();
            Duration toDetect = elapsed;
            notifier.meters(meters -> meters.detected(deployment.service(), toDetect));
            return true;
        }

        private List<Tracker> unsettled() {
            List<String> names = VerdictPolicy.toSettle(standings());
            return trackers.stream().filter(t -> names.contains(t.name())).toList();
        }

        private List<Tracker.Standing> standings() {
            return trackers.stream().map(Tracker::standing).toList();
        }

        /** Tells the listeners, rolls back when the verdict calls for it, re-checks, and reports. */
        private VerificationReport act() {
            Verdict verdict = decided.verdict();
            String reason = decided.reason();
            // Listeners are told on their own thread: telling them first never delays the rollback.
            notifier.listeners(l -> l.verdict(deployment, verdict, reason));
            if (verdict == Verdict.UNHEALTHY) {
                rollback = rollbackStep.run(deployment, verdict, reason, registration, executor,
                        () -> notifier.listeners(l -> l.rollbackStarted(deployment)));
                RollbackReport done = rollback;
                notifier.meters(meters -> meters.rolledBack(deployment.service(), done.outcome()));
                notifier.listeners(l -> l.rollbackFinished(deployment, done));
                recheck = recheck();
            }
            return finish(verdict, reason, true);
        }

        /** The measurements of one round after a successful rollback; empty otherwise. */
        private List<Measurement> recheck() {
            if (rollback == null || rollback.outcome() != RollbackOutcome.ROLLED_BACK) {
                return List.of();
            }
            try {
                List<Measurement> measured = rounds.run(probes, 0);
                measured.forEach(m -> notifier.listeners(l -> l.measured(m)));
                return measured;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }

        private VerificationReport finish(Verdict verdict, String reason, boolean bakeEnded) {
            boolean reachedEnd = bakeEnded && verdict != Verdict.UNHEALTHY;
            List<ProbeReport> reports = trackers.stream().map(t -> t.report(reachedEnd ? settledStatus(t) : null)).toList();
            Instant finishedAt = now();
            ScheduleReport scheduled = schedule == null ? ScheduleReport.asPlanned(plan.rounds())
                    : new ScheduleReport(schedule.planned(), schedule.skipped(), settlingRounds, schedule.notes());
            VerificationReport report = new VerificationReport(deployment, plan, verdict, reason, reports,
                    rollback == null ? RollbackReport.notNeeded() : rollback, recheck, roundsRun, startedAt,
                    verdict == Verdict.UNHEALTHY ? detectedAt : null, finishedAt, scheduled);
            Duration took = Duration.ofNanos(Math.max(0, safeNanos() - startNanos));
            notifier.meters(meters -> meters.verified(deployment.service(), verdict, took));
            notifier.listeners(l -> l.finished(report));
            return report;
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
            try {
                return time.now();
            } catch (RuntimeException e) {
                return Instant.now();
            }
        }

        private long safeNanos() {
            try {
                return time.nanoTime();
            } catch (RuntimeException e) {
                return startNanos;
            }
        }
    }

    static String describe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage();
        if (e instanceof VigilException && message != null) {
            return message;
        }
        return e.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
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
