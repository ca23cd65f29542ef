package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.ProbeLimits;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import dev.vigil.testkit.RandomCounts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 25 against a real Prometheus (2.42): a service whose canary and baseline fail requests at the
 * same rate, but in bursts (a client retrying a failed request many times, a dependency blip), is
 * not rolled back by the sequential count test, which learns from the counts that the errors come
 * in bursts and says so in its explanation. Skipped without the binary, as {@link PrometheusServer}
 * says.
 */
class RealPrometheusBurstyErrorsTest {

    /** Each version's requests a second. */
    static final double REQUESTS_PER_SECOND = 100;
    /** Each version's share of failed requests: the same for both. */
    static final double ERROR_RATE = 0.03;
    /** Errors come in bursts of 1 to this many requests, each burst in one version only. */
    static final int LARGEST_BURST = 15;

    @TempDir
    static Path folder;

    private static PrometheusServer server;
    private static BurstyService service;
    private static PrometheusProbe probe;

    @BeforeAll
    static void startPrometheus() throws Exception {
        service = new BurstyService(System.nanoTime(), new SplittableRandom(25));
        server = PrometheusServer.start(folder, () -> service.scrape(System.nanoTime()));
        server.awaitData("sum(rate(app_requests_total[5s]))", Duration.ofSeconds(30));
    }

    @AfterAll
    static void stopPrometheus() throws InterruptedException {
        if (probe != null) {
            probe.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void canaryFailingInBurstsAsOftenAsTheBaselineIsNotRolledBack() {
        CanaryAnalysis sequential = CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 5);
        probe = PrometheusProbe.builder().baseUrl(server.baseUrl()).counts(
                "sum(increase(app_requests_total{version=\"canary\",status=\"500\"}[2s])) or vector(0)",
                "sum(increase(app_requests_total{version=\"canary\"}[2s]))",
                "sum(increase(app_requests_total{version=\"baseline\",status=\"500\"}[2s])) or vector(0)",
                "sum(increase(app_requests_total{version=\"baseline\"}[2s]))", sequential).build();
        try (DeployVerifier verifier = DeployVerifier.builder()
                .probe("errors", probe, ProbeLimits.defaults().withMaxInconclusive(Integer.MAX_VALUE),
                        MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(2)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(2)).withDuration(Duration.ofSeconds(40)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build()) {

            VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

            List<Measurement> measured = report.probes().get(0).measurements();
            String trace = report.reason() + "\n" + measured.stream().map(Measurement::explanation)
                    .collect(Collectors.joining("\n")) + "\nbursts per version: " + service.bursts();
            assertThat(report.verdict()).as(trace).isEqualTo(Verdict.HEALTHY);
            assertThat(report.rollback().outcome()).as(trace).isEqualTo(RollbackOutcome.NOT_NEEDED);
            // The errors really came in bursts, in both versions, and the judge saw it.
            assertThat(service.bursts()).as(trace).allMatch(n -> n >= 5);
            Measurement last = measured.get(measured.size() - 1);
            assertThat((Double) last.values().get("dispersion")).as(trace).isGreaterThan(2.0);
            assertThat(last.explanation()).as(trace).containsPattern("dispersion [\\d.]+ \\((learned|assumed)");
        }
    }

    /**
     * Both versions serve {@link #REQUESTS_PER_SECOND}; failures start as a Poisson stream of bursts
     * per version, each burst failing 1 to {@link #LARGEST_BURST} consecutive requests of that version,
     * so that both versions fail {@link #ERROR_RATE} of their requests on average.
     */
    static final class BurstyService {
        private final SplittableRandom random;
        private long lastNanos;
        private final double[] requests = new double[2];
        private final long[] errors = new long[2];
        private final int[] bursts = new int[2];

        BurstyService(long startNanos, SplittableRandom random) {
            this.lastNanos = startNanos;
            this.random = random;
        }

        synchronized List<Integer> bursts() {
            return List.of(bursts[0], bursts[1]);
        }

        synchronized String scrape(long nowNanos) {
            double seconds = (nowNanos - lastNanos) / 1e9;
            lastNanos = nowNanos;
            double burstsPerSecond = REQUESTS_PER_SECOND * ERROR_RATE / ((1 + LARGEST_BURST) / 2.0);
            for (int v = 0; v < 2; v++) {
                requests[v] += REQUESTS_PER_SECOND * seconds;
                long starting = RandomCounts.poisson(random, burstsPerSecond * seconds);
                for (long i = 0; i < starting; i++) {
                    errors[v] += 1 + random.nextInt(LARGEST_BURST);
                    bursts[v]++;
                }
                errors[v] = Math.min(errors[v], (long) requests[v]);
            }
            StringBuilder out = new StringBuilder("# TYPE app_requests_total counter\n");
            String[] versions = {"canary", "baseline"};
            for (int v = 0; v < 2; v++) {
                out.append("app_requests_total{version=\"").append(versions[v]).append("\",status=\"200\"} ")
                        .append((long) requests[v] - errors[v]).append('\n');
                if (errors[v] > 0) {
                    out.append("app_requests_total{version=\"").append(versions[v]).append("\",status=\"500\"} ")
                            .append(errors[v]).append('\n');
                }
            }
            return out.toString();
        }
    }
}
