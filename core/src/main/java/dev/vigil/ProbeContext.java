package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What a probe knows when it is asked to measure. Implementations are supplied by the engine.
 */
public interface ProbeContext {

    /** The deployment being verified. */
    Deployment deployment();

    /** The probe's name. */
    String probeName();

    /** The round, starting at 1; 0 for the re-check after a rollback. */
    int round();

    /** The time of the round, from the verifier's clock. */
    Instant time();

    /** How long this measurement may take, retries included. */
    Duration timeout();

    /** When this measurement must be finished: {@link #time()} plus {@link #timeout()}. */
    default Instant deadline() {
        return time().plus(timeout());
    }

    /**
     * When the verification started, from the verifier's clock: the moment after which the
     * deployed version is what is measured. A probe that looks back in time (a Prometheus
     * {@code range}) never reaches before it, so that a hotfix is not judged on the incident it
     * fixes. Empty when the caller does not know it; the default.
     */
    default Optional<Instant> verificationStarted() {
        return Optional.empty();
    }

    /** The attempt within this round, starting at 1. */
    int attempt();

    /**
     * State kept for this probe across the rounds of one verification (a sequential test's running
     * totals, say). Created by {@code initial} the first time {@code key} is asked for; the same
     * object is returned afterwards within the same verification, and never to another one.
     */
    <T> T state(String key, Supplier<T> initial);
}
