package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/** The {@link ProbeContext} that {@link ProbeContext#builder} builds; the engine's too. */
record BuiltProbeContext(
        Deployment deployment,
        String probeName,
        int round,
        Instant time,
        Duration timeout,
        int attempt,
        Instant started,
        ConcurrentMap<String, Object> stateMap) implements ProbeContext {

    @Override
    public Optional<Instant> verificationStarted() {
        return Optional.ofNullable(started);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T state(String key, Supplier<T> initial) {
        return (T) stateMap.computeIfAbsent(key, k -> initial.get());
    }

    @Override
    public String toString() {
        return "ProbeContext[" + probeName + ", round " + round + ", attempt " + attempt + ", " + deployment + "]";
    }
}
