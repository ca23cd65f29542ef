package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.command.Programs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Prometheus (the Debian package, 2.42) for a test: started on a free loopback port with a
 * temporary configuration and data folder, scraping every second a {@code /metrics} endpoint this
 * class serves from a supplier, and stopped by {@link #stop()}.
 *
 * <p>Without a {@code prometheus} binary (on the PATH or in {@code PROMETHEUS_BIN}) the test is
 * skipped with a message that says how to install it; with {@code VIGIL_REQUIRE_PROMETHEUS=true}
 * it fails instead.
 */
final class PrometheusServer {

    static final String REQUIRE_ENV = "VIGIL_REQUIRE_PROMETHEUS";

    private final HttpServer target;
    private final Process process;
    private final Path log;
    private final String baseUrl;

    private PrometheusServer(HttpServer target, Process process, Path log, String baseUrl) {
        this.target = target;
        this.process = process;
        this.log = log;
        this.baseUrl = baseUrl;
    }

    /**
     * Starts Prometheus scraping {@code metrics} (the text exposition format) as job {@code app}, or
     * skips the test when there is no binary.
     */
    static PrometheusServer start(Path folder, Supplier<String> metrics) throws IOException {
        Optional<Path> binary = findBinary();
        if (binary.isEmpty()) {
            String explicit = System.getenv("PROMETHEUS_BIN");
            String message = (explicit == null || explicit.isBlank()
                    ? "Prometheus binary not found on the PATH"
                    : "PROMETHEUS_BIN=" + explicit + " is not an executable file") + ": install Prometheus with"
                    + " 'sudo apt-get install -y --no-install-recommends prometheus' (or .ci/install-prometheus.sh)."
                    + " Set " + REQUIRE_ENV + "=true to make a missing binary fail the build.";
            if ("true".equalsIgnoreCase(System.getenv(REQUIRE_ENV))) {
                fail(message);
            }
            Assumptions.abort(message);
        }
        HttpServer target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            byte[] body = metrics.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        target.start();
        int port = freePort();
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: app",
                "    static_configs:",
                "      - targets: ['127.0.0.1:" + target.getAddress().getPort() + "']",
                ""));
        Path log = folder.resolve("prometheus.log");
        Process process = new ProcessBuilder(binary.get().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        return new PrometheusServer(target, process, log, "http://127.0.0.1:" + port);
    }

    String baseUrl() {
        return baseUrl;
    }

    /**
     * Waits until {@code query} has a value that is not NaN: Prometheus is up and has scraped the
     * target often enough (it starts scraping a new target about 5 s after it starts).
     */
    void awaitData(String query, Duration limit) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI uri = URI.create(baseUrl + "/api/v1/query?query=" + java.net.URLEncoder.encode(query, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("Prometheus exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.body();
                if (response.statusCode() == 200 && last.contains("\"value\"") && !last.contains("NaN")) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        fail("Prometheus had no data for " + query + " after " + limit + "; last answer: " + last + "; log: "
                + Files.readString(log));
    }

    /** Stops Prometheus and the metrics endpoint. */
    void stop() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        target.stop(0);
    }

    private static Optional<Path> findBinary() {
        String explicit = System.getenv("PROMETHEUS_BIN");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        return Programs.find("prometheus").or(() -> Programs.find("/usr/bin/prometheus"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
