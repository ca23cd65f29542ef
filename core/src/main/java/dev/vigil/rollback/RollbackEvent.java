package dev.vigil.rollback;

import dev.vigil.Deployment;
import dev.vigil.Verdict;
import java.time.Instant;

/**
 * What a rollback trigger is told. Immutable.
 *
 * @param deployment the deployment to roll back
 * @param verdict the verdict that called for it
 * @param reason the sentence naming the rule that fired
 * @param attempt the attempt, starting at 1
 * @param time when the attempt started
 */
public record RollbackEvent(Deployment deployment, Verdict verdict, String reason, int attempt, Instant time) {
}
