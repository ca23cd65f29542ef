package dev.vigil.rollback;

import dev.vigil.Deployment;
import dev.vigil.RollbackReport;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Makes sure a deployment is rolled back at most once when several verifications judge it at the
 * same time (two pipelines, a retried job). The first verification to call for a rollback runs
 * it; every verification of the same deployment that was running at that moment reports that
 * rollback's outcome instead of running its own, with a note saying so. A verification that
 * starts after the rollback is a new one and rolls back on its own.
 *
 * <p>Deployments are the same when service, version and environment are equal. Thread-safe.
 * Verifiers use {@link #jvmWide()} unless given another one.
 */
public final class RollbackCoordinator {

    private static final RollbackCoordinator JVM_WIDE = new RollbackCoordinator();

    private final Map<String, Group> groups = new HashMap<>();

    private RollbackCoordinator() {
    }

    /** The coordinator shared by every verifier of this JVM unless one is given: the default. */
    public static RollbackCoordinator jvmWide() {
        return JVM_WIDE;
    }

    /** A coordinator of its own, for verifiers that must not share rollbacks with the rest of the JVM. */
    public static RollbackCoordinator create() {
        return new RollbackCoordinator();
    }

    /**
     * Registers a verification that is starting. Close the returned registration when it ends.
     */
    public Registration register(Deployment deployment) {
        String key = deployment.service() + "\u0000" + deployment.version() + "\u0000" + deployment.environment();
        Registration registration = new Registration(key, deployment);
        synchronized (groups) {
            groups.computeIfAbsent(key, k -> new Group()).active.add(registration);
        }
        return registration;
    }

    private static final class Group {
        final Set<Registration> active = new HashSet<>();
        CompletableFuture<RollbackReport> inFlight;
    }

    /** One verification of one deployment, from its start to its end. */
    public final class Registration implements AutoCloseable {
        private final String key;
        private final Deployment deployment;
        private CompletableFuture<RollbackReport> covered;

        private Registration(String key, Deployment deployment) {
            this.key = key;
            this.deployment = deployment;
        }

        /**
         * Runs the rollback unless a verification running at the same time already did, or is
         * doing it; then returns that rollback's report with a note in its output.
         *
         * @param rollback runs the rollback and returns its report; should not throw
         */
        public RollbackReport rollbackOnce(Supplier<RollbackReport> rollback) {
            CompletableFuture<RollbackReport> shared;
            CompletableFuture<RollbackReport> mine = new CompletableFuture<>();
            synchronized (groups) {
                Group group = groups.get(key);
                if (covered != null) {
                    shared = covered;
                } else if (group.inFlight != null) {
                    shared = group.inFlight;
                } else {
                    shared = null;
                    group.inFlight = mine;
                    group.active.forEach(r -> r.covered = mine);
                }
            }
            if (shared != null) {
                RollbackReport first = shared.join();
                return new RollbackReport(first.outcome(), first.trigger(), 0,
                        "rollback shared with a concurrent verification of " + deployment.service() + " "
                                + deployment.version() + ", which ran it once\n" + first.output(),
                        first.error(), first.startedAt(), first.finishedAt());
            }
            try {
                RollbackReport report = rollback.get();
                mine.complete(report);
                return report;
            } catch (RuntimeException | Error e) {
                mine.completeExceptionally(e);
                throw e;
            } finally {
                synchronized (groups) {
                    groups.get(key).inFlight = null;
                }
            }
        }

        /** The verification ended. */
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
