package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Queries whose window is longer than the time between two rounds ({@code increase(x[1m])} every
 * 10 s) count each request in several rounds; a canary judge that took them for independent rounds
 * would see several times the evidence there is and roll healthy canaries back far more often than
 * {@code 1 - confidence}. Only rounds whose windows do not overlap are fed to the judge.
 */
class RoundOverlapTest extends MockPrometheusTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static void answer(String query, String body) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo(query))
                .willReturn(aResponse().withBody(body)));
    }

    private static String scalar(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1764148935.123,\""
                + value + "\"]}]}}";
    }

    private static String buckets(String fast, String all) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                + "{\"metric\":{\"le\":\"0.1\"},\"value\":[1764148935.123,\"" + fast + "\"]},"
                + "{\"metric\":{\"le\":\"+Inf\"},\"value\":[1764148935.123,\"" + all + "\"]}]}}";
    }

    private static CanaryAnalysis sequential() {
        return CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20);
    }

    private static List<String> counts(String window) {
        List<String> queries = List.of("sum(increase(requests{v=\"2\",status=\"500\"}[" + window + "])) or vector(0)",
                "sum(increase(requests{v=\"2\"}[" + window + "]))",
                "sum(increase(requests{v=\"1\",status=\"500\"}[" + window + "])) or vector(0)",
                "sum(increase(requests{v=\"1\"}[" + window + "]))");
        for (int i = 0; i < 4; i++) {
            answer(queries.get(i), scalar(i % 2 == 0 ? "6" : "600"));
        }
        return queries;
    }

    private PrometheusProbe countsProbe(List<String> q) {
        return PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(q.get(0), q.get(1), q.get(2), q.get(3), sequential())
                .baselineHistory(Duration.ZERO).build();
    }

    /** Rounds of one verification every {@code interval} from {@link TestContext#TIME}. */
    private List<ProbeResult> rounds(int n, Duration interval) {
        List<ProbeResult> results = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            results.add(probe.measure(TestContext.builder().time(TestContext.TIME.plus(interval.multipliedBy(i))).state(state).build()));
        }
        return results;
    }

    @Test
    void countsOverAMinuteEveryTenSecondsFeedTheJudgeOnceAMinuteAndSayWhy() {
        probe = countsProbe(counts("1m"));

        List<ProbeResult> rounds = rounds(8, Duration.ofSeconds(10));

        assertThat(rounds.get(0).explanation()).contains("after 1 round");
        for (ProbeResult skipped : rounds.subList(1, 6)) {
            assertThat(skipped.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
            assertThat(skipped.explanation()).startsWith("canary-errors-query, canary-requests-query, baseline-errors-query,"
                    + " baseline-requests-query count over 1m, but the last round fed to the judge was")
                    .contains("not fed to the judge: no data for this round", "so that each request counts in one round");
        }
        assertThat(rounds.get(1).explanation()).contains("was 10s before this one (at 2025-11-26T09:22:15Z): 50s of this"
                + " round's window was counted then already", "Make the range of the queries the plan's interval ([10s] for"
                + " rounds 10s apart)");
        assertThat(rounds.get(1).values()).containsEntry("window", "1m").containsEntry("since-last-judged-round", "10s");
        // The range to use is the time between two rounds, not the time since the last round fed.
        assertThat(rounds.get(5).explanation()).contains("was 50s before this one", "([10s] for rounds 10s apart)");
        // A minute after the last round fed: no request of it is counted again.
        assertThat(rounds.get(6).explanation()).contains("after 2 rounds").doesNotContain("counted then already");
        assertThat(rounds.get(6).values()).containsEntry("canary-trials", 1200L);
        assertThat(rounds.get(7).explanation()).contains("was 10s before this one");
    }

    @Test
    void countsOverTheIntervalFeedEveryRoundDespiteJitter() {
        probe = countsProbe(counts("10s"));

        List<ProbeResult> rounds = rounds(3, Duration.ofMillis(9_950));

        assertThat(rounds.get(2).explanation()).contains("after 3 rounds").doesNotContain("counted then already");
    }

    @Test
    void histogramsAndCanaryValuesOverlappingTheLastRoundAreNotFedEither() {
        answer("sum by (le) (increase(latency_bucket{v=\"2\"}[30s]))", buckets("90", "100"));
        answer("sum by (le) (increase(latency_bucket{v=\"1\"}[30s]))", buckets("90", "100"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .histogram("sum by (le) (increase(latency_bucket{v=\"2\"}[30s]))",
                        "sum by (le) (increase(latency_bucket{v=\"1\"}[30s]))", sequential())
                .baselineHistory(Duration.ZERO).build();

        List<ProbeResult> histograms = rounds(2, Duration.ofSeconds(10));

        assertThat(histograms.get(1).outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(histograms.get(1).explanation()).startsWith("canary-histogram-query, baseline-histogram-query count over 30s");

        probe.close();
        state.clear();
        answer("avg(rate(latency_sum{v=\"2\"}[1m]))", scalar("0.1"));
        answer("avg(rate(latency_sum{v=\"1\"}[1m]))", scalar("0.1"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl())
                .canary("avg(rate(latency_sum{v=\"2\"}[1m]))", "avg(rate(latency_sum{v=\"1\"}[1m]))")
                .judge(SamplesJudge.canaryAnalysis(sequential())).build();

        List<ProbeResult> means = rounds(2, Duration.ofSeconds(10));

        assertThat(means.get(1).outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(means.get(1).explanation()).startsWith("canary-query, baseline-query count over 1m, but the last round"
                + " fed to the judge was 10s before this one");
    }

    @Test
    void aWholeBakeWithWindowsLongerThanItsIntervalEndsOnARoundFedToTheJudgeAndRollsNothingBack() {
        // Counts over 30s every 10s, the same error rate on both sides: every third round is fed (24 of 71, past the judge's 20). The
        // bake's last round (at 700s) is not one of them; the end-of-bake rule measures again until a
        // round is fed, so the verdict is the judge's, not an INCONCLUSIVE made by the skipped rounds.
        java.util.concurrent.atomic.AtomicInteger rollbacks = new java.util.concurrent.atomic.AtomicInteger();
        dev.vigil.VerificationReport report;
        try (dev.vigil.DeployVerifier verifier = dev.vigil.DeployVerifier.builder()
                .probe("errors", countsProbe(counts("30s")), dev.vigil.ProbeLimits.defaults().withMaxInconclusive(dev.vigil.ProbeLimits.UNLIMITED))
                .plan(dev.vigil.VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(710)))
                .rollback(dev.vigil.rollback.RollbackTriggers.callback("back", event -> rollbacks.incrementAndGet()))
                .timeSource(dev.vigil.testkit.VirtualTime.start()).build()) {
            report = verifier.verifyAfterDeploy(dev.vigil.Deployment.of("checkout", "2", "1"));
        }

        assertThat(report.verdict()).as(report.reason()).isEqualTo(dev.vigil.Verdict.HEALTHY);
        assertThat(rollbacks).hasValue(0);
        List<dev.vigil.Measurement> m = report.probe("errors").orElseThrow().measurements();
        assertThat(m.get(m.size() - 1).outcome()).isEqualTo(Outcome.PASS);
        assertThat(m).filteredOn(x -> x.explanation().contains("not fed to the judge")).hasSizeGreaterThan(40)
                .allSatisfy(x -> assertThat(x.outcome()).isEqualTo(Outcome.INCONCLUSIVE));
        assertThat(report.schedule().settlingRounds()).as("the end-of-bake rule waited for a round fed to the judge").isPositive();
    }
}
