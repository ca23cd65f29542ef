package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.testkit.MapProbeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** type=prometheus from configuration: the keys, the probe they make, every problem at once. */
class PrometheusProbeFactoryTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private final PrometheusProbeFactory factory = new PrometheusProbeFactory();

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void serviceLoaderFindsThePrometheusType() {
        assertThat(ServiceLoader.load(ProbeFactory.class).stream().map(ServiceLoader.Provider::get)
                .map(ProbeFactory::type)).contains("prometheus");
    }

    @Test
    void declaresItsKeysWithSecretsMarked() {
        Map<String, ConfigKey> keys = factory.keys().stream().collect(Collectors.toMap(ConfigKey::name, k -> k));

        assertThat(keys).containsKeys("base-url", "query", "canary-query", "baseline-query", "on-no-data", "range",
                "step", "method", "bearer-token", "username", "password", "headers", "trust-store",
                "trust-store-password", "max-response-size", "judge", "direction", "tolerance", "confidence",
                "min-samples");
        assertThat(keys.values().stream().filter(ConfigKey::secret).map(ConfigKey::name))
                .containsExactlyInAnyOrder("bearer-token", "password", "trust-store-password");
        assertThat(keys.get("headers").kind()).isEqualTo(ConfigKey.Kind.MAP);
        assertThat(keys.get("on-no-data").defaultValue()).isEqualTo("inconclusive");
        assertThat(factory.keys()).allSatisfy(k -> assertThat(k.description()).isNotBlank());
    }

    @Test
    void makesAWorkingProbeFromConfiguration() throws Exception {
        prometheus.stubFor(get(urlPathEqualTo("/prom/api/v1/query")).willReturn(aResponse().withBody(Canned.body("vector-two-series.json"))));
        MapProbeSettings settings = MapProbeSettings.of("error-rate", settings(
                "base-url", prometheus.baseUrl() + "/prom",
                "query", "sum by (instance) (rate(errors[1m]))",
                "fail-when", "value > 0.01",
                "headers.X-Scope-OrgID", "team-a",
                "bearer-token", "tok-abcdef123",
                "on-no-data", "fail",
                "timeout", "3s"));

        Probe probe = factory.create(settings);

        assertThat(settings.problems()).isEmpty();
        ProbeResult m = probe.measure(TestContext.standard());
        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).startsWith("{instance=\"b\",job=\"checkout\"}");
        assertThat(probe.failWhen()).isEqualTo("value > 0.01");
        assertThat(((PrometheusProbe) probe).onNoData()).isEqualTo(OnNoData.FAIL);
        assertThat(probe.toString()).doesNotContain("tok-abcdef123");
        prometheus.verify(getRequestedFor(urlPathEqualTo("/prom/api/v1/query"))
                .withHeader("X-Scope-OrgID", equalTo("team-a"))
                .withHeader("Authorization", equalTo("Bearer tok-abcdef123")));
        ((PrometheusProbe) probe).close();
    }

    @Test
    void makesARangeProbeAndACanaryProbe() {
        MapProbeSettings range = MapProbeSettings.of("window", settings(
                "base-url", "http://prometheus:9090", "query", "error_ratio", "fail-when", "value > 0.01",
                "range", "5m", "step", "30s", "method", "post"));
        MapProbeSettings canary = MapProbeSettings.of("canary", settings(
                "base-url", "http://prometheus:9090", "canary-query", "a", "baseline-query", "b", "fail-when", "ratio > 1.2"));

        Probe rangeProbe = factory.create(range);
        Probe canaryProbe = factory.create(canary);

        assertThat(range.problems()).isEmpty();
        assertThat(canary.problems()).isEmpty();
        assertThat(rangeProbe.description()).contains("over the last 5m every 30s");
        assertThat(canaryProbe.description()).startsWith("PromQL canary vs baseline");
    }

    @Test
    void reportsEveryProblemWithItsKeyAndWithoutSecrets() {
        MapProbeSettings settings = MapProbeSettings.of("error-rate", settings(
                "query", "up",
                "canary-query", "a",
                "on-no-data", "maybe",
                "step", "15s",
                "method", "put",
                "bearer-token", "tok-abcdef123",
                "username", "vigil",
                "trust-store-password", "changeit-123",
                "fail-when", "value >"));

        assertThatThrownBy(() -> factory.create(settings)).isInstanceOf(InvalidSettingsException.class);

        assertThat(settings.problems()).anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.base-url: is required"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.query: cannot be combined with canary-query"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.on-no-data: must be one of inconclusive, fail, pass: 'maybe'"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.step: needs range"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.method: must be one of auto, get, post"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.bearer-token: cannot be combined"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.trust-store-password: needs trust-store"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.error-rate.fail-when:"));
        assertThat(settings.problems()).noneSatisfy(p -> assertThat(p).contains("tok-abcdef123"))
                .noneSatisfy(p -> assertThat(p).contains("changeit-123"));
    }

    @Test
    void reportsAMissingQueryAndAnUnreadableTrustStore() {
        MapProbeSettings noQuery = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090", "fail-when", "value > 1"));
        MapProbeSettings badStore = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090", "query", "up",
                "pass-when", "value == 1", "trust-store", "/nonexistent/store.p12", "trust-store-password", "changeit-123"));
        MapProbeSettings badUrl = MapProbeSettings.of("p", settings("base-url", "prometheus:9090", "query", "up",
                "pass-when", "value == 1"));

        assertThatThrownBy(() -> factory.create(noQuery)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> factory.create(badStore)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> factory.create(badUrl)).isInstanceOf(InvalidSettingsException.class);

        assertThat(noQuery.problems()).containsExactly(
                "vigil.probes.p.query: is required (or canary-query and baseline-query)");
        assertThat(badStore.problems()).singleElement().asString()
                .startsWith("vigil.probes.p.trust-store: cannot be read: /nonexistent/store.p12")
                .doesNotContain("changeit-123");
        assertThat(badUrl.problems()).singleElement().asString()
                .startsWith("vigil.probes.p.base-url: must be an http or https URL");
    }

    @Test
    void aPortOutOfRangeAndATrustStorePathThatIsNoPathAreRefusedOnTheirKeys() {
        for (String url : new String[] {"https://prom:99999", "http://prom:0/prometheus"}) {
            MapProbeSettings badPort = MapProbeSettings.of("p", settings("base-url", url, "query", "up", "fail-when", "value < 1"));

            assertThatThrownBy(() -> factory.create(badPort)).isInstanceOf(InvalidSettingsException.class);

            assertThat(badPort.problems()).singleElement().asString().startsWith("vigil.probes.p.base-url: port "
                    + url.replaceAll(".*:(\\d+).*", "$1") + " is out of range (1 to 65535): '" + url + "'");
        }
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("https://prom:65536"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("base-url port 65536 is out of range");
        PrometheusProbe.builder().baseUrl("https://prom:65535").query("up").failWhen("value < 1").build().close();

        MapProbeSettings nul = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090", "query", "up",
                "fail-when", "value < 1", "trust-store", "/etc/vigil/store\0.p12"));
        assertThatThrownBy(() -> factory.create(nul)).isInstanceOf(InvalidSettingsException.class);
        assertThat(nul.problems()).singleElement().asString().startsWith("vigil.probes.p.trust-store: is not a file path"
                + " (Nul character not allowed): '/etc/vigil/store\\0.p12'").doesNotContain("\0");
    }

    @Test
    void conditionsAreCheckedAgainstTheNamesOfTheMode() {
        MapProbeSettings canaryWithValue = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090",
                "canary-query", "a", "baseline-query", "b", "fail-when", "value > 1"));
        MapProbeSettings queryWithRatio = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090",
                "query", "up", "fail-when", "ratio > 1"));

        assertThatThrownBy(() -> factory.create(canaryWithValue)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> factory.create(queryWithRatio)).isInstanceOf(InvalidSettingsException.class);

        assertThat(canaryWithValue.problems()).singleElement().asString().contains("fail-when").contains("value");
        assertThat(queryWithRatio.problems()).singleElement().asString().contains("fail-when").contains("ratio");
    }

    @Test
    void canaryAnalysisJudgeReceivesTheSamplesOfBothQueries() throws Exception {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo("latency{track=\"canary\"}"))
                .willReturn(aResponse().withBody(vector(0.91, 0.95, 0.99, 1.02, 1.05, 1.10))));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo("latency{track=\"baseline\"}"))
                .willReturn(aResponse().withBody(vector(0.10, 0.11, 0.12, 0.13, 0.14, 0.15))));
        MapProbeSettings settings = MapProbeSettings.of("canary", settings(
                "base-url", prometheus.baseUrl(),
                "canary-query", "latency{track=\"canary\"}",
                "baseline-query", "latency{track=\"baseline\"}",
                "judge", "mann-whitney",
                "min-samples", "6",
                "confidence", "0.95",
                "independent-instances", "true"));

        Probe probe = factory.create(settings);

        assertThat(settings.problems()).isEmpty();
        ProbeResult m = probe.measure(TestContext.standard());
        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.FAIL);
        assertThat(m.values()).containsEntry("canary-n", 6).containsEntry("baseline-n", 6);
        assertThat(probe.toString()).contains("mann-whitney").contains("independent instances");
        ((PrometheusProbe) probe).close();
    }

    @Test
    void judgeNeedsCanaryModeAndReplacesTheConditions() {
        MapProbeSettings plain = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090",
                "query", "up", "judge", "sequential"));
        MapProbeSettings both = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090",
                "canary-query", "a", "baseline-query", "b", "judge", "sequential", "fail-when", "ratio > 2"));

        assertThatThrownBy(() -> factory.create(plain)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> factory.create(both)).isInstanceOf(InvalidSettingsException.class);

        assertThat(plain.problems()).anySatisfy(p -> assertThat(p).startsWith("vigil.probes.p.judge: needs canary-query"));
        assertThat(both.problems()).containsExactly(
                "vigil.probes.p.judge: replaces pass-when and fail-when: remove the conditions or the judge");
    }

    @Test
    void onNoDataPassIsRefusedForACanaryJudgeSoThatAVersionWithoutDataNeverPasses() {
        // With on-no-data=pass (set for an errors count that is empty until the first error) an empty
        // requests count, a drained canary or a misspelt selector, passed every round unjudged.
        String refused = "cannot be pass for a canary judge: a version without data is no evidence of health";
        Map<String, Map<String, String>> judged = Map.of(
                "counts", settings("base-url", "http://prometheus:9090", "canary-errors-query", "ce",
                        "canary-requests-query", "cr", "baseline-errors-query", "be", "baseline-requests-query", "br",
                        "judge", "sequential", "on-no-data", "pass"),
                "histograms", settings("base-url", "http://prometheus:9090", "canary-histogram-query", "ch",
                        "baseline-histogram-query", "bh", "judge", "sequential", "on-no-data", "pass"),
                "samples", settings("base-url", "http://prometheus:9090", "canary-query", "c", "baseline-query", "b",
                        "judge", "mann-whitney", "on-no-data", "pass"));
        judged.forEach((mode, keys) -> {
            MapProbeSettings settings = MapProbeSettings.of("p", keys);
            assertThatThrownBy(() -> factory.create(settings)).as(mode).isInstanceOf(InvalidSettingsException.class);
            assertThat(settings.problems()).as(mode).singleElement().asString()
                    .startsWith("vigil.probes.p.on-no-data: " + refused);
        });
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://prometheus:9090").onNoData(OnNoData.PASS)
                .counts("ce", "cr", "be", "br", dev.vigil.analysis.CanaryJudges.sequential(
                        dev.vigil.analysis.Direction.INCREASE, 0, 0.95, 20)).build())
                .hasMessageStartingWith("on-no-data " + refused);

        // Conditions on a canary query (firing alerts of the canary, say) keep the choice.
        MapProbeSettings conditions = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090",
                "canary-query", "c", "baseline-query", "b", "fail-when", "canary > 0", "on-no-data", "pass"));
        ((PrometheusProbe) factory.create(conditions)).close();
        assertThat(conditions.problems()).isEmpty();
    }

    @Test
    void aBaselineQueryTheSameAsTheCanarysIsRefusedSinceItComparesTheCanaryWithItself() {
        // The same query on both sides (a copied line, or version and previous-version placeholders
        // that expand alike) passed every round with ratio 1, whatever the canary did.
        Map<String, Map<String, String>> same = Map.of(
                "baseline-query", settings("base-url", "http://prometheus:9090", "canary-query", "sum(rate(e{v=\"2\"}[1m]))",
                        "baseline-query", "sum(rate(e{v=\"2\"}[1m]))  ", "fail-when", "ratio > 1.5"),
                "baseline-errors-query", settings("base-url", "http://prometheus:9090", "canary-errors-query", "sum(e)",
                        "canary-requests-query", "sum(r{v=\"2\"})", "baseline-errors-query", "sum(e)",
                        "baseline-requests-query", "sum(r{v=\"1\"})", "judge", "sequential"),
                "baseline-requests-query", settings("base-url", "http://prometheus:9090", "canary-errors-query", "sum(e{v=\"2\"})",
                        "canary-requests-query", "sum(r)", "baseline-errors-query", "sum(e{v=\"1\"})",
                        "baseline-requests-query", "sum(r)", "judge", "sequential"),
                "baseline-histogram-query", settings("base-url", "http://prometheus:9090", "canary-histogram-query",
                        "sum by (le) (b)", "baseline-histogram-query", "sum  by (le)\n(b)", "judge", "sequential"));
        same.forEach((key, keys) -> {
            MapProbeSettings settings = MapProbeSettings.of("p", keys);
            assertThatThrownBy(() -> factory.create(settings)).as(key).isInstanceOf(InvalidSettingsException.class);
            assertThat(settings.problems()).as(key).singleElement().asString()
                    .startsWith("vigil.probes.p." + key + ": is the same query as canary-")
                    .contains("the canary would be compared with itself");
        });
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://prometheus:9090").canary("sum(e)", "sum(e)")
                .failWhen("ratio > 1.5").build())
                .hasMessageStartingWith("baseline-query is the same query as canary-query ('sum(e)')");
    }

    private static String vector(double... values) {
        StringBuilder result = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            result.append(i == 0 ? "" : ",").append("{\"metric\":{\"instance\":\"i").append(i)
                    .append("\"},\"value\":[1764148935.123,\"").append(values[i]).append("\"]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + result + "]}}";
    }

    @Test
    void countsModeNeedsAllFourQueriesAndAJudgeAndTakesNoCondition() {
        MapProbeSettings good = MapProbeSettings.of("errors", settings("base-url", "http://prometheus:9090",
                "canary-errors-query", "ce", "canary-requests-query", "cr", "baseline-errors-query", "be",
                "baseline-requests-query", "br", "judge", "sequential", "allow-warnings", "not a counter"));
        MapProbeSettings missing = MapProbeSettings.of("errors", settings("base-url", "http://prometheus:9090",
                "canary-errors-query", "ce", "canary-requests-query", "cr", "fail-when", "value > 1"));
        MapProbeSettings badRegex = MapProbeSettings.of("p", settings("base-url", "http://prometheus:9090", "query", "up",
                "fail-when", "value > 1", "allow-warnings", "(unclosed"));

        Probe probe = factory.create(good);
        assertThatThrownBy(() -> factory.create(missing)).isInstanceOf(InvalidSettingsException.class);
        assertThatThrownBy(() -> factory.create(badRegex)).isInstanceOf(InvalidSettingsException.class);

        assertThat(good.problems()).isEmpty();
        assertThat(probe.description()).contains("counts", "sequential");
        assertThat(factory.defaultLimits(good).maxInconclusive()).isEqualTo(Integer.MAX_VALUE);
        ((PrometheusProbe) probe).close();
        assertThat(missing.problems()).anySatisfy(p -> assertThat(p).startsWith("vigil.probes.errors.baseline-errors-query: is required"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.errors.baseline-requests-query: is required"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.errors.judge: is required for counts"));
        assertThat(badRegex.problems()).singleElement().asString().startsWith("vigil.probes.p.allow-warnings: is not a regular expression");
    }

    @Test
    void aBaseUrlWithoutItsSchemeIsRefusedSayingSo() {
        // 127.0.0.1:9090 gave "must be an http or https URL: '127.0.0.1:9090' (Illegal character in scheme name)".
        MapProbeSettings noScheme = MapProbeSettings.of("p", settings("base-url", "127.0.0.1:9090", "query", "up",
                "fail-when", "value < 1"));

        assertThatThrownBy(() -> factory.create(noScheme)).isInstanceOf(InvalidSettingsException.class);
        assertThat(noScheme.problems()).singleElement().asString().contains("vigil.probes.p.base-url: must be an http or"
                + " https URL with a host, such as http://prometheus:9090: '127.0.0.1:9090' has no scheme");
    }
}
