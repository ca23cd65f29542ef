package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Measurement;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import dev.vigil.analysis.SlowerThan;
import dev.vigil.testkit.RandomCounts;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Issue 23 against a real Prometheus (2.42, scraping every second): a service exporting latency
 * histograms per version ({@code le} buckets, as Micrometer does with percentiles-histogram on).
 * A canary whose requests take 1.5 times as long is rolled back by the histogram judge; an A/A of
 * two minutes (the same latency for both versions) is not. Skipped without the binary, as
 * {@link PrometheusServer} says.
 *
 * <p>Runs beside the module's other tests (the surefire configuration in this module's pom): its A/A is
 * two minutes of real time spent waiting for scrapes; its three tests, each with a probe and a rollback
 * coordinator of its own, run at the same time too.
 */
@Execution(value = ExecutionMode.CONCURRENT, reason = "two minutes of waiting for a real Prometheus, beside the other tests")
class RealPrometheusHistogramTest {

    /** Each version's requests a second. */
    static final double REQUESTS_PER_SECOND = 100;
    /** Median latency of a request, in seconds; log-normal with shape {@link #SHAPE}. */
    static final double MEDIAN = 0.08;
    static final double SHAPE = 0.5;
    /** The slow canary's factor on every request's latency. */
    static final double SLOWDOWN = 1.5;
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5};

    private static final HistogramService service = new HistogramService(System.nanoTime(), new SplittableRandom(23));

    @RegisterExtension
    static final RealPrometheus prometheus = new RealPrometheus("sum(rate(aa_latency_seconds_count[5s]))",
            () -> service.scrape(System.nanoTime()));

    @Test
    void aCanaryWhoseRequestsTakeLongerIsRolledBack() {
        VerificationReport report = verify("slow", CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 10),
                Duration.ofSeconds(40));

        String trace = trace(report);
        assertThat(report.verdict()).as(trace).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).as(trace).isNotEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(report.reason()).as(trace).contains("canary slower than baseline", "largest shift above", "e-value");
    }

    @Test
    void theShareTestAboveTheP90BandRollsBackTheSlowCanaryToo() {
        VerificationReport report = verify("slow", CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 10)
                .withSlowerThan(SlowerThan.quantile(0.9)), Duration.ofSeconds(40));

        String trace = trace(report);
        assertThat(report.verdict()).as(trace).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.reason()).as(trace).contains("p90 band", "canary", "vs baseline");
    }

    @Test
    void anAaOfTwoMinutesIsNotRolledBack() {
        VerificationReport report = verify("aa", CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 10),
                Duration.ofMinutes(2));

        String trace = trace(report);
        assertThat(report.verdict()).as(trace).isEqualTo(Verdict.HEALTHY);
        assertThat(report.rollback().outcome()).as(trace).isEqualTo(RollbackOutcome.NOT_NEEDED);
        Measurement last = report.probes().get(0).measurements().get(report.probes().get(0).measurements().size() - 1);
        assertThat((Long) last.values().get("round-canary-requests")).as(trace).isGreaterThan(50L);
        assertThat(last.explanation()).as(trace).startsWith("sequential: no regression");
    }

    private static VerificationReport verify(String metric, CanaryAnalysis analysis, Duration duration) {
        String query = "sum by (le) (increase(" + metric + "_latency_seconds_bucket{version=\"%s\"}[2s]))";
        try (PrometheusProbe probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .histogram(String.format(Locale.ROOT, query, "canary"), String.format(Locale.ROOT, query, "baseline"),
                        analysis).build()) {
            return RealPrometheus.verify(duration, Map.entry("latency", probe));
        }
    }

    private static String trace(VerificationReport report) {
        return report.reason() + "\n" + report.probes().get(0).measurements().stream().map(Measurement::explanation)
                .collect(Collectors.joining("\n"));
    }

    /**
     * Two histograms per version, as a service with Micrometer's percentiles-histogram exports them:
     * {@code aa_latency_seconds} with the same latency for both versions, and
     * {@code slow_latency_seconds} whose canary takes {@link #SLOWDOWN} times as long.
     */
    static final class HistogramService extends SimulatedService {
        /** [metric][version][band], cumulative over time, per band (not yet cumulative over bounds). */
        private final long[][][] bands = new long[2][2][BOUNDS.length + 1];

        HistogramService(long startNanos, SplittableRandom random) {
            super(startNanos, random);
        }

        @Override
        String run(double seconds) {
            for (int metric = 0; metric < 2; metric++) {
                for (int version = 0; version < 2; version++) {
                    double factor = metric == 1 && version == 0 ? SLOWDOWN : 1;
                    long requests = RandomCounts.poisson(random, REQUESTS_PER_SECOND * seconds);
                    for (long i = 0; i < requests; i++) {
                        double latency = MEDIAN * factor * Math.exp(SHAPE * gaussian());
                        int band = 0;
                        while (band < BOUNDS.length && latency > BOUNDS[band]) {
                            band++;
                        }
                        bands[metric][version][band]++;
                    }
                }
            }
            StringBuilder out = new StringBuilder();
            String[] metrics = {"aa_latency_seconds", "slow_latency_seconds"};
            String[] versions = {"canary", "baseline"};
            for (int metric = 0; metric < 2; metric++) {
                out.append("# TYPE ").append(metrics[metric]).append(" histogram\n");
                for (int version = 0; version < 2; version++) {
                    long cumulative = 0;
                    for (int band = 0; band <= BOUNDS.length; band++) {
                        cumulative += bands[metric][version][band];
                        String le = band == BOUNDS.length ? "+Inf" : String.valueOf(BOUNDS[band]);
                        out.append(metrics[metric]).append("_bucket{version=\"").append(versions[version])
                                .append("\",le=\"").append(le).append("\"} ").append(cumulative).append('\n');
                    }
                    out.append(metrics[metric]).append("_count{version=\"").append(versions[version]).append("\"} ")
                            .append(cumulative).append('\n');
                }
            }
            return out.toString();
        }

        private double gaussian() {
            // Box-Muller: the test's own random source keeps the service reproducible.
            double u = 1 - random.nextDouble();
            return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
        }
    }
}
