package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Range mode: every point of the window is judged. */
class PrometheusRangeTest extends MockPrometheusTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private ProbeResult measure(String file, String failWhen) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withBody(Canned.body(file))));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio").failWhen(failWhen)
                .range(Duration.ofMinutes(5), Duration.ofSeconds(15)).build();
        return probe.measure(TestContext.standard());
    }

    @Test
    void aRangeQueryLooksBackOverItsRangeAndItsSelectors() {
        // What the re-check after a rollback waits for by default (RecheckPlan.delayFor).
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("sum(rate(errors[1m]))").failWhen("value > 0.01")
                .range(Duration.ofMinutes(5), Duration.ofSeconds(15)).build();
        assertThat(probe.lookback()).isEqualTo(Duration.ofMinutes(6));
        probe.close();
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("sum(rate(errors[1m] offset 10m))")
                .failWhen("value > 0.01").build();
        assertThat(probe.lookback()).isEqualTo(Duration.ofMinutes(11));
        probe.close();
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("sum(rate(errors[$__rate_interval]))")
                .failWhen("value > 0.01").build();
        assertThat(probe.lookback()).as("not known: nothing to wait for").isEqualTo(Duration.ZERO);
    }

    @Test
    void queriesTheWindowEndingAtTheRoundsTime() {
        measure("matrix-range-healthy.json", "value > 0.01");

        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withQueryParam("query", equalTo("error_ratio"))
                .withQueryParam("start", equalTo("1764148635.123"))
                .withQueryParam("end", equalTo("1764148935.123"))
                .withQueryParam("step", equalTo("15")));
    }

    @Test
    void passesWhenNoPointCrossesTheThreshold() {
        ProbeResult m = measure("matrix-range-healthy.json", "value > 0.01");

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("(all 3 points of 1 series passed)");
        assertThat(m.values()).containsEntry("points", 3).containsEntry("max", 0.004).containsEntry("value", 0.004);
    }

    @Test
    void failsNamingTheFirstFailingPointAndItsTime() {
        ProbeResult m = measure("matrix-range.json", "value > 0.01");

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).startsWith("{instance=\"b\"} at 2025-11-26T09:21:45.123Z: ")
                .contains("0.02")
                .contains("the first of 2 points out of 8 that failed, in 1 of 2 series");
        assertThat(m.values()).containsEntry("at", "2025-11-26T09:21:45.123Z").containsEntry("value", 0.02)
                .containsEntry("series", 2).containsEntry("points", 8);
    }

    private ProbeResult measureBody(String body, OnNoData onNoData) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + body + "]}}")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio").failWhen("value > 0.01")
                .onNoData(onNoData).range(Duration.ofMinutes(5), Duration.ofSeconds(15)).build();
        return probe.measure(TestContext.standard());
    }

    /**
     * The round's time is 09:22:15.123, the window [09:17:15.123, 09:22:15.123], one point every
     * 15 s while a series exists. A service that died at 09:18:00 left points only before then
     * (Prometheus ends a series when its target stops answering): before, the round passed on
     * them, where an instant query at the same time answers nothing (INCONCLUSIVE).
     */
    @Test
    void aSeriesThatStoppedReportingHasNoDataNowAndItsOldPassesDoNotCount() {
        ProbeResult m = measureBody("{\"metric\":{\"instance\":\"a\"},\"values\":[[1764148650,\"0.001\"],"
                + "[1764148665,\"0.002\"],[1764148680,\"0.003\"]]}", OnNoData.INCONCLUSIVE);

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).startsWith("no series has data at the round's time: the newest point is at"
                + " 2025-11-26T09:18:00Z, before 2025-11-26T09:21:45.123Z (two steps before the round's time)");
        assertThat(measureBody("{\"metric\":{\"instance\":\"a\"},\"values\":[[1764148680,\"0.003\"]]}", OnNoData.FAIL)
                .outcome()).as("on-no-data=fail").isEqualTo(Outcome.FAIL);
    }

    @Test
    void aSeriesThatStoppedIsLeftOutAndNamedWhileTheOthersAreJudgedAndItsFailuresStillCount() {
        String current = "{\"metric\":{\"pod\":\"a\"},\"values\":[[1764148905.123,\"0.001\"],[1764148920.123,\"0.001\"],"
                + "[1764148935.123,\"0.001\"]]}";

        ProbeResult vanished = measureBody(current + ",{\"metric\":{\"pod\":\"b\"},\"values\":[[1764148665,\"0.002\"],"
                + "[1764148680,\"0.003\"]]}", OnNoData.INCONCLUSIVE);
        assertThat(vanished.outcome()).isEqualTo(Outcome.PASS);
        assertThat(vanished.explanation()).contains("(all 3 points of 1 series passed)")
                .contains("; 1 series without data at the round's time left out, as on-no-data=inconclusive (the newest"
                        + " point is at 2025-11-26T09:18:00Z").endsWith(": {pod=\"b\"}");
        assertThat(vanished.values()).containsEntry("series-without-data", 1);

        ProbeResult failedBefore = measureBody(current + ",{\"metric\":{\"pod\":\"b\"},\"values\":[[1764148665,\"0.2\"],"
                + "[1764148680,\"0.003\"]]}", OnNoData.INCONCLUSIVE);
        assertThat(failedBefore.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(failedBefore.explanation()).startsWith("{pod=\"b\"} at 2025-11-26T09:17:45Z: ");
    }

    @Test
    void aSeriesThatIsNaNAtTheRoundsTimeHasNoTrafficNowAndItsEarlierPointsDoNotPassIt() {
        ProbeResult m = measureBody("{\"metric\":{\"instance\":\"a\"},\"values\":[[1764148800.123,\"0.001\"],"
                + "[1764148815.123,\"0.002\"],[1764148905.123,\"NaN\"],[1764148920.123,\"NaN\"],[1764148935.123,\"NaN\"]]}",
                OnNoData.INCONCLUSIVE);

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).startsWith("value is NaN in the only series");

        ProbeResult quietMoment = measureBody("{\"metric\":{\"instance\":\"a\"},\"values\":[[1764148800.123,\"0.001\"],"
                + "[1764148905.123,\"NaN\"],[1764148935.123,\"0.002\"]]}", OnNoData.INCONCLUSIVE);
        assertThat(quietMoment.outcome()).as("a NaN inside a window that has data now").isEqualTo(Outcome.PASS);
        assertThat(quietMoment.explanation()).contains("(all 2 points of 1 series passed)");
        assertThat(measureBody("{\"metric\":{\"instance\":\"a\"},\"values\":[[1764148800.123,\"0.001\"],"
                + "[1764148905.123,\"NaN\"],[1764148935.123,\"0.002\"]]}", OnNoData.FAIL).outcome())
                .as("with on-no-data=fail, missing data fails wherever it is").isEqualTo(Outcome.FAIL);
    }

    /**
     * The wall clock stepped back two minutes after the verification started (an NTP step, a resumed
     * virtual machine): the round's time is before the start. Before, the range was cut to
     * [time, time], entirely before the verification, and judged the previous version; an instant
     * query did the same. Now nothing is queried and the round proves nothing.
     */
    @Test
    void aRoundWhoseClockSteppedBackBeforeTheVerificationStartedQueriesNothing() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withBody(Canned.body("matrix-range-healthy.json"))));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(Canned.body("vector-one-series.json"))));
        PrometheusProbe ranged = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio").failWhen("value > 0.01")
                .range(Duration.ofMinutes(5), Duration.ofSeconds(15)).build();
        PrometheusProbe instant = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio").failWhen("value > 0.01")
                .build();
        dev.vigil.ProbeContext stepped = TestContext.builder().verificationStarted(TestContext.TIME.plus(Duration.ofMinutes(2))).build();

        try (ranged; instant) {
            for (PrometheusProbe p : List.of(ranged, instant)) {
                ProbeResult m = p.measure(stepped);
                assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
                assertThat(m.explanation()).isEqualTo("the round's time 2025-11-26T09:22:15.123Z is before the verification"
                        + " started (2025-11-26T09:24:15.123Z): the clock stepped back 2m, and a query at that time would"
                        + " measure the version before the deployment; nothing was queried");
            }
        }
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query_range")));
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    /**
     * A query frontend that aligns a range to its step answers a point before the start asked for.
     * The verification started 40 s before the round, so the window is [09:21:35.123, 09:22:15.123];
     * the point at 09:21:30 is the incident the hotfix fixes, before the deployment, and must not
     * fail it.
     */
    @Test
    void pointsBeforeTheWindowThatAStepAligningFrontendAddsAreNotJudged() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"instance\":\"a\"},"
                        + "\"values\":[[1764148890,\"0.3\"],[1764148905,\"0.001\"],[1764148920,\"0.001\"],[1764148935,\"0.002\"]]}]}}")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio").failWhen("value > 0.01")
                .range(Duration.ofMinutes(5), Duration.ofSeconds(15)).build();

        ProbeResult m = probe.measure(TestContext.builder().verificationStarted(TestContext.TIME.minusSeconds(40)).build());

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("(all 3 points of 1 series passed)");
    }

    @Test
    void aVectorAnswerToARangeQueryIsAnError() {
        ProbeResult m = measure("vector-two-series.json", "value > 0.01");

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("query returned a vector");
    }

    @Test
    void emptyMatrixFollowsOnNoData() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse()
                .withBody("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio").failWhen("value > 0.01")
                .range(Duration.ofMinutes(5), null).build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("no data (an empty matrix)");
        assertThat(probe.description()).contains("over the last 5m every 15s");
    }
}
