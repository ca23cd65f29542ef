package dev.vigil;

import java.time.Duration;

/**
 * Waits. Injected into {@link DeployVerifier} so that tests and simulations run a long bake in
 * virtual time. Implementations must be thread-safe and must throw {@link InterruptedException}
 * promptly when the waiting thread is interrupted.
 */
@FunctionalInterface
public interface Sleeper {

    /** Waits for the given time. */
    void sleep(Duration duration) throws InterruptedException;

    /** Waits in real time with {@link Thread#sleep(long, int)}. */
    static Sleeper system() {
        return d -> {
            if (!d.isNegative() && !d.isZero()) {
                Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
            }
        };
    }
}
