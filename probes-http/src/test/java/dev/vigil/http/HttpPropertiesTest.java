package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP probe types bound from application properties by the configuration binder. */
class HttpPropertiesTest {

    private static final String TOKEN = "prop-token-6610";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .resetOnEachTest(false).build();

    @BeforeAll
    static void stubs() {
        server.stubFor(get("/actuator/health").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
        server.stubFor(get("/i/a/ready").willReturn(aResponse().withStatus(200).withBody("{\"ready\":true}")));
        server.stubFor(get("/i/b/ready").willReturn(aResponse().withStatus(200).withBody("{\"ready\":true}")));
    }

    private static VigilConfig config() {
        return VigilConfig.builder().environment(Map.of("HEALTH_TOKEN", TOKEN)).build();
    }

    private Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.plan.interval", "3s");
        p.put("vigil.plan.duration", "3s");
        p.put("vigil.probes.health.type", "actuator");
        p.put("vigil.probes.health.url", "http://localhost:" + server.getPort());
        p.put("vigil.probes.health.bearer-token", "${HEALTH_TOKEN}");
        p.put("vigil.probes.health.timeout", "3s");
        p.put("vigil.probes.ready.type", "http");
        p.put("vigil.probes.ready.url", "http://localhost:" + server.getPort() + "/i/{instance}/ready");
        p.put("vigil.probes.ready.instances", "a,b");
        p.put("vigil.probes.ready.require", "100%");
        p.put("vigil.probes.ready.pass-when", "status == 200 && body.ready == true && latency < 5s");
        p.put("vigil.probes.ready.max-body-size", "64KB");
        p.put("vigil.probes.ready.response-timeout", "2s");
        return p;
    }

    @Test
    void propertiesMakeAVerifierThatMeasuresOverHttp() {
        BoundConfig bound = config().load(properties());

        VerificationReport report = bound.verifier().verifyAfterDeploy(Deployment.of("checkout", "2.4.1"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probe("ready").orElseThrow().measurements().get(0).values())
                .containsEntry("instances.passed", 2);
        assertThat(report.probe("health").orElseThrow().measurements().get(0).outcome()).isEqualTo(Outcome.PASS);
        assertThat(dev.vigil.testkit.Shown.everything(report)).doesNotContain(TOKEN);
        assertThat(bound.describe()).doesNotContain(TOKEN);
        server.verify(getRequestedFor(urlEqualTo("/actuator/health")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void aProbeFromPropertiesWithoutConditionsIsNotHealthyOnARedirectToAnotherHost() {
        server.stubFor(get("/guarded").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + server.getPort() + "/sign-on")));
        server.stubFor(get("/sign-on").willReturn(aResponse().withStatus(200)));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.plan.interval", "3s");
        p.put("vigil.plan.duration", "3s");
        p.put("vigil.probes.guarded.type", "http");
        p.put("vigil.probes.guarded.url", "http://localhost:" + server.getPort() + "/guarded");
        BoundConfig bound = config().load(p);

        VerificationReport report = bound.verifier().verifyAfterDeploy(Deployment.of("checkout", "2.4.1"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.probe("guarded").orElseThrow().measurements().get(0).explanation())
                .contains("redirected to another host, http://127.0.0.1:" + server.getPort());
        assertThat(bound.probes().get(0).probe().passWhen()).isEqualTo("status >= 200 && status < 400");
        server.verify(0, getRequestedFor(urlEqualTo("/sign-on")));
    }

    @Test
    void aPortOutOfRangeIsRefusedOnItsKeyWhenTheConfigurationIsRead() {
        Map<String, String> p = properties();
        p.put("vigil.probes.health.url", "http://localhost:99999/actuator/health");
        p.put("vigil.probes.ready.url", "http://localhost:0/i/{instance}/ready");

        assertThatThrownBy(() -> config().load(p))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.health.url: 'http://localhost:99999/actuator/health': port 99999 is out"
                        + " of range (1 to 65535)")
                // The URL with {instance} is checked once per instance, on the instances' key.
                .hasMessageContaining("vigil.probes.ready.instances: instance 'a': 'http://localhost:0/i/a/ready': port 0"
                        + " is out of range");
        assertThatThrownBy(() -> HttpProbes.http("https://example:70000/health"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("port 70000 is out of range");
    }

    @Test
    void misconfiguredHttpProbesAreReportedKeyByKey() {
        Map<String, String> p = properties();
        p.put("vigil.probes.ready.require", "most");
        p.put("vigil.probes.health.url", "ftp://example");
        p.put("vigil.probes.ready.folow-redirects", "false");

        assertThatThrownBy(() -> config().load(p))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.ready.require")
                .hasMessageContaining("vigil.probes.health.url")
                .hasMessageContaining("folow-redirects")
                .hasMessageNotContaining(TOKEN);
    }
}
