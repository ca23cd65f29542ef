package dev.vigil.spi;

import dev.vigil.rollback.RollbackEvent;

/**
 * What runs when a deployment is unhealthy: a shell command, an HTTP webhook, a Java callback.
 *
 * <p>The engine calls {@link #execute} at most once per attempt and retries failed attempts with
 * backoff (see {@link dev.vigil.rollback.RollbackPolicy}); a verification never runs its
 * rollback more than once.
 */
@FunctionalInterface
public interface RollbackTrigger {

    /**
     * Runs one attempt of the rollback.
     *
     * @param event the deployment, the verdict, the reason and the attempt number
     * @return the output worth showing in the report (may be empty, never a secret)
     * @throws dev.vigil.rollback.RollbackException when the attempt failed; its
     *     {@code retryable} flag says whether another attempt may help
     * @throws Exception any other failure, retried like a retryable one
     */
    String execute(RollbackEvent event) throws Exception;

    /** What this trigger does, for reports ({@code command: kubectl rollout undo deployment/checkout}). No secrets. */
    default String description() {
        return getClass().getSimpleName();
    }
}
