package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Measurement;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.analysis.BaselineHistory;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import dev.vigil.testkit.RandomCounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The baseline's past against a real Prometheus (2.42, scraping every second): the service runs for
 * half a minute before the verification starts, and the count test's first round already knows the
 * dispersion of the baseline's errors from those past rounds instead of assuming it. Skipped without
 * the binary, as {@link PrometheusServer} says.
 */
class RealPrometheusBaselineHistoryTest {

    /** Each version's requests a second. */
    static final double REQUESTS_PER_SECOND = 100;
    /** Each version's share of failed requests, independent failures: the same for both. */
    static final double ERROR_RATE = 0.02;
    /** How long the service runs, scraped, before the verification starts. */
    static final Duration PRE_HISTORY = Duration.ofSeconds(26);

    private static final SteadyService service = new SteadyService(System.nanoTime(), new SplittableRandom(26));

    @RegisterExtension
    static final RealPrometheus prometheus = new RealPrometheus("sum(rate(app_requests_total[5s]))",
            () -> service.scrape(System.nanoTime()));

    @BeforeAll
    static void letTheServiceRun() throws InterruptedException {
        Thread.sleep(PRE_HISTORY.toMillis());
    }

    @Test
    void theFirstRoundLearnsTheDispersionFromTheBaselinesPastRounds() {
        PrometheusProbe probe = prometheus.closeAfterAll(counts(PRE_HISTORY));
        try (PrometheusProbe withoutHistory = counts(Duration.ZERO)) {
            VerificationReport report = RealPrometheus.verify(Duration.ofSeconds(4), Map.entry("errors", probe),
                    Map.entry("errors-without-history", withoutHistory));

            String trace = report.reason() + "\n" + report.probes().stream().flatMap(p -> p.measurements().stream())
                    .map(m -> m.probe() + ": " + m.explanation()).collect(Collectors.joining("\n"));
            Measurement first = firstJudged(report, "errors", trace);
            Matcher learned = Pattern.compile("dispersion [\\d.]+ \\(learned from (\\d+) rounds of the baseline's last 26s"
                    + " and 1 round\\)").matcher(first.explanation());
            assertThat(learned.find()).as(trace).isTrue();
            assertThat(Integer.parseInt(learned.group(1))).as(trace).isBetween(BaselineHistory.MIN_ROUNDS, 13);
            // The same first round without the past: the judge assumes the cautious dispersion instead.
            Measurement blind = firstJudged(report, "errors-without-history", trace);
            assertThat(blind.explanation()).as(trace).contains("(assumed: too few rounds with errors to learn it)");
            assertThat((Double) first.values().get("dispersion")).as(trace)
                    .isLessThan((Double) blind.values().get("dispersion"));
            assertThat(report.verdict()).as(trace).isNotEqualTo(Verdict.UNHEALTHY);
        }
    }

    /** A counts probe over 2-second rounds whose baseline's past reaches {@code history} back. */
    private static PrometheusProbe counts(Duration history) {
        return AppRequests.counts(prometheus.baseUrl(), CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.99, 5))
                .baselineHistory(history).build();
    }

    /** The first measurement of probe {@code name} that reached the judge. */
    private static Measurement firstJudged(VerificationReport report, String name, String trace) {
        List<Measurement> measured = report.probes().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow().measurements();
        return measured.stream().filter(m -> m.values().containsKey("dispersion")).findFirst()
                .orElseThrow(() -> new AssertionError("no round reached the judge:\n" + trace));
    }

    /** Both versions serve {@link #REQUESTS_PER_SECOND}, each request failing with {@link #ERROR_RATE} on its own. */
    static final class SteadyService extends SimulatedService {
        private final double[] requests = new double[2];
        private final long[] errors = new long[2];

        SteadyService(long startNanos, SplittableRandom random) {
            super(startNanos, random);
        }

        @Override
        String run(double seconds) {
            for (int v = 0; v < 2; v++) {
                requests[v] += REQUESTS_PER_SECOND * seconds;
                errors[v] = Math.min(errors[v] + RandomCounts.poisson(random, REQUESTS_PER_SECOND * ERROR_RATE * seconds),
                        (long) requests[v]);
            }
            return AppRequests.exposition(requests, errors, true);
        }
    }
}
