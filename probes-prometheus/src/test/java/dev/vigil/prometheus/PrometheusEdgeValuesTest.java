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
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.testkit.MapProbeSettings;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The values and limits a probe meets at scale: NaN series in a per-instance vector, a range that
 * would reach before the deployment, retries and canary queries that share one deadline, and
 * counts for the count test.
 */
class PrometheusEdgeValuesTest extends MockPrometheusTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static String vector(String... instanceValue) {
        StringBuilder series = new StringBuilder();
        for (int i = 0; i < instanceValue.length; i += 2) {
            series.append(i == 0 ? "" : ",").append("{\"metric\":{\"instance\":\"").append(instanceValue[i])
                    .append("\"},\"value\":[1764148935.123,\"").append(instanceValue[i + 1]).append("\"]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + series + "]}}";
    }

    private static String scalar(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935.123,\"" + value + "\"]}}";
    }

    private void answer(String body) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(body)));
    }

    private void answer(String query, String body, int delayMs) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(aResponse().withBody(body).withFixedDelay(delayMs)));
    }

    private ProbeResult measure(PrometheusProbeBuilder builder) {
        probe = builder.baseUrl(prometheus.baseUrl()).query("error_ratio").build();
        return probe.measure(TestContext.standard());
    }

    @Test
    void anIdleInstanceIsLeftOutAndTheOthersAreJudged() {
        answer(vector("a", "0.001", "b", "NaN", "c", "0.002"));

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("1 series without data (NaN) left out", "{instance=\"b\"}");
        assertThat(m.values()).containsEntry("series-without-data", 1);
    }

    @Test
    void anIdleFirstInstanceIsLeftOutAndTheOthersPass() {
        answer(vector("a", "NaN", "b", "0.001", "c", "0.002"));

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("{instance=\"b\"}", "1 series without data (NaN) left out", "{instance=\"a\"}");
        assertThat(m.values()).containsEntry("value", 0.001).containsEntry("series-without-data", 1);
    }

    @Test
    void anIdleInstanceDoesNotHideAFailingOne() {
        answer(vector("a", "0.3", "b", "NaN"));

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("{instance=\"a\"}");
    }

    @Test
    void eachNanSeriesFollowsOnNoDataOnItsOwn() {
        answer(vector("a", "0.001", "b", "NaN"));

        ProbeResult failing = measure(PrometheusProbe.builder().failWhen("value > 0.01").onNoData(OnNoData.FAIL));
        probe.close();
        ProbeResult passing = measure(PrometheusProbe.builder().failWhen("value > 0.01").onNoData(OnNoData.PASS));

        assertThat(failing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(failing.explanation()).contains("{instance=\"b\"}", "value is NaN", "on-no-data=fail");
        assertThat(passing.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aSampleTimeThatIsNoTimeIsAnErrorSayingSoNotAnotherTime() {
        for (String time : List.of("1e20", "-1e30", "31556889864403200")) {
            answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                    + "\"value\":[" + time + ",\"0.5\"]}]}}");

            ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));
            probe.close();

            assertThat(m.outcome()).as(time).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).as(time).contains("a sample time that is no time: ").contains("(seconds since 1970)");
        }
    }

    @Test
    void aVectorThatIsNanEverywhereIsNoData() {
        answer(vector("a", "NaN", "b", "NaN"));

        ProbeResult m = measure(PrometheusProbe.builder().failWhen("value > 0.01"));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("NaN in all 2 series", "isNaN(value)");
    }

    @Test
    void aRangeNeverReachesBeforeTheVerificationStartedAndSaysSo() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":"
                        + "[[1764148920,\"0\"],[1764148935,\"0\"]]}]}}")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("x").failWhen("value > 0.01")
                .range(Duration.ofMinutes(5), Duration.ofSeconds(15)).build();
        Instant started = TestContext.TIME.minusSeconds(40);

        ProbeResult early = probe.measure(TestContext.builder().verificationStarted(started).build());
        ProbeResult later = probe.measure(TestContext.builder().verificationStarted(TestContext.TIME.minusSeconds(3600)).build());

        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withQueryParam("start", equalTo(PrometheusClient.seconds(started))));
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withQueryParam("start", equalTo(PrometheusClient.seconds(TestContext.TIME.minusSeconds(300)))));
        assertThat(early.outcome()).isEqualTo(Outcome.PASS);
        assertThat(early.explanation()).contains("the window starts when the verification started", "40s of range 5m");
        assertThat(later.explanation()).doesNotContain("the window starts");
    }

    @Test
    void theCanarysTwoQueriesRunAtOnceWithinOneTimeout() {
        answer("canary", scalar("0.01"), 1500);
        answer("baseline", scalar("0.01"), 1500);
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).canary("canary", "baseline")
                .failWhen("ratio > 2").build();

        // One after the other, the two answers of 1.5 s each would need 3 s of the 2.8 s; at once they
        // leave 1.3 s to spare for a loaded machine.
        ProbeResult m = probe.measure(TestProbeContext.of("error-rate", Instant.now(), Duration.ofMillis(2800)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aRetryGetsWhatIsLeftOfTheRoundsDeadlineNotAWholeTimeout() {
        answer("slow", scalar("0"), 3000);
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("slow").failWhen("value > 0.01").build();
        // The round started 4 s ago with a timeout of 5 s: a second attempt has 1 s left.
        ProbeContext retry = TestProbeContext.of("error-rate", Instant.now().minusSeconds(4), Duration.ofSeconds(5));

        long start = System.nanoTime();
        assertThatThrownBy(() -> probe.measure(retry)).isInstanceOf(RetryableProbeException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        ProbeResult late = probe.measure(TestProbeContext.of("error-rate", Instant.now().minusSeconds(5), Duration.ofSeconds(5)));
        assertThat(late.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(late.error()).contains("no time left before the deadline");
    }

    private static CanaryAnalysis sequential() {
        return CanaryJudges.fromSettings(MapProbeSettings.of("counts", Map.of("judge", "sequential", "min-samples", "2"))).orElseThrow();
    }

    /** A counts probe whose four queries (ce, cr, be, br) get these answers. */
    private static PrometheusProbe countsAnswering(String canaryErrors, String canaryRequests, String baselineErrors,
            String baselineRequests) {
        List<String> queries = List.of("ce", "cr", "be", "br");
        List<String> answers = List.of(canaryErrors, canaryRequests, baselineErrors, baselineRequests);
        for (int i = 0; i < queries.size(); i++) {
            prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(queries.get(i)))
                    .willReturn(aResponse().withBody(answers.get(i))));
        }
        return PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts("ce", "cr", "be", "br", sequential()).build();
    }

    @Test
    void countsReachTheCountTestRoundedAndCapped() {
        probe = countsAnswering(scalar("3.2"), scalar("99.6"), scalar("0"), scalar("100.4"));

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isIn(Outcome.PASS, Outcome.INCONCLUSIVE, Outcome.FAIL);
        assertThat(m.values()).containsEntry("canary-errors", 3L).containsEntry("canary-requests", 100L)
                .containsEntry("baseline-errors", 0L).containsEntry("baseline-requests", 100L);
        assertThat(probe.description()).contains("counts", "sequential");
    }

    @Test
    void countsBeyondWhatALongHoldsAreAnErrorSayingSoNotWrappedTotals() {
        probe = countsAnswering(scalar("0"), scalar("1e19"), scalar("5"), scalar("1000"));

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).startsWith("the count judge refused the round: this round's " + Long.MAX_VALUE
                + " canary and 1000 baseline requests add up to more than " + Long.MAX_VALUE);
    }

    @Test
    void errorsAFractionAboveTheRequestsAreCappedAtThem() {
        probe = countsAnswering(scalar("100.4"), scalar("99.6"), scalar("7.5"), scalar("7.4"));

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isNotEqualTo(Outcome.ERROR);
        assertThat(m.values()).containsEntry("canary-errors", 100L).containsEntry("canary-requests", 100L)
                .containsEntry("baseline-errors", 7L).containsEntry("baseline-requests", 7L);
    }

    @Test
    void anEmptyCountFollowsOnNoDataAndSaysHowToReadItAsZero() {
        probe = countsAnswering("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                scalar("100"), scalar("0"), scalar("100"));

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("canary-errors-query returned no data", "or vector(0)");
    }

    @Test
    void anEmptyRequestsCountIsNotAdvisedToReadAsZero() {
        probe = countsAnswering(scalar("0"), "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                scalar("0"), scalar("100"));

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("canary-requests-query returned no data",
                "the target stopped reporting or is down (check up for its job)").doesNotContain("append");
    }

    @Test
    void aRoundInWhichTheCanaryServedNoRequestIsNeverAPassOnEarlierRounds() {
        probe = countsAnswering(scalar("0"), scalar("1000"), scalar("0"), scalar("1000"));
        ProbeResult first = measure();
        ProbeResult second = measure();
        // The canary is drained (failing readiness, say) and still scraped: its counters answer 0.
        probe.close();
        probe = countsAnswering(scalar("0"), scalar("0"), scalar("0"), scalar("1000"));

        ProbeResult drained = measure();

        assertThat(second.outcome()).as(second.explanation()).isEqualTo(Outcome.PASS);
        assertThat(first.outcome()).isNotEqualTo(Outcome.FAIL);
        assertThat(drained.outcome()).as(drained.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(drained.explanation()).contains("the canary served no request this round", "no evidence of health");
        assertThat(drained.values()).containsEntry("canary-requests", 0L);
    }

    @Test
    void aRoundInWhichTheBaselineServedNoRequestIsNeverAPassOnEarlierRounds() {
        probe = countsAnswering(scalar("0"), scalar("1000"), scalar("0"), scalar("1000"));
        measure();
        measure();
        probe.close();
        probe = countsAnswering(scalar("0"), scalar("1000"), scalar("0"), scalar("0.4"));

        ProbeResult idle = measure();

        assertThat(idle.outcome()).as(idle.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(idle.explanation()).contains("the baseline served no request this round");
    }

    @Test
    void aRegressionFoundEarlierStaysAFailureInAnIdleRound() {
        probe = countsAnswering(scalar("300"), scalar("1000"), scalar("0"), scalar("1000"));
        ProbeResult regression = measure();
        probe.close();
        probe = countsAnswering(scalar("0"), scalar("0"), scalar("0"), scalar("1000"));

        ProbeResult idle = measure();

        assertThat(regression.outcome()).as(regression.explanation()).isEqualTo(Outcome.FAIL);
        assertThat(idle.outcome()).as(idle.explanation()).isEqualTo(Outcome.FAIL);
    }

    private static String partialScalar(String value) {
        return "{\"status\":\"success\",\"warnings\":[\"partial response: store b down\"],\"data\":{\"resultType\":\"scalar\","
                + "\"result\":[1764148935.123,\"" + value + "\"]}}";
    }

    @Test
    void aPartialCountIsNotFedToTheJudgeSoItIsNoEvidenceInLaterRounds() {
        // Store b holds the canary's errors: the partial answer counts none of them.
        probe = countsAnswering(partialScalar("0"), scalar("1000"), scalar("0"), scalar("1000"));
        ProbeResult partial = measure();
        probe.close();
        probe = countsAnswering(scalar("0"), scalar("1000"), scalar("0"), scalar("1000"));

        ProbeResult clean = measure();

        // min-samples 2: one clean round is not enough evidence of health.
        assertThat(clean.outcome()).as(clean.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(clean.explanation()).contains("after 1 round");
        assertThat(partial.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(partial.explanation()).contains("store b down", "not fed to the judge", "no data for this round");
    }

    @Test
    void aCountOfSeveralSeriesIsAnError() {
        probe = countsAnswering(vector("a", "1", "b", "2"), scalar("100"), scalar("0"), scalar("100"));

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("canary-errors-query returned 2 series", "sum(...)");
    }
}
