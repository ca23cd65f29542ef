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
import dev.vigil.Preflight;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The online check of a Prometheus probe ({@code validate --online}): one measurement, then the
 * label names of its selectors looked up, so that a label typo behind {@code or vector(0)}, which
 * reads as 0 and passes, shows before the deployment.
 */
class PrometheusPreflightTest extends MockPrometheusTest {

    /** The docs' error ratio, on a Go service whose status label is {@code code}. */
    private static final String ERROR_RATIO = "(sum(rate(http_requests_total{status=~\"5..\"}[5s])) or vector(0))"
            + " / sum(rate(http_requests_total[5s]))";
    private static final String GO_LABELS = "[\"__name__\",\"code\",\"handler\",\"instance\",\"job\",\"method\"]";

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private void answerQuery(String body) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(body)));
    }

    private void answerLabels(String metric, String names) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/labels")).withQueryParam("match[]", equalTo(metric))
                .willReturn(aResponse().withBody("{\"status\":\"success\",\"data\":" + names + "}")));
    }

    /** Answers the sample check's {@code max(count_over_time(...))} queries with {@code count}. */
    private void answerSampleCounts(String count) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing("count_over_time"))
                .willReturn(aResponse().withBody(value(count))));
    }

    private static String value(String number) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1764148935.123,\""
                + number + "\"]}]}}";
    }

    @Test
    void aLabelTheMetricDoesNotHaveBehindOrVectorZeroIsAWarningNamingItAndTheLabelsThereAre() throws Exception {
        answerQuery(value("0"));
        answerLabels("http_requests_total", GO_LABELS);
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(ERROR_RATIO).failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.WARNING);
        assertThat(check.message()).startsWith("answers, and passes now: ")
                .contains("; but query: label status is not on http_requests_total (its labels: code, handler, instance,"
                        + " job, method), so status=~\"5..\" in http_requests_total{status=~\"5..\"} matches none of its series:"
                        + " the selector is always empty, which 'or vector(0)' reads as 0, a pass (label names of the last 1h):"
                        + " correct the label name");
        // One request for the metric, though two selectors read it, over the hour before the check's time.
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/labels")));
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/labels"))
                .withQueryParam("match[]", equalTo("http_requests_total"))
                .withQueryParam("start", equalTo(PrometheusClient.seconds(TestContext.TIME.minus(Duration.ofHours(1)))))
                .withQueryParam("end", equalTo(PrometheusClient.seconds(TestContext.TIME))));
    }

    @Test
    void labelsTheMetricHasKeepTheCheckOk() throws Exception {
        answerQuery(value("0"));
        answerLabels("http_requests_total", GO_LABELS);
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(ERROR_RATIO.replace("status", "code"))
                .failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.OK);
        assertThat(check.message()).startsWith("answers, and passes now: ").doesNotContain("label");
    }

    @Test
    void everyCountQueryIsCheckedWithOneRequestPerMetric() throws Exception {
        answerQuery(value("10"));
        answerLabels("http_server_requests_seconds_count", "[\"__name__\",\"outcome\",\"status\",\"uri\",\"version\"]");
        String errors = "sum(increase(http_server_requests_seconds_count{version=\"%s\",outcom=\"SERVER_ERROR\"}[10s])) or vector(0)";
        String requests = "sum(increase(http_server_requests_seconds_count{version=\"%s\"}[10s]))";
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .counts(errors.formatted("2.4.1"), requests.formatted("2.4.1"), errors.formatted("2.4.0"),
                        requests.formatted("2.4.0"), CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 5))
                .baselineHistory(Duration.ZERO).build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.WARNING);
        assertThat(check.message())
                .contains("canary-errors-query: label outcom is not on http_server_requests_seconds_count (its labels:"
                        + " outcome, status, uri, version), so outcom=\"SERVER_ERROR\" in"
                        + " http_server_requests_seconds_count{version=\"2.4.1\",outcom=\"SERVER_ERROR\"} matches none of its series")
                .contains("baseline-errors-query: label outcom is not on")
                .doesNotContain("requests-query: label");
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/labels")));
    }

    @Test
    void aNegativeMatcherOfALabelThatIsNotThereMatchesEverySeriesAndSaysSo() throws Exception {
        answerQuery(value("1"));
        answerLabels("http_requests_total", GO_LABELS);
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .query("sum(rate(http_requests_total{status!~\"5..\",job=\"\"}[1m])) / sum(rate(http_requests_total[1m]))")
                .passWhen("value > 0.99").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.WARNING);
        assertThat(check.message()).contains("label status is not on http_requests_total")
                .contains("so status!~\"5..\" in http_requests_total{status!~\"5..\",job=\"\"} matches all of its series,"
                        + " as if it were not there")
                // job="" selects series without the label: it is no typo.
                .doesNotContain("label job");
    }

    @Test
    void aMetricWithoutSeriesInTheLastHourIsAWarningAndNoFailure() throws Exception {
        answerQuery(value("0"));
        answerLabels("http_requests_total", "[]");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(ERROR_RATIO).failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.WARNING);
        assertThat(check.message()).contains("query: http_requests_total has no series in the last 1h, so the label"
                + " names of http_requests_total{status=~\"5..\"} were not checked (is the metric's name right?)");
    }

    @Test
    void aMisspeltMetricNameWithoutLabelMatchersBehindOrVectorZeroIsAWarningAndNoOk() throws Exception {
        answerQuery(value("0"));
        answerLabels("http_requests_totl", "[]");
        answerLabels("http_requests_total", GO_LABELS);
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .query("sum(rate(http_requests_totl[1m])) or vector(0)").failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.WARNING);
        assertThat(check.message()).contains("query: http_requests_totl has no series in the last 1h (is the metric's"
                + " name right? a name that selects nothing reads as no data, and as 0 behind 'or vector(0)', a pass)");
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/labels")));

        // The same query with the name right is fine.
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .query("sum(rate(http_requests_total[1m])) or vector(0)").failWhen("value > 0.01").build();
        assertThat(probe.preflight(TestContext.standard()).status()).isEqualTo(Preflight.Status.OK);
    }

    @Test
    void labelNamesThatCannotBeAskedForAreSaidNotCheckedWithoutChangingTheStatus() throws Exception {
        answerQuery(value("0"));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/labels")).willReturn(aResponse().withStatus(404).withBody("not here")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(ERROR_RATIO).failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.OK);
        assertThat(check.message()).startsWith("answers, and passes now: ")
                .contains("; label names of http_requests_total not checked: HTTP 404 from " + prometheus.baseUrl()
                        + "/api/v1/labels: the server does not offer the label names")
                // The queries answered at this base-url: advice to check it would mislead.
                .doesNotContain("check base-url");
    }

    @Test
    void aQueryThatErrsIsTheErrorAndNoLabelIsAskedFor() throws Exception {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withBody(Canned.body("error-bad_data.json"))));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(ERROR_RATIO).failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.ERROR);
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/labels")));
    }

    /** Found in a black-box test: {@code rate(x[1s])} scraped every second is empty in every round, and {@code or vector(0)} passed it. */
    @Test
    void aRateRangeThatHoldsOneSampleIsAWarningNamingTheSelectorAndItsRange() throws Exception {
        answerQuery(value("0"));
        answerLabels("http_requests_total", GO_LABELS);
        answerSampleCounts("1");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .query("sum(rate(http_requests_total{code=\"500\"}[1s])) or vector(0)").failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.WARNING);
        // The measurement itself refuses the pass, as a round of the verification does; said once.
        assertThat(check.message()).startsWith("answers, but proves nothing now: value(0) > 0.01 is false; but query: rate(")
                .containsOnlyOnce("answers nothing")
                .contains("; but query: rate(http_requests_total{code=\"500\"}[1s]) answers nothing: the series of"
                        + " http_requests_total{code=\"500\"} have at most 1 sample in 1s (Prometheus scrapes them less often),"
                        + " and rate needs two: the query is empty in every round, which 'or vector(0)' reads as 0, a pass;"
                        + " make the range at least two scrape intervals (four to be safe)");
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query"))
                .withQueryParam("query", equalTo("max(count_over_time(http_requests_total{code=\"500\"}[1s]))"))
                .withQueryParam("time", equalTo(PrometheusClient.seconds(TestContext.TIME))));
    }

    @Test
    void rateRangesThatHoldTwoSamplesOrMoreKeepTheCheckOk() throws Exception {
        answerQuery(value("0"));
        answerLabels("http_requests_total", GO_LABELS);
        answerSampleCounts("4");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(ERROR_RATIO.replace("status", "code"))
                .failWhen("value > 0.01").build();

        Preflight check = probe.preflight(TestContext.standard());

        assertThat(check.status()).isEqualTo(Preflight.Status.OK);
        assertThat(check.message()).doesNotContain("sample");
        // The two selectors of the ratio, each counted once.
        prometheus.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/query")).withQueryParam("query", containing("count_over_time")));
    }
    /** The online check of {@code query} on a service whose error ratio is 0 and whose ranges hold 60 samples. */
    private Preflight checkOfAHealthyService(String query) throws Exception {
        answerQuery(value("0"));
        answerLabels("http_requests_total", GO_LABELS);
        answerSampleCounts("60");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(query).failWhen("value > 0.01").build();
        return probe.preflight(TestContext.standard());
    }

    @Test
    void anAtAFixedTimeIsAWarningNamingTheKeyTheModifierAndItsTime() throws Exception {
        Preflight check = checkOfAHealthyService("sum(rate(http_requests_total{code=\"500\"}[1m] @ 1767268740)) or vector(0)");

        assertThat(check.status()).isEqualTo(Preflight.Status.WARNING);
        assertThat(check.message()).startsWith("answers, and passes now: ")
                .endsWith("; but query: [1m] @ 1767268740 reads at 2026-01-01T11:59:00Z in every round: an @ at a fixed time"
                        + " reads the same data whatever the round's time, and one before the deployment never sees the new"
                        + " version; anchor it at the round's time (@ end(), or no @)");
    }

    @Test
    void anAtTheRoundsTimeKeepsTheCheckOk() throws Exception {
        Preflight check = checkOfAHealthyService("sum(rate(http_requests_total{code=\"500\"}[1m] @ end())) or vector(0)");

        assertThat(check.status()).as(check.message()).isEqualTo(Preflight.Status.OK);
    }
}
