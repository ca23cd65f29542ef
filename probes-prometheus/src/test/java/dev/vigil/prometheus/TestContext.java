package dev.vigil.prometheus;

import dev.vigil.Deployment;
import dev.vigil.spi.ProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** A fixed {@link ProbeContext} for probe tests. */
final class TestContext implements ProbeContext {

    /** The round's time used by the tests: 2025-11-26T09:22:15.123Z. */
    static final Instant TIME = Instant.parse("2025-11-26T09:22:15.123Z");

    private final Instant time;
    private final Duration timeout;
    private final Map<String, Object> state = new ConcurrentHashMap<>();

    private TestContext(Instant time, Duration timeout) {
        this.time = time;
        this.timeout = timeout;
    }

    static TestContext at(Instant time) {
        return new TestContext(time, Duration.ofSeconds(5));
    }

    static TestContext standard() {
        return at(TIME);
    }

    TestContext withTimeout(Duration value) {
        return new TestContext(time, value);
    }

    @Override
    public Deployment deployment() {
        return Deployment.of("checkout", "2.4.1", "2.4.0");
    }

    @Override
    public String probeName() {
        return "error-rate";
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
