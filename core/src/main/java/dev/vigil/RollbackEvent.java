package dev.vigil;

import java.time.Instant;
import java.util.Objects;

/**
 * What a rollback trigger is told. Immutable.
 *
 * @param rollbackId the id of this rollback: one per rollback, the same on every attempt and for
 *     every trigger of the chain, different for the next rollback. A receiver uses it to tell a
 *     retry from a second rollback (webhooks send it as the {@code Idempotency-Key} header,
 *     commands get it as {@code VIGIL_ROLLBACK_ID}). Never blank.
 * @param deployment the deployment to roll back
 * @param verdict the verdict that called for it
 * @param reason the sentence naming the rule that fired
 * @param attempt the attempt, starting at 1
 * @param time when the attempt started
 */
public record RollbackEvent(String rollbackId, Deployment deployment, Verdict verdict, String reason, int attempt,
        Instant time) {

    /**
     * Validates.
     *
     * @param rollbackId the id of this rollback; not blank
     * @param deployment the deployment to roll back; not {@code null}
     * @param verdict the verdict that called for it
     * @param reason the sentence naming the rule that fired
     * @param attempt the attempt, at least 1
     * @param time when the attempt started
     * @throws IllegalArgumentException when the rollback id is blank or the attempt is below 1
     * @throws NullPointerException when the rollback id or the deployment is {@code null}
     */
    public RollbackEvent {
        Objects.requireNonNull(rollbackId, "rollbackId");
        if (rollbackId.isBlank()) {
            throw new IllegalArgumentException("rollback id must not be blank");
        }
        Objects.requireNonNull(deployment, "deployment");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
        }
    }

    /**
     * The value on one line, to be logged: the rollback's id, deployment, verdict, attempt and time; the reason by its length only (it may
     * quote a measured header or a command's output).
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "RollbackEvent[rollbackId=" + rollbackId + ", deployment=" + deployment + ", verdict=" + verdict
                + ", reason=" + Unshown.text(reason) + ", attempt=" + attempt + ", time=" + time + "]";
    }
}
