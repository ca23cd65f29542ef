package dev.vigil.testkit;

import dev.vigil.Deployment;
import dev.vigil.ProbeContext;
import java.time.Duration;
import java.time.Instant;

/**
 * Contexts for calling a probe directly in a test: the first attempt of round 1 of deploying
 * {@code checkout} 2.4.1 over 2.4.0, at a given time and with a given timeout, each with a state
 * of its own. Made with {@link ProbeContext#builder}, like the engine's.
 */
public final class TestProbeContext {

    /** The deployment every test context is about: {@code checkout} 2.4.1 over 2.4.0. */
    public static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    private TestProbeContext() {
    }

    /** A context for the probe {@code probeName} at {@code time} that may take {@code timeout}. */
    public static ProbeContext of(String probeName, Instant time, Duration timeout) {
        return builder(probeName, time, timeout).build();
    }

    /** The same, as a builder, to change the timeout or set when the verification started. */
    public static ProbeContext.Builder builder(String probeName, Instant time, Duration timeout) {
        return ProbeContext.builder(DEPLOYMENT, probeName).time(time).timeout(timeout);
    }
}
