package dev.vigil.junit.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.junit.probe.fixtures.LeakingChecks;
import dev.vigil.junit.probe.fixtures.OrdersChecks;
import dev.vigil.junit.probe.fixtures.SecretChecks;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** type=junit bound from application properties: the keys, their problems, their secrets. */
class JunitPropertiesTest {

    private static final String TOKEN = "env-token-77c1-junit";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort())
            .resetOnEachTest(false).build();

    @BeforeAll
    static void stubs() {
        server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/orders").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/secured").willReturn(aResponse().withStatus(401)));
        server.stubFor(get("/secured").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200)));
    }

    private static VigilConfig config() {
        return VigilConfig.builder().environment(Map.of("SMOKE_API_TOKEN", TOKEN, "SMOKE_KEY", TOKEN)).build();
    }

    private static Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "orders");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.plan.interval", "30s");
        p.put("vigil.plan.duration", "30s");
        p.put("vigil.probes.smoke.type", "junit");
        p.put("vigil.probes.smoke.select", "class:" + OrdersChecks.class.getName() + ", class:" + SecretChecks.class.getName());
        p.put("vigil.probes.smoke.parameters.base-url", "http://localhost:" + server.getPort() + "/");
        p.put("vigil.probes.smoke.parameters.api-token", "${SMOKE_API_TOKEN}");
        p.put("vigil.probes.smoke.timeout", "20s");
        return p;
    }

    @Test
    void propertiesMakeAJunitProbeAndASecretByNameStaysSecret() {
        BoundConfig bound = config().load(properties());

        VerificationReport report = bound.verifier().verifyAfterDeploy(Deployment.of("orders", "2.4.1"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probes().get(0).measurements().get(0).values()).containsEntry("tests.passed", 3L);
        assertThat(bound.describe()).contains("JUnit tests").doesNotContain(TOKEN);
        assertThat(dev.vigil.testkit.Shown.everything(report)).doesNotContain(TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"secret-parameters.api-token", "parameters.api-token"})
    void declaredSecretsAndParametersNamedLikeOneAreMaskedInWhatTheTestsSay(String key) {
        Map<String, String> p = properties();
        p.put("vigil.probes.smoke.select", "class:" + LeakingChecks.class.getName());
        p.remove("vigil.probes.smoke.parameters.api-token");
        // SMOKE_KEY is not named like a secret: the key alone makes the value one.
        p.put("vigil.probes.smoke." + key, "${SMOKE_KEY}");

        VerificationReport report = config().load(p).verifier().verifyAfterDeploy(Deployment.of("orders", "2.4.1"));

        assertThat(report.probes().get(0).measurements().get(0).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(report.reason()).contains("rejected token [REDACTED]");
        assertThat(dev.vigil.testkit.Shown.everything(report)).doesNotContain(TOKEN);
    }

    @Test
    void everyProblemIsReportedWithItsKey() {
        Map<String, String> p = properties();
        p.put("vigil.probes.smoke.select", "class:" + OrdersChecks.class.getName() + ", suite:com.acme.All");
        p.put("vigil.probes.smoke.tags", "smoke & (");
        p.put("vigil.probes.smoke.min-tests", "0");
        p.put("vigil.probes.smoke.every", "2");
        p.put("vigil.probes.smoke.every-round", "true");
        p.put("vigil.probes.smoke.pass-when", "tests.passd > 1");
        p.put("vigil.probes.bare.type", "junit");

        assertThatThrownBy(() -> config().load(p))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.smoke.select")
                .hasMessageContaining("unknown kind 'suite'")
                .hasMessageContaining("vigil.probes.smoke.tags")
                .hasMessageContaining("vigil.probes.smoke.min-tests")
                .hasMessageContaining("vigil.probes.smoke.every")
                .hasMessageContaining("vigil.probes.smoke.pass-when")
                .hasMessageContaining("vigil.probes.bare.select")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void aHotfixWhoseTestsCannotBeLookedForIsRefusedSayingWhy() {
        // Before: "no probe confirms it: tag its test @Tag("INC-2")", the glob that matched nothing unsaid.
        Map<String, String> p = properties();
        p.put("vigil.deployment.kind", "hotfix");
        p.put("vigil.deployment.fixes", "INC-2");
        p.remove("vigil.probes.smoke.select");
        p.put("vigil.probes.smoke.classpath", "target/not-built-yet/*.jar");

        assertThat(config().validate(p).problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.deployment.fixes");
            assertThat(problem.message()).startsWith("hotfix orders 2.4.1 fixes INC-2 but no probe confirms it: probe smoke: "
                    + "could not look for the tests tagged INC-2 (every test in classpath=target/not-built-yet/*.jar): classpath "
                    + "'target/not-built-yet/*.jar' (matches no file) in " + java.nio.file.Path.of("").toAbsolutePath())
                    .endsWith("; tag its test @Tag(\"INC-2\") in a junit probe, or set vigil.probes.<name>.confirms=INC-2");
        });
    }

    @Test
    void aTimeoutLongerThanTheIntervalIsAProblemAndTheDefaultIsShortenedToIt() {
        Map<String, String> p = properties();
        p.put("vigil.probes.smoke.timeout", "2m");

        assertThatThrownBy(() -> config().load(p)).hasMessageContaining("vigil.probes.smoke.timeout");

        p.remove("vigil.probes.smoke.timeout");
        assertThat(config().load(p).probes().get(0).measurement().timeout()).hasSeconds(30);
    }
}
