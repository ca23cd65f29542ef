package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackEvent;
import dev.vigil.rollback.RollbackTriggers;
import java.io.File;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifies deployments against a real Prometheus (the Debian package, 2.42) that scrapes a metrics
 * endpoint served by this test: a healthy release ends HEALTHY, an error spike mid-bake ends
 * UNHEALTHY and runs the rollback.
 *
 * <p>Skipped when no {@code prometheus} binary is found (on the PATH or in {@code PROMETHEUS_BIN});
 * fails instead when {@code VIGIL_REQUIRE_PROMETHEUS=true}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPrometheusTest {

    static final String REQUIRE_ENV = "VIGIL_REQUIRE_PROMETHEUS";

    /**
     * The error ratio over the last 10 s (wide enough for a scrape or two that come late on a busy
     * machine). The error series exists only after the first error, so the numerator is empty until
     * then: {@code or vector(0)} reads that as 0.
     */
    static final String ERROR_RATIO = "(sum(rate(app_requests_total{status=~\"5..\"}[10s])) or vector(0))"
            + " / sum(rate(app_requests_total[10s]))";

    @TempDir
    static Path folder;

    private static Traffic traffic;
    private static HttpServer target;
    private static Process prometheus;
    private static String baseUrl;
    private static final List<PrometheusProbe> probes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startPrometheus() throws Exception {
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
        traffic = new Traffic(System.nanoTime());
        target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        target.createContext("/metrics", exchange -> {
            byte[] body = traffic.scrape(System.nanoTime()).getBytes(StandardCharsets.UTF_8);
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
        File log = folder.resolve("prometheus.log").toFile();
        prometheus = new ProcessBuilder(binary.get().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + folder.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
                .redirectErrorStream(true)
                .redirectOutput(log)
                .start();
        baseUrl = "http://127.0.0.1:" + port;
        // Prometheus takes about 5 s to scrape a new target; rate() needs two scrapes.
        awaitData(Duration.ofSeconds(30), log.toPath());
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        probes.forEach(PrometheusProbe::close);
        if (prometheus != null) {
            prometheus.descendants().forEach(ProcessHandle::destroy);
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.descendants().forEach(ProcessHandle::destroyForcibly);
                prometheus.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        if (target != null) {
            target.stop(0);
        }
    }

    @Test
    @Order(1)
    void healthyReleaseEndsHealthy() {
        List<RollbackEvent> rollbacks = new CopyOnWriteArrayList<>();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("error-rate", probe(PrometheusProbe.builder().query(ERROR_RATIO).failWhen("value > 0.05")), limits())
                .probe("error-rate-window", probe(PrometheusProbe.builder().query(ERROR_RATIO).failWhen("value > 0.05")
                        .range(Duration.ofSeconds(6), Duration.ofSeconds(1))), limits())
                .probe("target-up", probe(PrometheusProbe.builder().query("up{job=\"app\"}").passWhen("value == 1")), limits())
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(8)))
                .rollback(RollbackTriggers.callback("record", (RollbackTriggers.Callback) rollbacks::add))
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(describe(report)).isEqualTo(Verdict.HEALTHY);
        assertThat(report.rounds()).isEqualTo(8);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(rollbacks).isEmpty();
        Measurement up = report.probe("target-up").orElseThrow().measurements().get(0);
        assertThat(up.explanation()).contains("up{instance=\"127.0.0.1:").contains("job=\"app\"}");
        assertThat(report.probe("error-rate-window").orElseThrow().measurements().get(0).values())
                .containsKey("points");
    }

    @Test
    @Order(2)
    void errorSpikeMidBakeEndsUnhealthyAndRollsBack() throws InterruptedException {
        List<RollbackEvent> rollbacks = new CopyOnWriteArrayList<>();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("error-rate", probe(PrometheusProbe.builder().query(ERROR_RATIO).failWhen("value > 0.05")), limits())
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(20)))
                .rollback(RollbackTriggers.callback("record", (RollbackTriggers.Callback) rollbacks::add))
                .build();
        ScheduledExecutorService spike = Executors.newSingleThreadScheduledExecutor();
        try {
            spike.schedule(() -> traffic.errorsPerSecond(40), 3, TimeUnit.SECONDS);

            VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.2", "2.4.1"));

            assertThat(report.verdict()).as(describe(report)).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.reason()).contains("error-rate");
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(rollbacks).hasSize(1);
            assertThat(rollbacks.get(0).deployment().version()).isEqualTo("2.4.2");
            List<Measurement> measurements = report.probe("error-rate").orElseThrow().measurements();
            assertThat(measurements.get(0).outcome()).as("the first round, before the spike").isEqualTo(Outcome.PASS);
            Measurement failed = measurements.get(measurements.size() - 1);
            assertThat(failed.outcome()).isEqualTo(Outcome.FAIL);
            assertThat((Double) failed.values().get("value")).isGreaterThan(0.05);
            assertThat(report.timeToDetect()).isPresent();
            assertThat(report.rounds()).isLessThan(20);
        } finally {
            spike.shutdownNow();
            spike.awaitTermination(5, TimeUnit.SECONDS);
            traffic.errorsPerSecond(0);
        }
    }

    private static PrometheusProbe probe(PrometheusProbe.Builder builder) {
        PrometheusProbe probe = builder.baseUrl(baseUrl).build();
        probes.add(probe);
        return probe;
    }

    private static ProbeLimits limits() {
        return ProbeLimits.defaults().withTimeout(Duration.ofSeconds(2)).withRetryBackoff(Duration.ofMillis(100));
    }

    private static String describe(VerificationReport report) {
        StringBuilder out = new StringBuilder(report.verdict() + ": " + report.reason());
        for (ProbeReport probe : report.probes()) {
            probe.measurements().forEach(m -> out.append("\n  ").append(probe.name()).append(" round ")
                    .append(m.round()).append(' ').append(m.outcome()).append(' ').append(m.explanation()));
        }
        return out.toString();
    }

    /** Waits until the error ratio has a value: Prometheus is up and has scraped the target twice. */
    private static void awaitData(Duration limit, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        URI uri = URI.create(baseUrl + "/api/v1/query?query="
                + java.net.URLEncoder.encode(ERROR_RATIO, StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + limit.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!prometheus.isAlive()) {
                fail("Prometheus exited with " + prometheus.exitValue() + ": " + Files.readString(log));
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
        fail("Prometheus had no data after " + limit + "; last answer: " + last + "; log: " + Files.readString(log));
    }

    private static Optional<Path> findBinary() {
        String explicit = System.getenv("PROMETHEUS_BIN");
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        String pathVariable = Optional.ofNullable(System.getenv("PATH")).orElse("") + File.pathSeparator + "/usr/bin";
        for (String dir : pathVariable.split(File.pathSeparator)) {
            if (!dir.isBlank()) {
                Path candidate = Path.of(dir, "prometheus");
                if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * Synthetic traffic of the service under test: 60 requests a second, and a settable number of
     * errors a second. Like a Micrometer counter, the error series appears only after the first error.
     */
    static final class Traffic {
        private static final double REQUESTS_PER_SECOND = 60;

        private long lastNanos;
        private double ok;
        private double errors;
        private double errorsPerSecond;

        Traffic(long startNanos) {
            this.lastNanos = startNanos;
        }

        synchronized void errorsPerSecond(double value) {
            advance(System.nanoTime());
            errorsPerSecond = value;
        }

        synchronized String scrape(long nowNanos) {
            advance(nowNanos);
            StringBuilder out = new StringBuilder()
                    .append("# HELP app_requests_total Requests served.\n")
                    .append("# TYPE app_requests_total counter\n")
                    .append("app_requests_total{status=\"200\"} ").append((long) ok).append('\n');
            if (errors >= 1) {
                out.append("app_requests_total{status=\"500\"} ").append((long) errors).append('\n');
            }
            return out.toString();
        }

        private void advance(long nowNanos) {
            double seconds = (nowNanos - lastNanos) / 1e9;
            lastNanos = nowNanos;
            double failing = Math.min(errorsPerSecond, REQUESTS_PER_SECOND);
            ok += (REQUESTS_PER_SECOND - failing) * seconds;
            errors += failing * seconds;
        }
    }
}
