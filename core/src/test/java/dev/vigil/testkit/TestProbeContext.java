package dev.vigil.testkit;

import dev.vigil.Deployment;
import dev.vigil.ProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A {@link ProbeContext} for calling a probe directly in a test: the first attempt of round 1 of
 * deploying {@code checkout} 2.4.1 over 2.4.0, at a given time and with a given timeout, with the
 * per-verification state the engine would keep (one map per context, thread-safe).
 */
public final class TestProbeContext implements ProbeContext {

    private final String probeName;
    private final Instant time;
    private final Duration timeout;
    private final Instant started;
    private final Map<String, Object> state = new ConcurrentHashMap<>();

    private TestProbeContext(String probeName, Instant time, Duration timeout, Instant started) {
        this.probeName = Objects.requireNonNull(probeName, "probeName");
        this.time = Objects.requireNonNull(time, "time");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.started = started;
    }

    /** A context for the probe {@code probeName} at {@code time} that may take {@code timeout}. */
    public static TestProbeContext of(String probeName, Instant time, Duration timeout) {
        return new TestProbeContext(probeName, time, timeout, null);
    }

    /** The same round with another timeout and a state of its own. */
    public TestProbeContext withTimeout(Duration value) {
        return new TestProbeContext(probeName, time, value, started);
    }

    /**
     * The same round of a verification that started at {@code value} (the engine's
     * {@link ProbeContext#verificationStarted()}), with a state of its own. Without it the start
     * is unknown.
     */
    public TestProbeContext withVerificationStarted(Instant value) {
        return new TestProbeContext(probeName, time, timeout, Objects.requireNonNull(value, "started"));
    }

    @Override
    public Optional<Instant> verificationStarted() {
        return Optional.ofNullable(started);
    }

    @Override
    public Deployment deployment() {
        return Deployment.of("checkout", "2.4.1", "2.4.0");
    }

    @Override
    public String probeName() {
        return probeName;
    }

    @Override
    public int round() {
        return 1;
    }

    @Override
    public Instant time() {
        return time;
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public int attempt() {
        return 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(String key, Supplier<T> initial) {
        return (T) state.computeIfAbsent(key, k -> initial.get());
    }
}
