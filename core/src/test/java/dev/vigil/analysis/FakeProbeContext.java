package dev.vigil.analysis;

import dev.vigil.Deployment;
import dev.vigil.spi.ProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/** A probe context for one verification, with the state map the engine would keep. */
final class FakeProbeContext implements ProbeContext {

    private final Map<String, Object> state = new HashMap<>();
    int round = 1;

    @Override
    public Deployment deployment() {
        return Deployment.of("checkout", "2.4.1", "2.4.0");
    }

    @Override
    public String probeName() {
        return "latency";
    }

    @Override
    public int round() {
        return round;
    }

    @Override
    public Instant time() {
        return Instant.parse("2026-01-01T12:00:00Z").plusSeconds(10L * round);
    }

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(5);
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
