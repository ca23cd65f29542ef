package dev.vigil;

import java.time.Duration;

/**
 * Waits. Injected into {@link DeployVerifier} so that tests and simulations run a long bake in
 * virtual time; {@link TimeSource} is the whole notion of time (wall clock, monotonic reading and
 * waiting) that the verifier uses. Implementations must be thread-safe and must throw
 * {@link InterruptedException} promptly when the waiting thread is interrupted.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits for the given time. */
    void sleep(Duration duration) throws InterruptedException;

    /** Waits in real time with {@link Thread#sleep(long, int)}; always the same instance. */
    static Sleeper system() {
        return TimeSources.SYSTEM_SLEEPER;
    }
}
