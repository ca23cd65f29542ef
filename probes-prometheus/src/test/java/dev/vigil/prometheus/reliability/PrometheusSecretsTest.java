package dev.vigil.prometheus.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vigil.DeployVerifier;
import dev.vigil.RetryableProbeException;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.prometheus.PrometheusProbe;
import dev.vigil.reliability.LogCapture;
import dev.vigil.report.ConsoleProgress;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Prometheus bearer token, a basic-auth password and key headers configured through properties
 * reach Prometheus and nothing else, even when a proxy in front of it echoes them in an error page.
 */
class PrometheusSecretsTest {

    private static final String BEARER = "canary-prom-bearer-4e1f";
    private static final String PASSWORD = "canary-prom-password-9a0b";
    private static final String API_KEY = "canary-prom-apikey-77c3";
    private static final String TOKEN_ENV = "canary-prom-env-token-2d5e";
    private static final List<String> CANARIES = List.of(BEARER, PASSWORD, API_KEY, TOKEN_ENV);

    private static WireMockServer server;

    @BeforeAll
    static void start() {
        server = new WireMockServer(options().dynamicPort().jettyStopTimeout(500L));
        server.start();
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(502).withHeader("Content-Type", "text/html")
                .withBody("<html><body>Bad gateway for {{request.headers.Authorization}} key {{request.headers.X-Api-Key}}"
                        + "</body></html>")
                .withTransformers("response-template")));
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    /** The deployment and a plan of one round, without probes. */
    private static Map<String, String> deployment() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.plan.interval", "2s");
        p.put("vigil.plan.duration", "2s");
        return p;
    }

    private static Map<String, String> properties() {
        Map<String, String> p = deployment();
        p.put("vigil.probes.errors.type", "prometheus");
        p.put("vigil.probes.errors.base-url", server.baseUrl() + "/bearer");
        p.put("vigil.probes.errors.query", "sum(rate(errors[1m]))");
        p.put("vigil.probes.errors.fail-when", "value > 0.01");
        p.put("vigil.probes.errors.bearer-token", BEARER);
        p.put("vigil.probes.errors.headers.X-Api-Key", API_KEY);
        p.put("vigil.probes.errors.max-attempts", "1");
        p.put("vigil.probes.latency.type", "prometheus");
        p.put("vigil.probes.latency.base-url", server.baseUrl() + "/basic");
        p.put("vigil.probes.latency.query", "max(latency)");
        p.put("vigil.probes.latency.fail-when", "value > 0.5");
        p.put("vigil.probes.latency.username", "vigil");
        p.put("vigil.probes.latency.password", PASSWORD);
        p.put("vigil.probes.latency.max-attempts", "1");
        p.put("vigil.probes.env.type", "prometheus");
        p.put("vigil.probes.env.base-url", server.baseUrl() + "/env");
        p.put("vigil.probes.env.query", "up");
        p.put("vigil.probes.env.pass-when", "value == 1");
        p.put("vigil.probes.env.bearer-token", "${PROMETHEUS_TOKEN}");
        p.put("vigil.probes.env.max-attempts", "1");
        return p;
    }

    private static VigilConfig vigil() {
        return VigilConfig.builder().environment(Map.of("PROMETHEUS_TOKEN", TOKEN_ENV)).build();
    }

    @Test
    void credentialsReachPrometheusAndNothingElse() {
        List<String> seen = new ArrayList<>();
        VerificationReport report;
        try (LogCapture log = LogCapture.start()) {
            BoundConfig config = vigil().load(properties());
            java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
            DeployVerifier verifier = config.toBuilder()
                    .listener(ConsoleProgress.to(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8)))
                    .build();
            seen.add(config.describe());
            seen.add(String.valueOf(config.properties()));
            seen.add(verifier.toString());
            config.probes().forEach(p -> seen.add(p + " " + p.probe() + " " + p.probe().description()));

            report = verifier.verifyAfterDeploy(config.deployment().toDeployment());

            seen.add(report.toString());
            report.probes().forEach(p -> p.measurements().forEach(m -> seen.add(m.toString())));
            for (ReportFormat format : ReportFormat.values()) {
                seen.add(Reports.render(report, format));
            }
            seen.add(console.toString(java.nio.charset.StandardCharsets.UTF_8));
            seen.add(log.text());
        }

        assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
        server.verify(getRequestedFor(urlPathEqualTo("/bearer/api/v1/query"))
                .withHeader("Authorization", equalTo("Bearer " + BEARER)).withHeader("X-Api-Key", equalTo(API_KEY)));
        server.verify(getRequestedFor(urlPathEqualTo("/env/api/v1/query")).withHeader("Authorization", equalTo("Bearer " + TOKEN_ENV)));
        // src/test/resources/simplelogger.properties logs the client's requests: the debug line is checked too.
        assertThat(seen.get(seen.size() - 1)).contains("DEBUG dev.vigil.prometheus.PrometheusClient - GET ");
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(CANARIES));
    }

    @Test
    void aSecretAPlaceholderPutsInTheBaseUrlsPathReachesPrometheusAndNoLogLine() {
        // A proxy that takes its key in the path: the configuration knows it is secret, the probe does not.
        String token = "canary-prom-path-token-6b1c";
        Map<String, String> p = deployment();
        p.put("vigil.probes.keyed.type", "prometheus");
        p.put("vigil.probes.keyed.base-url", server.baseUrl() + "/keys/${PROMETHEUS_PATH_TOKEN}");
        p.put("vigil.probes.keyed.query", "up");
        p.put("vigil.probes.keyed.pass-when", "value == 1");
        p.put("vigil.probes.keyed.max-attempts", "1");
        List<String> seen = new ArrayList<>();
        try (LogCapture log = LogCapture.start()) {
            BoundConfig config = VigilConfig.builder().environment(Map.of("PROMETHEUS_PATH_TOKEN", token)).build().load(p);
            VerificationReport report = config.verifier().verifyAfterDeploy(config.deployment().toDeployment());
            seen.add(Reports.render(report, ReportFormat.JSON));
            seen.add(log.text());
        }

        server.verify(getRequestedFor(urlPathEqualTo("/keys/" + token + "/api/v1/query")));
        assertThat(seen.get(1)).contains("DEBUG dev.vigil.prometheus.PrometheusClient - GET ");
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(token));
    }

    @Test
    void aCredentialParameterInTheBaseUrlsPathReachesPrometheusAndNoLogLineMessageOrDescription() throws Exception {
        // A base-url with user info, a query or a fragment is refused; a path parameter (;token=) is not.
        String token = "canary-prom-path-parameter-3f9a";
        List<String> seen = new ArrayList<>();
        try (LogCapture log = LogCapture.start();
                PrometheusProbe probe = PrometheusProbe.builder().baseUrl(server.baseUrl() + "/prometheus;token=" + token)
                        .query("up").passWhen("value == 1").build()) {
            seen.add(probe.description());
            seen.add(probe.toString());
            try {
                seen.add(String.valueOf(probe.measure(TestProbeContext.of("up", Instant.now(), Duration.ofSeconds(5)))));
            } catch (RetryableProbeException e) {
                seen.add(e.getMessage());
            }
            seen.add(log.text());
        }

        assertThat(server.getAllServeEvents()).anySatisfy(e -> assertThat(e.getRequest().getUrl()).contains(";token=" + token));
        assertThat(seen.get(2)).contains("HTTP 502").contains("/prometheus;token=****/api/v1/query");
        assertThat(seen.get(3)).contains("DEBUG dev.vigil.prometheus.PrometheusClient - GET ");
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(token));
    }

    @Test
    void aBrokenConfigurationHoldingTheCredentialsNeverShowsThem() {
        Map<String, String> broken = properties();
        broken.put("vigil.probes.errors.base-url", "ftp://" + BEARER);
        broken.put("vigil.probes.latency.step", PASSWORD);
        broken.put("vigil.probes.env.headers.Authorization", "Bearer " + TOKEN_ENV + " ${MISSING}");

        List<String> seen = new ArrayList<>();
        try (LogCapture log = LogCapture.start()) {
            assertThatThrownBy(() -> vigil().load(broken).verifier()).isInstanceOfSatisfying(ConfigurationException.class, e -> {
                seen.add(e.getMessage());
                e.problems().forEach(p -> seen.add(p.toString()));
            });
            seen.add(log.text());
        }

        assertThat(seen.get(0)).contains("vigil.probes.errors.base-url");
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(CANARIES));
    }
}
