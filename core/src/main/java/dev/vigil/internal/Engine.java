package dev.vigil.internal;

import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.Sleeper;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.VigilException;
import dev.vigil.rollback.RollbackCoordinator;
import dev.vigil.rollback.RollbackPolicy;
import dev.vigil.spi.ProbeContext;
import dev.vigil.spi.RetryableProbeException;
import dev.vigil.spi.RollbackTrigger;
import dev.vigil.spi.VerificationListener;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verification engine behind {@link dev.vigil.DeployVerifier}. Immutable; every call to
 * {@link #verify} runs with its own state and threads.
 */
public final class Engine {

    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    private static final AtomicInteger VERIFICATION_IDS = new AtomicInteger();

    private final List<ProbeSpec> probes;
    private final VerificationPlan plan;
    private final List<RollbackTrigger> triggers;
    private final RollbackPolicy rollbackPolicy;
    private final RollbackCoordinator coordinator;
    private final List<VerificationListener> listeners;
    private final Meters meters;
    private final Clock clock;
    private final Sleeper sleeper;

    /** Creates an engine; called by the verifier's builder, which has validated everything. */
    public Engine(List<ProbeSpec> probes, VerificationPlan plan, List<RollbackTrigger> triggers,
            RollbackPolicy rollbackPolicy, RollbackCoordinator coordinator, List<VerificationListener> listeners,
            MeterRegistry registry, Clock clock, Sleeper sleeper) {
        this.probes = probes;
        this.plan = plan;
        this.triggers = triggers;
        this.rollbackPolicy = rollbackPolicy;
        this.coordinator = coordinator;
        this.listeners = listeners;
        this.meters = new Meters(registry);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Runs one verification; never throws for what probes, triggers or listeners do. */
    public VerificationReport verify(Deployment deployment) {
        return new Run(deployment).execute();
    }

    /** One verification: its trackers, its threads, its state. */
    private final class Run {
        private final Deployment deployment;
        private final ExecutorService executor;
        private final List<Tracker> trackers = new ArrayList<>();
        private final Map<String, Object> state = new ConcurrentHashMap<>();
        /** Which probe each of this verification's threads is measuring right now. */
        private final Map<Thread, String> measuring = new ConcurrentHashMap<>();
        private final String threadPrefix;
        private Instant startedAt;
        private int rounds;
        private RollbackCoordinator.Registration registration;

        Run(Deployment deployment) {
            this.deployment = deployment;
            int id = VERIFICATION_IDS.incrementAndGet();
            this.threadPrefix = "vigil-" + id + "-" + deployment.service();
            this.executor = Executors.newCachedThreadPool(daemonThreads(threadPrefix));
            probes.forEach(p -> trackers.add(new Tracker(p)));
        }

        VerificationReport execute() {
            try {
                startedAt = clock.instant();
                registration = coordinator.register(deployment);
                notify(l -> l.started(deployment, plan));
                return bakeAndDecide();
            } catch (InterruptedException e) {
                return finish(Verdict.ABORTED, "verification aborted: the calling thread was interrupted "
                        + (rounds == 0 ? "before the first round" : "after round " + rounds),
                        RollbackReport.notNeeded(), List.of(), null, false, true);
            } catch (Exception | Error e) {
                // A fault of Vigil itself, or of a clock or sleeper handed to it (checked exceptions
                // included, which a plug-in may throw without declaring them): never a false healthy,
                // never an exception for the caller.
                LOG.error("verification of {} {} failed unexpectedly", deployment.service(), deployment.version(), e);
                if (startedAt == null) {
                    startedAt = now();
                }
                return finish(Verdict.INCONCLUSIVE, "verification failed unexpectedly: " + describe(e),
                        RollbackReport.notNeeded(), List.of(), null, false, false);
            } finally {
                if (registration != null) {
                    registration.close();
                }
                stopThreads();
            }
        }

        private VerificationReport bakeAndDecide() throws InterruptedException {
            Instant firstRound = startedAt.plus(plan.initialDelay());
            sleepUntil(firstRound, plan.initialDelay());
            int total = plan.rounds();
            for (int round = 1; round <= total; round++) {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                List<Measurement> measurements = runRound(round);
                rounds = round;
                List<String> unhealthy = new ArrayList<>();
                List<String> inconclusive = new ArrayList<>();
                for (int i = 0; i < measurements.size(); i++) {
                    Tracker tracker = trackers.get(i);
                    Measurement m = measurements.get(i);
                    switch (tracker.record(m)) {
                        case UNHEALTHY -> unhealthy.add(tracker.brokenLimit());
                        case INCONCLUSIVE -> inconclusive.add(tracker.brokenLimit());
                        case NONE -> { }
                    }
                    meters.measured(m);
                    notify(l -> l.measured(m));
                }
                int finishedRound = round;
                notify(l -> l.roundFinished(finishedRound, total, Duration.between(startedAt, clock.instant())));
                if (!unhealthy.isEmpty()) {
                    return decided(Verdict.UNHEALTHY, joinReasons(unhealthy), clock.instant());
                }
                if (!inconclusive.isEmpty()) {
                    return decided(Verdict.INCONCLUSIVE, joinReasons(inconclusive), clock.instant());
                }
                if (round < total) {
                    sleepUntil(firstRound.plus(plan.interval().multipliedBy(round)), plan.interval());
                }
            }
            List<String> missing = trackers.stream().map(Tracker::missingEvidence).filter(s -> s != null).toList();
            if (missing.isEmpty()) {
                return decided(Verdict.HEALTHY, "all " + trackers.size() + " probes passed within their limits over "
                        + rounds + " rounds (" + Durations.format(plan.duration()) + " bake)", null);
            }
            return decided(Verdict.INCONCLUSIVE, "bake ended without evidence: " + joinReasons(missing), null);
        }

        private VerificationReport decided(Verdict verdict, String reason, Instant detectedAt) throws InterruptedException {
            Verdict finalVerdict = verdict;
            String finalReason = reason;
            if (verdict == Verdict.INCONCLUSIVE) {
                switch (plan.onInconclusive()) {
                    case ROLLBACK -> {
                        finalVerdict = Verdict.UNHEALTHY;
                        finalReason = reason + "; treated as unhealthy because on-inconclusive=rollback";
                    }
                    case PASS -> {
                        finalVerdict = Verdict.HEALTHY;
                        finalReason = reason + "; accepted because on-inconclusive=pass";
                    }
                    case FAIL -> { }
                }
            }
            Verdict v = finalVerdict;
            String r = finalReason;
            notify(l -> l.verdict(deployment, v, r));
            if (v != Verdict.UNHEALTHY) {
                return finish(v, r, RollbackReport.notNeeded(), List.of(), detectedAt, true, false);
            }
            if (detectedAt != null) {
                meters.detected(deployment.service(), Duration.between(startedAt, detectedAt));
            }
            RollbackReport rollback = rollback(v, r);
            meters.rolledBack(deployment.service(), rollback.outcome());
            notify(l -> l.rollbackFinished(deployment, rollback));
            List<Measurement> recheck = List.of();
            if (rollback.outcome() == RollbackOutcome.ROLLED_BACK) {
                try {
                    recheck = runRound(0);
                    recheck.forEach(m -> notify(l -> l.measured(m)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return finish(v, r, rollback, recheck, detectedAt, true, false);
        }

        private VerificationReport finish(Verdict verdict, String reason, RollbackReport rollback,
                List<Measurement> recheck, Instant detectedAt, boolean decided, boolean aborted) {
            boolean bakeFinished = decided && detectedAt == null;
            List<ProbeReport> reports = trackers.stream().map(t -> t.report(bakeFinished)).toList();
            Instant finishedAt = now();
            VerificationReport report = new VerificationReport(deployment, plan, verdict, reason, reports, rollback,
                    recheck, rounds, startedAt, detectedAt, finishedAt);
            meters.verified(deployment.service(), verdict, nonNegative(Duration.between(startedAt, finishedAt)));
            notify(l -> l.finished(report));
            if (aborted) {
                Thread.currentThread().interrupt();
            }
            return report;
        }

        /** Runs every probe concurrently, each within its own timeout; returns one measurement per probe, in order. */
        private List<Measurement> runRound(int round) throws InterruptedException {
            Instant time = clock.instant();
            long start = System.nanoTime();
            List<Future<Measurement>> futures = new ArrayList<>();
            for (ProbeSpec spec : probes) {
                futures.add(executor.submit(() -> measure(spec, round, time)));
            }
            List<Measurement> results = new ArrayList<>();
            try {
                for (int i = 0; i < probes.size(); i++) {
                    ProbeSpec spec = probes.get(i);
                    Future<Measurement> future = futures.get(i);
                    long remaining = spec.limits().timeout().toNanos() - (System.nanoTime() - start);
                    Measurement m;
                    try {
                        m = future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                    } catch (TimeoutException e) {
                        future.cancel(true);
                        m = Measurement.error("timed out after " + Durations.format(spec.limits().timeout()))
                                .completed(spec.name(), round, time, 1, Duration.ofNanos(System.nanoTime() - start));
                    } catch (ExecutionException e) {
                        m = Measurement.error(describe(e.getCause()))
                                .completed(spec.name(), round, time, 1, Duration.ofNanos(System.nanoTime() - start));
                    }
                    results.add(m);
                }
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                throw e;
            }
            return results;
        }

        /** One measurement with retries of retryable failures; never throws. */
        private Measurement measure(ProbeSpec spec, int round, Instant time) {
            measuring.put(Thread.currentThread(), spec.name());
            try {
                return measureNow(spec, round, time);
            } finally {
                measuring.remove(Thread.currentThread());
            }
        }

        private Measurement measureNow(ProbeSpec spec, int round, Instant time) {
            long start = System.nanoTime();
            AtomicInteger attempts = new AtomicInteger();
            RetryConfig config = RetryConfig.custom()
                    .maxAttempts(spec.limits().maxAttempts())
                    .intervalFunction(IntervalFunction.ofExponentialBackoff(atLeastOneMilli(spec.limits().retryBackoff()), 2.0))
                    .retryExceptions(RetryableProbeException.class)
                    .build();
            Retry retry = Retry.of("vigil-probe-" + spec.name(), config);
            Measurement m;
            try {
                m = retry.executeCallable(() -> {
                    int attempt = attempts.incrementAndGet();
                    Measurement taken = spec.probe().measure(new Context(spec, round, time, attempt));
                    if (taken == null) {
                        throw new VigilException("probe returned no measurement");
                    }
                    return taken;
                });
            } catch (RetryableProbeException e) {
                m = Measurement.error(e.getMessage() + (attempts.get() > 1 ? " (after " + attempts.get() + " attempts)" : ""));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                m = Measurement.error("interrupted");
            } catch (Throwable e) {
                m = Measurement.error(describe(e));
            }
            return m.completed(spec.name(), round, time, Math.max(1, attempts.get()), Duration.ofNanos(System.nanoTime() - start));
        }

        private RollbackReport rollback(Verdict verdict, String reason) {
            String description = triggers.stream().map(RollbackTrigger::description).reduce((a, b) -> a + "; " + b).orElse("");
            if (plan.dryRun()) {
                return new RollbackReport(RollbackOutcome.DRY_RUN, description, 0,
                        "dry-run: the rollback trigger did not run", null, null, null);
            }
            Instant started = clock.instant();
            if (triggers.isEmpty()) {
                return new RollbackReport(RollbackOutcome.FAILED, "", 0, "",
                        "no rollback trigger is configured: roll back by hand", started, clock.instant());
            }
            return registration.rollbackOnce(() -> {
                notify(l -> l.rollbackStarted(deployment));
                return new RollbackRunner(deployment, verdict, reason, rollbackPolicy, executor, clock)
                        .run(triggers, description, started);
            });
        }

        private void sleepUntil(Instant target, Duration cap) throws InterruptedException {
            Duration wait = Duration.between(clock.instant(), target);
            if (wait.compareTo(cap) > 0) {
                // The clock went backwards; never wait longer than one step of the plan.
                wait = cap;
            }
            if (!wait.isNegative() && !wait.isZero()) {
                sleeper.sleep(wait);
            }
        }

        private void stopThreads() {
            boolean interrupted = Thread.interrupted();
            executor.shutdownNow();
            try {
                if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                    // Java cannot stop a thread that ignores interruption; it is a daemon thread, so it
                    // never keeps the JVM alive, and the verification has ended without it.
                    List<String> left = measuring.entrySet().stream().filter(e -> e.getKey().isAlive())
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

        /** The verifier's clock; the system clock when that one fails, so that a report can still be made. */
        private Instant now() {
            try {
                return clock.instant();
            } catch (RuntimeException e) {
                return Instant.now();
            }
        }

        private void notify(java.util.function.Consumer<VerificationListener> call) {
            for (VerificationListener listener : listeners) {
                try {
                    call.accept(listener);
                } catch (Exception | Error e) {
                    // Errors too (an assertion in a listener): a listener never changes the verification.
                    LOG.warn("listener {} failed and was ignored: {}", listener.getClass().getName(), describe(e), e);
                }
            }
        }

        /** The context handed to a probe for one attempt. */
        private final class Context implements ProbeContext {
            private final ProbeSpec spec;
            private final int round;
            private final Instant time;
            private final int attempt;

            Context(ProbeSpec spec, int round, Instant time, int attempt) {
                this.spec = spec;
                this.round = round;
                this.time = time;
                this.attempt = attempt;
            }

            @Override
            public Deployment deployment() {
                return deployment;
            }

            @Override
            public String probeName() {
                return spec.name();
            }

            @Override
            public int round() {
                return round;
            }

            @Override
            public Instant time() {
                return time;
            }

            @Override
            public Duration timeout() {
                return spec.limits().timeout();
            }

            @Override
            public int attempt() {
                return attempt;
            }

            @Override
            @SuppressWarnings("unchecked")
            public <T> T state(String key, Supplier<T> initial) {
                return (T) state.computeIfAbsent(spec.name() + "\u0000" + key, k -> initial.get());
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

    private static String joinReasons(List<String> reasons) {
        return reasons.size() == 1 ? reasons.get(0) : String.join("; ", reasons);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
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
