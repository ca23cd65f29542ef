package dev.vigil.http;

import dev.vigil.ProbeContext;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;

/** Contexts for calling a probe directly. */
final class TestContexts {

    private TestContexts() {
    }

    /** A first attempt of round 1 of probe {@code health} that may take {@code timeout} from now. */
    static ProbeContext within(Duration timeout) {
        return TestProbeContext.of("health", Instant.now(), timeout);
    }
}
