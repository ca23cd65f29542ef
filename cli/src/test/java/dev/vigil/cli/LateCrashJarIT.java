package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
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
 * The end-of-bake rule on the real clock, through {@code java -jar vigil.jar}: a service that stops
 * answering two rounds before the end of the bake is never promoted.
 */
class LateCrashJarIT {

    @TempDir
    Path work;

    private HttpServer service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop(0);
        }
    }

    @Test
    void aServiceThatStopsAnsweringTwoRoundsBeforeTheEndIsNeverHealthy() throws Exception {
        // Six rounds a second apart; the service answers the first four and is gone from then on.
        AtomicInteger answered = new AtomicInteger();
        service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        service.setExecutor(Executors.newSingleThreadExecutor());
        service.createContext("/health", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
            if (answered.incrementAndGet() == 4) {
                new Thread(() -> service.stop(0)).start();
            }
        });
        service.start();
        String config = String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.previous-version=1.0.0",
                "vigil.plan.interval=1s",
                "vigil.plan.duration=6s",
                "vigil.probes.health.type=actuator",
                "vigil.probes.health.url=http://127.0.0.1:" + service.getAddress().getPort() + "/health",
                "vigil.probes.health.timeout=1s",
                "vigil.probes.health.retry-backoff=50ms",
                "vigil.rollback.command=echo rolled back",
                "");
        Path file = Files.writeString(work.resolve("vigil.properties"), config);

        VigilJar.Result run = VigilJar.in(work, Map.of())
                .run("verify", "--config", file.toString(), "--version", "2.0.0", "--report-dir", "reports");

        assertThat(answered).as("the service answered four rounds").hasValue(4);
        // The rollback command changes nothing here, so the re-check finds the service still down: exit 5.
        assertThat(run.exitCode()).as(run.toString()).isNotEqualTo(ExitCodes.HEALTHY)
                .isEqualTo(ExitCodes.PREVIOUS_VERSION_UNHEALTHY);
        JsonNode report = new ObjectMapper().readTree(work.resolve("reports").resolve("report.json").toFile());
        assertThat(report.path("verdict").asText()).isEqualTo("UNHEALTHY");
        assertThat(report.path("reason").asText()).contains("max-consecutive-errors 4").contains("end-of-bake rule");
        // The rule: after the planned six rounds the probe is measured alone until its fifth error in a
        // row breaks max-consecutive-errors 4. Normally rounds 5 and 6 are the first two errors, so
        // three extra rounds; on a busy machine a cold first request may time out and shift the crash
        // by a round, which the count follows.
        int trailingErrors = 0;
        for (int i = 0; i < 6; i++) {
            String outcome = report.path("probes").get(0).path("measurements").get(i).path("outcome").asText();
            trailingErrors = outcome.equals("ERROR") ? trailingErrors + 1 : 0;
        }
        assertThat(trailingErrors).as("the service is gone at the end of the planned rounds").isBetween(1, 2);
        assertThat(report.path("schedule").path("extraRounds").asInt()).isEqualTo(5 - trailingErrors);
        assertThat(report.path("rollback").path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(report.path("recheckResult").path("status").asText()).isEqualTo("UNHEALTHY");
    }
}
