package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Canary mode: both queries run each round and their samples reach the judge. */
class CanaryTest extends MockPrometheusTest {

    private static final String CANARY = "sum(rate(errors{track=\"canary\"}[1m]))";
    private static final String BASELINE = "sum(rate(errors{track=\"baseline\"}[1m]))";

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private void answer(String path, String query, String body) {
        prometheus.stubFor(get(urlPathEqualTo(path)).withQueryParam("query", equalTo(query))
                .willReturn(aResponse().withBody(body)));
    }

    private static String scalar(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1764148935.123,\""
                + value + "\"]}]}}";
    }

    private static String matrix(String... values) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            // one point every 15 s up to the round's time, as Prometheus answers a range
            points.append(i == 0 ? "" : ",").append('[').append(1764148935 - 15 * (values.length - 1 - i)).append(".123,\"")
                    .append(values[i]).append("\"]");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"track\":\"x\"},\"values\":["
                + points + "]}]}}";
    }

    @Test
    void judgeReceivesEveryPointOfBothQueriesAndTheRound() {
        answer("/api/v1/query_range", CANARY, matrix("0.1", "0.2", "0.3", "0.4", "0.5"));
        answer("/api/v1/query_range", BASELINE, matrix("0.1", "0.1", "0.2", "0.1", "0.1"));
        AtomicReference<Samples> canary = new AtomicReference<>();
        AtomicReference<Samples> baseline = new AtomicReference<>();
        AtomicReference<Instant> time = new AtomicReference<>();
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .range(Duration.ofMinutes(1), Duration.ofSeconds(15))
                .judge((c, b, context) -> {
                    canary.set(c);
                    baseline.set(b);
                    time.set(context.time());
                    return ProbeResult.fail(Map.of("p-value", 0.01), "canary is worse (p=0.01)");
                })
                .build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).isEqualTo("canary is worse (p=0.01)");
        assertThat(canary.get().query()).isEqualTo(CANARY);
        assertThat(canary.get().values()).containsExactly(0.1, 0.2, 0.3, 0.4, 0.5);
        assertThat(baseline.get().values()).containsExactly(0.1, 0.1, 0.2, 0.1, 0.1);
        assertThat(canary.get().series().get(0).labels()).containsEntry("track", "x");
        assertThat(canary.get().series().get(0).samples().get(1).time()).isEqualTo(Instant.ofEpochSecond(1764148890, 123_000_000));
        assertThat(time.get()).isEqualTo(TestContext.TIME);
    }

    @Test
    void judgeKeepsStateAcrossRoundsThroughTheContext() {
        answer("/api/v1/query", CANARY, scalar("2"));
        answer("/api/v1/query", BASELINE, scalar("1"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .judge((c, b, context) -> {
                    AtomicInteger worse = context.state("worse", AtomicInteger::new);
                    int n = c.values()[0] > b.values()[0] ? worse.incrementAndGet() : worse.get();
                    return n >= 2 ? ProbeResult.fail(Map.of("worse", n), "worse twice")
                            : ProbeResult.pass(Map.of("worse", n), "worse once");
                })
                .build();
        ProbeContext context = TestContext.standard();

        ProbeResult first = probe.measure(context);
        ProbeResult second = probe.measure(context);

        assertThat(first.outcome()).isEqualTo(Outcome.PASS);
        assertThat(second.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(second.values()).containsEntry("worse", 2);
    }

    @Test
    void defaultJudgeComparesCanaryBaselineAndRatio() {
        answer("/api/v1/query", CANARY, scalar("0.03"));
        answer("/api/v1/query", BASELINE, scalar("0.01"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .failWhen("ratio > 2 && canary > 0.001").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.values()).containsEntry("canary", 0.03).containsEntry("baseline", 0.01)
                .containsEntry("canary-points", 1).containsEntry("baseline-points", 1);
        assertThat((Double) m.values().get("ratio")).isCloseTo(3.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.explanation()).contains("ratio(");
        assertThat(probe.description()).startsWith("PromQL canary vs baseline at " + prometheus.baseUrl());
    }

    @Test
    void defaultJudgeUsesTheMeanOfARangeAndPassesAHealthyCanary() {
        answer("/api/v1/query_range", CANARY, matrix("0.01", "0.03"));
        answer("/api/v1/query_range", BASELINE, matrix("0.02", "0.02"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .range(Duration.ofSeconds(30), Duration.ofSeconds(15)).failWhen("ratio > 1.5").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("canary", 0.02).containsEntry("baseline", 0.02).containsEntry("ratio", 1.0)
                .containsEntry("canary-points", 2);
    }

    /**
     * With a range, a canary whose series stopped four minutes before the round's time (the canary
     * pod died; Prometheus ended its series) has no data now: its old points are not averaged into a
     * passing round, and the round follows on-no-data, as an instant query would.
     */
    @Test
    void aCanaryWhoseSeriesStoppedBeforeTheRoundsTimeHasNoDataNow() {
        answer("/api/v1/query_range", CANARY, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"track\":\"canary\"},\"values\":[[1764148665,\"0.02\"],[1764148680,\"0.02\"]]}]}}");
        answer("/api/v1/query_range", BASELINE, matrix("0.02", "0.02"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .range(Duration.ofMinutes(5), Duration.ofSeconds(15)).failWhen("ratio > 1.5").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).startsWith("canary-query returned no data at the round's time (no point from"
                + " 2025-11-26T09:21:45.123Z on: the series stopped)");
    }

    @Test
    void ratioOverAZeroBaselineIsInfiniteAndComparesAsANumber() {
        answer("/api/v1/query", CANARY, scalar("0.02"));
        answer("/api/v1/query", BASELINE, scalar("0"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .failWhen("ratio > 2").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat((Double) m.values().get("ratio")).isInfinite();
    }

    @Test
    void twoVersionsWithoutAnErrorHaveTheRatioOneSoTheDocumentedConditionPasses() {
        answer("/api/v1/query", CANARY, scalar("0"));
        answer("/api/v1/query", BASELINE, scalar("0"));
        // The condition of docs/prometheus-probes.md, "Canary mode".
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .failWhen("ratio > 1.5 && canary > 0.001").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("ratio", 1.0);
    }

    @Test
    void aNanRatioIsMissingDataForAConditionThatTestsOnlyForInfinities() {
        // The canary served no request: its error ratio is 0/0.
        answer("/api/v1/query", CANARY, scalar("NaN"));
        answer("/api/v1/query", BASELINE, scalar("0"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .failWhen("isInf(ratio) || ratio > 2").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("ratio is NaN");
    }

    @Test
    void defaultJudgeNeedsOneSeriesPerSide() {
        answer("/api/v1/query", CANARY, Canned.body("vector-two-series.json"));
        answer("/api/v1/query", BASELINE, scalar("0.01"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .failWhen("ratio > 2").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("canary-query returned 2 series ({instance=\"a\",job=\"checkout\"}, ")
                .contains("sum(...)");
    }

    @Test
    void emptySideFollowsOnNoDataAndNeverReachesTheJudge() {
        answer("/api/v1/query", CANARY, scalar("0.01"));
        answer("/api/v1/query", BASELINE, Canned.body("empty-vector.json"));
        AtomicInteger calls = new AtomicInteger();
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .judge((c, b, context) -> {
                    calls.incrementAndGet();
                    return ProbeResult.pass(Map.of(), "fine");
                })
                .build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("baseline-query returned no data");
        assertThat(calls).hasValue(0);
    }

    @Test
    void judgeThatThrowsGivesAnError() {
        answer("/api/v1/query", CANARY, scalar("0.01"));
        answer("/api/v1/query", BASELINE, scalar("0.01"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .judge((c, b, context) -> {
                    throw new IllegalStateException("too few samples: 1 < 20");
                })
                .build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).isEqualTo("the canary judge failed: too few samples: 1 < 20");
    }

    @Test
    void samplesExposeFiniteValuesForStatistics() {
        Samples samples = new Samples("q", List.of(new Series(Map.of("a", "1"), List.of(
                new Sample(Instant.EPOCH, 1.0), new Sample(Instant.EPOCH.plusSeconds(1), Double.NaN),
                new Sample(Instant.EPOCH.plusSeconds(2), 3.0)))), null);

        assertThat(samples.size()).isEqualTo(3);
        assertThat(samples.finiteValues()).containsExactly(1.0, 3.0);
        assertThat(samples.values()).hasSize(3);
    }

    @Test
    void seriesMeansGiveOneValuePerSeriesWithoutItsNanPointsAndKeepAnInfiniteSeries() {
        Samples samples = new Samples("q", List.of(
                new Series(Map.of("instance", "a"), List.of(new Sample(Instant.EPOCH, 1.0),
                        new Sample(Instant.EPOCH.plusSeconds(1), Double.NaN), new Sample(Instant.EPOCH.plusSeconds(2), 3.0))),
                new Series(Map.of("instance", "b"), List.of(new Sample(Instant.EPOCH, 4.0),
                        new Sample(Instant.EPOCH.plusSeconds(1), Double.POSITIVE_INFINITY))),
                new Series(Map.of("instance", "idle"), List.of(new Sample(Instant.EPOCH, Double.NaN))),
                new Series(Map.of("instance", "c"), List.of(new Sample(Instant.EPOCH, 5.0)))), null);

        assertThat(samples.seriesMeans()).containsExactly(2.0, Double.POSITIVE_INFINITY, 5.0);
    }

    @Test
    void aCanaryInstanceWhoseMeanIsInfiniteIsAnErrorNamingItNeverAPassOnTheOtherInstances() {
        String healthy = "{\"metric\":{\"instance\":\"c1\"},\"value\":[1764148935.123,\"0.1\"]}";
        answer("/api/v1/query", BASELINE, scalar("0.1"));
        answer("/api/v1/query", CANARY, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + healthy + "]}}");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .judge(SamplesJudge.canaryAnalysis(dev.vigil.analysis.CanaryJudges.sequential(
                        dev.vigil.analysis.Direction.INCREASE, 0.5, 0.95, 2)))
                .build();
        ProbeResult passed = null;
        for (int round = 0; round < 4; round++) {
            passed = measure();
        }
        // A second canary instance whose latency is a sum over a count of 0: the worst instance there is.
        answer("/api/v1/query", CANARY, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + healthy + ",{\"metric\":{\"instance\":\"c2\"},\"value\":[1764148935.123,\"+Inf\"]}]}}");

        ProbeResult infinite = measure();

        assertThat(passed.outcome()).as(passed.explanation()).isEqualTo(Outcome.PASS);
        assertThat(infinite.outcome()).as(infinite.toString()).isEqualTo(Outcome.ERROR);
        assertThat(infinite.error()).startsWith("canary-query returned +Inf for {instance=\"c2\"}: an infinite value");
    }

    @Test
    void canaryAnalysisTakesOneValuePerSeriesNotOnePerPointOfARange() {
        answer("/api/v1/query_range", CANARY, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"instance\":\"c1\"},\"values\":[[1764148920.123,\"130\"],[1764148935.123,\"134\"]]},"
                + "{\"metric\":{\"instance\":\"c2\"},\"values\":[[1764148920.123,\"128\"],[1764148935.123,\"NaN\"]]}]}}");
        answer("/api/v1/query_range", BASELINE, "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":["
                + "{\"metric\":{\"instance\":\"b1\"},\"values\":[[1764148920.123,\"120\"],[1764148935.123,\"122\"]]},"
                + "{\"metric\":{\"instance\":\"b2\"},\"values\":[[1764148920.123,\"119\"],[1764148935.123,\"121\"]]},"
                + "{\"metric\":{\"instance\":\"b3\"},\"values\":[[1764148920.123,\"118\"],[1764148935.123,\"124\"]]}]}}");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .range(Duration.ofSeconds(15), Duration.ofSeconds(15))
                .judge(SamplesJudge.canaryAnalysis(dev.vigil.analysis.CanaryJudges.sequential(
                        dev.vigil.analysis.Direction.INCREASE, 0, 0.95, 2).withIndependentInstances(true)))
                .build();

        ProbeResult m = probe.measure(TestContext.standard());

        // Five instances tell the noise apart from the 7.7% difference in the first round already.
        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.FAIL);
        assertThat(m.values()).containsEntry("canary-values", 2).containsEntry("baseline-values", 3)
                .containsEntry("canary-mean", 130.0).containsEntry("baseline-mean", 120.66666666666667);
    }

    @Test
    void aCanaryAnalysisRoundWithoutACanaryValueIsNeverAPassOnEarlierRounds() {
        answer("/api/v1/query", CANARY, scalar("0.101"));
        answer("/api/v1/query", BASELINE, scalar("0.1"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .judge(SamplesJudge.canaryAnalysis(dev.vigil.analysis.CanaryJudges.sequential(
                        dev.vigil.analysis.Direction.INCREASE, 0.5, 0.95, 2)))
                .build();
        ProbeResult passed = null;
        for (int round = 0; round < 4; round++) {
            passed = measure();
        }
        // The canary serves no request: its mean latency is 0/0.
        answer("/api/v1/query", CANARY, scalar("NaN"));

        ProbeResult idle = measure();

        assertThat(passed.outcome()).as(passed.explanation()).isEqualTo(Outcome.PASS);
        assertThat(idle.outcome()).as(idle.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(idle.explanation()).contains("the canary had no value this round", "no evidence of health");
    }

    @Test
    void aWarnedAnswerIsNotFedToACanaryAnalysis() {
        answer("/api/v1/query", CANARY, scalar("0.101").replace("{\"status\":\"success\",",
                "{\"status\":\"success\",\"warnings\":[\"partial response: store b down\"],"));
        answer("/api/v1/query", BASELINE, scalar("0.1"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary(CANARY, BASELINE)
                .judge(SamplesJudge.canaryAnalysis(dev.vigil.analysis.CanaryJudges.sequential(
                        dev.vigil.analysis.Direction.INCREASE, 0.5, 0.95, 2)))
                .build();
        ProbeResult warned = measure();
        answer("/api/v1/query", CANARY, scalar("0.101"));

        ProbeResult clean = measure();

        assertThat(clean.outcome()).as(clean.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(clean.explanation()).contains("after 1 paired round");
        assertThat(warned.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(warned.explanation()).contains("store b down", "not fed to the judge");
    }

    @Test
    void queryAndCanaryModeAreExclusive() {
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").query("up").canary(CANARY, BASELINE)
                .failWhen("ratio > 2").build())
                .hasMessageStartingWith("query cannot be combined with canary-query and baseline-query");
    }

    @Test
    void aJudgeWithConditionsIsRefusedNotBuiltWithConditionsItWouldNeverApply() {
        dev.vigil.analysis.CanaryAnalysis sequential = dev.vigil.analysis.CanaryJudges.sequential(
                dev.vigil.analysis.Direction.INCREASE, 0, 0.95, 20);
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").canary(CANARY, BASELINE)
                .judge(SamplesJudge.canaryAnalysis(sequential)).failWhen("ratio > 1.5 && canary > 0.001").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("judge replaces pass-when and fail-when: remove the conditions or the judge");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").canary(CANARY, BASELINE)
                .judge(SamplesJudge.canaryAnalysis(sequential)).passWhen("ratio < 2").build())
                .hasMessageStartingWith("judge replaces pass-when and fail-when");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").counts("ce", "cr", "be", "br", sequential)
                .failWhen("ratio > 1.5").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("judge judges the counts: remove pass-when and fail-when");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").histogram("c", "b", sequential)
                .criteria(dev.vigil.condition.Criteria.of(null, "ratio > 1.5", PrometheusProbe.CANARY_NAMES)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("judge judges the histograms: remove pass-when and fail-when");
        // Blank conditions are none, as everywhere in the builder.
        PrometheusProbe judged = PrometheusProbe.builder().baseUrl("http://p:9090").canary(CANARY, BASELINE)
                .judge(SamplesJudge.canaryAnalysis(sequential)).failWhen(" ").build();
        judged.close();
        assertThat(judged.toString()).doesNotContain("fail-when");
    }
}
