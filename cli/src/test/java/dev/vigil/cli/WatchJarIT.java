package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify --watch} through {@code java -jar vigil.jar}, on the real clock: the watch after a
 * healthy bake, its reports beside the bake's, its exit code, and a signal that stops it.
 */
class WatchJarIT {

    @TempDir
    Path work;

    private HttpServer service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop(0);
        }
    }

    /** A health endpoint that is UP for its first {@code healthy} answers, then DOWN. */
    private int serve(int healthy, AtomicInteger answered) throws IOException {
        return serve(() -> answered.incrementAndGet() <= healthy);
    }

    /** A health endpoint that is UP while {@code isUp} says so, else DOWN. */
    private int serve(java.util.function.BooleanSupplier isUp) throws IOException {
        service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.setExecutor(Executors.newFixedThreadPool(2));
        service.createContext("/health", exchange -> {
            boolean up = isUp.getAsBoolean();
            byte[] body = ("{\"status\":\"" + (up ? "UP" : "DOWN") + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        service.start();
        return service.getAddress().getPort();
    }

    private Path config(int port, String... more) throws IOException {
        String config = String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.previous-version=1.0.0",
                "vigil.plan.interval=1s",
                "vigil.plan.duration=2s",
                "vigil.probes.health.type=actuator",
                "vigil.probes.health.url=http://127.0.0.1:" + port + "/health",
                "vigil.probes.health.timeout=1s",
                "vigil.probes.health.max-attempts=1",
                "vigil.rollback.command=echo rolled back",
                String.join("\n", more),
                "");
        return Files.writeString(work.resolve("vigil.properties"), config);
    }

    @Test
    void aServiceThatFailsDuringTheWatchIsRolledBackAndTheWatchDecidesTheExitCode() throws Exception {
        // Healthy through the bake (2 rounds) and the watch's first 3 rounds, then DOWN.
        AtomicInteger answered = new AtomicInteger();
        Path file = config(serve(5, answered), "vigil.plan.watch=60s", "vigil.plan.watch-interval=1s");

        VigilJar.Result run = VigilJar.in(work, Map.of()).run("verify", "--config", file.toString(), "--version", "2.0.0",
                "--report-dir", "reports", "--watch", "--no-recheck", "--progress", "lines");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(run.out()).contains("Vigil: watching checkout 2.0.0 after its healthy bake: 60 rounds every 1s")
                .contains("(the watch after the bake)");
        ObjectMapper json = new ObjectMapper();
        JsonNode bake = json.readTree(work.resolve("reports/report.json").toFile());
        assertThat(bake.path("phase").asText()).isEqualTo("BAKE");
        assertThat(bake.path("verdict").asText()).isEqualTo("HEALTHY");
        JsonNode watch = json.readTree(work.resolve("reports/watch/report.json").toFile());
        assertThat(watch.path("phase").asText()).isEqualTo("WATCH");
        assertThat(watch.path("verdict").asText()).isEqualTo("UNHEALTHY");
        assertThat(watch.path("reason").asText()).contains("probe health failed once (max-failures 0)");
        assertThat(watch.path("rollback").path("outcome").asText()).isEqualTo("ROLLED_BACK");
        // The watch's fourth round is the first DOWN answer and breaks the limit at once.
        assertThat(watch.path("rounds").asInt()).isEqualTo(4);
        assertThat(answered).hasValue(6);
    }

    @Test
    void withoutWatchVerifyEndsWithTheBakeEvenWhenAWatchIsConfigured() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        Path file = config(serve(100, answered), "vigil.plan.watch=1h");

        VigilJar.Result run = VigilJar.in(work, Map.of()).run("verify", "--config", file.toString(), "--version", "2.0.0",
                "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(answered).hasValue(2);
        assertThat(work.resolve("reports/watch")).doesNotExist();
    }

    @Test
    void watchWithoutAWatchPlanIsAUsageError() throws Exception {
        Path file = config(serve(100, new AtomicInteger()));

        VigilJar.Result run = VigilJar.in(work, Map.of()).run("verify", "--config", file.toString(), "--version", "2.0.0",
                "--watch");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--watch needs vigil.plan.watch");
    }

    @Test
    void aWatchOfZeroFromTheEnvironmentIsNamedAsTheEnvironmentVariable() throws Exception {
        Path file = config(serve(100, new AtomicInteger()), "vigil.plan.watch=1h");

        VigilJar.Result run = VigilJar.in(work, Map.of("VIGIL_PLAN_WATCH", "0s")).run("verify", "--config", file.toString(),
                "--version", "2.0.0", "--watch");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        // The file says 1h: an error that named the file's key sent the reader to the wrong place.
        assertThat(run.err()).contains("vigil.plan.watch is 0s (no watch) from the environment variable VIGIL_PLAN_WATCH")
                .doesNotContain("in " + file);
    }

    @Test
    void aSignalStopsTheWatchWithNothingRolledBack() throws Exception {
        AtomicInteger answered = new AtomicInteger();
        Path file = config(serve(1000, answered), "vigil.plan.watch=1h", "vigil.plan.watch-interval=1s");

        VigilJar.Started started = VigilJar.in(work, Map.of()).start("verify", "--config", file.toString(), "--version",
                "2.0.0", "--report-dir", "reports", "--watch", "--progress", "lines");
        started.awaitOutput("Vigil: watching checkout 2.0.0");
        while (answered.get() < 4) {
            Thread.sleep(50);
        }
        started.process().destroy();
        VigilJar.Result run = started.await();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        JsonNode watch = new ObjectMapper().readTree(work.resolve("reports/watch/report.json").toFile());
        assertThat(watch.path("verdict").asText()).isEqualTo("ABORTED");
        assertThat(watch.path("reason").asText()).startsWith("watch stopped at round ");
        assertThat(watch.path("rollback").path("outcome").asText()).isEqualTo("NOT_NEEDED");
        assertThat(run.out()).doesNotContain("Rolling back").contains("the watch was stopped before its end");
    }

    /**
     * Two pipelines, two processes, one release history: 2.0.0's watch runs in one process when the
     * other deploys 2.1.0 and verifies it. 2.1.0 then fails: the old watch must not run its
     * rollback, which would undo 2.1.0 (its own verification judges it); it ends exit 3 naming the
     * newer verification. Before the start log, the old watch rolled 2.1.0 back to 1.0.0.
     */
    @Test
    void aWatchDoesNotRollBackWhatAnotherProcessDeployedAndVerifiedSince() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean();
        int port = serve(() -> !down.get());
        Path file = config(port, "vigil.deployment.environment=production",
                "vigil.plan.watch=1h", "vigil.plan.watch-interval=1s");

        VigilJar.Started old = VigilJar.in(work, Map.of()).start("verify", "--config", file.toString(), "--version", "2.0.0",
                "--previous-version", "1.0.0", "--report-dir", "old", "--watch", "--no-recheck", "--progress", "lines");
        old.awaitOutput("Vigil: watching checkout 2.0.0");
        VigilJar.Result newer = VigilJar.in(work, Map.of()).run("verify", "--config", file.toString(), "--version", "2.1.0",
                "--previous-version", "2.0.0", "--report-dir", "newer", "--no-recheck");
        assertThat(newer.exitCode()).as(newer.toString()).isEqualTo(ExitCodes.HEALTHY);
        down.set(true);
        VigilJar.Result run = old.await();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INCONCLUSIVE);
        JsonNode watch = new ObjectMapper().readTree(work.resolve("old/watch/report.json").toFile());
        assertThat(watch.path("reason").asText()).contains("superseded by the verification of checkout 2.1.0 (started ")
                .contains("as the release history records");
        assertThat(watch.path("rollback").path("outcome").asText()).isEqualTo("NOT_NEEDED");
        assertThat(run.out()).doesNotContain("Rolling back")
                .contains("Next:     nothing was rolled back: the verification of checkout 2.1.0 (started ")
                .contains("took this one's place, and judges what runs now; the bake's verdict of 2.0.0 stands.");
        assertThat(watch.path("supersededBy").asText()).startsWith("the verification of checkout 2.1.0 (started ");
    }
}
