package dev.vigil;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Where verifications and rollback rehearsals record that they start, shared by every process that
 * verifies a service: so that a watch (or a bake) in one process does not roll back, or go on
 * measuring, the newer version that another process deployed and now verifies. Within one JVM the
 * verifiers see each other without it ({@link DeployVerifier#verifyThenWatch}); across processes
 * only what a shared log holds can tell them. The release history provides one
 * ({@code dev.vigil.history.HistoryRecorder#startLog}); give it with
 * {@link DeployVerifier.Builder#startLog}.
 *
 * <p>A verifier with a start log records each bake and rehearsal as it starts, and reads the log:
 * before a bake rolls back, before a watch starts, before a watch rolls back, and between a watch's
 * rounds (at most every {@code 10s}). What it does with what it reads is described at
 * {@link DeployVerifier.Builder#startLog}.
 *
 * <p>Implementations must be thread-safe. A failure is thrown as any runtime exception; the
 * verifier logs it (the message only of a {@link VigilException}, which must not hold a secret)
 * and goes on as without the log, so that a log that is down never keeps a bad release from being
 * rolled back.
 */
public interface StartLog {

    /**
     * Records that a verification or a rehearsal starts.
     *
     * @param start what starts
     */
    void record(Start start);

    /**
     * The starts recorded for the same service in the same environment as {@code start} (two
     * deployments without an environment are in the same one) at or after its time, other than
     * {@code start} itself (by id), oldest first.
     *
     * @param start a start recorded before
     * @return the starts after it; empty when there are none
     */
    List<Start> after(Start start);

    /** {@return what the log is, for log lines: never a password} */
    default String description() {
        return "the start log";
    }

    /** What a start is of. */
    enum Kind {
        /** The bake of a verification ({@link DeployVerifier#verifyAfterDeploy}, {@link DeployVerifier#verifyThenWatch}). */
        VERIFICATION,
        /** A rollback rehearsal ({@link DeployVerifier#rehearseRollback}): it changes what runs too. */
        REHEARSAL,
        /**
         * The bake of a dry-run verification ({@link VerificationPlan#dryRun()}): it rolls nothing
         * back, but the version it verifies may be a new deployment. It takes the place of a watch or
         * bake of another version only: a dry-run of the version a watch measures (checking what
         * runs) leaves the watch running.
         */
        DRY_RUN
    }

    /**
     * One verification or rehearsal that started. Immutable and thread-safe.
     *
     * @param id unique per start
     * @param deployment what is verified, or whose rollback is rehearsed
     * @param at when it started, on the verifier's clock
     * @param kind a verification or a rehearsal
     */
    record Start(String id, Deployment deployment, Instant at, Kind kind) {

        /**
         * Validates that nothing is {@code null}.
         *
         * @param id unique per start
         * @param deployment what is verified, or whose rollback is rehearsed
         * @param at when it started
         * @param kind a verification or a rehearsal
         */
        public Start {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(deployment, "deployment");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(kind, "kind");
        }

        /**
         * What started, in words: {@code the verification of checkout 2.4.2}, {@code the rollback
         * rehearsal of checkout 2.4.2}.
         *
         * @return the words
         */
        public String what() {
            return (kind == Kind.REHEARSAL ? "the rollback rehearsal of " : kind == Kind.DRY_RUN ? "the dry-run verification of "
                    : "the verification of ")
                    + deployment.service() + " " + deployment.version();
        }

        /**
         * Whether {@code other} is of the same service in the same environment (none and none, or
         * an empty one, are the same).
         *
         * @param other another deployment
         * @return whether they are in the same place
         */
        public boolean samePlace(Deployment other) {
            return deployment.service().equals(other.service())
                    && Objects.equals(environment(deployment), environment(other));
        }

        /**
         * Whether this start is one that {@link StartLog#after} answers for {@code earlier}: of the
         * same service in the same environment, at or after it, and not it.
         *
         * @param earlier a start recorded before
         * @return whether this one came after it in its place
         */
        public boolean follows(Start earlier) {
            return !id.equals(earlier.id()) && earlier.samePlace(deployment) && !at.isBefore(earlier.at());
        }

        /**
         * The environment a deployment names, {@code null} when it names none (a blank one included):
         * the one notion of "the same place" that the start log and the verifiers of a JVM share.
         */
        static String environment(Deployment deployment) {
            String environment = deployment.environment();
            return environment == null || environment.isBlank() ? null : environment;
        }
    }
}
