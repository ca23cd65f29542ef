package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
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
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the timelines of the HTTP probe types plot, read from the HTML report of a verification. */
class HttpPlotTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static TimelinePlot timeline(Map<String, String> probe) {
        return timeline(probe, "30s");
    }

    private static TimelinePlot timeline(Map<String, String> probe, String duration) {
        Map<String, String> properties = new HashMap<>(Map.of("vigil.plan.interval", "10s", "vigil.plan.duration", duration));
        probe.forEach((k, v) -> properties.put("vigil.probes.web." + k, v));
        VerificationReport report = VigilConfig.builder().environment(Map.of()).build().load(properties).toBuilder()
                .timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
        return TimelinePlot.in(Reports.render(report, ReportFormat.HTML), "web");
    }

    private static String urls(String group, int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> server.baseUrl() + "/" + group + "/" + i).collect(Collectors.joining(","));
    }

    @Test
    void oneUrlPlotsTheLatencyItsConditionTestsAgainstItsLimit() {
        server.stubFor(get(urlPathMatching("/health")).willReturn(aResponse().withStatus(200)));

        TimelinePlot t = timeline(Map.of("type", "http", "url", server.baseUrl() + "/health",
                "pass-when", "status == 200 && latency < 500ms"));

        assertThat(t.series()).containsExactly("latency");
        assertThat(t.threshold()).hasValue(500);
        assertThat(t.thresholdTitle()).isEqualTo("threshold 500 (pass-when: status == 200 && latency < 500ms)");
        assertThat(t.pointsY("latency", "pass")).isNotEmpty().allSatisfy(y -> assertThat(y).isGreaterThan(t.thresholdY()));
    }

    @Test
    void oneUrlWhoseConditionTestsOnlyTheStatusPlotsTheStatus() {
        server.stubFor(get(urlPathMatching("/health")).willReturn(aResponse().withStatus(503)));

        TimelinePlot t = timeline(Map.of("type", "http", "url", server.baseUrl() + "/health", "fail-when", "status >= 500",
                "max-failures", "10"));

        assertThat(t.series()).containsExactly("status");
        assertThat(t.threshold()).hasValue(500);
        assertThat(t.pointsY("status", "fail")).isNotEmpty().allSatisfy(y -> assertThat(y).isLessThan(t.thresholdY()));
    }

    @Test
    void aFleetPlotsTheShareOfInstancesPassingAgainstTheShareRequireNeeds() {
        server.stubFor(get(urlPathMatching("/pod/[12]")).willReturn(aResponse().withStatus(200)));
        server.stubFor(get(urlPathMatching("/pod/[34]")).willReturn(aResponse().withStatus(503)));

        TimelinePlot t = timeline(Map.of("type", "http", "urls", urls("pod", 4), "require", "75%", "max-failures", "10"));

        assertThat(t.series()).containsExactly("instances.passed-percent");
        assertThat(t.legend()).containsExactly("instances passing (%)");
        assertThat(t.threshold()).hasValue(75);
        assertThat(t.thresholdTitle()).isEqualTo("threshold 75 (require 75%: 3 of 4 instances)");
        // 2 of 4 passing is 50%: below the line, where a failure belongs.
        assertThat(t.pointsY("instances.passed-percent", "fail")).isNotEmpty()
                .allSatisfy(y -> assertThat(y).isGreaterThan(t.thresholdY()));
        assertThat(t.count("//*[@data-series='instances.passed']")).isZero();
    }

    @Test
    void aCanaryFleetPlotsTheJudgesEvidenceAgainstItsThresholdNotTheNumberOfSamples() {
        server.stubFor(get(urlPathMatching("/canary/.*")).willReturn(aResponse().withStatus(500)));
        server.stubFor(get(urlPathMatching("/baseline/.*")).willReturn(aResponse().withStatus(200)));

        TimelinePlot t = timeline(Map.of("type", "http", "urls", urls("canary", 4), "baseline-urls", urls("baseline", 4),
                "judge", "sequential", "confidence", "0.95", "min-samples", "6", "metric", "errors"), "5m");

        assertThat(t.series()).containsExactly("e-value").doesNotContain("canary-n");
        assertThat(t.scale()).isEqualTo("log");
        assertThat(t.threshold()).hasValue(20);
        assertThat(t.thresholdTitle()).contains("1/(1 - confidence) = 20");
        assertThat(t.pointsY("e-value", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThanOrEqualTo(t.thresholdY()));
    }
}
