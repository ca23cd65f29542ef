package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
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
 * Edge values from a real Prometheus (2.42): requests beyond a histogram's largest bucket, a real
 * infinity, a per-instance ratio with an idle instance (0/0), counts from real counters for the
 * count test, and a range cut at the verification's start. Skipped without the binary, as
 * {@link PrometheusServer} says.
 */
class RealPrometheusEdgeValuesTest {

    /** The canary answers 30% errors, the baseline none: the count test must find it. */
    static final double CANARY_ERRORS = 0.3;

    private static final long startNanos = System.nanoTime();

    @RegisterExtension
    static final RealPrometheus prometheus = new RealPrometheus("sum by (pod) (rate(pod_requests_total[5s]))",
            RealPrometheusEdgeValuesTest::metrics);

    /**
     * 50 requests a second of each kind since the start: every latency beyond the largest finite
     * bucket (0.25 s), pod a busy and pod b idle, the canary failing 30% and the baseline none.
     */
    private static String metrics() {
        long n = (System.nanoTime() - startNanos) * 50 / 1_000_000_000L;
        long canaryErrors = Math.round(n * CANARY_ERRORS);
        return String.join("\n",
                "# TYPE app_latency_seconds histogram",
                "app_latency_seconds_bucket{le=\"0.1\"} 0",
                "app_latency_seconds_bucket{le=\"0.25\"} 0",
                "app_latency_seconds_bucket{le=\"+Inf\"} " + n,
                "app_latency_seconds_sum " + 2 * n,
                "app_latency_seconds_count " + n,
                "# TYPE pod_requests_total counter",
                "pod_requests_total{pod=\"a\"} " + n,
                "pod_requests_total{pod=\"b\"} 100",
                "# TYPE pod_errors_total counter",
                "pod_errors_total{pod=\"a\"} 0",
                "pod_errors_total{pod=\"b\"} 0",
                "# TYPE app_requests_total counter",
                "app_requests_total{version=\"canary\",status=\"200\"} " + (n - canaryErrors),
                "app_requests_total{version=\"canary\",status=\"500\"} " + canaryErrors,
                "app_requests_total{version=\"baseline\",status=\"200\"} " + n,
                "app_requests_total{version=\"baseline\",status=\"500\"} 0",
                "");
    }

    private static PrometheusProbe probe(PrometheusProbeBuilder builder) {
        return prometheus.closeAfterAll(builder.baseUrl(prometheus.baseUrl()).build());
    }

    private static ProbeContext now() {
        return TestProbeContext.of("edge", Instant.now(), Duration.ofSeconds(5));
    }

    @Test
    void requestsBeyondTheLargestBucketFailALatencyCondition() {
        ProbeResult m = probe(PrometheusProbe.builder()
                .query("histogram_quantile(0.99, sum by (le) (rate(app_latency_seconds_bucket[5s])))")
                .passWhen("value < 0.2")).measure(now());

        // Prometheus 2.42 answers the largest finite bound when the quantile falls in the +Inf bucket.
        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.FAIL);
        assertThat((Double) m.values().get("value")).isGreaterThanOrEqualTo(0.25);
    }

    @Test
    void anInfinityFromPrometheusFailsLikeTheWorstCaseItIs() {
        // The mean latency of the requests under 0.1 s, of which there are none: a division by a zero rate.
        ProbeResult m = probe(PrometheusProbe.builder()
                .query("sum(rate(app_latency_seconds_sum[5s])) / sum(rate(app_latency_seconds_bucket{le=\"0.1\"}[5s]))")
                .passWhen("value < 0.2")).measure(now());

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.FAIL);
        assertThat((Double) m.values().get("value")).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void anIdleInstanceInAPerInstanceRatioIsLeftOutAndTheBusyOneJudged() {
        ProbeResult m = probe(PrometheusProbe.builder()
                .query("sum by (pod) (rate(pod_errors_total[5s])) / sum by (pod) (rate(pod_requests_total[5s]))")
                .failWhen("value > 0.05")).measure(now());

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("left out", "{pod=\"b\"}");
        assertThat(m.values()).containsEntry("series-without-data", 1);
    }

    @Test
    void aRangeStartsWhenTheVerificationStartedAndSaysSo() throws InterruptedException {
        PrometheusProbe probe = probe(PrometheusProbe.builder().query("sum(pod_requests_total)")
                .failWhen("value < 0").range(Duration.ofMinutes(5), Duration.ofSeconds(1)));
        ProbeResult whole = probe.measure(now());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while ((Integer) whole.values().getOrDefault("points", 0) < 8 && System.nanoTime() < deadline) {
            Thread.sleep(500); // until Prometheus holds more history than the cut window
            whole = probe.measure(now());
        }

        ProbeResult cut = probe.measure(TestProbeContext.builder("edge", Instant.now(), Duration.ofSeconds(5))
                .verificationStarted(Instant.now().minusSeconds(3)).build());

        assertThat(cut.outcome()).as(cut.explanation()).isEqualTo(Outcome.PASS);
        assertThat(cut.explanation()).contains("the window starts when the verification started");
        assertThat((Integer) cut.values().get("points")).isLessThanOrEqualTo(4)
                .isLessThan((Integer) whole.values().get("points"));
    }

    @Test
    void countsFromRealCountersLetTheCountTestFindACanaryThatFails() {
        CanaryAnalysis sequential = CanaryJudges.fromSettings(
                MapProbeSettings.of("errors", Map.of("judge", "sequential", "min-samples", "2"))).orElseThrow();
        PrometheusProbe counts = prometheus.closeAfterAll(AppRequests.counts(prometheus.baseUrl(), sequential).build());

        VerificationReport report = RealPrometheus.verify(Duration.ofSeconds(30), Map.entry("errors", counts));

        List<Measurement> measured = report.probes().get(0).measurements();
        assertThat(report.verdict()).as(report.reason() + " " + measured).isEqualTo(Verdict.UNHEALTHY);
        Measurement first = measured.get(0);
        assertThat((Long) first.values().get("canary-requests")).isBetween(50L, 200L);
        assertThat((Long) first.values().get("canary-errors")).isPositive();
        assertThat(first.values()).containsEntry("baseline-errors", 0L);
    }
}
