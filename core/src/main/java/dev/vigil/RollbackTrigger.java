package dev.vigil;


/**
 * What runs when a deployment is unhealthy: a shell command, an HTTP webhook, a Java callback.
 *
 * <p>The engine calls {@link #execute} once per attempt. Whether a failed attempt is tried again
 * depends on what it may have changed: most rollbacks are not idempotent ({@code kubectl rollout
 * undo} run twice undoes the undo), so a trigger that is not {@link #idempotent()} is retried only
 * when its attempt threw a {@link dev.vigil.RollbackException} whose
 * {@code retryable} flag says "nothing was changed, try again"; an {@link #idempotent()} trigger
 * is retried on any failure except a {@code RollbackException} that is not retryable. Retries
 * follow the {@link dev.vigil.RollbackPolicy}; an attempt that times out is never
 * retried, since it may still be running. A verification never runs its rollback more than once.
 *
 * <p>Implementations must be thread-safe: verifications running at the same time may share one.
 * A trigger must not start a verification or a rehearsal from inside {@link #execute}: the call
 * is refused with an {@link IllegalStateException}, which fails the attempt.
 */
@FunctionalInterface
public interface RollbackTrigger {

    /**
     * Runs one attempt of the rollback.
     *
     * @param event the rollback's id, the deployment, the verdict, the reason and the attempt number
     * @return the output worth showing in the report (may be empty, never a secret)
     * @throws dev.vigil.RollbackException when the attempt failed; its
     *     {@code retryable} flag says whether it certainly changed nothing, so that another attempt is safe
     * @throws Exception any other failure: retried only when this trigger is {@link #idempotent()}
     */
    String execute(RollbackEvent event) throws Exception;

    /**
     * What this trigger does, for reports ({@code command: kubectl rollout undo deployment/checkout}).
     * No secrets.
     *
     * @return the description; the default is the class's simple name
     */
    default String description() {
        return getClass().getSimpleName();
    }

    /**
     * Whether running this trigger twice for one rollback does no more than running it once, so
     * that any failed attempt may be retried. Default {@code false}: only failures the trigger
     * declares as "nothing was changed" (a retryable {@link dev.vigil.RollbackException})
     * are retried.
     *
     * <p>Asked after a failed attempt. When it throws, the trigger is taken as not idempotent (no
     * repeat), and the report keeps the attempt's error, with this failure added.
     *
     * @return whether any failed attempt may be retried
     */
    default boolean idempotent() {
        return false;
    }

    /**
     * What this trigger acts on, for deciding whether two verifications share one rollback (see
     * {@link dev.vigil.RollbackCoordinator}): two triggers are the same when their
     * identities are {@link Object#equals equal}. Default: this instance, so that only the same
     * object is the same trigger. The built-in triggers return the command text or the webhook
     * URL, so that two verifications configured alike share one rollback. Never a secret.
     *
     * @return the identity, compared with {@link Object#equals}; never {@code null}
     */
    default Object identity() {
        return this;
    }

    /**
     * Checks before a deployment that this trigger could run, without running it
     * ({@code vigil validate --online}): a command's programs are on the {@code PATH}, a
     * webhook's host resolves and accepts a connection. The default says there is nothing to check.
     *
     * @return what was found; never {@code null} (the online check reports a {@code null} as a
     *     failed check that names this trigger)
     */
    default Preflight preflight() {
        return Preflight.ok("nothing to check without running it");
    }
}
