package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.lessThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.Direction;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.testkit.MapProbeSettings;
import dev.vigil.testkit.TestProbeContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The baseline's past ({@code baseline-history}): counts and histogram modes ask the baseline's own
 * queries over the time before the first round, once per verification, and the sequential judge
 * learns the service's noise from them; whatever goes wrong with that leaves the verification as it
 * would be without it.
 */
class PrometheusBaselineHistoryTest extends MockPrometheusTest {

    private static final String CE = "sum(increase(requests{v=\"2\",status=\"500\"}[10s])) or vector(0)";
    private static final String CR = "sum(increase(requests{v=\"2\"}[10s]))";
    private static final String BE = "sum(increase(requests{v=\"1\",status=\"500\"}[10s])) or vector(0)";
    private static final String BR = "sum(increase(requests{v=\"1\"}[10s]))";
    private static final String CH = "sum by (le) (increase(latency_bucket{v=\"2\"}[10s]))";
    private static final String BH = "sum by (le) (increase(latency_bucket{v=\"1\"}[10s]))";
    private static final Duration STEP = Duration.ofSeconds(10);

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static void answer(String path, String query, String body) {
        prometheus.stubFor(get(urlPathEqualTo(path)).withQueryParam("query", equalTo(query))
                .willReturn(aResponse().withBody(body)));
    }

