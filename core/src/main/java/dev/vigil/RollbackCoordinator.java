package dev.vigil;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a deployment is rolled back at most once when several verifications of it in this
 * JVM judge it at the same time (two pipelines, a retried job), and tells each of them when
 * another one rolled it back.
 *
 * <p>Two verifications share a rollback only when they are the <em>same deployment</em> (equal
 * service, version and environment, the environment set) <em>and</em> use the <em>same
 * triggers</em> (equal {@link RollbackTrigger#identity() identities}, in order: the same command
 * text, the same webhook URL, the same callback object). Anything else — no environment, another
 * region's trigger — and each verification rolls back itself: sharing with a verification that
 * rolls back something else would leave this one's deployment in place while its report said
 * {@code ROLLED_BACK}.
 *
 * <p>The first verification of a group to call for a rollback runs it; every verification of the
 * group that was registered at that moment, or registers while it runs, sees it in
 * {@link Registration#rolledBackByOther()} and, if it calls for a rollback too, gets that
 * rollback's report instead of running its own. A verification that registers after a rollback
 * finished is a new one and rolls back on its own.
 *
 * <p>The previous version is not part of the group: two verifications of one deployment given two
 * previous versions (a retried job that computed it otherwise) would otherwise run two rollbacks to
 * two versions at once, leaving whichever finished last. They share the one rollback, and one whose
 * previous version differs from that of the verification that ran it (or that names one where that
 * one named none) gets a {@link RollbackOutcome#FAILED} report: the rollback went to another
 * version than the one it was given, and which is right is for a person to find out. One that names
 * no previous version itself takes the shared rollback as it is, told which version it went to.
 *
 * <p>Covers verifications in one JVM only: two command-line processes, or two machines, do not
 * see each other; a release tool serialises those (see {@code docs/rollback.md}). Thread-safe.
 * Verifiers use {@link #jvmWide()} unless given another one.
 */
public final class RollbackCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(RollbackCoordinator.class);

    private static final RollbackCoordinator JVM_WIDE = new RollbackCoordinator();

    private final Map<Object, Group> groups = new HashMap<>();

    private RollbackCoordinator() {
    }

    /**
     * The coordinator shared by every verifier of this JVM unless one is given: the default.
     *
     * @return the one JVM-wide coordinator
     */
    public static RollbackCoordinator jvmWide() {
        return JVM_WIDE;
    }

    /**
     * A coordinator of its own, for verifiers that must not share rollbacks with the rest of the
     * JVM (tests, say): verifications registered with it share rollbacks only with each other.
     *
     * @return a new coordinator
     */
    public static RollbackCoordinator create() {
        return new RollbackCoordinator();
    }

    /**
     * Registers a verification that is starting. Close the returned registration when it ends.
     *
     * @param deployment what is verified
     * @param triggers the triggers its rollback would run, in order; their identities decide, with
     *     the deployment, which verifications share a rollback
     * @return the registration, for one verification only
     * @throws NullPointerException when an argument is {@code null}
     */
    public Registration register(Deployment deployment, List<? extends RollbackTrigger> triggers) {
        Objects.requireNonNull(deployment, "deployment");
        Objects.requireNonNull(triggers, "triggers");
        return registerKeyed(deployment, triggers, false);
    }

    /**
     * Registers a rollback rehearsal ({@link DeployVerifier#rehearseRollback}). It shares nothing
     * with the verifications of its group: they never take its rollback for one that a verification
     * ran (a bake it overtakes ends inconclusive, see {@code docs/rollback.md}), and it never reports
     * theirs as a rehearsal. But it never runs beside theirs either, as two rollbacks at once undo
     * each other: while one of theirs runs (or a rollback of any other version of the service in its
     * environment, whatever its triggers), its {@link Registration#rollbackOnce} runs nothing and
     * {@link Registration#rolledBackByOther()} names that rollback; while its own runs, one of
     * theirs that calls for a rollback gets the rehearsal's instead of running a second one.
     */
    Registration registerRehearsal(Deployment deployment, List<? extends RollbackTrigger> triggers) {
        return registerKeyed(deployment, triggers, true);
    }

    private Registration registerKeyed(Deployment deployment, List<? extends RollbackTrigger> triggers, boolean rehearsal) {
        String environment = deployment.environment();
        // Without an environment two verifications may be of different places: never shared.
        Object key = environment == null || environment.isBlank() ? new Object()
                : groupKey(deployment, environment, triggers);
        Registration registration = new Registration(key, deployment, rehearsal);
        if (rehearsal) {
            return registration;
        }
        synchronized (groups) {
            Group group = groups.computeIfAbsent(key, k -> new Group());
            group.active.add(registration);
            // A verification that starts while the deployment is being rolled back measures a version
            // that is being taken away, and must not roll it back a second time.
            registration.covered = group.inFlight;
        }
        return registration;
    }

    /**
     * The key of the group a verification shares its rollback with, or a key of its own when a
     * trigger's {@link RollbackTrigger#identity()} throws, answers {@code null}, or cannot be hashed
     * or compared: a trigger whose identity is unknown still rolls back, on its own.
     */
    private static Object groupKey(Deployment deployment, String environment, List<? extends RollbackTrigger> triggers) {
        try {
            List<Object> identities = triggers.stream().map(RollbackTrigger::identity).toList();
            Object key = List.of(deployment.service(), deployment.version(), environment, identities);
            key.hashCode();
            return key;
        } catch (Exception | Error e) {
            // Checked exceptions too: a plug-in may throw them without declaring them.
            LOG.warn("a rollback trigger's identity() failed ({}); this verification shares its rollback with no other",
                    e.getClass().getName());
        }
        return new Object();
    }

    private static final class Group {
        final Set<Registration> active = new HashSet<>();
        RolledBack inFlight;
    }

    /**
     * A rollback that one verification ran (or is running) for every verification of its group.
     * Thread-safe.
     */
    public static final class RolledBack {
        private final Registration runner;
        private final String reason;
        private final CompletableFuture<RollbackReport> report;
        /** The deployment of the verification this rollback is shown to; {@code null} for the runner's. */
        private final Deployment viewer;

        private RolledBack(Registration runner, String reason) {
            this(runner, reason, new CompletableFuture<>(), null);
        }

        private RolledBack(Registration runner, String reason, CompletableFuture<RollbackReport> report, Deployment viewer) {
            this.runner = runner;
            this.reason = reason;
            this.report = report;
            this.viewer = viewer;
        }

        /** The same rollback as the verification of {@code deployment} sees it. */
        private RolledBack seenBy(Deployment deployment) {
            return new RolledBack(runner, reason, report, deployment);
        }

        /**
         * Why the verification this rollback is shown to cannot take it as its own: it was given
         * another previous version than the one that ran it; {@code null} when it can.
         */
        String otherPreviousVersion() {
            String ran = runner.deployment.previousVersion();
            String given = viewer == null ? null : viewer.previousVersion();
            if (given == null || given.equals(ran)) {
                return null;
            }
            return "the rollback shared with " + running() + " was run for "
                    + (ran == null ? "no previous version (that verification was given none)" : "previous version " + ran)
                    + ", not for " + given + ", the previous version given to this verification";
        }

        private static String where(Deployment d) {
            return d.service() + " " + d.version() + " in " + d.environment();
        }

        /** What runs this rollback: {@code a concurrent verification of checkout 2.0.0 in staging}. */
        String running() {
            return (runner.rehearsal ? "a concurrent rollback rehearsal of " : "a concurrent verification of ") + where(runner.deployment);
        }

        /**
         * The reason of the verification that called for the rollback: the rule that fired there.
         *
         * @return the reason; empty when it gave none, never {@code null}
         */
        public String reason() {
            return reason;
        }

        /**
         * Whether the rollback has finished, successfully or not.
         *
         * @return {@code true} once its report is known
         */
        public boolean finished() {
            return report.isDone();
        }

        /**
         * The rollback's report as the other verifications show it (no attempts of their own, a
         * first line saying who ran it; {@link RollbackOutcome#FAILED} for one given another
         * previous version than the verification that ran it, see the class comment), or empty while
         * it is still running. Never blocks.
         *
         * @return the shared report, or empty while the rollback runs
         */
        public Optional<RollbackReport> report() {
            return finished() ? Optional.of(sharedReport()) : Optional.empty();
        }

        /**
         * Waits for the rollback to finish and returns {@link #report()}. A rollback that failed
         * unexpectedly (its runner threw) comes back as a {@code FAILED} report, not as an
         * exception.
         *
         * @return the shared report
         * @throws InterruptedException when the waiting thread is interrupted
         */
        public RollbackReport awaitReport() throws InterruptedException {
            try {
                report.get();
            } catch (ExecutionException | CancellationException e) {
                // sharedReport() turns the failure into a FAILED report.
            }
            return sharedReport();
        }

        private RollbackReport sharedReport() {
            Deployment d = runner.deployment;
            String ran = d.previousVersion();
            String note = "rollback shared with " + running() + ", which ran it once"
                    + (viewer == null || Objects.equals(ran, viewer.previousVersion()) || ran == null ? ""
                            : " (its previous version: " + ran + ")");
            RollbackReport first;
            try {
                first = report.join();
            } catch (RuntimeException e) {
                return new RollbackReport(RollbackOutcome.FAILED, "", 0, note,
                        "the rollback run by " + running() + " failed unexpectedly: " + e.getMessage(), null, null, null,
                        running());
            }
            String other = otherPreviousVersion();
            if (other == null) {
                return new RollbackReport(first.outcome(), first.trigger(), 0, note + "\n" + first.output(),
                        first.error(), first.startedAt(), first.finishedAt(), first.rollbackId(), running());
            }
            // Never a second rollback: two rollbacks to two versions leave whichever finished last.
            return new RollbackReport(RollbackOutcome.FAILED, first.trigger(), 0, note + "\n" + first.output(),
                    other + " (" + first.outcome() + (first.error() == null ? "" : ": " + first.error())
                            + "); not rolled back a second time: find which version runs and which previous version"
                            + " is right before rolling back by hand", first.startedAt(), first.finishedAt(), first.rollbackId(),
                    running());
        }
    }

    /** One verification of one deployment, from its start to its end. Thread-safe. */
    public final class Registration implements AutoCloseable {
        private final Object key;
        private final Deployment deployment;
        private RolledBack covered;

        private final boolean rehearsal;

        private Registration(Object key, Deployment deployment, boolean rehearsal) {
            this.key = key;
            this.deployment = deployment;
            this.rehearsal = rehearsal;
        }

        /**
         * The rollback another verification of the same deployment with the same triggers started
         * while this one was registered (or was running when this one registered), if any: present from the moment it starts, whether it
         * has finished or not ({@link RolledBack#finished()}). A verification that sees one should
         * end at once as unhealthy with {@link RolledBack#reason()} and report
         * {@link RolledBack#awaitReport()}, without a rollback of its own: the version it measures
         * is being taken away. Empty when this verification ran the rollback itself. Never blocks.
         *
         * @return the other verification's rollback, or empty
         */
        public Optional<RolledBack> rolledBackByOther() {
            synchronized (groups) {
                return covered == null || covered.runner == this ? Optional.empty() : Optional.of(covered.seenBy(deployment));
            }
        }

        /**
         * Runs the rollback unless a verification of the same group already did, or is doing it;
         * then waits for that one and returns its report with a note in its output
         * ({@link RollbackOutcome#FAILED} when this verification was given another previous version,
         * see the class comment). A rehearsal's registration does not wait: while a rollback of its
         * group, or of any version of its service in its environment, runs it runs nothing, returns a
         * {@code FAILED} report with no attempts, and
         * {@link #rolledBackByOther()} names that rollback.
         *
         * @param reason why this verification calls for a rollback, shown to the others
         * @param rollback runs the rollback and returns its report; should not throw. Called at
         *     most once, on this thread, and only when no rollback of the group is running or done
         * @return this verification's rollback report
         * @throws RuntimeException whatever {@code rollback} throws; the others waiting on it see a
         *     {@code FAILED} report
         */
        public RollbackReport rollbackOnce(String reason, Supplier<RollbackReport> rollback) {
            RolledBack shared;
            RolledBack mine = new RolledBack(this, reason == null ? "" : reason);
            synchronized (groups) {
                // A rehearsal is in no group's active set: its group may not exist yet.
                Group group = groups.computeIfAbsent(key, k -> new Group());
                if (covered != null) {
                    shared = covered;
                } else if (group.inFlight != null) {
                    shared = group.inFlight;
                } else if (rehearsal && (shared = inFlightInPlace()) != null) {
                    // Another version's rollback of the service there: a rehearsal's at once would undo it too.
                } else {
                    shared = null;
                    group.inFlight = mine;
                    if (!rehearsal) {
                        group.active.forEach(r -> r.covered = mine);
                    }
                }
                if (rehearsal && shared != null) {
                    covered = shared;
                }
            }
            if (rehearsal && shared != null) {
                // Not waited for: the rehearsal ends at once, and its caller reads rolledBackByOther().
                return new RollbackReport(RollbackOutcome.FAILED, "", 0, "", "not run: " + shared.running()
                        + " is rolling " + deployment.service() + " " + deployment.version() + " back", null, null);
            }
            if (shared != null) {
                return shared.seenBy(deployment).sharedReport();
            }
            try {
                RollbackReport report = rollback.get();
                mine.report.complete(report);
                return report;
            } catch (RuntimeException | Error e) {
                mine.report.completeExceptionally(e);
                throw e;
            } finally {
                synchronized (groups) {
                    Group group = groups.get(key);
                    group.inFlight = null;
                    if (group.active.isEmpty()) {
                        groups.remove(key);
                    }
                }
            }
        }

        /**
         * A rollback running for any version of this registration's service in its environment,
         * whatever its triggers; {@code null} when none runs. Called holding the lock on the groups.
         */
        private RolledBack inFlightInPlace() {
            String environment = StartLog.Start.environment(deployment);
            return environment == null ? null : groups.values().stream().map(g -> g.inFlight)
                    .filter(f -> f != null && f.runner.deployment.service().equals(deployment.service())
                            && environment.equals(StartLog.Start.environment(f.runner.deployment)))
                    .findFirst().orElse(null);
        }

        /**
         * The verification ended: it no longer takes part in its group's rollbacks. Idempotent.
         */
        @Override
        public void close() {
            synchronized (groups) {
                Group group = groups.get(key);
                if (group != null) {
                    group.active.remove(this);
                    if (group.active.isEmpty() && group.inFlight == null) {
                        groups.remove(key);
                    }
                }
            }
        }
    }
}
