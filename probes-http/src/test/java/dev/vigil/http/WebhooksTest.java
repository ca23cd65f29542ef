package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackEvent;
import dev.vigil.rollback.RollbackException;
import dev.vigil.rollback.RollbackPolicy;
import dev.vigil.spi.RollbackTrigger;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhooksTest {

    private static final String TOKEN = "deployer-token-5521";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private static RollbackEvent event() {
        Deployment deployment = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production").asHotfix("PAY-12");
        return new RollbackEvent(deployment, Verdict.UNHEALTHY, "probe health failed 2 times (max-failures 1)", 1,
                Instant.parse("2026-11-26T10:00:00Z"));
    }

    private RollbackTrigger trigger() {
        return Webhooks.rollbackTrigger(Webhooks.target(url("/rollback")).bearerToken(TOKEN)
                .header("X-Source", "vigil").timeout(Duration.ofSeconds(5)).build());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void rollbackPostsTheEventAsJsonWithTheCredential() throws Exception {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(202).withBody("rolling back to 2.4.0")));

        String output = trigger().execute(event());

        assertThat(output).contains("202", "rolling back to 2.4.0");
        server.verify(postRequestedFor(urlEqualTo("/rollback"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("X-Source", equalTo("vigil"))
                .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("rollback")))
                .withRequestBody(matchingJsonPath("$.deployment.service", equalTo("checkout")))
                .withRequestBody(matchingJsonPath("$.deployment.version", equalTo("2.4.1")))
                .withRequestBody(matchingJsonPath("$.deployment.previousVersion", equalTo("2.4.0")))
                .withRequestBody(matchingJsonPath("$.deployment.kind", equalTo("HOTFIX")))
                .withRequestBody(matchingJsonPath("$.deployment.fixes[0]", equalTo("PAY-12")))
                .withRequestBody(matchingJsonPath("$.verdict", equalTo("UNHEALTHY")))
                .withRequestBody(matchingJsonPath("$.reason", equalTo("probe health failed 2 times (max-failures 1)")))
                .withRequestBody(matchingJsonPath("$.attempt", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.time", equalTo("2026-11-26T10:00:00Z"))));
    }

    @Test
    void serverErrorsAndTooManyRequestsAreRetryable() {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(503)));
        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isTrue())
                .hasMessageContaining("503");

        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(429)));
        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void clientErrorsAreNotRetried() {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(403).withBody("token expired")));

        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.output()).isEqualTo("token expired");
                })
                .hasMessageContaining("403")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void connectionFailuresAreRetryable() throws Exception {
        RollbackTrigger refused = Webhooks.rollbackTrigger("http://127.0.0.1:" + closedPort() + "/rollback");
        server.stubFor(post("/rollback").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> refused.execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isTrue());
        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isTrue());
    }

    @Test
    void theEngineRetriesAFailedWebhookUntilItSucceeds() {
        server.stubFor(post("/rollback").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("recovered"));
        server.stubFor(post("/rollback").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("done")));
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", context -> Measurement.fail(Map.of("status", 503), "status(503) == 200"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .rollback(trigger())
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(10)))
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(event().deployment());

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(2);
        assertThat(report.rollback().trigger()).contains(url("/rollback")).doesNotContain(TOKEN);
        server.verify(postRequestedFor(urlEqualTo("/rollback")).withRequestBody(matchingJsonPath("$.attempt", equalTo("2"))));
    }

    @Test
    void theNotifierPostsTheVerdictAndTheFinishedReport() {
        server.stubFor(post("/notify").willReturn(aResponse().withStatus(204)));
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", context -> Measurement.pass(Map.of("status", 200), "status(200) == 200"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .listener(Webhooks.notifier(Webhooks.target(url("/notify")).basicAuth("vigil", TOKEN).build()))
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(event().deployment());

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        server.verify(postRequestedFor(urlEqualTo("/notify"))
                .withHeader("Authorization", equalTo("Basic dmlnaWw6ZGVwbG95ZXItdG9rZW4tNTUyMQ=="))
                .withRequestBody(matchingJsonPath("$.event", equalTo("verdict")))
                .withRequestBody(matchingJsonPath("$.verdict", equalTo("HEALTHY"))));
        server.verify(postRequestedFor(urlEqualTo("/notify"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("finished")))
                .withRequestBody(matchingJsonPath("$.probes[0].name", equalTo("health")))
                .withRequestBody(matchingJsonPath("$.rollback.outcome", equalTo("NOT_NEEDED"))));
    }

    @Test
    void aNotifierThatCannotPostNeverChangesTheVerification() throws Exception {
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", context -> Measurement.pass(Map.of("status", 200), "ok"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .listener(Webhooks.notifier(Webhooks.target("http://127.0.0.1:" + closedPort() + "/notify").build(),
                        Webhooks.Event.FINISHED))
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(event().deployment());

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
    }

    @Test
    void credentialsNeverShowInDescriptions() {
        WebhookTarget target = Webhooks.target("https://deployer.internal/rollback").bearerToken(TOKEN).build();

        assertThat(target.toString()).doesNotContain(TOKEN).contains("****");
        assertThat(Webhooks.rollbackTrigger(target).description()).doesNotContain(TOKEN);
        assertThat(Webhooks.notifier(target).toString()).doesNotContain(TOKEN);
        assertThatThrownBy(() -> Webhooks.target("https://user:pw-123@deployer.internal/rollback"))
                .hasMessageNotContaining("pw-123");
    }

    @Test
    void anAuthorizationHeaderIsASecretAndCannotBeCombinedWithOtherCredentials() throws Exception {
        server.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        WebhookTarget target = Webhooks.target(url("/hook")).header("authorization", "Token " + TOKEN).build();

        Webhooks.rollbackTrigger(target).execute(event());

        server.verify(postRequestedFor(urlEqualTo("/hook")).withHeader("Authorization", equalTo("Token " + TOKEN)));
        assertThat(target.toString()).doesNotContain(TOKEN).endsWith("with Authorization ****");
        assertThatThrownBy(() -> Webhooks.target(url("/hook")).header("Authorization", "Token x").bearerToken("y").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook: an Authorization header and bearer-token or username/password are set: keep one");
    }
}
