package dev.vigil;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies a deployment right after it happened and rolls it back when it is unhealthy.
 *
 * <pre>{@code
 * VerificationReport report;
 * try (DeployVerifier verifier = DeployVerifier.builder()
 *         .probe("health", healthProbe, ProbeLimits.defaults().withMaxFailures(1))
 *         .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(5)))
 *         // a named revision: a bare "rollout undo" run twice undoes itself
 *         .rollback(RollbackTriggers.shell("kubectl rollout undo deployment/checkout --to-revision=41", Duration.ofMinutes(2)))
 *         .build()) {
 *     report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe: one verifier may verify several deployments, one after another or
 * at the same time; each call keeps its own state and its own threads.
 *
 * <p>Probes may keep connections and I/O threads from one round to the next (an HTTP fleet probe
 * keeps one client for the whole verification): {@link #close()} the verifier when it is no
 * longer needed, with try-with-resources. A verifier that is used again after {@code close()}
 * still works; its probes open what they need again.
 */
public final class DeployVerifier implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeployVerifier.class);

    /** How long a verification waits at its end for its listeners by default: 30 seconds. */
    public static final Duration DEFAULT_LISTENER_TIMEOUT = Duration.ofSeconds(30);

    /** How long {@link #close()} waits for each probe's {@link Probe#close()}: 5 seconds. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final Engine engine;
    private final List<ProbeSpec> probes;
    /** The probes of the bake and the watch: all but those measured in the re-check only. */
    private final List<ProbeSpec> baked;
    private final RegressionGuard guard;
    private final VerificationPlan plan;
    private final WatchPlan watchPlan;
    /** What other processes started, as the start log records it ({@link Builder#startLog}). */
    private final Elsewhere elsewhere;
    private final java.util.Set<Watch> watches = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How many times {@link #close()} was called: a close during a bake keeps its watch from starting. */
    private final java.util.concurrent.atomic.AtomicLong closes = new java.util.concurrent.atomic.AtomicLong();
    /**
     * The watches running in this JVM, by service and environment: a new verification of the same
     * service in the same environment stops them, so that the watch of an older version never
     * measures (and rolls back) the newer one.
     */
    private static final java.util.Map<String, java.util.Set<Watch>> RUNNING = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The latest verification started in this JVM, by service and environment: a bake overtaken by a
     * newer one does not start its watch, which would measure (and could roll back) the newer version.
     * Guarded, with the starting of watches into {@link #RUNNING}, by {@code RUNNING}'s monitor.
     */
    private static final java.util.Map<String, Started> LATEST = new java.util.HashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong STARTS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A verification (or rehearsal) that started: its place in the order of starts, its version,
     * what it is ({@code the verification of}, {@code the rollback rehearsal of}), and, for a
     * rehearsal, the version it rolls back to ({@code null} for a verification).
     */
    private record Started(long sequence, String version, String what, String rollsBackTo) {
    }

    private DeployVerifier(Builder builder) {
        this.probes = List.copyOf(builder.probes.values());
        this.baked = probes.stream().filter(p -> builder.recheck.baked(p.name())).toList();
        this.plan = builder.plan;
        this.watchPlan = builder.watch;
        this.elsewhere = Elsewhere.of(builder.startLog, builder.time);
        this.guard = new RegressionGuard(builder.pastConfirmations, builder.requirePastConfirmations);
        this.engine = new Engine(probes, builder.plan, List.copyOf(builder.triggers), builder.rollbackPolicy,
                builder.coordinator, List.copyOf(builder.listeners), builder.registry, builder.time, builder.listenerTimeout,
                builder.recheck, guard);
    }

    /**
     * A builder with the defaults: no probes, {@link VerificationPlan#defaults()}, no rollback
     * trigger, {@link RollbackPolicy#defaults()}, {@link RecheckPlan#defaults()}, the JVM-wide
     * rollback coordinator, system time, no listeners, no metrics.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a deployment: waits the initial delay, measures every interval until the bake time
     * ends or a probe breaks a limit, measures again the probes whose latest measurement is not a
     * {@code PASS} (the end-of-bake rule: {@code HEALTHY} needs every probe passing at the end),
     * rolls back when the verdict calls for it, re-checks the previous version after a successful
     * rollback ({@link Builder#recheck}), and returns what happened. Rounds follow a monotonic clock; see {@link TimeSource}.
     *
     * <p>Rounds whose time passed while a round overran or the host was suspended are skipped,
     * never run back to back. A bake that skipped more than a tenth of its planned rounds did not
     * watch: it does not end {@link Verdict#HEALTHY} on the few rounds it measured, but
     * inconclusive, with a reason that says how many rounds were skipped and why, and the plan's
     * {@code on-inconclusive} applies as to any inconclusive end; a limit broken in the rounds
     * measured is {@link Verdict#UNHEALTHY} as always.
     *
     * <p>Never throws for anything a probe, a trigger or a listener does: those become
     * {@code ERROR} measurements, a {@code FAILED} rollback, or a log line. Interrupting the calling
     * thread ends the verification promptly with {@link Verdict#ABORTED}, no rollback, and the
     * interrupt flag set again. Interrupting it while a rollback attempt runs lets that attempt
     * finish within the policy's {@link RollbackPolicy#interruptGrace()} (none unless set): its own
     * result is reported, and no retry, trigger or re-check starts after it. Past the grace it
     * interrupts the trigger (a command's process is stopped) and ends with a {@code FAILED} rollback
     * whose error says how long it ran, that how far it got is unknown and to check by hand which
     * version runs.
     *
     * <p>A verification of another version of the same service in the same environment (set on
     * both) that starts in this JVM during the bake (the pipeline deployed again) ends this bake before its next round
     * with {@link Verdict#INCONCLUSIVE} ("superseded by the verification of ..."): its rounds would
     * measure the newer version. Nor does a bake that found its version unhealthy roll back once a
     * newer one has started: the rollback would undo the newer deployment, which its own
     * verification judges.
     *
     * @param deployment what was deployed
     * @return the report; never {@code null}
     * @throws NullPointerException when {@code deployment} is {@code null}
     * @throws IllegalStateException when called from inside a {@link RollbackTrigger#execute} (of any
     *     verifier): the nested verification would wait for the rollback that runs it, or roll back again;
     *     or from a {@link VerificationListener}'s callback of a verification of the same service in the
     *     same environment, which would start a chain of verifications, each rolling back on its own
     */
    public VerificationReport verifyAfterDeploy(Deployment deployment) {
        return bake(deployment, "verifyAfterDeploy").report();
    }

    /**
     * A bake's report, its place in the order of verifications of its service and environment, and
     * its start as the start log records it ({@code null} without one).
     */
    private record Baked(VerificationReport report, Started started, StartLog.Start logged) {
    }

    /** The bake of {@code deployment}, refused as the method the caller called ({@code call}) from a trigger or listener. */
    private Baked bake(Deployment deployment, String call) {
        Objects.requireNonNull(deployment, "deployment");
        RollbackRunner.refuseInsideTrigger(call);
        Notifier.refuseInsideListener(call, deployment);
        Started started = supersede(deployment, plan.dryRun());
        List<Confirmer> confirmers = new ArrayList<>();
        List<String> problems = confirmationProblems(deployment, confirmers);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        // A dry-run rolls nothing back, but what it verifies may be a new deployment: recorded as one, so that a
        // watch of another version in another process stops as one in this JVM does (StartLog.Kind.DRY_RUN).
        StartLog.Start logged = elsewhere.record(deployment, plan.dryRun() ? StartLog.Kind.DRY_RUN : StartLog.Kind.VERIFICATION);
        // Before each round, the verifications of this JVM; before a rollback, the start log's too.
        return new Baked(engine.verify(deployment, confirmers, deciding -> overtaken(deployment, started)
                .or(() -> deciding ? elsewhere.overtookBake(logged) : java.util.Optional.empty()), call), started, logged);
    }

    /**
     * What took this bake's place, in words that follow "superseded by": a verification of another
     * version of the same service in the same environment, started in this JVM after
     * {@code started}; empty while none did. A verification
     * of the same version again does not (concurrent verifications of one deployment roll back
     * together, see {@link RollbackCoordinator}), and without an environment nothing overtakes:
     * two regions left unnamed are not one place.
     */
    private static java.util.Optional<String> overtaken(Deployment deployment, Started started) {
        if (StartLog.Start.environment(deployment) == null) {
            return java.util.Optional.empty();
        }
        Started latest;
        synchronized (RUNNING) {
            latest = LATEST.get(key(deployment));
        }
        // The same version verified again is still what the bake measures; rolled back by a
        // rehearsal, it is not.
        if (latest == null || latest.sequence() == started.sequence()
                || latest.version().equals(deployment.version()) && latest.rollsBackTo() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(supersededBy(latest, deployment));
    }

    /** Why a watch of a superseded bake does not start. */
    private static String wouldMeasure(Deployment deployment) {
        return "a watch of " + deployment.version() + " would measure it";
    }

    /** What took the bake of {@code deployment}'s place: {@code latest}, which started during it. */
    private static String supersededBy(Started latest, Deployment deployment) {
        return latest.what() + " " + deployment.service() + " " + latest.version() + ", which started during the bake" + (latest.rollsBackTo() == null ? "" : " and rolls it back to " + latest.rollsBackTo());
    }

    /**
     * Verifies a deployment exactly as {@link #verifyAfterDeploy} does, then, when the bake is
     * {@link Verdict#HEALTHY} and a {@link WatchPlan} is set ({@link Builder#watch}), goes on
     * watching it on a thread of its own: the same probes (less those left out) and limits, counted
     * afresh, one round every watch interval for the watch's duration. A probe that breaks a limit
     * during the watch makes it {@link Verdict#UNHEALTHY}: the rollback runs (and the re-check), or,
     * with {@link WatchPlan.Action#NOTIFY}, listeners and the report say so and nothing is rolled
     * back ({@link RollbackOutcome#NOTIFIED}). Listeners get every event of the watch
     * ({@link VerificationListener#watchStarted}); its report has {@link VerificationReport.Phase#WATCH}.
     *
     * <p>Returns when the bake is over, with the bake's report and a handle on the watch; the
     * watch never throws and ends {@link Verdict#ABORTED} when {@link Watch#close()} stops it. A
     * watch that skipped more than a tenth of its rounds (a suspended host) ends
     * {@link Verdict#INCONCLUSIVE}, never healthy. {@link #close()} stops the watches of this
     * verifier before it closes the probes, and a {@code close()} during the bake keeps the watch
     * from starting. A new verification of the same service in the same environment, by any verifier
     * of this JVM, stops the watch ("superseded"), so that it never measures the newer version; one
     * that starts while this bake still runs keeps this watch from starting.
     *
     * @param deployment what was deployed
     * @return the bake's report and the watch; never {@code null}
     * @throws NullPointerException when {@code deployment} is {@code null}
     * @throws IllegalArgumentException as {@link #verifyAfterDeploy} does
     * @throws IllegalStateException as {@link #verifyAfterDeploy} does
     */
    public Watch verifyThenWatch(Deployment deployment) {
        long closed = closes.get();
        Baked baked = bake(deployment, "verifyThenWatch");
        VerificationReport bake = baked.report();
        if (!watchPlan.enabled()) {
            return Watch.notStarted(bake, "no watch is configured (vigil.plan.watch)");
        }
        if (bake.verdict() != Verdict.HEALTHY) {
            return Watch.notStarted(bake, overtaken(deployment, baked.started())
                    .map(by -> Engine.SUPERSEDED_BY + by + ": " + wouldMeasure(deployment))
                    .orElse("the bake ended " + bake.verdict() + ": only a healthy deployment is watched"));
        }
        if (Thread.currentThread().isInterrupted()) {
            return Watch.notStarted(bake, "the calling thread was interrupted");
        }
        // Read outside the locks: another process's verification that started during the bake.
        java.util.Optional<String> elsewhereStarted = elsewhere.overtookWatch(baked.logged());
        if (elsewhereStarted.isPresent()) {
            return Watch.notStarted(bake, Engine.SUPERSEDED_BY + elsewhereStarted.get() + ": " + wouldMeasure(deployment));
        }
        synchronized (watches) {
            if (closes.get() != closed) {
                return Watch.notStarted(bake, "the verifier was closed during the bake");
            }
            synchronized (RUNNING) {
                // Checked and started under the lock a newer verification's supersede() takes: either
                // that one sees this watch and stops it, or this one sees that one and does not start.
                Started latest = LATEST.get(key(deployment));
                if (latest != null && latest.sequence() != baked.started().sequence()) {
                    return Watch.notStarted(bake, Engine.SUPERSEDED_BY + supersededBy(latest, deployment) + ": " + wouldMeasure(deployment));
                }
                Engine.Overtaken otherProcesses = elsewhere.forWatch(baked.logged());
                Watch watch = Watch.start(bake, stop -> engine.watch(deployment, watchPlan, stop, otherProcesses),
                        "vigil-watch-" + deployment.service());
                watches.removeIf(w -> !w.running());
                watches.add(watch);
                java.util.Set<Watch> same = RUNNING.computeIfAbsent(key(deployment), k -> java.util.concurrent.ConcurrentHashMap.newKeySet());
                same.removeIf(w -> !w.running());
                same.add(watch);
                return watch;
            }
        }
    }

    /**
     * Stops the watches running in this JVM of the same service in the same environment (of any
     * verifier): a new deployment supersedes them. A watch acting on a decision (rolling back) is
     * waited for, so that the new bake never runs beside an old rollback. A bake of the same service
     * and environment still running does not start its watch afterwards ({@link #verifyThenWatch}),
     * and, if it is of another version, ends before its next round without rolling back
     * ({@link #verifyAfterDeploy}).
     *
     * @return this verification's place in the order of verifications of its service and environment
     */
    private static Started supersede(Deployment deployment, boolean dryRun) {
        String what = dryRun ? "the dry-run verification of" : "the verification of";
        return supersede(deployment, Engine.SUPERSEDED_BY + what + " " + deployment.service() + " " + deployment.version(),
                "is being verified", what, null, dryRun);
    }

    /**
     * {@link #supersede(Deployment, boolean)} for whatever is about to change what runs: {@code reason} is
     * the stopped watches' reason, {@code doing} what the log says is happening, {@code rollsBackTo}
     * the version a rehearsal returns to ({@code null} for a verification), which overtakes a bake of
     * the same version too.
     */
    private static Started supersede(Deployment deployment, String reason, String doing, String what, String rollsBackTo) {
        return supersede(deployment, reason, doing, what, rollsBackTo, false);
    }

    /**
     * {@link #supersede(Deployment, String, String, String, String)}; a {@code dryRun} leaves the
     * watches of its own version running: it checks what runs and changes nothing, as the start
     * log's {@link StartLog.Kind#DRY_RUN} does in other processes.
     */
    private static Started supersede(Deployment deployment, String reason, String doing, String what, String rollsBackTo,
            boolean dryRun) {
        Started started = new Started(STARTS.incrementAndGet(), deployment.version(), what, rollsBackTo);
        List<Watch> running;
        synchronized (RUNNING) {
            LATEST.put(key(deployment), started);
            java.util.Set<Watch> same = RUNNING.get(key(deployment));
            running = same == null ? List.of() : List.copyOf(same);
        }
        java.util.Set<Watch> same = RUNNING.get(key(deployment));
        for (Watch watch : running) {
            if (dryRun && watch.bake().deployment().version().equals(deployment.version())) {
                continue;
            }
            if (watch.running()) {
                LOG.info("the watch of {} {} is stopped: {} {} {}", deployment.service(),
                        watch.bake().deployment().version(), deployment.service(), deployment.version(), doing);
                watch.stop(reason, what + " " + deployment.service() + " " + deployment.version());
            }
            same.remove(watch);
        }
        return started;
    }

    private static String key(Deployment deployment) {
        // No environment and a blank one are one place, as in the start log (StartLog.Start#samePlace).
        return deployment.service() + "\u0000" + Objects.toString(StartLog.Start.environment(deployment), "");
    }

    /**
     * The watch after the bake that {@link #verifyThenWatch} runs.
     *
     * @return the watch plan; {@link WatchPlan#off()} unless one was set
     */
    public WatchPlan watchPlan() {
        return watchPlan;
    }

    /**
     * What keeps this verifier from verifying a deployment, found before anything is measured: a
     * hotfix that lists no fix, and each fix (of a hotfix or a release) that no probe confirms
     * ({@link Confirmation#missing}). A probe confirms a fix when it was added with
     * {@link Builder#confirms} for it, or when its {@link Probe#confirmationTests} for it are not
     * empty. A hotfix gets the same verification as a release in every other respect. With a
     * {@link Builder#regressionGuard required regression guard}, also each earlier confirmation test
     * that only a probe measured in the {@link RecheckPlan#only() re-check only} holds: the bake
     * cannot run it again, so every verification would end unhealthy (the earlier confirmations are
     * read for it).
     *
     * @param deployment what is about to be verified
     * @return the problems, one sentence each; empty when it may be verified
     */
    public List<String> confirmationProblems(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        return confirmationProblems(deployment, new ArrayList<>());
    }

    private List<String> confirmationProblems(Deployment deployment, List<Confirmer> found) {
        List<String> problems = new ArrayList<>();
        if (deployment.kind() == Deployment.Kind.HOTFIX && deployment.fixes().isEmpty()) {
            problems.add("hotfix " + deployment.service() + " " + deployment.version()
                    + " lists no fix: name the issues it fixes (vigil.deployment.fixes, --fixes)");
        }
        for (String issue : new java.util.LinkedHashSet<>(deployment.fixes())) {
            Map<String, String> unsearched = new LinkedHashMap<>();
            List<Confirmer> confirmers = Confirmer.find(issue, baked, unsearched);
            if (confirmers.isEmpty()) {
                probes.stream().filter(p -> !baked.contains(p) && !Confirmer.find(issue, List.of(p)).isEmpty())
                        .forEach(p -> unsearched.put(p.name(), "its tests tagged " + issue + " are measured in the re-check"
                                + " only, after a rollback, so they cannot confirm it"));
                problems.add(Confirmation.missing(deployment.kind(), deployment.service(), deployment.version(), issue, unsearched));
            }
            found.addAll(confirmers);
        }
        if (guard.required() && baked.size() < probes.size()) {
            // Its tests moved into a suite the bake leaves out would make every verification unhealthy
            // as "removed from the regression suite?": a configuration problem, named before anything runs.
            List<ProbeSpec> only = probes.stream().filter(p -> !baked.contains(p)).toList();
            RegressionGuard.outOfTheBake(guard.past(deployment), deployment, only).forEach(c -> problems.add(
                    "regression guard: " + c.explanation() + ", or every verification is UNHEALTHY"
                            + " (vigil.regressions.require-past-confirmations=true)"));
        }
        return problems;
    }

    /**
     * Rehearses the rollback: runs the configured rollback trigger for this deployment on purpose,
     * outside an emergency, then the re-check of the version it returned to (the configured
     * {@link Builder#recheck re-check}, or the default one when it is off). A procedure that only
     * runs in emergencies goes stale; a rehearsal in staging proves it still works.
     *
     * <p>Never runs in production: the deployment must name an environment, and one that looks
     * like production (a word of its name, camelCase split too, holds {@code prod} or {@code prd}
     * or is or ends with {@code live}, in any case: {@code prod-eu}, {@code eu-prod},
     * {@code prodeu}, {@code euProd}, {@code golive}; {@code pre-prod}, {@code preprod},
     * {@code non-prod} and {@code nonprod} may rehearse) is refused. Never throws for what a trigger
     * or a probe does.
     *
     * <p>Like a new verification, it stops the watches of the same service in the same environment
     * running in this JVM (they would measure the version it returns to) and keeps a bake of it
     * still running from starting its watch; such a bake, of this version too, ends before its next
     * round with {@link Verdict#INCONCLUSIVE} ("superseded by the rollback rehearsal of ..."), since
     * its rounds would measure the version rolled back to.
     *
     * <p>It never runs beside a rollback of the same deployment with the same triggers through this
     * verifier's {@link RollbackCoordinator}, as two rollbacks at once undo each other: while a
     * verification rolls it back, it starts nothing and returns {@code ABORTED} naming that one; a
     * verification that calls for a rollback while the rehearsal's runs gets the rehearsal's instead.
     *
     * <p>Called on an interrupted thread, it starts nothing and returns {@code ABORTED}. An interrupt
     * while the rollback runs lets the attempt under way finish within the policy's
     * {@link RollbackPolicy#interruptGrace()} and cuts the re-check ({@code FAILED}, the previous version
     * not shown healthy); past the grace it ends the attempt as a {@code FAILED} rollback, with the
     * report saying so: a rollback cut short is for a person to look at.
     *
     * @param deployment the deployment whose rollback is rehearsed, with its environment
     * @return {@code REHEARSED} when the rollback ran and the previous version came back healthy,
     *     {@code ABORTED} when the calling thread was interrupted before the rollback started, or a
     *     verification was rolling the deployment back,
     *     else {@code FAILED} with why
     * @throws IllegalArgumentException when the environment is missing or looks like production,
     *     or when the plan is a dry-run
     * @throws NullPointerException when {@code deployment} is {@code null}
     * @throws IllegalStateException when called from inside a {@link RollbackTrigger#execute}, or from
     *     a {@link VerificationListener}'s callback of a verification of the same service in the same
     *     environment
     */
    public RehearsalReport rehearseRollback(Deployment deployment) {
        Objects.requireNonNull(deployment, "deployment");
        RollbackRunner.refuseInsideTrigger("rehearseRollback");
        Notifier.refuseInsideListener("rehearseRollback", deployment);
        String refused = refusesRehearsal(deployment, plan);
        if (refused != null) {
            throw new IllegalArgumentException(refused);
        }
        if (Thread.currentThread().isInterrupted()) {
            // A signal or a cancelled job before the rollback started: starting it now would be
            // the one thing the caller no longer wants.
            return engine.rehearsalAborted(deployment);
        }
        // The rehearsal changes what runs there: a watch of the service in that environment would
        // measure the version rolled back to, and could roll back again.
        supersede(deployment, "stopped by the rollback rehearsal of " + deployment.service() + " " + deployment.version(),
                "has its rollback rehearsed", "the rollback rehearsal of",
                deployment.previousVersion() == null ? "the previous version" : deployment.previousVersion());
        elsewhere.record(deployment, StartLog.Kind.REHEARSAL);
        return engine.rehearse(deployment);
    }

    /**
     * Why a rehearsal of this deployment under this plan is refused, or {@code null} when it may
     * run; see {@link #rehearseRollback}. Lets a caller (the command line) refuse before it
     * builds anything.
     *
     * @param deployment the deployment to rehearse
     * @param plan the plan it would run under; not {@code null}
     * @return one sentence saying why it is refused and what to do, or {@code null} when it may run
     * @throws NullPointerException when {@code deployment} is {@code null}
     */
    public static String refusesRehearsal(Deployment deployment, VerificationPlan plan) {
        String environment = deployment.environment();
        if (environment == null || environment.isBlank()) {
            return "a rollback rehearsal needs the deployment's environment (staging, test, ...): "
                    + "it never runs where the environment is unknown";
        }
        if (looksLikeProduction(environment)) {
            return "a rollback rehearsal never runs in production, and environment '" + environment
                    + "' looks like it; rehearse in staging";
        }
        if (plan.dryRun()) {
            return "a rollback rehearsal runs the rollback; it cannot be a dry-run";
        }
        return null;
    }

    /**
     * Whether an environment's name looks like production: a word of it (whatever separates the
     * words, camelCase too: {@code eu-prod}, {@code prod_eu}, {@code euProd}, {@code prodUsEast1})
     * holds {@code prod} or {@code prd} anywhere ({@code prodeu}, {@code produktion}), or is
     * {@code live} or ends with it ({@code golive}, {@code prodlive}), a digit allowed after it;
     * {@code pre-prod}, {@code preprod}, {@code non-prod} and {@code nonprod} do not. Where in doubt
     * it says production: a rehearsal refused in staging is renamed, one run in production rolls it
     * back.
     */
    static boolean looksLikeProduction(String environment) {
        String split = environment.trim().replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        String[] words = split.split("[^a-z0-9]+");
        for (int i = 0; i < words.length; i++) {
            boolean negated = i > 0 && (words[i - 1].equals("pre") || words[i - 1].equals("non"));
            String word = words[i].replaceAll("(pre|non)(prod|prd)", "");
            boolean prod = !negated && (word.contains("prod") || word.contains("prd"))
                    || negated && word.replaceFirst("^(prod|prd)", "").matches(".*(prod|prd).*");
            if (prod || word.matches("([a-z]*live)\\d*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The plan this verifier follows.
     *
     * @return the plan given to the builder
     */
    public VerificationPlan plan() {
        return plan;
    }

    /**
     * The names of the probes, in the order they run in reports (the order they were added).
     *
     * @return an unmodifiable list; never empty
     */
    public List<String> probeNames() {
        return probes.stream().map(ProbeSpec::name).toList();
    }

    /**
     * Stops the watches still running ({@link Watch#close()}), then closes every probe this
     * verifier was built with ({@link Probe#close()}), each once per call,
     * so that their connections and I/O threads end. Idempotent; never throws: a probe that fails
     * to close (whatever it throws, an {@code Error} too) is logged at warn level, without its
     * message (which might quote a server), and the probes after it are closed all the same.
     *
     * <p>Never hangs: each probe closes on a daemon thread of its own, waited for 5 seconds at
     * most; a probe still closing after that is named in a warning and left on its thread, which
     * never keeps the JVM alive. An interrupt of the calling thread stops the waiting (the other
     * probes are still told to close) and is kept in its interrupt flag.
     */
    @Override
    public void close() {
        List<Watch> running;
        synchronized (watches) {
            closes.incrementAndGet();
            running = List.copyOf(watches);
        }
        for (Watch watch : running) {
            watch.close();
        }
        boolean interrupted = false;
        for (ProbeSpec spec : probes) {
            Thread closing = new Thread(() -> {
                try {
                    spec.probe().close();
                } catch (Exception | Error e) {
                    // Errors and undeclared checked exceptions too: the probes after this one still close.
                    LOG.warn("probe '{}' failed to close: {}", spec.name(), e.getClass().getSimpleName());
                }
            }, "vigil-close-" + spec.name());
            // A probe whose close() never returns must not keep the pipeline's JVM alive, nor its caller waiting.
            closing.setDaemon(true);
            closing.start();
            if (!interrupted) {
                try {
                    closing.join(CLOSE_WAIT.toMillis());
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (closing.isAlive()) {
                LOG.warn("probe '{}' did not close within {}; left closing on daemon thread {}", spec.name(),
                        Durations.format(CLOSE_WAIT), closing.getName());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "DeployVerifier"
                + probes.stream().map(p -> p.name() + "=" + Tracker.safely(p.probe()::description, "description")).toList()
                + " plan=" + plan;
    }

    /** Builds a {@link DeployVerifier}. Not thread-safe; {@link #build()} may be called more than once. */
    public static final class Builder {
        private final Map<String, ProbeSpec> probes = new LinkedHashMap<>();
        private final List<RollbackTrigger> triggers = new ArrayList<>();
        private final List<VerificationListener> listeners = new ArrayList<>();
        private VerificationPlan plan = VerificationPlan.defaults();
        private WatchPlan watch = WatchPlan.off();
        private RollbackPolicy rollbackPolicy = RollbackPolicy.defaults();
        private RollbackCoordinator coordinator = RollbackCoordinator.jvmWide();
        private MeterRegistry registry;
        private TimeSource time = TimeSource.system();
        private Duration listenerTimeout = DEFAULT_LISTENER_TIMEOUT;
        private RecheckPlan recheck = RecheckPlan.defaults();
        private PastConfirmations pastConfirmations;
        private boolean requirePastConfirmations;
        private StartLog startLog;

        private Builder() {
        }

        /**
         * Turns on the regression guard: a test that confirmed an earlier fix of the service must
         * still run and pass in every later verification. After the bake, each such test is looked
         * for in the latest run of every probe; one that did not run ({@code INC-123's confirmation
         * test `CheckoutSmokeTest#couponsApplyOnce` did not run: removed from the regression suite?}),
         * was skipped or failed is reported among the {@link VerificationReport#confirmations()}
         * (with {@link Confirmation#regression()} set) and, when {@code required}, makes the
         * verification {@link Verdict#UNHEALTHY} instead of {@code HEALTHY}. Off by default.
         *
         * @param past where the earlier confirmations come from (the release history)
         * @param required {@code vigil.regressions.require-past-confirmations}
         * @return this builder
         */
        public Builder regressionGuard(PastConfirmations past, boolean required) {
            this.pastConfirmations = Objects.requireNonNull(past, "past");
            this.requirePastConfirmations = required;
            return this;
        }

        /**
         * Shares this verifier's starts with the verifiers of other processes, through a log they
         * all read and write (the release history: {@code HistoryRecorder#startLog}), so that a
         * watch or a bake never rolls back the newer version another process deployed. Within one
         * JVM the verifiers see each other without it. With a log:
         * <ul>
         *   <li>every bake and rollback rehearsal records its start there (on a thread of its own:
         *       the bake does not wait for it), except a dry-run's, which changes nothing that runs;</li>
         *   <li>a bake that found its deployment unhealthy does not roll back when a verification of
         *       another version of the service in its (named) environment, or a rehearsal there,
         *       started since the bake did: it ends {@link Verdict#INCONCLUSIVE}, "...; not rolled
         *       back: superseded by the verification of checkout 2.4.2, which started during the
         *       bake (started 2026-12-02T10:31:05Z, as the release history records), and a rollback
         *       now would undo it";</li>
         *   <li>a healthy bake does not start its watch when any verification or rehearsal of the
         *       service in its environment started since it did;</li>
         *   <li>a watch reads the log between its rounds (at most every 10 seconds) and before it
         *       acts: one that finds a newer start is stopped as {@link Watch#close()} stops it
         *       ({@link Verdict#ABORTED}, "superseded by ..."), and one whose rounds had just
         *       decided does not roll back ({@link Verdict#INCONCLUSIVE}, "not rolled back: the
         *       watch was stopped (superseded by ...) before it acted on this").</li>
         * </ul>
         * Starts are compared by their time: the clocks of the machines that share the log must
         * agree to within less than a bake. A read waits for the log at most 10 seconds; a log
         * that fails or does not answer is logged, and the verifier goes on as without it (a bad
         * release is still rolled back). None by default.
         *
         * @param log the shared log of starts
         * @return this builder
         */
        public Builder startLog(StartLog log) {
            this.startLog = Objects.requireNonNull(log, "log");
            return this;
        }

        /**
         * Adds a probe with the default limits and measurement policy.
         *
         * @param name a unique name: letters, digits, {@code -}, {@code _} and {@code .}
         * @param probe the probe, with its condition
         * @return this builder
         * @throws IllegalArgumentException when the name is invalid or already taken
         * @throws NullPointerException when an argument is {@code null}
         */
        public Builder probe(String name, Probe probe) {
            return probe(name, probe, ProbeLimits.defaults(), MeasurementPolicy.defaults());
        }

        /**
         * Adds a probe with the default measurement policy.
         *
         * @param name a unique name: letters, digits, {@code -}, {@code _} and {@code .}
         * @param probe the probe, with its condition
         * @param limits how much bad news it may give
         * @return this builder
         * @throws IllegalArgumentException when the name is invalid or already taken
         * @throws NullPointerException when an argument is {@code null}
         */
        public Builder probe(String name, Probe probe, ProbeLimits limits) {
            return probe(name, probe, limits, MeasurementPolicy.defaults());
        }

        /**
         * Adds a probe.
         *
         * @param name a unique name: letters, digits, {@code -}, {@code _} and {@code .}
         * @param probe the probe, with its condition
         * @param limits how much bad news it may give
         * @param measurement how each measurement is attempted: timeout, retries. A timeout longer
         *     than the plan's interval lets one slow round run into the next, whose turn is then skipped.
         * @return this builder
         * @throws IllegalArgumentException when the name is invalid or already taken
         * @throws NullPointerException when an argument is {@code null}
         */
        public Builder probe(String name, Probe probe, ProbeLimits limits, MeasurementPolicy measurement) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(measurement, "measurement");
            if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                throw new IllegalArgumentException("probe name '" + name
                        + "' is invalid: use letters, digits, '-', '_' and '.', starting with a letter or digit");
            }
            if (probes.containsKey(name)) {
                throw new IllegalArgumentException("probe '" + name + "' is already defined");
            }
            probes.put(name, new ProbeSpec(name, probe, limits, measurement, List.of()));
            return this;
        }

        /**
         * Declares that a probe added before confirms fixes as a whole: its passing at the end of
         * the bake is the proof that those issues are fixed ({@code vigil.probes.<name>.confirms}).
         * A JUnit probe needs no declaration for tests tagged with the issue id.
         *
         * @param probeName the name of a probe already added
         * @param issues the issue ids it confirms
         * @return this builder
         * @throws IllegalArgumentException when no probe of that name was added, an issue id is
         *     blank or {@code null}, or the probe passes without evidence
         *     ({@link Probe#passesWithoutEvidence()}: a Prometheus probe with {@code on-no-data=pass}),
         *     which would confirm a fix while it measures nothing
         * @throws NullPointerException when {@code probeName} or the array {@code issues} is {@code null}
         */
        public Builder confirms(String probeName, String... issues) {
            Objects.requireNonNull(probeName, "probeName");
            Objects.requireNonNull(issues, () -> "probe '" + probeName + "': issues (the issue ids it confirms) must not be a null array");
            ProbeSpec spec = probes.get(probeName);
            if (spec == null) {
                throw new IllegalArgumentException("no probe '" + probeName + "' to confirm with; add it first");
            }
            List<String> all = new ArrayList<>(spec.confirms());
            for (String issue : issues) {
                if (issue == null || issue.isBlank()) {
                    throw new IllegalArgumentException("probe '" + probeName + "': an issue id to confirm must not be blank");
                }
                if (!all.contains(issue.trim())) {
                    all.add(issue.trim());
                }
            }
            String refused = Confirmation.refusal(spec.probe(), all);
            if (refused != null) {
                throw new IllegalArgumentException("probe '" + probeName + "' " + refused);
            }
            probes.put(probeName, spec.withConfirms(all));
            return this;
        }

        /**
         * Sets the plan: when to measure, for how long, what an inconclusive end means, whether it
         * is a dry-run. Default {@link VerificationPlan#defaults()}.
         *
         * @param value the plan
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         * @throws IllegalArgumentException when its interval is longer than its duration: the bake
         *     would measure once and judge the deployment on that one round; or when it plans more
         *     than {@link VerificationPlan#MAX_ROUNDS} rounds (a 1 ns interval over 100 years)
         */
        public Builder plan(VerificationPlan value) {
            Objects.requireNonNull(value, "plan");
            if (value.interval().compareTo(value.duration()) > 0) {
                throw new IllegalArgumentException("the plan's interval (" + Durations.format(value.interval())
                        + ") is longer than its duration (" + Durations.format(value.duration())
                        + "): the bake would measure once, at its start, and judge the deployment on that one round;"
                        + " lower the interval or raise the duration");
            }
            if (value.rounds() > VerificationPlan.MAX_ROUNDS) {
                throw new IllegalArgumentException("the plan's interval (" + value.interval() + ") over its duration ("
                        + value.duration() + ") makes " + (value.rounds() == Integer.MAX_VALUE ? "2147483647 or more" : value.rounds())
                        + " rounds, more than the " + VerificationPlan.MAX_ROUNDS + " a bake may have (VerificationPlan.MAX_ROUNDS):"
                        + " raise the interval or shorten the duration");
            }
            this.plan = value;
            return this;
        }

        /**
         * Sets the watch after a healthy bake that {@link DeployVerifier#verifyThenWatch} runs
         * ({@link DeployVerifier#verifyAfterDeploy} never watches). Default {@link WatchPlan#off()}.
         *
         * @param value the watch plan
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         * @throws IllegalArgumentException when the watch is on and its interval is longer than its
         *     duration: it would measure once, one interval after the bake
         */
        public Builder watch(WatchPlan value) {
            Objects.requireNonNull(value, "watch");
            if (value.enabled() && value.interval().compareTo(value.duration()) > 0) {
                throw new IllegalArgumentException("the watch's interval (" + Durations.format(value.interval())
                        + ") is longer than its duration (" + Durations.format(value.duration()) + "): the watch would"
                        + " measure once, one interval after the bake, and watch longer than asked; lower the interval"
                        + " or raise the duration");
            }
            this.watch = value;
            return this;
        }

        /**
         * Adds a rollback trigger. Several run one after the other in the order added, all with
         * one rollback id, each with its own attempts (retried only where that is safe, see
         * {@link RollbackTrigger}). The first that fails after its attempts stops the chain: the
         * triggers after it do not run, the outcome is {@code FAILED} and the report's error
         * names the one that failed and each one not run, for a person to finish by hand.
         * Default: none; a verdict that calls for a rollback then records that none is configured.
         *
         * @param trigger the trigger to add after those added before
         * @return this builder
         * @throws NullPointerException when {@code trigger} is {@code null}
         */
        public Builder rollback(RollbackTrigger trigger) {
            triggers.add(Objects.requireNonNull(trigger, "trigger"));
            return this;
        }

        /**
         * Sets how the previous version is checked after a successful rollback: after a delay, the
         * same probes and limits for a few rounds, judged; the report says what it found, and a
         * previous version that is not healthy either is exit code 5 of the command line. Default
         * {@link RecheckPlan#defaults()}: 3 rounds after one plan interval, or after the longest
         * {@link Probe#lookback()} of the probes re-checked when that is longer (at most 10 minutes);
         * {@link RecheckPlan#off()} turns it off. Probes named in {@link RecheckPlan#only()} are
         * measured there only, never in the bake or the watch: a probe that checks that the previous
         * version answers proves that the rollback changed what runs.
         *
         * @param value the re-check plan
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder recheck(RecheckPlan value) {
            this.recheck = Objects.requireNonNull(value, "recheck");
            return this;
        }

        /**
         * Sets how rollback attempts are retried and timed out; it applies to each trigger.
         * Default {@link RollbackPolicy#defaults()}.
         *
         * @param value the policy
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder rollbackPolicy(RollbackPolicy value) {
            this.rollbackPolicy = Objects.requireNonNull(value, "rollbackPolicy");
            return this;
        }

        /**
         * Sets who makes sure that verifications of the same deployment running at the same time
         * roll it back only once. Default {@link RollbackCoordinator#jvmWide()}.
         *
         * @param value the coordinator
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder rollbackCoordinator(RollbackCoordinator value) {
            this.coordinator = Objects.requireNonNull(value, "rollbackCoordinator");
            return this;
        }

        /**
         * Adds a listener; listeners are called in the order added (see
         * {@link VerificationListener} for the thread they run on). Default: none.
         *
         * @param listener the listener
         * @return this builder
         * @throws NullPointerException when {@code listener} is {@code null}
         */
        public Builder listener(VerificationListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Records Vigil's meters in this registry. Default: no metrics.
         *
         * @param value the registry; Vigil never uses the global one
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder meterRegistry(MeterRegistry value) {
            this.registry = Objects.requireNonNull(value, "meterRegistry");
            return this;
        }

        /**
         * Where the verification gets its time: the wall clock for timestamps, a monotonic reading
         * for its schedule, and waiting; the one notion of time of a verification. Default
         * {@link TimeSource#system()}; tests and simulations hand in a virtual one.
         *
         * @param value the time source
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder timeSource(TimeSource value) {
            this.time = Objects.requireNonNull(value, "timeSource");
            return this;
        }

        /**
         * How long a verification waits, at its end, for its listeners to take the events they were
         * handed (a report writer writing its files). Listeners run on a thread of their own and
         * never delay a round or the rollback; one still busy after this time is named in a
         * warning and left behind. Default {@link #DEFAULT_LISTENER_TIMEOUT}.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException when not positive
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder listenerTimeout(Duration value) {
            Objects.requireNonNull(value, "listenerTimeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("listener timeout must be positive: " + value);
            }
            this.listenerTimeout = value;
            return this;
        }

        /**
         * Builds the verifier. Later changes to this builder do not affect it; the probe, trigger
         * and listener instances are shared with it.
         *
         * @return a new verifier
         * @throws IllegalStateException when no probe was added, the watch leaves out a probe that
         *     was not added or every probe, sets the {@code max-failures} of one that was not added, has a
         *     failure window of no more rounds than a watched probe's {@code max-failures}
         *     ({@link WatchPlan#limitProblem}), the re-check leaves out or alone measures a probe that
         *     was not added, every probe is measured in the re-check only, or one measured there
         *     only confirms fixes
         */
        public DeployVerifier build() {
            if (probes.isEmpty()) {
                throw new IllegalStateException("a verifier needs at least one probe");
            }
            refuseUnknownProbes("the watch leaves out", watch.unwatched());
            refuseUnknownProbes("the watch sets watch-max-failures of", watch.watchMaxFailures().keySet());
            if (watch.enabled()) {
                probes.forEach((name, spec) -> {
                    if (!watch.unwatched().contains(name) && !recheck.only().contains(name)) {
                        watch.limitProblem(name, spec.limits()).ifPresent(problem -> {
                            throw new IllegalStateException("watch-failure-window " + problem);
                        });
                    }
                });
            }
            refuseUnknownProbes("the re-check leaves out", recheck.unchecked());
            refuseUnknownProbes("the re-check alone measures", recheck.only());
            if (recheck.only().containsAll(probes.keySet())) {
                throw new IllegalStateException("every probe is measured in the re-check only (" + recheck.only()
                        + "): the bake would measure nothing");
            }
            java.util.Set<String> unwatched = new java.util.HashSet<>(watch.unwatched());
            unwatched.addAll(recheck.only());
            if (watch.enabled() && unwatched.containsAll(probes.keySet())) {
                throw new IllegalStateException("the watch leaves out every probe: it would watch nothing");
            }
            for (String name : recheck.only()) {
                if (!probes.get(name).confirms().isEmpty()) {
                    throw new IllegalStateException("probe '" + name + "' is measured in the re-check only, after a"
                            + " rollback, so it cannot confirm " + probes.get(name).confirms() + ": confirm them with a probe of the bake");
                }
            }
            return new DeployVerifier(this);
        }

        /** What the watch or the re-check names ({@code what}) may be only probes of this verifier. */
        private void refuseUnknownProbes(String what, java.util.Set<String> named) {
            List<String> unknown = named.stream().filter(name -> !probes.containsKey(name)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalStateException(what + " " + unknown + ", which "
                        + (unknown.size() == 1 ? "is not a probe" : "are not probes") + " of this verifier; probes: "
                        + probes.keySet());
            }
        }
    }
}
