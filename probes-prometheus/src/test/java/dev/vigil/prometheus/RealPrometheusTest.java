package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Preflight;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackTriggers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Verifies deployments against a real Prometheus (the Debian package, 2.42) that scrapes a metrics
 * endpoint served by this test: a healthy release ends HEALTHY, an error spike mid-bake ends
 * UNHEALTHY and runs the rollback.
 *
 * <p>Skipped when no {@code prometheus} binary is found (on the PATH or in {@code PROMETHEUS_BIN});
 * fails instead when {@code VIGIL_REQUIRE_PROMETHEUS=true}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealPrometheusTest {

    /**
     * The error ratio over the last 10 s (wide enough for a scrape or two that come late on a busy
     * machine). The error series exists only after the first error, so the numerator is empty until
     * then: {@code or vector(0)} reads that as 0.
     */
    static final String ERROR_RATIO = "(sum(rate(app_requests_total{status=~\"5..\"}[10s])) or vector(0))"
            + " / sum(rate(app_requests_total[10s]))";

    private static final Traffic traffic = new Traffic(System.nanoTime());

    /** Ready once the error ratio has a value: Prometheus takes about 5 s to scrape a new target, rate() needs two scrapes. */
    @RegisterExtension
    static final RealPrometheus prometheus = new RealPrometheus(ERROR_RATIO, () -> traffic.scrape(System.nanoTime()));

    @Test
    @Order(1)
    void healthyReleaseEndsHealthy() {
        List<RollbackEvent> rollbacks = new CopyOnWriteArrayList<>();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("error-rate", probe(PrometheusProbe.builder().query(ERROR_RATIO).failWhen("value > 0.05")), ProbeLimits.defaults(), measurement())
                .probe("error-rate-window", probe(PrometheusProbe.builder().query(ERROR_RATIO).failWhen("value > 0.05")
                        .range(Duration.ofSeconds(6), Duration.ofSeconds(1))), ProbeLimits.defaults(), measurement())
                .probe("target-up", probe(PrometheusProbe.builder().query("up{job=\"app\"}").passWhen("value == 1")), ProbeLimits.defaults(), measurement())
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(8)))
                .rollback(RollbackTriggers.callback("record", (RollbackTriggers.Callback) rollbacks::add))
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(describe(report)).isEqualTo(Verdict.HEALTHY);
        assertThat(report.rounds()).isEqualTo(8);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(rollbacks).isEmpty();
        Measurement up = report.probe("target-up").orElseThrow().measurements().get(0);
        assertThat(up.explanation()).contains("up{instance=\"127.0.0.1:").contains("job=\"app\"}");
        assertThat(report.probe("error-rate-window").orElseThrow().measurements().get(0).values())
                .containsKey("points");
    }

    @Test
    @Order(2)
    void errorSpikeMidBakeEndsUnhealthyAndRollsBack() throws InterruptedException {
        List<RollbackEvent> rollbacks = new CopyOnWriteArrayList<>();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("error-rate", probe(PrometheusProbe.builder().query(ERROR_RATIO).failWhen("value > 0.05")), ProbeLimits.defaults(), measurement())
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(20)))
                .rollback(RollbackTriggers.callback("record", (RollbackTriggers.Callback) rollbacks::add))
                .build();
        ScheduledExecutorService spike = Executors.newSingleThreadScheduledExecutor();
        try {
            spike.schedule(() -> traffic.errorsPerSecond(40), 3, TimeUnit.SECONDS);

            VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.2", "2.4.1"));

            assertThat(report.verdict()).as(describe(report)).isEqualTo(Verdict.UNHEALTHY);
            assertThat(report.reason()).contains("error-rate");
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(rollbacks).hasSize(1);
            assertThat(rollbacks.get(0).deployment().version()).isEqualTo("2.4.2");
            List<Measurement> measurements = report.probe("error-rate").orElseThrow().measurements();
            assertThat(measurements.get(0).outcome()).as("the first round, before the spike").isEqualTo(Outcome.PASS);
            Measurement failed = measurements.get(measurements.size() - 1);
            assertThat(failed.outcome()).isEqualTo(Outcome.FAIL);
            assertThat((Double) failed.values().get("value")).isGreaterThan(0.05);
            assertThat(report.timeToDetect()).isPresent();
            assertThat(report.rounds()).isLessThan(20);
        } finally {
            spike.shutdownNow();
            spike.awaitTermination(5, TimeUnit.SECONDS);
            traffic.errorsPerSecond(0);
        }
    }

    @Test
    @Order(3)
    void theOnlineCheckNamesALabelTheMetricDoesNotHave() throws Exception {
        // code instead of status: a selector that matches nothing, read as 0 by or vector(0).
        PrometheusProbe typo = probe(PrometheusProbe.builder().query(ERROR_RATIO.replace("status", "code")).failWhen("value > 0.05"));
        PrometheusProbe right = probe(PrometheusProbe.builder().query(ERROR_RATIO).failWhen("value > 0.05"));
        ProbeContext context = ProbeContext.builder(Deployment.of("checkout", "2.4.1", "2.4.0"), "error-rate").round(0)
                .timeout(Duration.ofSeconds(5)).build();

        Preflight found = typo.preflight(context);

        assertThat(found.status()).as(found.message()).isEqualTo(Preflight.Status.WARNING);
        assertThat(found.message()).startsWith("answers, and passes now: ")
                .contains("query: label code is not on app_requests_total (its labels: instance, job, status),"
                        + " so code=~\"5..\" in app_requests_total{code=~\"5..\"} matches none of its series");
        // The spike of the test before may still fail it: whatever it measures, no label is missing.
        assertThat(right.preflight(context).message()).startsWith("answers, ").doesNotContain("label");
    }

    private static PrometheusProbe probe(PrometheusProbeBuilder builder) {
        return prometheus.closeAfterAll(builder.baseUrl(prometheus.baseUrl()).build());
    }

    private static MeasurementPolicy measurement() {
        return MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(2)).withRetryBackoff(Duration.ofMillis(100));
    }

    private static String describe(VerificationReport report) {
        StringBuilder out = new StringBuilder(report.verdict() + ": " + report.reason());
        for (ProbeReport probe : report.probes()) {
            probe.measurements().forEach(m -> out.append("\n  ").append(probe.name()).append(" round ")
                    .append(m.round()).append(' ').append(m.outcome()).append(' ').append(m.explanation()));
        }
        return out.toString();
    }

    /**
     * Synthetic traffic of the service under test: 60 requests a second, and a settable number of
     * errors a second. Like a Micrometer counter, the error series appears only after the first error.
     */
    static final class Traffic {
        private static final double REQUESTS_PER_SECOND = 60;

        private long lastNanos;
        private double ok;
        private double errors;
        private double errorsPerSecond;

        Traffic(long startNanos) {
            this.lastNanos = startNanos;
        }

        synchronized void errorsPerSecond(double value) {
            advance(System.nanoTime());
            errorsPerSecond = value;
        }

        synchronized String scrape(long nowNanos) {
            advance(nowNanos);
            StringBuilder out = new StringBuilder()
                    .append("# HELP app_requests_total Requests served.\n")
                    .append("# TYPE app_requests_total counter\n")
                    .append("app_requests_total{status=\"200\"} ").append((long) ok).append('\n');
            if (errors >= 1) {
                out.append("app_requests_total{status=\"500\"} ").append((long) errors).append('\n');
            }
            return out.toString();
        }

        private void advance(long nowNanos) {
            double seconds = (nowNanos - lastNanos) / 1e9;
            lastNanos = nowNanos;
            double failing = Math.min(errorsPerSecond, REQUESTS_PER_SECOND);
            ok += (REQUESTS_PER_SECOND - failing) * seconds;
            errors += failing * seconds;
        }
    }
}
