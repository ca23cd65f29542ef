package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Deployment;
import dev.vigil.VerificationReport;
import dev.vigil.config.VigilConfig;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import dev.vigil.testkit.TimelinePlot;
import dev.vigil.testkit.VirtualTime;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the timelines of the Prometheus probe types plot, read from the HTML report of a verification. */
class PrometheusPlotTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static void answer(String query, String value) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(aResponse().withBody("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                        + "[{\"metric\":{},\"value\":[1764148935.123,\"" + value + "\"]}]}}")));
    }

    private static TimelinePlot timeline(Map<String, String> probe) {
        Map<String, String> properties = new HashMap<>(Map.of("vigil.plan.interval", "10s", "vigil.plan.duration", "5m"));
        properties.put("vigil.probes.p.type", "prometheus");
        properties.put("vigil.probes.p.base-url", prometheus.baseUrl());
        probe.forEach((k, v) -> properties.put("vigil.probes.p." + k, v));
        VerificationReport report = VigilConfig.builder().environment(Map.of()).build().load(properties).toBuilder()
                .timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
        return TimelinePlot.in(Reports.render(report, ReportFormat.HTML), "p");
    }

    @Test
    void aQueryPlotsItsValueAgainstTheNumberItsConditionComparesItWith() {
        answer("errors", "0.031");

        TimelinePlot t = timeline(Map.of("query", "errors", "fail-when", "value > 0.01"));

        assertThat(t.series()).containsExactly("value");
        assertThat(t.threshold()).hasValue(0.01);
        assertThat(t.thresholdTitle()).isEqualTo("threshold 0.01 (fail-when: value > 0.01)");
        assertThat(t.pointsY("value", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThan(t.thresholdY()));
    }

    @Test
    void aCanaryWithAConditionOnTheRatioPlotsTheRatio() {
        answer("canary", "0.04");
        answer("baseline", "0.02");

        TimelinePlot t = timeline(Map.of("canary-query", "canary", "baseline-query", "baseline", "fail-when", "ratio > 1.5"));

        assertThat(t.series()).containsExactly("ratio");
        assertThat(t.threshold()).hasValue(1.5);
        assertThat(t.pointsY("ratio", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThan(t.thresholdY()));
    }

    @Test
    void aCanaryWithAConditionOnItsValuesPlotsCanaryAndBaselineAsTwoLines() {
        answer("canary", "0.04");
        answer("baseline", "0.02");

        TimelinePlot t = timeline(Map.of("canary-query", "canary", "baseline-query", "baseline",
                "pass-when", "canary < 0.05 && baseline < 0.05"));

        assertThat(t.series()).containsExactly("canary", "baseline");
        assertThat(t.lines()).containsExactly("canary", "baseline");
        assertThat(t.legend()).containsExactly("canary", "baseline");
        assertThat(t.threshold()).hasValue(0.05);
        assertThat(t.pointsY("canary", "pass")).isNotEmpty().allSatisfy(y -> assertThat(y).isGreaterThan(t.thresholdY()));
        assertThat(t.pointsY("baseline", "pass")).hasSameSizeAs(t.pointsY("canary", "pass"));
    }

    @Test
    void aCanaryJudgedSequentiallyPlotsTheEValueAgainstOneOverOneMinusConfidenceNotTheNumberOfSamples() {
        answer("canary", "300");
        answer("baseline", "100");

        TimelinePlot t = timeline(Map.of("canary-query", "canary", "baseline-query", "baseline", "judge", "sequential",
                "confidence", "0.99", "min-samples", "4"));

        assertThat(t.series()).containsExactly("e-value").doesNotContain("canary-n");
        assertThat(t.scale()).isEqualTo("log");
        assertThat(t.threshold()).hasValue(100);
        assertThat(t.count("//*[@data-series='canary-n']")).isZero();
    }

    @Test
    void aCanaryJudgedByMannWhitneyPlotsThePValueAgainstOneMinusConfidence() {
        answer("canary", "300");
        answer("baseline", "100");

        TimelinePlot t = timeline(Map.of("canary-query", "canary", "baseline-query", "baseline", "judge", "mann-whitney",
                "confidence", "0.95", "min-samples", "5"));

        assertThat(t.series()).containsExactly("p-value");
        assertThat(t.scale()).isEqualTo("log");
        assertThat(t.threshold()).hasValue(0.05);
    }

    @Test
    void countsPlotTheCountTestsEvidenceAgainstItsThreshold() {
        answer("ce", "30");
        answer("cr", "100");
        answer("be", "1");
        answer("br", "100");

        TimelinePlot t = timeline(Map.of("canary-errors-query", "ce", "canary-requests-query", "cr",
                "baseline-errors-query", "be", "baseline-requests-query", "br", "judge", "sequential", "confidence", "0.95"));

        assertThat(t.series()).containsExactly("e-value");
        assertThat(t.threshold()).hasValue(20);
        assertThat(t.pointsY("e-value", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThanOrEqualTo(t.thresholdY()));
    }

    @Test
    void histogramsPlotTheSequentialJudgesEvidenceAgainstItsThreshold() {
        dev.vigil.analysis.CanaryAnalysis analysis = dev.vigil.analysis.CanaryJudges.sequential(
                dev.vigil.analysis.Direction.INCREASE, 0, 0.95, 20);
        try (PrometheusProbe probe = PrometheusProbe.builder().baseUrl("http://prometheus:9090")
                .histogram("canary_buckets", "baseline_buckets", analysis).build()) {

            assertThat(probe.plot()).isEqualTo(analysis.plot()).isNotEqualTo(dev.vigil.Plot.automatic());
            assertThat(probe.plot().threshold().value()).isCloseTo(20.0, org.assertj.core.data.Offset.offset(1e-9));
        }
    }
}
