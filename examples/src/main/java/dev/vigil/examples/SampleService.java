package dev.vigil.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small service for the demo, on loopback, whose deployed version can be switched.
 *
 * <ul>
 *   <li>{@code GET /actuator/health}: Spring Boot's health format ({@code {"status":"UP","components":{...}}});</li>
 *   <li>{@code GET /api/orders}: the API; version {@value #BAD_VERSION} answers 1 request in 4 with 500 and
 *       every request slowly;</li>
 *   <li>{@code GET /actuator/prometheus}: request counters and the time spent answering, as Spring Boot's
 *       {@code http_server_requests_seconds_count} and {@code _sum}, in Prometheus' text format;</li>
 *   <li>{@code GET /version}: the deployed version;</li>
 *   <li>{@code POST /admin/deploy?version=V} and {@code POST /admin/rollback}: what a release tool does.</li>
 * </ul>
 * Thread-safe. Close it to stop it.
 */
public final class SampleService implements AutoCloseable {

    /** The version with the regression: errors and slow answers. */
    public static final String BAD_VERSION = "2.0.0";

    private final HttpServer server;
    private final ExecutorService executor;
    private final AtomicReference<String> version;
    private final AtomicReference<String> previous = new AtomicReference<>();
    private final Map<String, AtomicLong> requests = new ConcurrentHashMap<>();
    /** Time spent answering, in nanoseconds, by the same keys as {@link #requests}. */
    private final Map<String, AtomicLong> nanos = new ConcurrentHashMap<>();

    private SampleService(String initialVersion) throws IOException {
        this.version = new AtomicReference<>(initialVersion);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        this.executor = Executors.newFixedThreadPool(16, r -> {
            Thread t = new Thread(r, "sample-service");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/actuator/health", this::health);
        server.createContext("/api/orders", this::orders);
        server.createContext("/actuator/prometheus", this::metrics);
        server.createContext("/version", ex -> respond(ex, 200, "text/plain", version.get()));
        server.createContext("/admin/deploy", this::deploy);
        server.createContext("/admin/rollback", this::rollback);
        server.start();
    }

    /** Starts the service on a free loopback port with the given version deployed. */
    public static SampleService start(String initialVersion) throws IOException {
        return new SampleService(initialVersion);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The version now deployed. */
    public String version() {
        return version.get();
    }

    /** Deploys a version, remembering the one it replaces for {@link #rollback()}. */
    public void deploy(String newVersion) {
        previous.set(version.getAndSet(newVersion));
    }

    /** Switches back to the version before the last deploy; returns the version now running. */
    public String rollback() {
        String back = previous.getAndSet(null);
        if (back != null) {
            version.set(back);
        }
        return version.get();
    }

    /** Whether the deployed version has the regression. */
    public boolean regressed() {
        return BAD_VERSION.equals(version.get());
    }

    private void health(HttpExchange ex) throws IOException {
        String body = regressed()
                ? "{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"UP\"},"
                        + "\"orders\":{\"status\":\"DOWN\",\"details\":{\"error\":\"connection pool exhausted\"}}}}"
                : "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\"},\"orders\":{\"status\":\"UP\"}}}";
        respond(ex, regressed() ? 503 : 200, "application/vnd.spring-boot.actuator.v3+json", body);
    }

    private void orders(HttpExchange ex) throws IOException {
        long start = System.nanoTime();
        boolean bad = regressed();
        if (bad) {
            try {
                Thread.sleep(300 + ThreadLocalRandom.current().nextInt(200));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        boolean error = bad && ThreadLocalRandom.current().nextInt(4) == 0;
        int status = error ? 500 : 200;
        String key = status + "|" + version.get();
        requests.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        nanos.computeIfAbsent(key, k -> new AtomicLong()).addAndGet(System.nanoTime() - start);
        respond(ex, status, "application/json",
                error ? "{\"error\":\"order store unavailable\"}" : "{\"orders\":[],\"version\":\"" + version.get() + "\"}");
    }

    private void metrics(HttpExchange ex) throws IOException {
        StringBuilder text = new StringBuilder("# TYPE http_server_requests_seconds_count counter\n");
        requests.forEach((key, count) -> {
            String[] parts = key.split("\\|");
            text.append("http_server_requests_seconds_count{uri=\"/api/orders\",status=\"").append(parts[0])
                    .append("\",version=\"").append(parts[1]).append("\"} ").append(count.get()).append('\n');
        });
        text.append("# TYPE http_server_requests_seconds_sum counter\n");
        nanos.forEach((key, sum) -> {
            String[] parts = key.split("\\|");
            text.append("http_server_requests_seconds_sum{uri=\"/api/orders\",status=\"").append(parts[0])
                    .append("\",version=\"").append(parts[1]).append("\"} ").append(sum.get() / 1e9).append('\n');
        });
        text.append("# TYPE sample_version_info gauge\nsample_version_info{version=\"").append(version.get()).append("\"} 1\n");
        respond(ex, 200, "text/plain; version=0.0.4", text.toString());
    }

    private void deploy(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getQuery();
        if (!"POST".equals(ex.getRequestMethod()) || query == null || !query.startsWith("version=")) {
            respond(ex, 400, "text/plain", "POST /admin/deploy?version=V");
            return;
        }
        deploy(query.substring("version=".length()));
        respond(ex, 200, "text/plain", version.get());
    }

    private void rollback(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            respond(ex, 405, "text/plain", "POST only");
            return;
        }
        ex.getRequestBody().readAllBytes();
        respond(ex, 200, "text/plain", "rolled back to " + rollback());
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
