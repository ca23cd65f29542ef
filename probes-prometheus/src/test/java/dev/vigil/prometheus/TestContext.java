package dev.vigil.prometheus;

import dev.vigil.ProbeContext;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;

/** The fixed {@link dev.vigil.ProbeContext} of the probe tests. */
final class TestContext {

    /** The round's time used by the tests: 2025-11-26T09:22:15.123Z. */
    static final Instant TIME = Instant.parse("2025-11-26T09:22:15.123Z");

    private TestContext() {
    }

    /** Probe {@code error-rate} at {@link #TIME}, timeout 5 s. */
    static ProbeContext standard() {
        return builder().build();
    }

    /** The same, as a builder. */
    static ProbeContext.Builder builder() {
        return TestProbeContext.builder("error-rate", TIME, Duration.ofSeconds(5));
    }
}
