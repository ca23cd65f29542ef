package dev.vigil.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar vigil.jar verify --debug} with credentials that are canaries: a bearer token and
 * an {@code X-Api-Key} on an HTTP fleet that is redirected to another host, on a server that echoes
 * them back, on a Prometheus that fails quoting them and on an instance that refuses connections.
 * The debug run must show Vigil's debug logging and stack traces of what went wrong, yet neither
 * canary anywhere: not on stdout, not on stderr, not in any report.
 */
class DebugSecretsIT {

    private static final String TOKEN = "canary-tok-7e21a9-never-print-me";
    private static final String KEY = "canary-key-3f88d2-never-print-me";

    private static WireMockServer service;
    private static WireMockServer elsewhere;

    @TempDir
    Path work;

    @BeforeAll
    static void startServices() {
        service = new WireMockServer(options().dynamicPort());
        elsewhere = new WireMockServer(options().dynamicPort());
        service.start();
        elsewhere.start();
        service.stubFor(get(urlPathEqualTo("/moved")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", elsewhere.baseUrl() + "/moved")));
        elsewhere.stubFor(get(anyUrl()).willReturn(aResponse().withStatus(200).withBody("landed")));
        service.stubFor(get(urlPathEqualTo("/echo")).willReturn(aResponse().withStatus(200)
                .withBody("auth={{request.headers.Authorization}} key={{request.headers.X-Api-Key}}")
                .withTransformers("response-template")));
        service.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"rejected {{request.headers.Authorization}}"
                        + " {{request.headers.X-Api-Key}}\"}")
                .withTransformers("response-template")));
    }

    @AfterAll
    static void stopServices() {
        service.stop();
        elsewhere.stop();
    }

    @Test
    void debugShowsVigilsLoggingButNeverACredentialInAnyOutputOrReport() throws Exception {
        int refused;
        try (ServerSocket socket = new ServerSocket(0)) {
            refused = socket.getLocalPort();
        }
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.previous-version", "2.4.0");
        p.put("vigil.plan.interval", "2s");
        p.put("vigil.plan.duration", "4s");
        credentials(p, "moved", "http", service.baseUrl() + "/moved");
        p.put("vigil.probes.moved.pass-when", "status == 200");
        credentials(p, "echo", "http", service.baseUrl() + "/echo");
        p.put("vigil.probes.echo.pass-when", "body == \"nothing\"");
        p.put("vigil.probes.echo.max-failures", "5");
        credentials(p, "refused", "http", "http://127.0.0.1:" + refused + "/health");
        p.put("vigil.probes.refused.max-consecutive-errors", "5");
        p.put("vigil.probes.metrics.type", "prometheus");
        p.put("vigil.probes.metrics.base-url", service.baseUrl());
        p.put("vigil.probes.metrics.query", "up");
        p.put("vigil.probes.metrics.pass-when", "value == 1");
        p.put("vigil.probes.metrics.bearer-token", "${CANARY_TOKEN}");
        p.put("vigil.probes.metrics.headers.X-Api-Key", "${CANARY_KEY}");
        p.put("vigil.probes.metrics.max-consecutive-errors", "5");
        p.put("vigil.rollback.command", "echo rolled back");
        p.put("vigil.rollback.max-attempts", "1");
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path config = Files.writeString(work.resolve("vigil.properties"), text.toString());

        VigilJar.Result run = VigilJar.in(work, Map.of("CANARY_TOKEN", TOKEN, "CANARY_KEY", KEY))
                .run("verify", "--debug", "--config", config.toString(), "--version", "2.4.1", "--report-dir", "reports");

        assertThat(run.err()).as("Vigil's own debug logging is on").contains("DEBUG");
        assertThat(run.exitCode()).as(run.toString()).isIn(ExitCodes.ROLLED_BACK, ExitCodes.INCONCLUSIVE);
        service.verify(getRequestedFor(urlEqualTo("/moved")).withHeader("X-Api-Key", equalTo(KEY)));
        service.verify(getRequestedFor(urlPathEqualTo("/echo")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        elsewhere.verify(getRequestedFor(urlEqualTo("/moved")).withHeader("X-Api-Key", absent())
                .withHeader("Authorization", absent()));
        List<String> texts = new ArrayList<>(List.of(run.out(), run.err()));
        try (Stream<Path> files = Files.list(work.resolve("reports"))) {
            for (Path f : files.toList()) {
                texts.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(texts).as("stdout, stderr and the reports").hasSizeGreaterThanOrEqualTo(6)
                .noneMatch(t -> t.contains(TOKEN) || t.contains(KEY));
        assertThat(String.join("\n", texts)).as("the echoed and quoted credentials, redacted").contains("****");
    }

    private static void credentials(Map<String, String> p, String probe, String type, String url) {
        p.put("vigil.probes." + probe + ".type", type);
        p.put("vigil.probes." + probe + ".url", url);
        p.put("vigil.probes." + probe + ".bearer-token", "${CANARY_TOKEN}");
        p.put("vigil.probes." + probe + ".headers.X-Api-Key", "${CANARY_KEY}");
        p.put("vigil.probes." + probe + ".timeout", "2s");
    }
}
