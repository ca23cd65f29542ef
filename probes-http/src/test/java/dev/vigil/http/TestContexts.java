package dev.vigil.http;

import dev.vigil.Deployment;
import dev.vigil.spi.ProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Contexts for calling a probe directly. */
final class TestContexts {

    private TestContexts() {
    }

    /** A first attempt of round 1 that may take {@code timeout} from now. */
    static ProbeContext within(Duration timeout) {
        return new Context(Instant.now(), timeout, new ConcurrentHashMap<>());
    }

    private record Context(Instant time, Duration timeout, Map<String, Object> state) implements ProbeContext {
        @Override
        public Deployment deployment() {
            return Deployment.of("checkout", "2.4.1", "2.4.0");
        }

        @Override
        public String probeName() {
            return "health";
        }

        @Override
        public int round() {
            return 1;
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
}
