package dev.vigil;


/**
 * Sees a verification as it happens: progress lines, notifiers, report writers. Every method
 * has an empty default.
 *
 * <p>Called in order, on a thread of the verification's own (one per verification, shared by its
 * listeners), never on the verifying thread: a slow or hanging listener never delays a round or
 * the rollback. The verification waits for its listeners when it ends, at most
 * {@link dev.vigil.DeployVerifier.Builder#listenerTimeout}, so {@link #finished} has returned when
 * {@code verifyAfterDeploy} does unless it took longer. A listener that throws is logged and
 * ignored, and never changes the verdict. Events reach a listener after they happened: the
 * rollback may already be running when {@link #verdict} is called.
 *
 * <p>A listener must not verify again, or rehearse the rollback of, the deployment it is told
 * about (the same service in the same environment; none counts as one): each nested
 * verification's listener would start another, and without an environment each would roll back on
 * its own. {@link DeployVerifier#verifyAfterDeploy}, {@link DeployVerifier#verifyThenWatch} and
 * {@link DeployVerifier#rehearseRollback} called from a callback of such a listener throw an
 * {@link IllegalStateException} naming the deployment; start the next verification after
 * {@code verifyAfterDeploy} has returned. Verifying another service, or the same service in another
 * environment, from a listener is allowed. Only a call from the callback's own thread is refused: one
 * handed to another thread and waited for is not told from a second pipeline's, and starts the same
 * chain (see docs/api.md).
 *
 * <p>A watch after the bake ({@link WatchPlan}, {@link DeployVerifier#verifyThenWatch}) tells the
 * same listeners, from its own thread: {@link #watchStarted} instead of {@link #started}, then its
 * rounds, verdict, rollback and {@link #finished} with a report whose
 * {@link VerificationReport#phase()} is {@link VerificationReport.Phase#WATCH}.
 */
public interface VerificationListener {

    /**
     * The verification started.
     *
     * @param deployment what is verified
     * @param plan the plan it follows
     */
    default void started(Deployment deployment, VerificationPlan plan) {
    }

    /**
     * The watch after a healthy bake started; its rounds follow, counted from 1.
     *
     * @param deployment what is watched
     * @param watch the watch's plan
     */
    default void watchStarted(Deployment deployment, WatchPlan watch) {
    }

    /**
     * A measurement was taken (rounds, and the re-check after a rollback with round 0).
     *
     * @param measurement what one probe found, with its round
     */
    default void measured(Measurement measurement) {
    }

    /**
     * A round ended; {@code rounds} is the number of planned rounds (a {@code round} beyond it is an
     * extra one of the end-of-bake rule), {@code elapsed} the time since the start.
     *
     * @param round the round that ended, from 1
     * @param rounds the number of planned rounds
     * @param elapsed the time since the verification started
     */
    default void roundFinished(int round, int rounds, java.time.Duration elapsed) {
    }

    /**
     * The verdict was reached (before any rollback).
     *
     * @param deployment what is verified
     * @param verdict the verdict
     * @param reason one sentence naming the rule that decided
     */
    default void verdict(Deployment deployment, Verdict verdict, String reason) {
    }

    /**
     * The rollback is about to run: called before its first trigger runs, unlike every other method
     * here (not for a dry-run or when none is needed). For what must be kept before anything is
     * rolled back, such as the release history's record that the rollback started, which the next
     * verification finds even when Vigil is killed during the rollback. Called on a thread of its
     * own, not the listeners' (the events before it may still be on their way), and the rollback
     * waits for the listeners at most {@link #BEFORE_ROLLBACK_WAIT}, then runs without them: keep it
     * short. A listener that throws is logged and ignored. {@link #rollbackStarted} follows, in order
     * with the other events.
     *
     * @param deployment what is rolled back
     */
    default void beforeRollback(Deployment deployment) {
    }

    /** How long a rollback waits at most for the listeners' {@link #beforeRollback}: one second. */
    java.time.Duration BEFORE_ROLLBACK_WAIT = java.time.Duration.ofSeconds(1);

    /**
     * The rollback is about to run (not called for a dry-run or when none is needed).
     *
     * @param deployment what is rolled back
     */
    default void rollbackStarted(Deployment deployment) {
    }

    /**
     * The rollback finished (called with {@code DRY_RUN} too).
     *
     * @param deployment what was rolled back
     * @param report what the rollback did
     */
    default void rollbackFinished(Deployment deployment, RollbackReport report) {
    }

    /**
     * The verification finished; the report is final.
     *
     * @param report what happened
     */
    default void finished(VerificationReport report) {
    }

    /**
     * A rollback rehearsal ({@link dev.vigil.DeployVerifier#rehearseRollback}) finished. Rehearsals
     * call no other method of a listener.
     *
     * @param report what the rehearsal found
     */
    default void rehearsed(dev.vigil.RehearsalReport report) {
    }
}
