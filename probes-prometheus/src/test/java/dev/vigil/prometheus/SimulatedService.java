package dev.vigil.prometheus;

import java.util.SplittableRandom;

/**
 * A service a real-Prometheus test simulates: each scrape runs it for the time since the previous
 * scrape (since its start, on the first), drawing from the test's own random source so that it
 * stays reproducible. Thread-safe: scrapes come from the metrics endpoint's thread.
 */
abstract class SimulatedService {

    /** The test's random source; used under the service's lock only. */
    final SplittableRandom random;
    private long lastNanos;

    /**
     * @param startNanos when the service starts, as {@link System#nanoTime()}
     * @param random the test's random source
     */
    SimulatedService(long startNanos, SplittableRandom random) {
        this.lastNanos = startNanos;
        this.random = random;
    }

    /**
     * The service's metrics at {@code nowNanos}, after running it since the previous scrape.
     *
     * @param nowNanos the time of the scrape, as {@link System#nanoTime()}
     * @return the metrics in the text exposition format
     */
    final synchronized String scrape(long nowNanos) {
        double seconds = (nowNanos - lastNanos) / 1e9;
        lastNanos = nowNanos;
        return run(seconds);
    }

    /**
     * Runs the service for {@code seconds} more; called with the service's lock held.
     *
     * @return its metrics afterwards, in the text exposition format
     */
    abstract String run(double seconds);
}
