package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * What a probe knows when it is asked to measure. The engine makes one per attempt; a check before
 * deploying, a probe module's tests and a simulation make theirs with {@link #builder}, the one
 * implementation there is.
 */
public interface ProbeContext {

    /**
     * The deployment being verified.
     *
     * @return the deployment; never {@code null}
     */
    Deployment deployment();

    /**
     * The probe's name.
     *
     * @return the name under which the probe was configured ({@code health})
     */
    String probeName();

    /**
     * The round, starting at 1; 0 for the re-check after a rollback.
     *
     * @return the round number
     */
    int round();

    /**
     * The time of the round, from the verifier's clock.
     *
     * @return the wall-clock time the round started
     */
    Instant time();

    /**
     * How long this measurement may take, retries included.
     *
     * @return the timeout; positive
     */
    Duration timeout();

    /**
     * When this measurement must be finished: {@link #time()} plus {@link #timeout()}.
     *
     * @return the deadline
     */
    default Instant deadline() {
        return time().plus(timeout());
    }

    /**
     * When the verification started, from the verifier's clock: the moment after which the
     * deployed version is what is measured. A probe that looks back in time (a Prometheus
     * {@code range}) never reaches before it, so that a hotfix is not judged on the incident it
     * fixes. In the re-check after a rollback it is when the re-check began, right after the
     * rollback: the previous version is what is measured from then on, and a range must not reach
     * into the version rolled back. Empty when the caller does not know it; the default.
     *
     * @return the start of the verification, or empty when unknown
     */
    default Optional<Instant> verificationStarted() {
        return Optional.empty();
    }

    /**
     * The attempt within this round, starting at 1.
     *
     * @return the attempt number
     */
    int attempt();

    /**
     * State kept for this probe across the rounds of one verification (a sequential test's running
     * totals, say). Created by {@code initial} the first time {@code key} is asked for; the same
     * object is returned afterwards within the same verification, and never to another one.
     * Attempts may run at the same time (one that timed out may still run), so the object must be
     * thread-safe.
     *
     * @param <T> the type of the state; a key must always be asked for with the same type
     * @param key the name of the state, unique within the probe
     * @param initial makes the state; called only while the key holds nothing yet
     * @return the state kept under {@code key}
     */
    <T> T state(String key, Supplier<T> initial);

    /**
     * A builder of contexts: the first attempt of round 1 at the time of {@code build()}, with the
     * default timeout ({@link MeasurementPolicy#DEFAULT_TIMEOUT}), an unknown start of the
     * verification and a state of its own, unless told otherwise.
     *
     * @param deployment the deployment being verified
     * @param probeName the probe's name
     * @return a new builder
     */
    static Builder builder(Deployment deployment, String probeName) {
        return new Builder(deployment, probeName);
    }

    /** Builds a {@link ProbeContext}. Not thread-safe; the contexts it builds are. */
    final class Builder {
        private final Deployment deployment;
        private final String probeName;
        private int round = 1;
        private Instant time;
        private Duration timeout = MeasurementPolicy.DEFAULT_TIMEOUT;
        private int attempt = 1;
        private Instant verificationStarted;
        private ConcurrentMap<String, Object> state;

        private Builder(Deployment deployment, String probeName) {
            this.deployment = Objects.requireNonNull(deployment, "deployment");
            this.probeName = Objects.requireNonNull(probeName, "probeName");
        }

        /**
         * The round: 1 for the first of a bake, 0 for a re-check or a check before deploying.
         *
         * @param value at least 0
         * @return this builder
         * @throws IllegalArgumentException when negative
         */
        public Builder round(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("round must be >= 0: " + value);
            }
            this.round = value;
            return this;
        }

        /**
         * The time of the round. Default: the system clock when {@link #build()} is called.
         *
         * @param value the time
         * @return this builder
         */
        public Builder time(Instant value) {
            this.time = Objects.requireNonNull(value, "time");
            return this;
        }

        /**
         * How long the measurement may take.
         *
         * @param value positive
         * @return this builder
         * @throws IllegalArgumentException when not positive
         */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("timeout must be positive: " + value);
            }
            this.timeout = value;
            return this;
        }

        /**
         * The attempt within the round.
         *
         * @param value at least 1
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder attempt(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("attempt must be >= 1: " + value);
            }
            this.attempt = value;
            return this;
        }

        /**
         * When the verification started; see {@link ProbeContext#verificationStarted()}.
         *
         * @param value the start, or {@code null} for unknown (the default)
         * @return this builder
         */
        public Builder verificationStarted(Instant value) {
            this.verificationStarted = value;
            return this;
        }

        /**
         * Where {@link ProbeContext#state} keeps its objects: the contexts of one probe in one
         * verification share one map, so that state lasts from round to round. Default: a new
         * map for each context built.
         *
         * @param value the map, thread-safe
         * @return this builder
         */
        public Builder state(ConcurrentMap<String, Object> value) {
            this.state = Objects.requireNonNull(value, "state");
            return this;
        }

        /**
         * Builds the context.
         *
         * @return an immutable context (its state map aside)
         */
        public ProbeContext build() {
            return new BuiltProbeContext(deployment, probeName, round, time != null ? time : Instant.now(), timeout,
                    attempt, verificationStarted, state != null ? state : new ConcurrentHashMap<>());
        }
    }
}
