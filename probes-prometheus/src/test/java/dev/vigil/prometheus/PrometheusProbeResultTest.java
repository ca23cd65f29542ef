package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How each result type of an instant query is judged. */
class PrometheusProbeResultTest extends MockPrometheusTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private void answer(String file) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(Canned.body(file))));
    }

    private ProbeResult measure(PrometheusProbeBuilder builder) {
        probe = builder.baseUrl(prometheus.baseUrl()).query("error_ratio").build();
        return probe.measure(TestContext.standard());
    }

    @Test
    void vectorFailsWhenAnySeriesFailsAndNamesThatSeriesByItsLabels() {
        answer("vector-two-series.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).startsWith("{instance=\"b\",job=\"checkout\"}: ")
                .contains("0.031").contains("(1 of 2 series failed)");
        assertThat(m.values()).containsEntry("value", 0.031).containsEntry("labels", "{instance=\"b\",job=\"checkout\"}")
                .containsEntry("series", 2).containsEntry("failing-series", 1);
    }

    @Test
    void anAggregatedSeriesWithoutLabelsIsExplainedWithoutAnEmptySelector() {
        answer("vector-aggregated.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.05"));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).startsWith("value(0.256724) > 0.05");
    }

    @Test
    void vectorPassesWhenEverySeriesPasses() {
        answer("vector-two-series.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.05"));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("(all 2 series passed)");
        assertThat(m.values()).containsEntry("series", 2).containsEntry("min", 0.002).containsEntry("max", 0.031);
    }

    @Test
    void conditionsSeeTheLabelsOfEachSeries() {
        answer("vector-two-series.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("labels.instance == \"a\" && value > 0.001"));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).startsWith("{instance=\"a\",job=\"checkout\"}: ");
        assertThat(m.values()).containsEntry("value", 0.002);
    }

    @Test
    void singleSeriesIsNamedWithItsMetricName() {
        answer("vector-one-series.json");

        ProbeResult m = measure(PrometheusProbe.builder().passWhen("value == 1"));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).startsWith("up{instance=\"app:8080\",job=\"checkout\"}: ");
        assertThat(m.values()).containsEntry("value", 1.0).containsEntry("series", 1);
    }

    @Test
    void scalarIsJudgedAsOneValue() {
        answer("scalar.json");

        ProbeResult pass = measure(PrometheusProbe.builder().failWhen("value > 0.01"));
        ProbeResult fail = probe.measure(TestContext.standard());

        assertThat(pass.outcome()).isEqualTo(Outcome.PASS);
        assertThat(pass.values()).containsEntry("value", 0.004).doesNotContainKey("labels");
        assertThat(fail.outcome()).isEqualTo(Outcome.PASS);
        probe.close();
        ProbeResult failing = measure(PrometheusProbe.builder().failWhen("value > 0.001"));
        assertThat(failing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(failing.explanation()).contains("0.004");
    }

    @Test
    void matrixFromAnInstantQueryIsAnErrorThatNamesTheType() {
        answer("matrix.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("query returned a matrix").contains("rate(");
    }

    @Test
    void stringResultIsAnErrorThatNamesTheType() {
        answer("string.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("query returned a string").contains("'hello'");
    }

    @Test
    void emptyResultIsInconclusiveByDefaultWithAHint() {
        answer("empty-vector.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("no data").contains("or vector(0)");
        assertThat(m.values()).containsEntry("series", 0);
    }

    /** The explanation of an empty answer to {@code query}, judged with the default on-no-data. */
    private String emptyAnswerTo(String query) {
        answer("empty-vector.json");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(query).failWhen("value > 0.01").build();
        ProbeResult m = probe.measure(TestContext.standard());
        probe.close();
        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        return m.explanation();
    }

    @Test
    void theNoDataHintNamesATargetThatIsDownAndAShortRangeBesidesOrVectorZero() {
        String errorRatio = emptyAnswerTo("sum(rate(http_requests_total{code=~\"5..\"}[1s])) / sum(rate(http_requests_total[1s]))");
        String availability = emptyAnswerTo("sum(rate(ok_total[4s])) / sum(rate(all_total[4s]))");
        String zeroed = emptyAnswerTo("(sum(rate(errors_total[1m])) or vector(0)) / sum(rate(requests_total[1m]))");
        String absent = emptyAnswerTo("absent(up{job=\"svc\"})");

        assertThat(errorRatio).isEqualTo("the query returned no data (an empty vector), which proves nothing"
                + " (on-no-data=inconclusive); a count of errors, and a ratio over it, stays empty until the first error is"
                + " counted: append 'or vector(0)' to the errors count to read that as 0; but it is empty also when the target"
                + " stopped reporting or is down (check up for its job), or 1s in rate(http_requests_total{code=~\"5..\"}[1s])"
                + " is shorter than two scrape intervals (rate needs two samples in it), which 'or vector(0)' would hide");
        assertThat(availability).endsWith("; an empty answer may mean that the target stopped reporting or is down (check up"
                + " for its job), or 4s in rate(ok_total[4s]) is shorter than two scrape intervals (rate needs two samples in it)");
        assertThat(zeroed).doesNotContain("append").contains("the target stopped reporting or is down");
        assertThat(absent).endsWith("; absent(...) is empty while what it looks for exists, which is the healthy case:"
                + " set on-no-data=pass for it (or append 'or vector(0)' to read that as 0)");
    }

    @Test
    void emptyResultFollowsOnNoData() {
        answer("empty-vector.json");

        ProbeResult failed = measure(PrometheusProbe.builder().failWhen("value > 0.01").onNoData(OnNoData.FAIL));
        probe.close();
        ProbeResult passed = measure(PrometheusProbe.builder().failWhen("value > 0.01").onNoData(OnNoData.PASS));

        assertThat(failed.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(failed.explanation()).contains("on-no-data=fail");
        assertThat(passed.outcome()).isEqualTo(Outcome.PASS);
        assertThat(passed.explanation()).contains("on-no-data=pass");
    }

    @Test
    void nanIsInconclusiveRatherThanAPassOfAFailCondition() {
        answer("vector-nan.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("value is NaN").contains("isNaN(value)");
        assertThat((Double) m.values().get("value")).isNaN();
    }

    @Test
    void nanReachesAConditionThatTestsForIt() {
        answer("vector-nan.json");

        ProbeResult failed = measure(PrometheusProbe.builder().failWhen("isNaN(value) || value > 0.01"));
        probe.close();
        ProbeResult passed = measure(PrometheusProbe.builder().passWhen("isNaN(value) || value < 0.01"));

        assertThat(failed.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(passed.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void nanIsStillMissingDataForAConditionThatTestsOnlyForInfinities() {
        answer("vector-nan.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("isInf(value) || value > 0.01"));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("value is NaN");
    }

    @Test
    void infinityComparesAsTheNumberItIsNotAsMissingData() {
        answer("vector-inf.json");

        ProbeResult overflow = measure(PrometheusProbe.builder().passWhen("value < 0.01"));
        probe.close();
        ProbeResult failed = measure(PrometheusProbe.builder().failWhen("value > 0.01"));
        probe.close();
        ProbeResult tested = measure(PrometheusProbe.builder().failWhen("isInf(value)"));

        assertThat(overflow.outcome()).as(overflow.explanation()).isEqualTo(Outcome.FAIL);
        assertThat(overflow.explanation()).contains("Inf");
        assertThat(failed.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(tested.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void minusInfinityIsBelowEveryThreshold() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935,\"-Inf\"]}}")));

        ProbeResult below = measure(PrometheusProbe.builder().passWhen("value < 0.01"));
        probe.close();
        ProbeResult above = measure(PrometheusProbe.builder().passWhen("value > -1000000"));

        assertThat(below.outcome()).isEqualTo(Outcome.PASS);
        assertThat(above.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void nanDoesNotMatterToAConditionThatIgnoresTheValue() {
        answer("vector-nan.json");

        ProbeResult m = measure(PrometheusProbe.builder().passWhen("labels.job == \"checkout\""));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aWarnedAnswerIsInconclusiveUnlessTheWarningIsAllowed() {
        answer("vector-warnings.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));
        probe.close();
        ProbeResult allowed = measure(PrometheusProbe.builder().failWhen("value > 0.01").allowWarnings("a mix of histograms"));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("Prometheus warned: PromQL warning: encountered a mix of histograms and floats",
                "was PASS", "allow-warnings");
        assertThat(allowed.outcome()).isEqualTo(Outcome.PASS);
        assertThat(allowed.explanation()).contains("Prometheus warned: PromQL warning: encountered a mix of histograms");
    }

    @Test
    void anInfoIsQuotedAndMakesAPassInconclusiveAsAWarningDoesUnlessAllowed() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"infos\":[\"PromQL info: ignored histogram in sum aggregation (1:6)\","
                        + "\"ignored series of tenant secret-tenant-1\"],"
                        + "\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935.123,\"0\"]}}")));

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01").header("X-Api-Key", "secret-tenant-1"));
        probe.close();
        ProbeResult allowed = measure(PrometheusProbe.builder().failWhen("value > 0.01").allowWarnings("ignored"));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("Prometheus warned: PromQL info: ignored histogram in sum aggregation (1:6);"
                + " info: ignored series of tenant ****", "was PASS", "allow-warnings").doesNotContain("secret-tenant-1");
        assertThat(allowed.outcome()).isEqualTo(Outcome.PASS);
        assertThat(allowed.explanation()).contains("PromQL info: ignored histogram in sum aggregation");
    }

    @Test
    void notesThatLeaveTheAnswerWholeAreQuotedAndKeepAPass() {
        // Sent for a rate() over a name without _total and for a classic p99: nothing was left out.
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"infos\":[\"PromQL info: metric might not be a counter, name does not end in"
                        + " _total/_sum/_count/_bucket: \\\"requests\\\" (1:6)\",\"PromQL info: input to histogram_quantile"
                        + " needed to be fixed for monotonicity (see https://prometheus.io/docs) for metric name"
                        + " \\\"latency_bucket\\\"\"],"
                        + "\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935.123,\"0\"]}}")));

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("Prometheus warned: PromQL info: metric might not be a counter",
                "needed to be fixed for monotonicity");
    }

    @Test
    void aWarnedAnswerThatAlreadyFailsStillFails() {
        answer("vector-warnings.json");

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value >= 0"));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("Prometheus warned");
    }

    @Test
    void aPartialResponseOfVictoriaMetricsProvesNothing() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"isPartial\":true,\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935,\"0\"]}}")));

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("Prometheus warned: partial response (isPartial=true)");
    }
}
