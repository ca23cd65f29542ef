package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Deployment;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The webhook rollback trigger bound from {@code vigil.rollback.webhook.*} by the configuration binder. */
class WebhookPropertiesTest {

    private static final String TOKEN = "deployer-token-8830";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @TempDir
    Path dir;

    private static String url() {
        return "http://localhost:" + server.getPort() + "/rollback";
    }

    /** The URL as reports, messages and descriptions show it: a webhook's path may be its credential. */
    private static String shown() {
        return "http://localhost:" + server.getPort() + "/…";
    }

    /** The classpath's factories, as the command line has them; the token comes from the environment. */
    private static VigilConfig config() {
        return VigilConfig.builder().environment(Map.of("DEPLOYER_TOKEN", TOKEN)).build();
    }

    private static Map<String, String> webhook() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.rollback.webhook.url", url());
        p.put("vigil.rollback.webhook.bearer-token", "${DEPLOYER_TOKEN}");
        p.put("vigil.rollback.webhook.headers.X-Source", "vigil");
        return p;
    }

    private static RollbackTrigger trigger(Map<String, String> properties) {
        return config().load(properties).rollback().orElseThrow();
    }

    private static RollbackEvent event() {
        return new RollbackEvent("rb-7f3a", Deployment.of("checkout", "2.4.1", "2.4.0"), Verdict.UNHEALTHY,
                "probe health failed 2 times (max-failures 1)", 1, Instant.parse("2026-11-26T10:00:00Z"));
    }

    private static ConfigurationException fail(Map<String, String> properties) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config().load(properties));
        assertThat(e).as("expected a configuration error").isNotNull();
        return e;
    }

    @Test
    void theWebhookPostsTheRollbackEventWithTheBearerTokenAndHeaders() throws Exception {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(202).withBody("rolling back")));

        String output = trigger(webhook()).execute(event());

        assertThat(output).isEqualTo("webhook " + shown() + " answered 202: rolling back");
        server.verify(postRequestedFor(urlEqualTo("/rollback"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("X-Source", equalTo("vigil"))
                .withHeader("Content-Type", containing("application/json"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("rollback")))
                .withRequestBody(matchingJsonPath("$.deployment.service", equalTo("checkout")))
                .withRequestBody(matchingJsonPath("$.deployment.previousVersion", equalTo("2.4.0"))));
    }

    @Test
    void usernameAndPasswordAreSentAsBasicAuthentication() throws Exception {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200)));
        Map<String, String> p = webhook();
        p.remove("vigil.rollback.webhook.bearer-token");
        p.put("vigil.rollback.webhook.username", "deployer");
        p.put("vigil.rollback.webhook.password", "${DEPLOYER_TOKEN}");

        trigger(p).execute(event());

        String basic = Base64.getEncoder().encodeToString(("deployer:" + TOKEN).getBytes(StandardCharsets.UTF_8));
        server.verify(postRequestedFor(urlEqualTo("/rollback")).withHeader("Authorization", equalTo("Basic " + basic)));
    }

    @Test
    void theVerifierRetriesTheWebhookAsTheRollbackPolicySays() {
        server.stubFor(post("/rollback").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        server.stubFor(post("/rollback").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("done")));
        Map<String, String> p = webhook();
        p.put("vigil.plan.interval", "1s");
        p.put("vigil.plan.duration", "1s");
        p.put("vigil.probes.check.type", "command");
        p.put("vigil.probes.check.command", "exit 1");
        p.put("vigil.rollback.max-attempts", "2");
        p.put("vigil.rollback.backoff", "10ms");
        BoundConfig bound = config().load(p);

        VerificationReport report = bound.verifier().verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.rollback().outcome()).as(report.rollback().error()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(2);
        assertThat(report.rollback().output()).contains("answered 200: done");
    }

    @Test
    void eachPostIsBoundedByTheRollbackTimeout() {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200).withFixedDelay(5_000)));
        Map<String, String> p = webhook();
        p.put("vigil.rollback.timeout", "300ms");
        RollbackTrigger trigger = trigger(p);
        long start = System.nanoTime();

        assertThatThrownBy(() -> trigger.execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    @Test
    void aMisspeltKeyIsAProblemWithASuggestion() {
        Map<String, String> p = webhook();
        p.remove("vigil.rollback.webhook.url");
        p.put("vigil.rollback.webhook.ulr", url());

        ConfigurationException e = fail(p);

        assertThat(e.getMessage()).contains("vigil.rollback.webhook.ulr: unknown key; did you mean url?");
    }

    @Test
    void aWebhookWithoutUrlIsAProblemOfTheUrlKey() {
        Map<String, String> p = webhook();
        p.remove("vigil.rollback.webhook.url");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigil.rollback.webhook.url");
            assertThat(pr.message()).startsWith("missing; the webhook rollback trigger needs it");
        });
    }

    @Test
    void aUrlThatIsNoHttpUrlIsAProblemOfTheUrlKey() {
        Map<String, String> p = webhook();
        p.put("vigil.rollback.webhook.url", "ftp://deployer.internal/rollback");

        assertThat(fail(p).getMessage()).contains("vigil.rollback.webhook.url: 'ftp://deployer.internal/…' must be an http://")
                .contains("(value: ftp://deployer.internal/…)").doesNotContain("/rollback");
    }

    @Test
    void aCommandAndAWebhookAreAConfigurationErrorNamingBoth() {
        Map<String, String> p = webhook();
        p.put("vigil.rollback.command", "kubectl rollout undo deployment/checkout");

        assertThat(fail(p).getMessage()).contains(
                "vigil.rollback: one rollback trigger per deployment, but vigil.rollback.command and vigil.rollback.webhook.* are set");
    }

    @Test
    void theBearerTokenNeverShows() throws Exception {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200).withBody("accepted " + TOKEN)));
        BoundConfig bound = config().load(webhook());
        Map<String, String> conflicting = webhook();
        conflicting.put("vigil.rollback.webhook.username", "deployer");
        conflicting.put("vigil.rollback.webhook.password", "pw-${DEPLOYER_TOKEN}");
        conflicting.put("vigil.rollback.webhook.bearer-tokn", TOKEN);

        String output = bound.rollback().orElseThrow().execute(event());
        ConfigurationException e = fail(conflicting);

        assertThat(bound.describe()).contains("rollback: webhook: POST " + shown() + " with Authorization").doesNotContain(TOKEN);
        assertThat(bound.toString()).doesNotContain(TOKEN);
        assertThat(bound.rollback().orElseThrow().toString()).doesNotContain(TOKEN);
        assertThat(bound.properties()).containsEntry("vigil.rollback.webhook.bearer-token", "******");
        assertThat(output).contains("accepted").doesNotContain(TOKEN);
        assertThat(e.getMessage()).contains("vigil.rollback.webhook.bearer-tokn", "vigil.rollback.webhook.bearer-token")
                .doesNotContain(TOKEN);
        assertThat(config().validate(webhook()).report()).doesNotContain(TOKEN);
    }

    @Test
    void aTrustStoreThatCannotBeReadIsAConfigurationErrorNamingTheFile() {
        Path missing = dir.resolve("missing-trust.p12");
        Map<String, String> p = webhook();
        p.put("vigil.rollback.webhook.trust-store", missing.toString());
        p.put("vigil.rollback.webhook.trust-store-password", "store-secret-5521");

        ConfigurationException e = fail(p);

        assertThat(e.problems()).singleElement().satisfies(pr -> {
            assertThat(pr.key()).isEqualTo("vigil.rollback.webhook.trust-store");
            assertThat(pr.message()).contains(missing.toString());
        });
        assertThat(e.getMessage()).doesNotContain("store-secret-5521");
    }

    @Test
    void insecureAndATrustStoreTogetherAreAProblem() {
        Map<String, String> p = webhook();
        p.put("vigil.rollback.webhook.trust-store", dir.resolve("trust.p12").toString());
        p.put("vigil.rollback.webhook.insecure", "true");

        assertThat(fail(p).getMessage()).contains("vigil.rollback.webhook.trust-store: webhook: insecure=true and a trust store are both set");
    }
}
