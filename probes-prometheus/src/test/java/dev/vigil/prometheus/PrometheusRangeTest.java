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
        assertThat(m.explanation()).startsWith("{instance=\"b\"} at 2025-11-26T09:17:30Z: ")
                .contains("0.02")
                .contains("the first of 2 points out of 8 that failed, in 1 of 2 series");
        assertThat(m.values()).containsEntry("at", "2025-11-26T09:17:30Z").containsEntry("value", 0.02)
                .containsEntry("series", 2).containsEntry("points", 8);
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
