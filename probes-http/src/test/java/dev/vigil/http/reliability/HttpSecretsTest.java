package dev.vigil.http.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.DeployVerifier;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.http.Webhooks;
import dev.vigil.reliability.LogCapture;
import dev.vigil.report.ConsoleProgress;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Secrets configured through properties (a bearer token, a password, an {@code Authorization}
 * header, an API-key header, a token in the rollback command) reach the server, and appear
 * nowhere else: not in logs, reports, measurements, exception messages or {@code toString()} —
 * even when the server echoes them back, fails, or the configuration is broken.
 */
class HttpSecretsTest {

    private static final String BEARER = "canary-bearer-91f3c2";
    private static final String PASSWORD = "canary-password-55e1a9";
    private static final String AUTHORIZATION = "canary-authz-0b7d44";
    private static final String API_KEY = "canary-apikey-3c9e18";
    private static final String DEPLOY_TOKEN = "canary-deploy-token-7a2f60";
    /** Given only under misspelt secret keys, so that nothing else can hide it. */
    private static final String MISSPELT = "canary-misspelt-c1d2e3";
    private static final List<String> CANARIES = List.of(BEARER, PASSWORD, AUTHORIZATION, API_KEY, DEPLOY_TOKEN, MISSPELT);

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().jettyStopTimeout(500L))
            .resetOnEachTest(false).build();

    @BeforeAll
    static void stubs() {
        // Echo every request header back, in the body and in response headers, and fail: the worst case.
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(401)
                .withHeader("X-Echo-Authorization", "{{request.headers.Authorization}}")
                .withHeader("X-Echo-Api-Key", "{{request.headers.X-Api-Key}}")
                .withBody("{\"error\":\"denied\",\"authorization\":\"{{request.headers.Authorization}}\","
                        + "\"apiKey\":\"{{request.headers.X-Api-Key}}\"}")
                .withTransformers("response-template")));
    }

    private static Map<String, String> properties() {
        String base = "http://localhost:" + server.getPort();
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.deployment.previous-version", "2.4.0");
        p.put("vigil.plan.interval", "2s");
        p.put("vigil.plan.duration", "2s");
        p.put("vigil.probes.bearer.type", "http");
        p.put("vigil.probes.bearer.url", base + "/bearer");
        p.put("vigil.probes.bearer.bearer-token", BEARER);
        p.put("vigil.probes.bearer.headers.X-Api-Key", API_KEY);
        p.put("vigil.probes.bearer.pass-when", "body.authorization != \"x\" && body.apiKey != \"x\" && status == 200");
        p.put("vigil.probes.basic.type", "http");
        p.put("vigil.probes.basic.url", base + "/basic");
        p.put("vigil.probes.basic.username", "vigil");
        p.put("vigil.probes.basic.password", PASSWORD);
        p.put("vigil.probes.header.type", "http");
        p.put("vigil.probes.header.url", base + "/header");
        p.put("vigil.probes.header.headers.Authorization", "Token " + AUTHORIZATION);
        p.put("vigil.rollback.command", "echo \"rolling back with ${DEPLOY_TOKEN}\"; echo \"denied for ${DEPLOY_TOKEN}\" >&2; exit 1");
        p.put("vigil.rollback.max-attempts", "2");
        p.put("vigil.rollback.backoff", "10ms");
        return p;
    }

    private static VigilConfig vigil() {
        return VigilConfig.builder().environment(Map.of("DEPLOY_TOKEN", DEPLOY_TOKEN)).build();
    }

    @Test
    void secretsReachTheServerAndNothingElse() {
        List<String> seen = new ArrayList<>();
        VerificationReport report;
        String logged;
        try (LogCapture log = LogCapture.start()) {
            BoundConfig config = vigil().load(properties());
            java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
            DeployVerifier verifier = config.toBuilder()
                    .listener(ConsoleProgress.to(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8)))
                    // A notifier the server refuses: its warning goes to the log.
                    .listener(Webhooks.notifier(Webhooks.target("http://localhost:" + server.getPort() + "/notify")
                            .basicAuth("vigil", PASSWORD).header("X-Api-Key", API_KEY).build()))
                    .build();
            seen.add(config.describe());
            seen.add(String.valueOf(config.properties()));
            seen.add(config.toString());
            seen.add(verifier.toString());
            config.probes().forEach(p -> seen.add(p.toString() + " " + p.probe() + " " + p.probe().description()));
            seen.add(String.valueOf(config.rollback()));

            report = verifier.verifyAfterDeploy(config.deployment().toDeployment());

            seen.add(report.toString());
            seen.add(report.reason());
            report.probes().forEach(p -> p.measurements().forEach(m -> seen.add(m.toString())));
            seen.add(String.valueOf(report.rollback()));
            for (ReportFormat format : ReportFormat.values()) {
                seen.add(Reports.render(report, format));
            }
            seen.add(console.toString(java.nio.charset.StandardCharsets.UTF_8));
            logged = log.text();
            seen.add(logged);
        }

        assertThat(logged).as("the log was captured").contains("notification webhook");
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().output() + report.rollback().error()).contains("rolling back with");
        server.verify(getRequestedFor(urlEqualTo("/bearer")).withHeader("Authorization", equalTo("Bearer " + BEARER))
                .withHeader("X-Api-Key", equalTo(API_KEY)));
        server.verify(getRequestedFor(urlEqualTo("/header")).withHeader("Authorization", equalTo("Token " + AUTHORIZATION)));
        assertNoCanary(seen);
    }

    @Test
    void aBrokenConfigurationHoldingTheSecretsNeverShowsThemInItsMessage() {
        Map<String, String> broken = properties();
        broken.put("vigil.probes.bearer.url", "not a url " + BEARER);
        broken.put("vigil.probes.bearer.timeout", PASSWORD);
        broken.put("vigil.probes.basic.bearer-tokn", MISSPELT);
        broken.put("vigil.probes.header.pasword", MISSPELT + "-2");
        broken.put("vigil.probes.header.headers.X-Api-Key", API_KEY + " ${NO_SUCH_VARIABLE}");
        broken.put("vigil.plan.duration", "${DEPLOY_TOKEN}");

        List<String> seen = new ArrayList<>();
        try (LogCapture log = LogCapture.start()) {
            assertThatThrownBy(() -> vigil().load(broken).verifier())
                    .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                        seen.add(e.getMessage());
                        seen.add(e.toString());
                        e.problems().forEach(p -> seen.add(p.toString()));
                    });
            seen.add(vigil().validate(broken).report());
            seen.add(log.text());
        }

        assertThat(seen.get(0)).contains("vigil.probes.basic.bearer-tokn", "vigil.plan.duration");
        assertNoCanary(seen);
    }

    @Test
    void aTokenASecretPlaceholderPutsInAUrlsPathIsInNoReportNorMeasurement() throws Exception {
        // A webhook-style URL whose path is the credential: the configuration knows it is secret, the probe does not.
        String token = "canary-path-token-4e8d21";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.plan.interval", "2s");
        p.put("vigil.plan.duration", "2s");
        p.put("vigil.probes.hook.type", "http");
        p.put("vigil.probes.hook.url", "http://localhost:" + server.getPort() + "/hooks/${HOOK_TOKEN}/health");
        p.put("vigil.probes.refused.type", "http");
        p.put("vigil.probes.refused.url", "http://127.0.0.1:1/hooks/${HOOK_TOKEN}/health");
        p.put("vigil.probes.refused.max-attempts", "1");
        BoundConfig config = VigilConfig.builder().environment(Map.of("HOOK_TOKEN", token)).build().load(p);

        VerificationReport report = config.verifier().verifyAfterDeploy(config.deployment().toDeployment());

        assertThat(report.probes()).hasSize(2).allSatisfy(probe -> {
            assertThat(probe.description()).contains("/hooks/******/health");
            assertThat(probe.measurements()).isNotEmpty();
        });
        assertThat(dev.vigil.testkit.Shown.everything(report)).doesNotContain(token);
        for (ReportFormat format : ReportFormat.values()) {
            assertThat(Reports.render(report, format)).as(format.name()).doesNotContain(token);
        }
    }

    private static void assertNoCanary(List<String> seen) {
        assertThat(seen).isNotEmpty().allSatisfy(text -> assertThat(text).doesNotContain(CANARIES));
    }
}
