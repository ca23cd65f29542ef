package dev.vigil.examples;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Steady traffic on the sample service's {@code /api/orders}, so that its request counters move
 * and an error-rate query has something to measure: a request every {@code 1/rate} seconds, at most
 * {@value #MAX_IN_FLIGHT} at a time (a slow version gets fewer requests instead of a pile-up).
 * Loopback only; runs until closed. Thread-safe.
 */
final class LoadGenerator implements AutoCloseable {

    /** Requests waiting for an answer at most; keeps threads of the service free for the probes. */
    static final int MAX_IN_FLIGHT = 8;

    private final HttpClient client;
    private final HttpRequest request;
    private final ScheduledExecutorService ticker;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private LoadGenerator(URI serviceBase, int requestsPerSecond) {
        if (!"127.0.0.1".equals(serviceBase.getHost()) && !"localhost".equals(serviceBase.getHost())) {
            throw new IllegalArgumentException("the load generator only sends traffic to loopback, not " + serviceBase);
        }
        if (requestsPerSecond < 1 || requestsPerSecond > 200) {
            throw new IllegalArgumentException("requests per second must be between 1 and 200, not " + requestsPerSecond);
        }
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        this.request = HttpRequest.newBuilder(serviceBase.resolve("/api/orders")).timeout(Duration.ofSeconds(2)).GET().build();
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-load");
            t.setDaemon(true);
            return t;
        });
        long periodMicros = 1_000_000L / requestsPerSecond;
        ticker.scheduleAtFixedRate(this::send, 0, periodMicros, TimeUnit.MICROSECONDS);
    }

    /** Starts sending {@code requestsPerSecond} requests a second to {@code serviceBase}/api/orders. */
    static LoadGenerator start(URI serviceBase, int requestsPerSecond) {
        return new LoadGenerator(serviceBase, requestsPerSecond);
    }

    private void send() {
        if (!inFlight.tryAcquire()) {
            return;
        }
        sent.incrementAndGet();
        client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
            if (error != null || response.statusCode() >= 500) {
                failed.incrementAndGet();
            }
            inFlight.release();
        });
    }

    /** Requests sent so far. */
    long sent() {
        return sent.get();
    }

    /** Requests answered with 5xx or not at all so far. */
    long failed() {
        return failed.get();
    }

    /** Stops sending and waits briefly for the scheduler to end. */
    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
