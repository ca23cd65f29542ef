package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A range of {@code rate} or {@code increase} shorter than two scrape intervals answers nothing in
 * any round, and {@code or vector(0)} reads that as 0: the verification itself counts the samples
 * in such a range ({@link SampleCheck#guard}) and never lets such a round pass, whether or not the
 * online check ran (findings F1: {@code rate(x[1s])} scraped every second ended a bake
 * {@code HEALTHY} while the service failed 5 requests a second).
 */
class RateRangeSamplesTest extends MockPrometheusTest {

    private static final String ONE_SECOND = "sum(rate(http_requests_total{code=\"500\"}[1s])) or vector(0)";
    private static final String TOO_SHORT = "; but query: rate(http_requests_total{code=\"500\"}[1s]) answers nothing: the series"
            + " of http_requests_total{code=\"500\"} have at most 1 sample in 1s (Prometheus scrapes them less often), and rate"
            + " needs two: the query is empty in every round, which 'or vector(0)' reads as 0, a pass; make the range at least"
            + " two scrape intervals (four to be safe) (was PASS; a pass read from an empty range proves nothing)";

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static String value(String number) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1764148935.123,\""
                + number + "\"]}]}}";
    }

    private static void answerQueries(String number) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(value(number))));
    }

    /** Answers the counts' {@code max(count_over_time(...))} queries with {@code count}; added last, so it wins. */
    private static void answerSampleCounts(String count) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing("count_over_time"))
                .willReturn(aResponse().withBody(value(count))));
    }

    private PrometheusProbe oneSecondRate() {
        return PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(ONE_SECOND).failWhen("value > 0.01").build();
    }

    @Test
    void aPassOnARangeThatHoldsOneSampleIsInconclusiveNamingTheKeySelectorAndRange() {
        answerQueries("0");
        answerSampleCounts("1");
        probe = oneSecondRate();

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).isEqualTo("value(0) > 0.01 is false" + TOO_SHORT);
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo("max(count_over_time(http_requests_total{code=\"500\"}[1s]))"))
                .withQueryParam("time", equalTo(PrometheusClient.seconds(TestContext.TIME))));
    }

    @Test
    void aFailureStaysAFailureAndAsksForNoCounts() {
        answerQueries("3");
        answerSampleCounts("1");
        probe = oneSecondRate();

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).doesNotContain("answers nothing");
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing("count_over_time")));
    }

    @Test
    void countsThatCannotBeAskedForLeaveThePassAsItIs() {
        answerQueries("0");
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing("count_over_time"))
                .willReturn(aResponse().withStatus(400).withBody("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"no\"}")));
        probe = oneSecondRate();

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).isEqualTo("value(0) > 0.01 is false");
    }

    @Test
    void rangesThatHoldTwoSamplesAreCountedOncePerVerification() {
        answerQueries("0");
        answerSampleCounts("4");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .query("sum(rate(http_requests_total{code=\"500\"}[5s])) or vector(0)").failWhen("value > 0.01").build();

        for (int round = 1; round <= 3; round++) {
            ProbeResult m = measure();
            assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.PASS);
        }

        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing("count_over_time")));
    }

    @Test
    void countsModeNeverPassesOnErrorCountsWhoseRangeHoldsOneSample() {
        answerQueries("0");
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing("requests_total{v"))
                .willReturn(aResponse().withBody(value("1000"))));
        answerSampleCounts("1");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(
                "sum(increase(errors_total{v=\"2\"}[1s])) or vector(0)", "sum(increase(requests_total{v=\"2\"}[10s]))",
                "sum(increase(errors_total{v=\"1\"}[10s])) or vector(0)", "sum(increase(requests_total{v=\"1\"}[10s]))",
                CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 3)).build();

        List<ProbeResult> rounds = new ArrayList<>();
        for (int round = 1; round <= 8; round++) {
            rounds.add(measure());
        }

        assertThat(rounds).extracting(ProbeResult::outcome).as(rounds.toString()).doesNotContain(Outcome.PASS)
                .contains(Outcome.INCONCLUSIVE);
        assertThat(rounds.get(rounds.size() - 1).explanation()).contains("; but canary-errors-query:"
                + " increase(errors_total{v=\"2\"}[1s]) answers nothing: the series of errors_total{v=\"2\"} have at most 1 sample"
                + " in 1s");
    }
}
