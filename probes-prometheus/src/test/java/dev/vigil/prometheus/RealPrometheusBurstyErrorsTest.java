package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Measurement;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import dev.vigil.testkit.RandomCounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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

    private static final BurstyService service = new BurstyService(System.nanoTime(), new SplittableRandom(25));

    @RegisterExtension
    static final RealPrometheus prometheus = new RealPrometheus("sum(rate(app_requests_total[5s]))",
            () -> service.scrape(System.nanoTime()));

    @Test
    void canaryFailingInBurstsAsOftenAsTheBaselineIsNotRolledBack() {
        CanaryAnalysis sequential = CanaryJudges.sequential(Direction.INCREASE, 0, 0.99, 5);
        PrometheusProbe probe = prometheus.closeAfterAll(AppRequests.counts(prometheus.baseUrl(), sequential).build());

        VerificationReport report = RealPrometheus.verify(Duration.ofSeconds(40), Map.entry("errors", probe));

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

    /**
     * Both versions serve {@link #REQUESTS_PER_SECOND}; failures start as a Poisson stream of bursts
     * per version, each burst failing 1 to {@link #LARGEST_BURST} consecutive requests of that version,
     * so that both versions fail {@link #ERROR_RATE} of their requests on average.
     */
    static final class BurstyService extends SimulatedService {
        private final double[] requests = new double[2];
        private final long[] errors = new long[2];
        private final int[] bursts = new int[2];

        BurstyService(long startNanos, SplittableRandom random) {
            super(startNanos, random);
        }

        synchronized List<Integer> bursts() {
            return List.of(bursts[0], bursts[1]);
        }

        @Override
        String run(double seconds) {
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
            return AppRequests.exposition(requests, errors, false);
        }
    }
}
