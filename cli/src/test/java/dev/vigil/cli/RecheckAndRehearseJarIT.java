package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The judged re-check and the rollback rehearsal through {@code java -jar vigil.jar}, against a
 * real HTTP service: version 2.0.0 answers 503; its rollback endpoint brings back 1.0.0, which is
 * healthy two seconds after the rollback, or never when it is broken too; a broken rollback
 * endpoint answers 500.
 */
class RecheckAndRehearseJarIT {

    @TempDir
    Path work;

    private HttpServer server;
    private final AtomicReference<String> version = new AtomicReference<>("2.0.0");
    private final AtomicLong rolledBackAt = new AtomicLong();
    private final AtomicInteger rollbacks = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Starts the service; the previous version is healthy {@code 2 s} after a rollback unless {@code previousBroken}. */
    private void start(boolean previousBroken, boolean rollbackWorks) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/health", exchange -> {
            boolean previous = version.get().equals("1.0.0");
            boolean healthy = previous && !previousBroken && System.nanoTime() - rolledBackAt.get() >= 2_000_000_000L;
            answer(exchange, healthy ? 200 : 503, "{\"status\":\"" + (healthy ? "UP" : "DOWN") + "\",\"version\":\"" + version.get() + "\"}");
        });
        server.createContext("/rollback", exchange -> {
            exchange.getRequestBody().readAllBytes();
            rollbacks.incrementAndGet();
            if (!rollbackWorks) {
                answer(exchange, 500, "{\"error\":\"deployment controller unreachable\"}");
                return;
            }
            rolledBackAt.set(System.nanoTime());
            version.set("1.0.0");
            answer(exchange, 200, "{\"rolledBackTo\":\"1.0.0\"}");
        });
        server.start();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Path config(String... extra) throws IOException {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        StringBuilder text = new StringBuilder(String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.previous-version=1.0.0",
                "vigil.plan.interval=1s",
                "vigil.plan.duration=3s",
                "vigil.probes.health.type=actuator",
                "vigil.probes.health.url=" + base + "/health",
                "vigil.probes.health.timeout=1s",
                "vigil.rollback.webhook.url=" + base + "/rollback",
                "vigil.rollback.max-attempts=1",
                "vigil.rollback.recheck.delay=3s",
                "")).append('\n');
        for (String line : extra) {
            text.append(line).append('\n');
        }
        return Files.writeString(work.resolve("vigil.properties"), text.toString());
    }

    @Test
    void aPreviousVersionHealthyTwoSecondsAfterTheRollbackPassesTheRecheckAndExitsOne() throws Exception {
        start(false, true);

        VigilJar.Result run = VigilJar.in(work, Map.of())
                .run("verify", "--config", config().toString(), "--version", "2.0.0", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(run.out()).contains("Re-check: HEALTHY: the previous version 1.0.0: all 1 probe passed");
        JsonNode recheck = new ObjectMapper().readTree(work.resolve("reports/report.json").toFile()).path("recheckResult");
        assertThat(recheck.path("status").asText()).isEqualTo("HEALTHY");
        assertThat(recheck.path("rounds").asInt()).isEqualTo(3);
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void aPreviousVersionBrokenTooExitsFiveAndNamesTheProbe() throws Exception {
        start(true, true);

        VigilJar.Result run = VigilJar.in(work, Map.of())
                .run("verify", "--config", config().toString(), "--version", "2.0.0", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.PREVIOUS_VERSION_UNHEALTHY);
        assertThat(run.out()).contains("Re-check: UNHEALTHY: the previous version 1.0.0: probe health failed once")
                .contains("A PERSON MUST LOOK NOW");
    }

    @Test
    void noRecheckIsStatedAndExitsOne() throws Exception {
        start(true, true);

        VigilJar.Result run = VigilJar.in(work, Map.of())
                .run("verify", "--config", config().toString(), "--version", "2.0.0", "--no-recheck", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(run.out()).contains("Re-check: OFF (the re-check after the rollback is switched off");
    }

    @Test
    void aRehearsalWithAWorkingRollbackEndpointIsRehearsed() throws Exception {
        start(false, true);

        VigilJar.Result run = VigilJar.in(work, Map.of()).run("rehearse", "--config", config().toString(),
                "--version", "2.0.0", "--environment", "staging");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(run.out()).contains("Rehearsal: REHEARSED").contains("Re-check:  HEALTHY");
        assertThat(version.get()).isEqualTo("1.0.0");
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void aRehearsalWithABrokenRollbackEndpointFailsWithExitFour() throws Exception {
        start(false, false);

        VigilJar.Result run = VigilJar.in(work, Map.of()).run("rehearse", "--config", config().toString(),
                "--version", "2.0.0", "--environment", "staging");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(run.out()).contains("Rehearsal: FAILED").contains("the rollback did not work (FAILED)").contains("500");
        assertThat(version.get()).isEqualTo("2.0.0");
    }

    @Test
    void aRehearsalInProductionIsRefused() throws Exception {
        start(false, true);

        VigilJar.Result run = VigilJar.in(work, Map.of()).run("rehearse", "--config", config().toString(),
                "--version", "2.0.0", "--environment", "production");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("never runs in production");
        assertThat(rollbacks).hasValue(0);
    }
}
