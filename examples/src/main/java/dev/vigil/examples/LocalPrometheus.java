package dev.vigil.examples;

import dev.vigil.command.Programs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus for the demo: the {@code prometheus} binary (Debian's package) started on a
 * free loopback port with a temporary configuration and data folder, scraping one target every
 * second. Closing it stops the process (and any child) and deletes the folder. Not thread-safe.
 */
final class LocalPrometheus implements AutoCloseable {

    /** The environment variable naming the binary when it is not {@code prometheus} on the PATH. */
    static final String BINARY_ENV = "PROMETHEUS_BIN";
    /** How to get the binary, for messages. */
    static final String INSTALL_HINT = "apt-get install -y --no-install-recommends prometheus";

    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(40);

    private final Process process;
    private final Path folder;
    private final Path log;
    private final URI baseUri;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    /** Stops the process when the JVM ends before {@link #close()} (Ctrl-C), so that none is left behind. */
    private final Thread stopOnExit;

    private LocalPrometheus(Process process, Path folder, Path log, URI baseUri) {
        this.process = process;
        this.folder = folder;
        this.log = log;
        this.baseUri = baseUri;
        this.stopOnExit = new Thread(() -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }, "demo-prometheus-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /** The binary: {@value #BINARY_ENV} when set and executable, else {@code prometheus} on the PATH or in /usr/bin. */
    static Optional<Path> findBinary() {
        String explicit = System.getenv(BINARY_ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) && !Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        return Programs.find("prometheus").or(() -> Programs.find("/usr/bin/prometheus"));
    }

    /**
     * Starts Prometheus scraping {@code target} (host:port, path {@code metricsPath}) every second.
     * Returns once the process answers; call {@link #awaitQuery} to wait for data.
     *
     * @throws IOException when the process cannot start or does not answer within 40 s (it is stopped then)
     */
    static LocalPrometheus start(Path binary, String target, String metricsPath) throws IOException {
        Path folder = Files.createTempDirectory("vigil-demo-prometheus-");
        Path config = folder.resolve("prometheus.yml");
        Files.writeString(config, String.join("\n",
                "global:",
                "  scrape_interval: 1s",
                "  evaluation_interval: 1s",
                "scrape_configs:",
                "  - job_name: orders",
                "    metrics_path: " + metricsPath,
                "    static_configs:",
                "      - targets: ['" + target + "']",
                ""));
        Path log = folder.resolve("prometheus.log");
        int port = freePort();
        Process process = new ProcessBuilder(binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        LocalPrometheus prometheus = new LocalPrometheus(process, folder, log, URI.create("http://127.0.0.1:" + port));
        try {
            prometheus.awaitQuery("vector(1)", body -> body.contains("\"success\""), STARTUP_LIMIT);
        } catch (IOException | RuntimeException e) {
            prometheus.close();
            throw e;
        }
        return prometheus;
    }

    /** Where Prometheus answers, e.g. {@code http://127.0.0.1:41235}. */
    URI baseUri() {
        return baseUri;
    }

    /**
     * Waits until an instant query answers with a body that {@code ready} accepts.
     *
     * @throws IOException when the process exits or the limit passes first (the message holds the last answer)
     */
    void awaitQuery(String query, Predicate<String> ready, Duration limit) throws IOException {
        URI uri = baseUri.resolve("/api/v1/query?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("Prometheus exited with code " + process.exitValue() + ": " + tail());
            }
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                if (response.statusCode() == 200 && ready.test(response.body())) {
                    return;
                }
            } catch (IOException e) {
                last = e.getMessage() == null ? e.toString() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Prometheus", e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for Prometheus", e);
            }
        }
        throw new IOException("Prometheus did not answer '" + query + "' as expected within " + limit.toSeconds()
                + " s; last answer: " + last);
    }

    private String tail() {
        try {
            String text = Files.readString(log);
            return text.length() > 2000 ? text.substring(text.length() - 2000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Stops the process and its children (SIGTERM, then SIGKILL after 10 s) and deletes the folder. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook runs anyway.
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // A leftover temporary folder is not worth failing the demo for.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