    private static String scalar(String value) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1764148935.123,\""
                + value + "\"]}]}}";
    }

    /** One series of a range answer over the last {@code steps} steps before the round: value of step k, or null for no point. */
    private static String series(String metric, Duration lookback, int steps, IntFunction<String> value) {
        Instant start = TestContext.TIME.minus(lookback);
        StringBuilder points = new StringBuilder();
        for (int k = 0; k < steps; k++) {
            String v = value.apply(k);
            if (v != null) {
                points.append(points.length() == 0 ? "" : ",").append('[')
                        .append(PrometheusClient.seconds(start.plus(STEP.multipliedBy(k)))).append(",\"").append(v).append("\"]");
            }
        }
        return "{\"metric\":{" + metric + "},\"values\":[" + points + "]}";
    }

    private static String matrix(String... series) {
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + String.join(",", series) + "]}}";
    }

    /** The four counts of one round, 10 errors in 1000 requests on each side. */
    private static void answerCounts() {
        answer("/api/v1/query", CE, scalar("10"));
        answer("/api/v1/query", CR, scalar("1000"));
        answer("/api/v1/query", BE, scalar("10"));
        answer("/api/v1/query", BR, scalar("1000"));
    }

    /** The baseline's last 30 minutes in 180 steps of 10 s: 1000 requests, 6 to 14 errors. */
    private static void answerCountHistory() {
        answer("/api/v1/query_range", BE, matrix(series("", Duration.ofMinutes(30), 180, k -> String.valueOf(6 + (k * 7) % 9))));
        answer("/api/v1/query_range", BR, matrix(series("", Duration.ofMinutes(30), 180, k -> "1000")));
    }

    private static CanaryAnalysis sequential() {
        return CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 5);
    }

    private PrometheusProbe counts(CanaryAnalysis analysis) {
        return PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(CE, CR, BE, BR, analysis).build();
    }

    @Test
    void theFirstRoundLearnsTheDispersionFromTheBaselinesLastThirtyMinutes() {
        answerCounts();
        answerCountHistory();
        probe = counts(sequential());

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isNotEqualTo(Outcome.ERROR);
        assertThat(m.explanation()).contains("(learned from 180 rounds of the baseline's last 30m and 1 round)")
                .doesNotContain("no baseline history");
        // The window ends one step before the round, so that no past point overlaps the first round.
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(BR))
                .withQueryParam("start", equalTo(PrometheusClient.seconds(TestContext.TIME.minus(Duration.ofMinutes(30)))))
                .withQueryParam("end", equalTo(PrometheusClient.seconds(TestContext.TIME.minus(STEP))))
                .withQueryParam("step", equalTo("10")));
        assertThat(probe.toString()).contains("baseline-history=30m");
    }

    @Test
    void pointsAnsweredAtOrAfterTheFirstRoundAreNotPartOfThePast() {
        answerCounts();
        // One point more than asked for, at the round's own time, with a burst: a proxy in front of
        // Prometheus that answers past the end asked for. It is the bake, not the baseline's past.
        answer("/api/v1/query_range", BE, matrix(series("", Duration.ofMinutes(30), 181,
                k -> k == 180 ? "500" : String.valueOf(6 + (k * 7) % 9))));
        answer("/api/v1/query_range", BR, matrix(series("", Duration.ofMinutes(30), 181, k -> "1000")));
        probe = counts(sequential());

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("(learned from 180 rounds of the baseline's last 30m and 1 round)");
        assertThat((double) m.values().get("dispersion")).isLessThan(2);
    }

    @Test
    void pointsAnsweredBeforeTheStartOfTheWindowAreNotPartOfThePast() {
        answerCounts();
        // An hour answered where 30 minutes were asked for, the older half with bursts of errors: a
        // proxy in front of Prometheus that answers before the start asked for. The window is the
        // one configured (baseline-history): a past the user left out must not discount the bake.
        answer("/api/v1/query_range", BE, matrix(series("", Duration.ofMinutes(60), 360,
                k -> k < 180 ? (k % 2 == 0 ? "0" : "200") : String.valueOf(6 + (k * 7) % 9))));
        answer("/api/v1/query_range", BR, matrix(series("", Duration.ofMinutes(60), 360, k -> "1000")));
        probe = counts(sequential());

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("(learned from 180 rounds of the baseline's last 30m and 1 round)");
        assertThat(m.values()).containsEntry("past-rounds", 180);
        assertThat((double) m.values().get("dispersion")).isLessThan(2);
    }

    @Test
    void aStartAlignedDownByLessThanAStepKeepsItsFirstPoint() {
        answerCounts();
        // A server that aligns the start down to a multiple of the step answers its first point a
        // little before the start asked for: still the baseline's past, and with the shortest window
        // (10 steps) without it the history would be too short to use.
        Duration lookback = STEP.multipliedBy(10);
        Instant first = TestContext.TIME.minus(lookback).minusSeconds(5);
        StringBuilder errors = new StringBuilder();
        StringBuilder requests = new StringBuilder();
        for (int k = 0; k < 10; k++) {
            String at = PrometheusClient.seconds(first.plus(STEP.multipliedBy(k)));
            errors.append(k == 0 ? "" : ",").append('[').append(at).append(",\"").append(6 + (k * 7) % 9).append("\"]");
            requests.append(k == 0 ? "" : ",").append('[').append(at).append(",\"1000\"]");
        }
        answer("/api/v1/query_range", BE, matrix("{\"metric\":{},\"values\":[" + errors + "]}"));
        answer("/api/v1/query_range", BR, matrix("{\"metric\":{},\"values\":[" + requests + "]}"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(CE, CR, BE, BR, sequential())
                .baselineHistory(lookback).build();

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("learned from 10 rounds of the baseline's last").doesNotContain("assumed");
    }

    @Test
    void withTheHistoryOffNoRangeQueryIsMadeAndTheDispersionIsAssumed() {
        answerCounts();
        answerCountHistory();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("base-url", prometheus.baseUrl());
        keys.put("canary-errors-query", CE);
        keys.put("canary-requests-query", CR);
        keys.put("baseline-errors-query", BE);
        keys.put("baseline-requests-query", BR);
        keys.put("judge", "sequential");
        keys.put("baseline-history", "off");
        probe = (PrometheusProbe) new PrometheusProbeFactory().create(MapProbeSettings.of("errors", keys));

        ProbeResult first = measure();
        measure();

        assertThat(first.explanation()).contains("(assumed: too few rounds with errors to learn it)")
                .doesNotContain("baseline history");
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query_range")));
        assertThat(probe.toString()).contains("baseline-history=off");
    }

    @Test
    void theHistoryIsFetchedOncePerVerificationNotOncePerRound() {
        answerCounts();
        answerCountHistory();
        probe = counts(sequential());

        for (int round = 0; round < 6; round++) {
            ProbeResult m = measure();
            assertThat(m.explanation()).contains("of the baseline's last 30m and " + (round + 1) + " round");
        }

        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(BE)));
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(BR)));
        // A second verification (its own state) asks again.
        probe.measure(TestContext.builder().state(new ConcurrentHashMap<>()).build());
        prometheus.verify(2, getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(BR)));
    }

    @Test
    void aFailingRangeQueryLeavesTheVerificationAsWithoutItAndSaysWhy() {
        answerCounts();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withStatus(500)
                .withBody("{\"status\":\"error\",\"errorType\":\"internal\",\"error\":\"out of memory\"}")));
        probe = counts(sequential());

        ProbeResult first = measure();
        ProbeResult second = measure();

        assertThat(first.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(first.explanation()).contains("dispersion", "(assumed: too few rounds with errors to learn it)",
                "no baseline history (the judge starts from its cautious prior): ", "500");
        // Not asked again: the second round is judged as without a history, and quietly.
        assertThat(second.outcome()).isIn(Outcome.INCONCLUSIVE, Outcome.PASS);
        assertThat(second.explanation()).contains("(assumed").doesNotContain("no baseline history");
        // The errors query runs on the round's thread; the requests query, on its own, may be
        // cancelled before it is sent once the errors query has failed: at most once, never twice.
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(BE)));
        prometheus.verify(lessThanOrExactly(1),
                getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(BR)));
    }

    @Test
    void aRangeQueryThatTimesOutTakesAtMostHalfOfTheRoundsTimeAndTheRoundIsStillJudged() {
        answerCounts();
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query_range"))
                .willReturn(aResponse().withFixedDelay(3000).withBody(matrix())));
        probe = counts(sequential());
        ProbeContext context = TestProbeContext.builder("error-rate", TestContext.TIME, Duration.ofSeconds(1)).state(state).build();

        long start = System.nanoTime();
        ProbeResult m = probe.measure(context);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("(assumed", "no baseline history", "within 500ms (timeout)");
        assertThat(took).isLessThan(Duration.ofMillis(1000));
    }

    @Test
    void stepsMissingInAQueryNanNegativeOrInfiniteAreSkipped() {
        answerCounts();
        // 3 minutes, 18 steps: one missing in the errors, one NaN, one negative, one infinite: 14 rounds left.
        Duration lookback = Duration.ofMinutes(3);
        answer("/api/v1/query_range", BE, matrix(series("", lookback, 18,
                k -> k == 2 ? null : k == 5 ? "NaN" : k == 9 ? "-1" : "10.4")));
        answer("/api/v1/query_range", BR, matrix(series("", lookback, 18, k -> k == 12 ? "+Inf" : "999.6")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(CE, CR, BE, BR, sequential())
                .baselineHistory(lookback).build();

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("(learned from 14 rounds of the baseline's last 3m and 1 round)");
    }

    @Test
    void pastStepsAreRoundedAndTheirErrorsCappedAtTheirRequestsAsARoundIs() {
        answerCounts();
        // Extrapolated apart, 1000.4 errors of 999.6 requests: 1000 of 1000, still a round to learn from.
        Duration lookback = Duration.ofMinutes(2);
        answer("/api/v1/query_range", BE, matrix(series("", lookback, 12, k -> k == 4 ? "1000.4" : "10.4")));
        answer("/api/v1/query_range", BR, matrix(series("", lookback, 12, k -> "999.6")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(CE, CR, BE, BR, sequential())
                .baselineHistory(lookback).build();

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("(learned from 12 rounds of the baseline's last 2m and 1 round)")
                .doesNotContain("no baseline history");
    }

    @Test
    void tooFewUsableStepsAreNotLearnedFromAndTheExplanationCountsThem() {
        answerCounts();
        Duration lookback = Duration.ofMinutes(2);
        answer("/api/v1/query_range", BE, matrix(series("", lookback, 12, k -> k < 3 ? "NaN" : "10")));
        answer("/api/v1/query_range", BR, matrix(series("", lookback, 12, k -> "1000")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(CE, CR, BE, BR, sequential())
                .baselineHistory(lookback).build();

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("(assumed", "only 9 past rounds with requests in the baseline's last 2m "
                + "(3 steps skipped: missing in a query, NaN, negative or a counter reset), fewer than the 10");
    }

    @Test
    void aCountQueryWithSeveralSeriesGivesNoHistory() {
        answerCounts();
        answerCountHistory();
        answer("/api/v1/query_range", BR, matrix(series("\"instance\":\"a\"", Duration.ofMinutes(30), 180, k -> "500"),
                series("\"instance\":\"b\"", Duration.ofMinutes(30), 180, k -> "500")));
        probe = counts(sequential());

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("(assumed", "baseline-requests-query returned 2 series over the baseline's "
                + "last 30m ({instance=\"a\"}, ...)", "sum(...)");
    }

    @Test
    void aWarnedRangeAnswerIsNotLearnedFrom() {
        answerCounts();
        answerCountHistory();
        answer("/api/v1/query_range", BR, "{\"status\":\"success\",\"warnings\":[\"partial response: store b down\"],"
                + matrix(series("", Duration.ofMinutes(30), 180, k -> "1000")).substring(1));
        probe = counts(sequential());

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("(assumed", "Prometheus warned about the range query", "store b down");
    }

    @Test
    void withoutARangeSelectorOrAStepThereIsNoHistoryAndTheReasonIsStated() {
        answer("/api/v1/query", "ce", scalar("10"));
        answer("/api/v1/query", "cr", scalar("1000"));
        answer("/api/v1/query", "be", scalar("10"));
        answer("/api/v1/query", "br", scalar("1000"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts("ce", "cr", "be", "br", sequential()).build();

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("baseline-errors-query and baseline-requests-query have no range selector "
                + "such as [10s] to take a round's length from: set baseline-history-step");
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query_range")));
    }

    @Test
    void aMannWhitneyJudgeNeverAsksForTheHistory() {
        answerCounts();
        answerCountHistory();
        probe = counts(CanaryJudges.mannWhitney(Direction.INCREASE, 0.1, 0.95, 5));

        for (int round = 0; round < 3; round++) {
            assertThat(measure().explanation()).doesNotContain("baseline history");
        }

        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query_range")));
    }

    /** The baseline's buckets 0.1, 0.25 and +Inf over {@code steps} steps, with a little wobble; {@code odd} replaces a step's values. */
    private static String bucketHistory(Duration lookback, int steps, IntFunction<String[]> odd) {
        String[] les = {"0.1", "0.25", "+Inf"};
        List<String> series = new ArrayList<>();
        for (int b = 0; b < 3; b++) {
            int band = b;
            series.add(series("\"le\":\"" + les[b] + "\"", lookback, steps, k -> {
                String[] replaced = odd.apply(k);
                if (replaced != null) {
                    return replaced[band];
                }
                int fast = 290 + (k * 7) % 21;
                return String.valueOf(band == 0 ? fast : band == 1 ? fast + 600 : 1000);
            }));
        }
        return matrix(series.toArray(String[]::new));
    }

    @Test
    void theHistogramJudgeLearnsTheWobbleFromTheBaselinesPastBuckets() {
        answer("/api/v1/query", CH, Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));
        answer("/api/v1/query", BH, Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));
        answer("/api/v1/query_range", BH, bucketHistory(Duration.ofMinutes(30), 180, k -> null));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).histogram(CH, BH, sequential()).build();

        ProbeResult first = measure();
        measure();
        measure();

        assertThat(first.outcome()).as(first.toString()).isNotEqualTo(Outcome.ERROR);
        assertThat(first.explanation()).contains("round-to-round wobble",
                "(learned from 180 rounds of the baseline's last 30m and 1 round)");
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(BH)));
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query_range")).withQueryParam("query", equalTo(CH)));
    }

    @Test
    void histogramStepsWithACounterResetANegativeCountOrNanAreSkipped() {
        answer("/api/v1/query", CH, Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));
        answer("/api/v1/query", BH, Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));
        Duration lookback = Duration.ofMinutes(2);
        answer("/api/v1/query_range", BH, bucketHistory(lookback, 12, k -> switch (k) {
            case 1 -> new String[] {"300", "200", "1000"};
            case 4 -> new String[] {"-2", "900", "1000"};
            case 7 -> new String[] {"NaN", "NaN", "NaN"};
            default -> null;
        }));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).histogram(CH, BH, sequential())
                .baselineHistory(lookback).build();

        ProbeResult m = measure();

        assertThat(m.explanation()).contains("(assumed", "only 9 past rounds with requests in the baseline's last 2m "
                + "(3 steps skipped");
    }

    @Test
    void aHistogramPastWithOtherBucketsIsNotUsed() {
        answer("/api/v1/query", CH, Canned.buckets("0.1", "300", "0.5", "900", "+Inf", "1000"));
        answer("/api/v1/query", BH, Canned.buckets("0.1", "300", "0.5", "900", "+Inf", "1000"));
        answer("/api/v1/query_range", BH, bucketHistory(Duration.ofMinutes(30), 180, k -> null));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).histogram(CH, BH, sequential()).build();

        ProbeResult m = measure();

        assertThat(m.outcome()).isNotEqualTo(Outcome.ERROR);
        assertThat(m.explanation()).contains("(assumed", "the baseline's last 30m had other buckets than this round: "
                + "[0.1, 0.25, +Inf] against [0.1, 0.5, +Inf]");
    }

    @Test
    void aHistogramPastWithFinerBucketsIsCountedOnTheRoundsBounds() {
        // The round compares on [0.1, +Inf] (the bounds both versions have); the past has those and 0.25.
        answer("/api/v1/query", CH, Canned.buckets("0.1", "300", "+Inf", "1000"));
        answer("/api/v1/query", BH, Canned.buckets("0.1", "300", "+Inf", "1000"));
        answer("/api/v1/query_range", BH, bucketHistory(Duration.ofMinutes(30), 180, k -> null));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).histogram(CH, BH, sequential()).build();

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isNotEqualTo(Outcome.ERROR);
        assertThat(m.explanation()).doesNotContain("other buckets")
                .contains("(learned from 180 rounds of the baseline's last 30m and 1 round)");
    }

    @Test
    void theRangeSelectorGivesTheStepOutsideQuotesAndComments() {
        assertThat(QueryReach.longestRange("sum(increase(x{a=~\"[45]..\"}[10s])) / sum(rate(y[1m30s]))"))
                .isEqualTo(Duration.ofSeconds(90));
        assertThat(QueryReach.longestRange("max_over_time(rate(x[1m])[5m:30s]) # [1h]"))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(QueryReach.longestRange("rate(x[$__rate_interval])")).isNull();
        assertThat(QueryReach.longestRange("up")).isNull();
    }

    @Test
    void badHistorySettingsAreErrorsNamingTheKeyAndTheValue() {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("base-url", "http://prometheus:9090");
        keys.put("canary-errors-query", CE);
        keys.put("canary-requests-query", CR);
        keys.put("baseline-errors-query", BE);
        keys.put("baseline-requests-query", BR);
        keys.put("judge", "sequential");

        assertThat(problems(keys, Map.of("baseline-history", "soon")))
                .containsExactly("vigil.probes.errors.baseline-history: must be a duration such as 30m, or off: 'soon'");
        assertThat(problems(keys, Map.of("baseline-history", "1m"))).singleElement().asString()
                .startsWith("vigil.probes.errors.baseline-history: (1m) does not fit: baseline-history 1m holds 6 steps of 10s"
                        + " (the longest range selector of baseline-errors-query and baseline-requests-query), fewer than the 10")
                .contains("at least 100s, or off");
        assertThat(problems(keys, Map.of("baseline-history-step", "5m"))).singleElement().asString()
                .startsWith("vigil.probes.errors.baseline-history-step: (5m) does not fit: baseline-history 30m holds 6 steps of 5m");
        // A past round shorter than the [10s] the queries count over would overlap the next, and the
        // last one the first judged round: refused whatever else is set.
        assertThat(problems(keys, Map.of("baseline-history-step", "5s"))).singleElement().asString()
                .startsWith("vigil.probes.errors.baseline-history-step: (5s) does not fit: baseline-history-step 5s is"
                        + " shorter than the range [10s] of baseline-errors-query")
                .contains("set baseline-history-step to at least 10s");
        assertThat(problems(keys, Map.of("baseline-history", "1h", "baseline-history-step", "5s"))).singleElement()
                .asString().startsWith("vigil.probes.errors.baseline-history-step: (5s) does not fit");
        // Longer than a count of milliseconds holds: named, not an ArithmeticException out of build().
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").counts(CE, CR, BE, BR, sequential())
                .baselineHistory(Duration.ofDays(200_000_000_000L)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("baseline-history ");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").counts(CE, CR, BE, BR, sequential())
                .baselineHistoryStep(Duration.ofDays(200_000_000_000L)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("baseline-history-step ");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090")
                .counts(CE, CR, "sum(increase(e[200000000000d]))", BR, sequential()).baselineHistory(Duration.ofHours(1)).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 0 steps of");
        assertThat(problems(keys, Map.of("baseline-history-step", "0"))).singleElement().asString()
                .isEqualTo("vigil.probes.errors.baseline-history-step: must be at least 1ms: '0'");
        assertThat(problems(keys, Map.of("baseline-history-step", "often"))).singleElement().asString()
                .startsWith("vigil.probes.errors.baseline-history-step:").contains("'often'");
        Map<String, String> single = Map.of("base-url", "http://prometheus:9090", "query", "up", "fail-when", "value < 1",
                "baseline-history", "1h");
        assertThat(problems(single, Map.of())).containsExactly("vigil.probes.errors.baseline-history: applies to the count "
                + "and histogram queries only (the sequential judge learns from the baseline's past rounds of those)");

        assertThatThrownBy(() -> PrometheusProbe.builder().baselineHistory(Duration.ofMinutes(-5)))
                .hasMessageStartingWith("baseline-history must be a duration such as 30m, or off (0): PT-5M");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").query("up").failWhen("value < 1")
                .baselineHistoryStep(STEP).build()).hasMessageStartingWith("baseline-history-step applies to the count");
        assertThatThrownBy(() -> PrometheusProbe.builder().baselineHistoryStep(Duration.ZERO))
                .hasMessageStartingWith("baseline-history-step must be at least 1ms");

        Map<String, String> good = new LinkedHashMap<>(keys);
        good.put("baseline-history", "2h");
        good.put("baseline-history-step", "10s");
        MapProbeSettings settings = MapProbeSettings.of("errors", good);
        probe = (PrometheusProbe) new PrometheusProbeFactory().create(settings);
        assertThat(settings.problems()).isEmpty();
        assertThat(probe.toString()).contains("baseline-history=2h, baseline-history-step=10s");
    }

    @Test
    void aBaselineErrorsQueryCountingFarMoreThanTheRequestsIsAnErrorNotAHundredPercentErrorRate() {
        // The baseline's errors query without its version selector: every version's errors against
        // the baseline's requests. Capped at the requests, it read as every baseline request failing,
        // and any canary looked better than that.
        answer("/api/v1/query", CE, scalar("10"));
        answer("/api/v1/query", CR, scalar("1000"));
        answer("/api/v1/query", BE, scalar("1400"));
        answer("/api/v1/query", BR, scalar("1000"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(CE, CR, BE, BR, sequential())
                .baselineHistory(Duration.ZERO).build();

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).startsWith("baseline-errors-query counted 1400 errors against 1000 requests of"
                + " baseline-requests-query: more errors than requests is no error rate");
        assertThat(state).as("nothing was fed to the judge").isEmpty();
    }

    @Test
    void errorsAFewPercentAboveTheRequestsAreExtrapolationAndCappedAtThem() {
        answer("/api/v1/query", CE, scalar("10.4"));
        answer("/api/v1/query", CR, scalar("1000.2"));
        answer("/api/v1/query", BE, scalar("104.6"));
        answer("/api/v1/query", BR, scalar("100.3"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).counts(CE, CR, BE, BR, sequential())
                .baselineHistory(Duration.ZERO).build();

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isNotEqualTo(Outcome.ERROR);
        assertThat(m.values()).containsEntry("baseline-errors", 100L).containsEntry("baseline-requests", 100L);
    }

    @Test
    void aPastStepWithErrorsFarAboveItsRequestsIsAnErrorNamingTheStep() {
        answerCounts();
        answer("/api/v1/query_range", BE, matrix(series("", Duration.ofMinutes(30), 180, k -> k == 42 ? "3000" : "10")));
        answer("/api/v1/query_range", BR, matrix(series("", Duration.ofMinutes(30), 180, k -> "1000")));
        probe = counts(sequential());

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).startsWith("baseline-errors-query counted 3000 errors against 1000 requests of"
                + " baseline-requests-query at " + TestContext.TIME.minus(Duration.ofMinutes(30)).plus(STEP.multipliedBy(42))
                + " over the baseline's last 30m: more errors than requests is no error rate");
        assertThat(state).as("no judge was made on that past").doesNotContainKey(CanaryAnalysis.STATE_KEY);
    }

    /** The problems reported for {@code keys} changed by {@code changes}. */
    private static List<String> problems(Map<String, String> keys, Map<String, String> changes) {
        Map<String, String> all = new LinkedHashMap<>(keys);
        all.putAll(changes);
        MapProbeSettings settings = MapProbeSettings.of("errors", all);
        assertThatThrownBy(() -> new PrometheusProbeFactory().create(settings)).isInstanceOf(InvalidSettingsException.class);
        return settings.problems();
    }
}
