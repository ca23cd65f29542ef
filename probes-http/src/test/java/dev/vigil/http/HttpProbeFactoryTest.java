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
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.reliability.LogCapture;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.testkit.MapProbeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpProbeFactoryTest {

    private static final Map<String, ProbeFactory> FACTORIES = ServiceLoader.load(ProbeFactory.class).stream()
            .map(ServiceLoader.Provider::get)
            .collect(Collectors.toMap(ProbeFactory::type, Function.identity()));

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort())
            .resetOnEachTest(false).build();

    @BeforeAll
    static void stubs() {
        server.stubFor(get("/actuator/health").willReturn(aResponse().withStatus(503)
                .withBody("{\"status\":\"DOWN\",\"components\":{\"db\":{\"status\":\"DOWN\"}}}")));
        server.stubFor(get("/ready").withHeader("X-Scope-OrgID", equalTo("team-a"))
                .willReturn(aResponse().withStatus(200).withBody("{\"ready\":true}")));
    }

    private static ProbeResult measure(Probe probe) throws Exception {
        return probe.measure(TestContexts.within(Duration.ofSeconds(5)));
    }

    @Test
    void bothTypesAreFoundByTheServiceLoaderAndDeclareTheirKeys() {
        assertThat(FACTORIES).containsKeys("http", "actuator");
        assertThat(FACTORIES.get("http").keys()).extracting(ConfigKey::name).contains("url", "urls", "instances",
                "require", "method", "headers", "body", "connect-timeout", "response-timeout", "follow-redirects",
                "max-body-size", "trust-store", "trust-store-password", "insecure", "bearer-token", "username", "password");
        assertThat(FACTORIES.get("http").keys()).filteredOn(ConfigKey::secret).extracting(ConfigKey::name)
                .containsExactlyInAnyOrder("trust-store-password", "bearer-token", "password");
        assertThat(FACTORIES.get("http").keys()).filteredOn(k -> k.name().equals("max-body-size"))
                .singleElement().satisfies(k -> {
                    assertThat(k.kind()).isEqualTo(ConfigKey.Kind.SIZE);
                    assertThat(k.defaultValue()).isEqualTo("1MB");
                });
    }

    @Test
    void anHttpProbeIsMadeFromItsKeys() throws Exception {
        MapProbeSettings settings = new MapProbeSettings("ready", Map.of(
                "url", "http://localhost:" + server.getPort() + "/ready",
                "headers.X-Scope-OrgID", "team-a",
                "pass-when", "status == 200 && body.ready == true",
                "max-body-size", "1KB",
                "follow-redirects", "false"));

        Probe probe = FACTORIES.get("http").create(settings);

        assertThat(settings.problems()).isEmpty();
        ProbeResult m = measure(probe);
        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(probe.passWhen()).isEqualTo("status == 200 && body.ready == true");
        assertThat(probe.toString()).doesNotContain("team-a");
    }

    @Test
    void aConditionReadingNeitherStatusNorBodyIsWarnedOfNamingItsKey() throws Exception {
        // A condition replaces the default status check: latency < 2s passed a fast 503 without a word.
        server.stubFor(get("/down").willReturn(aResponse().withStatus(503).withBody("down")));
        MapProbeSettings latencyOnly = new MapProbeSettings("quick", Map.of(
                "url", "http://localhost:" + server.getPort() + "/down", "pass-when", "latency < 2s"));

        String logged;
        Probe probe;
        try (LogCapture log = LogCapture.start()) {
            probe = FACTORIES.get("http").create(latencyOnly);
            logged = log.text();
        }

        assertThat(latencyOnly.problems()).isEmpty();
        assertThat(logged).contains("vigil.probes.quick.pass-when reads neither status nor body: a 503 that answers fast"
                + " passes; add `status < 400 and ...`");
        // Judged as written, as docs/http-probes.md says: the warning is what tells.
        assertThat(measure(probe).outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aConditionThatReadsStatusOrBodyInEitherConditionIsNotWarnedOf() {
        String url = "http://localhost:" + server.getPort() + "/down";
        Map<String, Map<String, String>> quiet = Map.of(
                "status", Map.of("url", url, "pass-when", "status < 400 && latency < 2s"),
                "body", Map.of("url", url, "pass-when", "body.status == \"UP\""),
                "guarded", Map.of("url", url, "pass-when", "latency < 2s", "fail-when", "status >= 500"));
        MapProbeSettings headerOnly = new MapProbeSettings("header", Map.of("url", url, "fail-when", "header.X-Health == \"DOWN\""));

        String logged;
        try (LogCapture log = LogCapture.start()) {
            quiet.forEach((name, keys) -> FACTORIES.get("http").create(new MapProbeSettings(name, keys)));
            FACTORIES.get("actuator").create(new MapProbeSettings("health", Map.of("url", url)));
            FACTORIES.get("http").create(headerOnly);
            logged = log.text();
        }

        assertThat(logged).contains("vigil.probes.header.fail-when reads neither status nor body")
                .doesNotContain("vigil.probes.status.").doesNotContain("vigil.probes.body.")
                .doesNotContain("vigil.probes.guarded.").doesNotContain("vigil.probes.health.");
    }

    @Test
    void anActuatorProbeWithoutAConditionUsesTheHealthJudgement() throws Exception {
        MapProbeSettings settings = new MapProbeSettings("health", Map.of(
                "url", "http://localhost:" + server.getPort(), "bearer-token", "tok-8812"));

        Probe probe = FACTORIES.get("actuator").create(settings);

        assertThat(settings.problems()).isEmpty();
        ProbeResult m = measure(probe);
        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("failing components db (DOWN)");
        assertThat(probe.passWhen()).isEqualTo(HttpProbeBuilder.ACTUATOR_PASS_WHEN);
        assertThat(probe.toString()).doesNotContain("tok-8812");
        server.verify(getRequestedFor(urlEqualTo("/actuator/health")).withHeader("Authorization", equalTo("Bearer tok-8812")));
    }

    @Test
    void aFleetIsMadeFromAUrlTemplateAndInstances() throws Exception {
        MapProbeSettings settings = new MapProbeSettings("fleet", Map.of(
                "url", "http://{instance}:" + server.getPort() + "/ready",
                "instances", "localhost, 127.0.0.1",
                "headers.X-Scope-OrgID", "team-a",
                "require", "any"));

        ProbeResult m = measure(FACTORIES.get("http").create(settings));

        assertThat(settings.problems()).isEmpty();
        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("instances.total", 2);
    }

    @Test
    void anEmptyOrRepeatedInstanceIsAProblemOfItsKey() {
        MapProbeSettings settings = new MapProbeSettings("fleet", Map.of(
                "url", "http://{instance}:" + server.getPort() + "/ready",
                "instances", "localhost,, localhost"));

        assertThatThrownBy(() -> FACTORIES.get("http").create(settings)).isInstanceOf(InvalidSettingsException.class);
        assertThat(settings.problems()).containsExactly(
                "vigil.probes.fleet.instances: an empty entry in the list; give one value per instance (10.0.0.1,10.0.0.2):"
                        + " an empty entry (a doubled or trailing comma, an unset variable) would leave an instance unmeasured",
                "vigil.probes.fleet.instances: instances names one instance more than once, 'localhost': it would be asked"
                        + " more than once a round and counted as that many; keep one");
    }

    @Test
    void instancesMakingOneUrlDifferingOnlyInTheHostsCaseOrADefaultPortAreOneInstance() {
        // Before: each value was compared as written, and Pod-1 and pod-1 were asked twice a round and counted as 2 of 2.
        MapProbeSettings byCase = new MapProbeSettings("fleet", Map.of(
                "url", "http://{instance}:8080/health", "instances", "Pod-1,pod-1"));
        MapProbeSettings byPort = new MapProbeSettings("fleet", Map.of(
                "url", "http://{instance}/health", "instances", "pod-1,pod-1:80"));
        MapProbeSettings byUrl = new MapProbeSettings("fleet", Map.of(
                "urls", "http://Pod-1:8080/health,http://pod-1:8080/health"));

        assertThatThrownBy(() -> FACTORIES.get("http").create(byCase)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> FACTORIES.get("http").create(byPort)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> FACTORIES.get("http").create(byUrl)).isInstanceOf(InvalidSettingsException.class);
        String askedTwice = ": it would be asked more than once a round and counted as that many; keep one";
        assertThat(byCase.problems()).containsExactly("vigil.probes.fleet.instances: instances names one instance more than once,"
                + " 'pod-1', the same as 'Pod-1' before it" + askedTwice);
        assertThat(byPort.problems()).containsExactly("vigil.probes.fleet.instances: instances names one instance more than once,"
                + " 'pod-1:80', the same as 'pod-1' before it" + askedTwice);
        assertThat(byUrl.problems()).containsExactly("vigil.probes.fleet.urls: urls names one instance more than once,"
                + " 'http://pod-1:8080/health', the same as 'http://Pod-1:8080/health' before it" + askedTwice);
    }

    @Test
    void oneIpv6AddressWrittenTwoWaysIsOneInstance() {
        // Before: the literal was compared as written, and [::1] and [0:0:0:0:0:0:0:1] were asked
        // twice a round and counted as 2 of 2.
        MapProbeSettings byForm = new MapProbeSettings("fleet", Map.of(
                "urls", "http://[::1]:8080/health,http://[0:0:0:0:0:0:0:1]:8080/health"));
        MapProbeSettings byCase = new MapProbeSettings("fleet", Map.of(
                "url", "http://[{instance}]:8080/health", "instances", "fd00::a,FD00:0::A"));
        MapProbeSettings mapped = new MapProbeSettings("fleet", Map.of(
                "urls", "http://127.0.0.1:8080/health,http://[::ffff:127.0.0.1]:8080/health"));
        MapProbeSettings two = new MapProbeSettings("fleet", Map.of(
                "urls", "http://[::1]:8080/health,http://[::2]:8080/health,http://[::1]:8081/health"));

        for (MapProbeSettings same : List.of(byForm, byCase, mapped)) {
            assertThatThrownBy(() -> FACTORIES.get("http").create(same)).isInstanceOf(InvalidSettingsException.class);
        }
        FACTORIES.get("http").create(two);

        String askedTwice = ": it would be asked more than once a round and counted as that many; keep one";
        assertThat(byForm.problems()).containsExactly("vigil.probes.fleet.urls: urls names one instance more than once,"
                + " 'http://[0:0:0:0:0:0:0:1]:8080/health', the same as 'http://[::1]:8080/health' before it" + askedTwice);
        assertThat(byCase.problems()).singleElement().asString().contains("'FD00:0::A', the same as 'fd00::a'");
        assertThat(mapped.problems()).singleElement().asString()
                .contains("'http://[::ffff:127.0.0.1]:8080/health', the same as 'http://127.0.0.1:8080/health'");
        assertThat(two.problems()).isEmpty();
        assertThat(Target.identity(java.net.URI.create("http://[::1]:8080/health")))
                .isEqualTo("http://[0:0:0:0:0:0:0:1]:8080/health");
    }

    @Test
    void instancesMakingUrlsThatDifferInThePathAreTwoInstances() {
        MapProbeSettings settings = new MapProbeSettings("fleet", Map.of(
                "url", "http://gateway:8080/{instance}/health", "instances", "Pod-1,pod-1"));

        FACTORIES.get("http").create(settings);

        assertThat(settings.problems()).as("a path is case-sensitive").isEmpty();
    }

    @Test
    void everyProblemIsReportedWithItsKeyAndSecretsStayHidden() {
        MapProbeSettings settings = new MapProbeSettings("broken", Map.of(
                "url", "http://localhost/x",
                "require", "most",
                "method", "GE T",
                "username", "ops",
                "trust-store-password", "hidden-pass-31",
                "connect-timeout", "0"));

        assertThatThrownBy(() -> FACTORIES.get("http").create(settings)).isInstanceOf(InvalidSettingsException.class)
                .hasMessageNotContaining("hidden-pass-31");
        assertThat(String.join("\n", settings.problems()))
                .contains("vigil.probes.broken.require", "vigil.probes.broken.method", "vigil.probes.broken.password",
                        "vigil.probes.broken.trust-store-password", "vigil.probes.broken.connect-timeout")
                .doesNotContain("hidden-pass-31");
    }

    @Test
    void aTrustStoreThatCannotBeReadIsAProblemOfTrustStoreWhateverItsPathHolds() {
        // A path with "instance" in it was reported against instances, a key the configuration does not set.
        MapProbeSettings settings = new MapProbeSettings("health", Map.of("url", "https://localhost/x",
                "trust-store", "/etc/vigil-missing/instances/ca.p12"));

        assertThatThrownBy(() -> FACTORIES.get("http").create(settings)).isInstanceOf(InvalidSettingsException.class);
        assertThat(settings.problems()).singleElement().asString()
                .startsWith("vigil.probes.health.trust-store: trust store /etc/vigil-missing/instances/ca.p12 does not exist");
    }

    @Test
    void aMisspeltMethodIsAProblemNamingTheKeyAndTheMethodsAllowedNotA405InEveryRound() {
        MapProbeSettings typo = new MapProbeSettings("health", Map.of("url", "http://localhost/x", "method", "GTE"));
        MapProbeSettings lowerCase = new MapProbeSettings("health", Map.of("url", "http://localhost/x", "method", "patch"));

        assertThatThrownBy(() -> FACTORIES.get("http").create(typo)).isInstanceOf(InvalidSettingsException.class);
        assertThat(typo.problems()).singleElement().asString()
                .contains("vigil.probes.health.method", "GTE", "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        FACTORIES.get("http").create(lowerCase);
        assertThat(lowerCase.problems()).isEmpty();
    }

    @Test
    void urlAndUrlsAreExclusiveAndOneIsRequired() {
        MapProbeSettings both = new MapProbeSettings("x", Map.of("url", "http://a/", "urls", "http://b/"));
        MapProbeSettings none = new MapProbeSettings("y", Map.of());
        MapProbeSettings badCondition = new MapProbeSettings("z", Map.of("url", "http://a/", "pass-when", "status == "));

        assertThatThrownBy(() -> FACTORIES.get("http").create(both)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> FACTORIES.get("http").create(none)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> FACTORIES.get("http").create(badCondition)).isInstanceOf(InvalidSettingsException.class);
        assertThat(both.problems()).singleElement().asString().contains("urls", "not both");
        assertThat(none.problems()).singleElement().asString().contains("vigil.probes.y.url", "required");
        assertThat(badCondition.problems()).singleElement().asString().contains("pass-when");
    }

    @Test
    void aUrlWithoutItsSchemeIsRefusedSayingSoAndHowToWriteIt() {
        // 127.0.0.1:8080/health gave "is not a valid URL: Illegal character in scheme name", which does not say what to add.
        for (String url : new String[] {"127.0.0.1:8080/actuator/health", "localhost:8080/actuator/health"}) {
            MapProbeSettings settings = new MapProbeSettings("health", Map.of("url", url));

            assertThatThrownBy(() -> FACTORIES.get("http").create(settings)).isInstanceOf(InvalidSettingsException.class);
            assertThat(settings.problems()).singleElement().asString().contains("vigil.probes.health.url",
                    "'" + url + "' must be an http:// or https:// URL: its scheme is missing; write http://" + url);
        }
    }
}
