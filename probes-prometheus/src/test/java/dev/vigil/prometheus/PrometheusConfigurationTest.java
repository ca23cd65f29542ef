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
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.BoundProbe;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** type=prometheus bound from application properties by the core's binder, found through ServiceLoader. */
class PrometheusConfigurationTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static VigilConfig config(Map<String, String> environment) {
        return VigilConfig.builder().environment(environment).build();
    }

    @Test
    void propertiesBindToAWorkingPrometheusProbe() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(Canned.body("scalar.json"))));
        BoundConfig bound = config(Map.of("PROMETHEUS_TOKEN", "tok-0a1b2c3d4e")).load(Map.of(
                "vigil.plan.interval", "2s",
                "vigil.plan.duration", "2s",
                "vigil.probes.error-rate.type", "prometheus",
                "vigil.probes.error-rate.base-url", prometheus.baseUrl(),
                "vigil.probes.error-rate.query", "sum(rate(errors[1m])) / sum(rate(requests[1m]))",
                "vigil.probes.error-rate.fail-when", "value > 0.01",
                "vigil.probes.error-rate.bearer-token", "${PROMETHEUS_TOKEN}",
                "vigil.probes.error-rate.headers.X-Scope-OrgID", "team-a",
                "vigil.probes.error-rate.on-no-data", "fail"));

        BoundProbe probe = bound.probes().get(0);
        VerificationReport report = bound.verifier().verifyAfterDeploy(Deployment.of("checkout", "2.4.1"));

        assertThat(probe.type()).isEqualTo("prometheus");
        assertThat(((PrometheusProbe) probe.probe()).onNoData()).isEqualTo(OnNoData.FAIL);
        Measurement m = report.probe("error-rate").orElseThrow().measurements().get(0);
        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(bound.describe()).doesNotContain("tok-0a1b2c3d4e")
                .as("the re-check waits until rate(...[1m]) reads only the previous version").contains("re-check: 3 rounds after 1m");
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query"))
                .withHeader("Authorization", equalTo("Bearer tok-0a1b2c3d4e"))
                .withHeader("X-Scope-OrgID", equalTo("team-a")));
        ((PrometheusProbe) probe.probe()).close();
    }

    @Test
    void canaryProbesAreLeftOutOfTheRecheckAfterARollbackUnlessRecheckIsTrue() {
        Map<String, String> p = new java.util.HashMap<>(Map.ofEntries(
                Map.entry("vigil.probes.latency.type", "prometheus"),
                Map.entry("vigil.probes.latency.base-url", prometheus.baseUrl()),
                Map.entry("vigil.probes.latency.canary-histogram-query", "sum by (le) (increase(h_bucket{track=\"canary\"}[10s]))"),
                Map.entry("vigil.probes.latency.baseline-histogram-query", "sum by (le) (increase(h_bucket{track=\"stable\"}[10s]))"),
                Map.entry("vigil.probes.latency.judge", "sequential"),
                Map.entry("vigil.probes.means.type", "prometheus"),
                Map.entry("vigil.probes.means.base-url", prometheus.baseUrl()),
                Map.entry("vigil.probes.means.canary-query", "avg(latency{track=\"canary\"})"),
                Map.entry("vigil.probes.means.baseline-query", "avg(latency{track=\"stable\"})"),
                Map.entry("vigil.probes.means.judge", "mann-whitney"),
                Map.entry("vigil.probes.error-rate.type", "prometheus"),
                Map.entry("vigil.probes.error-rate.base-url", prometheus.baseUrl()),
                Map.entry("vigil.probes.error-rate.query", "sum(rate(errors[1m]))"),
                Map.entry("vigil.probes.error-rate.fail-when", "value > 0.01")));

        assertThat(config(Map.of()).load(p).recheck().unchecked()).containsExactly("latency", "means");
        p.put("vigil.probes.means.recheck", "true");
        p.put("vigil.probes.error-rate.recheck", "false");
        assertThat(config(Map.of()).load(p).recheck().unchecked()).containsExactly("error-rate", "latency");
    }

    /** An error-rate probe whose query reads {@code offset} back, under a plan of that interval and duration. */
    private static Map<String, String> offsetQuery(String interval, String duration, String offset) {
        return new java.util.HashMap<>(Map.of(
                "vigil.plan.interval", interval,
                "vigil.plan.duration", duration,
                "vigil.probes.error-rate.type", "prometheus",
                "vigil.probes.error-rate.base-url", prometheus.baseUrl(),
                "vigil.probes.error-rate.query", "sum(rate(errors[1m] offset " + offset + ")) or vector(0)",
                "vigil.probes.error-rate.fail-when", "value > 0.01"));
    }

    private static ConfigurationException refused(Map<String, String> p) {
        ConfigurationException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of()).load(p));
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    /**
     * An offset longer than the bake (docs/prometheus-probes.md): {@code offset 1h} in a 5-minute
     * bake reads only data from before the deployment in every round, extra rounds included, so that
     * every pass would be INCONCLUSIVE. Refused offline, naming the query's key, the offset and the
     * bake; an offset the bake outlasts is bound.
     */
    @Test
    void anOffsetLongerThanTheBakeIsAProblemOfTheQueryNamingTheOffsetAndTheBake() {
        Map<String, String> p = offsetQuery("10s", "5m", "1h");

        ConfigurationException e = refused(p);
        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.probes.error-rate.query");
            assertThat(problem.message()).startsWith("reads no data newer than 1h before each round's time ([1m] offset 1h),"
                    + " longer than the bake: vigil.plan.initial-delay 0s and vigil.plan.duration 5m")
                    .contains("every round would read only data from before the deployment and be INCONCLUSIVE");
        });
        p.put("vigil.probes.error-rate.query", "sum(rate(errors[1m] offset 2m)) or vector(0)");
        assertThat(config(Map.of()).load(p).probes()).hasSize(1);
    }

    @Test
    void anOffsetLongerThanThePlannedRoundsButWithinTheExtraRoundsIsAWarningNamingTheOffsetAndThePlan() {
        Map<String, String> p = offsetQuery("10s", "5m", "6m");

        BoundConfig bound = config(Map.of()).load(p);
        assertThat(bound.probes().get(0).probe().warnings(bound.plan())).singleElement().asString()
                .startsWith("query reads no data newer than 6m before each round's time ([1m] offset 6m), longer than the"
                        + " planned rounds last: initial-delay 0s, interval 10s and duration 5m put the last planned round"
                        + " 290s after the start; every planned round would read only data from before the deployment and"
                        + " be INCONCLUSIVE, and only the end-of-bake rule's extra rounds, from 5m after the start, could judge");
        assertThat(bound.describe()).contains("warning: probe error-rate: query reads no data newer than 6m");

        p.put("vigil.probes.error-rate.query", "sum(rate(errors[1m] offset 4m)) or vector(0)");
        BoundConfig shorter = config(Map.of()).load(p);
        assertThat(shorter.probes().get(0).probe().warnings(shorter.plan())).isEmpty();
    }

    @Test
    void anOffsetBeyondTheExtraRoundsOfALongBakeIsRefusedTheyLastAnHourAtMost() {
        // 120 planned rounds of a minute, then at most 60 extra ones (an hour): the last round is due
        // 2h59m after the start, not 3h59m, so an offset of 3h30m reads nothing new in any round.
        Map<String, String> p = offsetQuery("1m", "2h", "210m");

        ConfigurationException e = refused(p);
        assertThat(e.problems()).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("whose last round, the end-of-bake rule's extra rounds included, is due 179m after the start"));
    }

    @Test
    void theRefusalOfAnOffsetLongerThanTheBakeNamesThePlanKeysUnderTheConfiguredPrefix() {
        ConfigurationException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> VigilConfig.builder().prefix("release").environment(Map.of()).build().load(Map.of(
                        "release.plan.duration", "5m",
                        "release.probes.error-rate.type", "prometheus",
                        "release.probes.error-rate.base-url", prometheus.baseUrl(),
                        "release.probes.error-rate.query", "sum(rate(errors[1m] offset 1h)) or vector(0)",
                        "release.probes.error-rate.fail-when", "value > 0.01")));
        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(problem -> assertThat(problem.message())
                .contains("release.plan.initial-delay 0s and release.plan.duration 5m")
                .endsWith("or lengthen release.plan.duration")
                .doesNotContain("vigil."));
    }

    @Test
    void misspeltKeyAndBadValuesAreReportedTogetherWithoutSecrets() {
        assertThatThrownBy(() -> config(Map.of()).load(Map.of(
                "vigil.probes.error-rate.type", "prometheus",
                "vigil.probes.error-rate.base-url", "http://prometheus:9090",
                "vigil.probes.error-rate.querry", "up",
                "vigil.probes.error-rate.fail-when", "value > 0.01",
                "vigil.probes.error-rate.on-no-data", "maybe",
                "vigil.probes.error-rate.password", "pw-5f4e3d2c1b")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.error-rate.querry")
                .hasMessageContaining("query")
                .hasMessageContaining("vigil.probes.error-rate.on-no-data")
                .hasMessageNotContaining("pw-5f4e3d2c1b");
    }

    @Test
    void theBaselineHistoryKeysBindAndTheirMistakesNameKeyAndValue() {
        Map<String, String> counts = new java.util.HashMap<>(Map.of(
                "vigil.probes.errors.type", "prometheus",
                "vigil.probes.errors.base-url", prometheus.baseUrl(),
                "vigil.probes.errors.canary-errors-query", "sum(increase(e{v=\"2\"}[10s])) or vector(0)",
                "vigil.probes.errors.canary-requests-query", "sum(increase(r{v=\"2\"}[10s]))",
                "vigil.probes.errors.baseline-errors-query", "sum(increase(e{v=\"1\"}[10s])) or vector(0)",
                "vigil.probes.errors.baseline-requests-query", "sum(increase(r{v=\"1\"}[10s]))",
                "vigil.probes.errors.judge", "sequential"));
        Map<String, String> set = new java.util.HashMap<>(counts);
        set.put("vigil.probes.errors.baseline-history", "PT45M");
        set.put("vigil.probes.errors.baselineHistoryStep", "20s");
        Map<String, String> off = new java.util.HashMap<>(counts);
        off.put("vigil.probes.errors.baseline-history", "OFF");
        Map<String, String> bad = new java.util.HashMap<>(counts);
        bad.put("vigil.probes.errors.baseline-history", "soon");
        bad.put("vigil.probes.errors.baseline-history-step", "often");

        try (PrometheusProbe withSet = (PrometheusProbe) config(Map.of()).load(set).probes().get(0).probe();
                PrometheusProbe withOff = (PrometheusProbe) config(Map.of()).load(off).probes().get(0).probe();
                PrometheusProbe withDefaults = (PrometheusProbe) config(Map.of()).load(counts).probes().get(0).probe()) {
            assertThat(withSet.toString()).contains("baseline-history=45m, baseline-history-step=20s");
            assertThat(withOff.toString()).contains("baseline-history=off");
            assertThat(withDefaults.toString()).contains("baseline-history=30m").doesNotContain("baseline-history-step");
        }
        assertThatThrownBy(() -> config(Map.of()).load(bad)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.errors.baseline-history: must be a duration such as 30m, or off: 'soon'")
                .hasMessageContaining("vigil.probes.errors.baseline-history-step").hasMessageContaining("often");
    }

    @Test
    void onNoDataPassIsRefusedForAProbeThatConfirmsAFixAlsoWhenConfirmsIsAYamlList() {
        // confirms: [INC-7, INC-8] in YAML arrives as confirms[0], confirms[1]
        assertThatThrownBy(() -> config(Map.of()).load(Map.of(
                "vigil.probes.coupon-errors.type", "prometheus",
                "vigil.probes.coupon-errors.base-url", prometheus.baseUrl(),
                "vigil.probes.coupon-errors.query", "sum(rate(coupon_errors_total[1m]))",
                "vigil.probes.coupon-errors.fail-when", "value > 0",
                "vigil.probes.coupon-errors.on-no-data", "pass",
                "vigil.probes.coupon-errors.confirms[0]", "INC-7",
                "vigil.probes.coupon-errors.confirms[1]", "INC-8"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.coupon-errors.confirms: cannot confirm INC-7,INC-8 with on-no-data=pass:"
                        + " a query without data passes, which is no evidence that the fix works");
    }

    @Test
    void onNoDataPassIsRefusedForAProbeBuiltInJavaThatConfirmsAFixAsConfigurationRefusesIt() {
        // A hotfix for INC-7 was CONFIRMED by a query of a metric that did not exist: every round an empty
        // result, and on-no-data=pass made each a PASS. Configuration refused it; the Java builder took it.
        try (PrometheusProbe passing = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .query("sum(rate(coupon_errors_total[1m]))").failWhen("value > 0").onNoData(OnNoData.PASS).build()) {
            DeployVerifier.Builder builder = DeployVerifier.builder().probe("coupon-errors", passing);

            assertThatThrownBy(() -> builder.confirms("coupon-errors", "INC-7")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("probe 'coupon-errors' cannot confirm INC-7 with on-no-data=pass: a query without data passes,"
                            + " which is no evidence that the fix works and would confirm it; leave on-no-data out"
                            + " (inconclusive) or set fail, and make an errors count that stays empty until the first error"
                            + " read 0 with 'or vector(0)'");
            // the same probe confirms nothing and keeps the choice
            builder.build().close();
        }
        // one that confirms a fix may fail on no data, in Java and in configuration
        try (PrometheusProbe failing = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .query("sum(rate(coupon_errors_total[1m]))").failWhen("value > 0").onNoData(OnNoData.FAIL).build()) {
            DeployVerifier.builder().probe("coupon-errors", failing).confirms("coupon-errors", "INC-7").build().close();
        }
        BoundConfig bound = config(Map.of()).load(Map.of(
                "vigil.probes.coupon-errors.type", "prometheus",
                "vigil.probes.coupon-errors.base-url", prometheus.baseUrl(),
                "vigil.probes.coupon-errors.query", "sum(rate(coupon_errors_total[1m]))",
                "vigil.probes.coupon-errors.fail-when", "value > 0",
                "vigil.probes.coupon-errors.on-no-data", "fail",
                "vigil.probes.coupon-errors.confirms", "INC-7"));
        assertThat(bound.probes().get(0).confirms()).containsExactly("INC-7");
        bound.probes().get(0).probe().close();
    }

    /**
     * Before: a canary judge confirmed a fix: it passes when the canary is no worse than the baseline,
     * the previous version that still has the bug, so a hotfix that fixed nothing was CONFIRMED.
     */
    @Test
    void aCanaryJudgeCannotConfirmAFixInAnyModeButConditionsOnCanaryAndBaselineCan() {
        dev.vigil.analysis.CanaryAnalysis judge = dev.vigil.analysis.CanaryJudges.sequential(
                dev.vigil.analysis.Direction.INCREASE, 0.1, 0.95, 6);
        List<PrometheusProbeBuilder> judged = List.of(
                PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary("canary_errors", "baseline_errors")
                        .judge(SamplesJudge.canaryAnalysis(judge)),
                PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts("ce", "cr", "be", "br", judge),
                PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).histogram("ch", "bh", judge));
        for (PrometheusProbeBuilder b : judged) {
            try (PrometheusProbe probe = b.build()) {
                DeployVerifier.Builder builder = DeployVerifier.builder().probe("errors", probe);
                assertThatThrownBy(() -> builder.confirms("errors", "INC-7")).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("probe 'errors' cannot confirm INC-7 with ")
                        .hasMessageContaining(" and judge: its pass says only that the canary is no worse than the baseline");
            }
        }
        Map<String, String> configured = new java.util.HashMap<>();
        String keys = "type=prometheus,canary-query=canary_errors,baseline-query=baseline_errors,judge=sequential,confirms=INC-7";
        for (String entry : keys.split(",")) {
            configured.put("vigil.probes.errors." + entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        }
        configured.put("vigil.probes.errors.base-url", prometheus.baseUrl());
        assertThatThrownBy(() -> config(Map.of()).load(configured)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.errors.confirms: cannot confirm INC-7 with canary-query, baseline-query"
                        + " and judge: its pass says only that the canary is no worse than the baseline");
        // Conditions on canary and baseline are the user's: they may ask for an improvement.
        try (PrometheusProbe conditions = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .canary("canary_errors", "baseline_errors").failWhen("ratio > 0.5").build()) {
            DeployVerifier.builder().probe("errors", conditions).confirms("errors", "INC-7").build().close();
        }
    }

    @Test
    void aCanaryJudgeIsNotHeldToMaxInconclusiveWhileItsEvidenceAccumulatesUnlessTheUserSetsIt() {
        Map<String, String> canary = Map.of(
                "vigil.probes.latency.type", "prometheus",
                "vigil.probes.latency.base-url", prometheus.baseUrl(),
                "vigil.probes.latency.canary-query", "histogram_quantile(0.99, rate(latency_bucket{track=\"canary\"}[1m]))",
                "vigil.probes.latency.baseline-query", "histogram_quantile(0.99, rate(latency_bucket{track=\"baseline\"}[1m]))",
                "vigil.probes.latency.judge", "sequential");
        java.util.HashMap<String, String> explicit = new java.util.HashMap<>(canary);
        explicit.put("vigil.probes.latency.max-inconclusive", "3");

        assertThat(config(Map.of()).load(canary).probes().get(0).limits().maxInconclusive()).isEqualTo(ProbeLimits.UNLIMITED);
        assertThat(config(Map.of()).load(explicit).probes().get(0).limits().maxInconclusive()).isEqualTo(3);
        // validate's line names the judge, as counts mode and the HTTP canary do, and says unlimited in words.
        assertThat(config(Map.of()).load(canary).probes().get(0).describe())
                .contains("PromQL canary vs baseline, judged by sequential (increase, tolerance 0, confidence 0.95, min-samples 20) at ")
                .contains("max-inconclusive unlimited,");
        assertThat(config(Map.of()).load(explicit).probes().get(0).describe()).contains("max-inconclusive 3,");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "range, 200000000000d",
        "step, 200000000000d",
        "timeout, 200000000000d",
    })
    void aDurationTooLongForMillisecondsIsAConfigurationErrorNamingTheKey(String key, String value) {
        Map<String, String> p = new java.util.HashMap<>(Map.of(
                "vigil.probes.error-rate.type", "prometheus",
                "vigil.probes.error-rate.base-url", prometheus.baseUrl(),
                "vigil.probes.error-rate.query", "up",
                "vigil.probes.error-rate.fail-when", "value < 1",
                "vigil.probes.error-rate.range", "5m"));
        p.put("vigil.probes.error-rate." + key, value);

        assertThatThrownBy(() -> config(Map.of()).load(p).verifier()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.error-rate." + key);
    }
}
