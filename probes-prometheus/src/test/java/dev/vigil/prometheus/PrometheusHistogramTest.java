package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Histogram mode (issue 23): bucket increments by {@code le} for both versions, made per band and
 * judged by the histogram judge, and the bucket edge cases: counter resets, a missing {@code +Inf},
 * different bounds on the two sides, a round with no requests.
 */
class PrometheusHistogramTest extends MockPrometheusTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private void answer(String canary, String baseline) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo("canary"))
                .willReturn(aResponse().withBody(canary)));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).withQueryParam("query", equalTo("baseline"))
                .willReturn(aResponse().withBody(baseline)));
    }

    private PrometheusProbe histogramProbe(CanaryAnalysis analysis) {
        return PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).histogram("canary", "baseline", analysis).build();
    }

    @Test
    void cumulativeBucketsAreMadePerBandAndASlowerCanaryIsARegression() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        // Canary: half its requests above 0.25 s; baseline: a tenth. Bounds out of order on purpose.
        answer(Canned.buckets("0.5", "900", "0.1", "100", "+Inf", "1000", "0.25", "500"),
                Canned.buckets("0.1", "300", "0.25", "900", "0.5", "990", "+Inf", "1000"));

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.values()).containsEntry("round-canary-requests", 1000L).containsEntry("round-baseline-requests", 1000L)
                .containsEntry("buckets", 4);
        assertThat(m.explanation()).startsWith("sequential: canary slower than baseline, largest shift above 250ms")
                .contains("canary 50% vs baseline 10%", ">= 20", "after 1 round");
        assertThat(probe.description()).contains("histograms", "sequential");
    }

    @Test
    void aWarnedAnswerIsNotFedToTheJudge() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        // A partial answer that misses the canary's fast requests looks like a slower canary.
        String canary = Canned.buckets("0.1", "100", "0.25", "500", "0.5", "900", "+Inf", "1000");
        answer(canary.replace("{\"status\":\"success\",", "{\"status\":\"success\",\"isPartial\":true,"),
                Canned.buckets("0.1", "300", "0.25", "900", "0.5", "990", "+Inf", "1000"));

        ProbeResult m = measure();

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("isPartial=true", "not fed to the judge", "no data for this round");
        assertThat(state).doesNotContainKey(CanaryAnalysis.STATE_KEY);
    }

    @Test
    void theShareTestNamesTheBandAndBothShares() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5)
                .withSlowerThan(dev.vigil.analysis.SlowerThan.latency(java.time.Duration.ofMillis(200))));
        answer(Canned.buckets("0.1", "100", "0.25", "500", "0.5", "900", "+Inf", "1000"),
                Canned.buckets("0.1", "300", "0.25", "900", "0.5", "990", "+Inf", "1000"));

        ProbeResult m = null;
        for (int round = 0; round < 3 && (m == null || m.outcome() != Outcome.FAIL); round++) {
            m = measure();
        }

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("slower than 250ms: canary 50% vs baseline 10%", "e-value");
        assertThat(m.values()).containsEntry("slower-than", "250ms");
    }

    /** A millisecond histogram (OpenTelemetry's layout): the canary has 80% of its requests above 250 ms. */
    private static final String SLOW_CANARY_MS = Canned.buckets("5", "0", "10", "0", "25", "20", "50", "60", "100", "120",
            "250", "200", "500", "700", "1000", "1000", "+Inf", "1000");
    /** The baseline: 2% above 250 ms. */
    private static final String FAST_BASELINE_MS = Canned.buckets("5", "0", "10", "0", "25", "200", "50", "500", "100", "800",
            "250", "980", "500", "1000", "1000", "1000", "+Inf", "1000");

    private PrometheusProbeBuilder slowerThan250ms() {
        return PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).histogram("canary", "baseline",
                CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2)
                        .withSlowerThan(dev.vigil.analysis.SlowerThan.latency(java.time.Duration.ofMillis(250))));
    }

    @Test
    void aMillisecondHistogramReadAsSecondsIsAnErrorNamingSlowerThanNeverAPass() {
        probe = slowerThan250ms().build();
        answer(SLOW_CANARY_MS, FAST_BASELINE_MS);

        for (int round = 0; round < 5; round++) {
            ProbeResult m = measure();
            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).contains("slower-than 250ms cannot split the requests", "5s (the smallest)",
                    "a histogram in milliseconds read as seconds");
        }
    }

    @Test
    void withBucketUnitMillisecondsTheSameHistogramFindsTheSlowerCanaryAndNamesTheBandInMilliseconds() {
        probe = slowerThan250ms().bucketUnit(BucketUnit.MILLISECONDS).build();
        answer(SLOW_CANARY_MS, FAST_BASELINE_MS);

        ProbeResult m = null;
        for (int round = 0; round < 2; round++) {
            m = measure();
        }

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("slower than 250ms: canary 80% vs baseline 2%");
        assertThat(m.values()).containsEntry("slower-than", "250ms");
        assertThat(probe.description()).contains("PromQL histograms (le in milliseconds)");

        probe.close();
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).bucketUnit(BucketUnit.MILLISECONDS)
                .histogram("canary", "baseline", CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 20)
                        .withSlowerThan(dev.vigil.analysis.SlowerThan.quantile(0.9))).build();
        state.clear();
        assertThat(measure().values()).containsEntry("band", "p90 band 500ms–1s");
    }

    @Test
    void aBucketSeriesNamedInAnotherUnitThanBucketUnitIsAConfigurationProblem() {
        Map<String, String> keys = histogramKeys("http_server_duration_milliseconds_bucket", "250ms");

        assertThat(problems(keys, Map.of(), null)).contains("vigil.probes.latency.bucket-unit: is seconds (the default), but"
                + " le of http_server_duration_milliseconds_bucket in canary-histogram-query is in milliseconds: set"
                + " bucket-unit=milliseconds");
        assertThat(problems(keys, Map.of("canary-histogram-query", "sum by (le) (increase(request_ms_bucket[10s]))"), null))
                .anySatisfy(p -> assertThat(p).contains("le of request_ms_bucket in canary-histogram-query is in milliseconds"));
        assertThat(problems(keys, Map.of("bucket-unit", "milliseconds",
                "baseline-histogram-query", "sum by (le) (increase(http_server_requests_seconds_bucket[10s]))"), null))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.bucket-unit: is milliseconds, but le of"
                        + " http_server_requests_seconds_bucket in baseline-histogram-query is in seconds"));
        assertThat(problems(keys, Map.of("bucket-unit", "minutes"), null))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.bucket-unit: must be one of seconds, milliseconds"));
        Map<String, String> single = Map.of("base-url", prometheus.baseUrl(), "query", "up", "fail-when", "value < 1",
                "bucket-unit", "milliseconds");
        assertThat(problems(single, Map.of(), null))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.bucket-unit: needs canary-histogram-query"));

        keys.put("bucket-unit", "milliseconds");
        probe = (PrometheusProbe) new PrometheusProbeFactory().create(MapProbeSettings.of("latency", keys));
        assertThat(probe.toString()).contains("bucket-unit=milliseconds");
        // A label value is no series name.
        keys.put("bucket-unit", "seconds");
        keys.put("canary-histogram-query", "sum by (le) (increase(x_seconds_bucket{path=\"/x_ms_bucket\"}[10s]))");
        keys.put("baseline-histogram-query", "sum by (le) (increase(x_seconds_bucket[10s])) # not x_ms_bucket");
        probe.close();
        probe = (PrometheusProbe) new PrometheusProbeFactory().create(MapProbeSettings.of("latency", keys));
        assertThat(probe.toString()).doesNotContain("bucket-unit");
    }

    @Test
    void aMissingInfBucketIsAnErrorNamingTheKey() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        answer(Canned.buckets("0.1", "100", "0.25", "500"), Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("canary-histogram-query has no le=\"+Inf\" bucket", "[0.1, 0.25]");
    }

    @Test
    void differentBoundsOnTheTwoSidesAreComparedOnTheBoundsBothHaveAndSaidSo() {
        // A release that changes its histogram's buckets: an ERROR every round rolled it back after
        // max-consecutive-errors with no evidence about the service, though cumulative buckets at the
        // bounds both versions have count exactly.
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        answer(Canned.buckets("0.1", "100", "0.25", "500", "+Inf", "1000"), Canned.buckets("0.1", "300", "0.5", "900", "+Inf", "1000"));

        ProbeResult m = measure();

        assertThat(m.outcome()).as(String.valueOf(m)).isNotEqualTo(Outcome.ERROR);
        assertThat(m.explanation()).contains("canary-histogram-query and baseline-histogram-query have different bucket bounds",
                "canary [0.1, 0.25, +Inf]", "baseline [0.1, 0.5, +Inf]", "compared on the 2 bounds both have, [0.1, +Inf]");
        assertThat(m.values()).containsEntry("bounds-in-common", "[0.1, +Inf]").containsEntry("buckets", 2);
    }

    @Test
    void sidesWithNoFiniteBoundInCommonAreAnErrorNamingBothKeysAndBounds() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        answer(Canned.buckets("0.1", "100", "0.25", "500", "+Inf", "1000"), Canned.buckets("0.2", "300", "0.5", "900", "+Inf", "1000"));

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("canary-histogram-query and baseline-histogram-query have different bucket bounds",
                "canary [0.1, 0.25, +Inf]", "baseline [0.2, 0.5, +Inf]", "no finite bound in common");
    }

    @Test
    void bandsOnTheBoundsInCommonHoldEveryRequestOfTheFinerBands() {
        HistogramQueries.Buckets fine = new HistogramQueries.Buckets(new double[] {0.1, 0.25, 0.5, 1, Double.POSITIVE_INFINITY},
                new long[] {100, 400, 50, 30, 20}, null);
        double[] common = HistogramQueries.common(fine.bounds(), new double[] {0.1, 0.5, 2, Double.POSITIVE_INFINITY});

        assertThat(common).containsExactly(0.1, 0.5, Double.POSITIVE_INFINITY);
        assertThat(fine.onto(common).bands()).containsExactly(100, 450, 50);
        assertThat(fine.onto(common).total()).isEqualTo(fine.total());
    }

    @Test
    void aCounterResetIsNoDataForThatRoundAndLaterRoundsAreStillJudged() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        // A bucket that counts fewer than a smaller one: a reset in the middle of the round.
        answer(Canned.buckets("0.1", "100", "0.25", "50", "+Inf", "1000"), Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));

        ProbeResult reset = measure();

        assertThat(reset.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(reset.explanation()).contains("canary-histogram-query counts fewer requests at le=\"0.25\" (50)",
                "counter reset", "no data for this round");

        answer(Canned.buckets("0.1", "-3", "0.25", "500", "+Inf", "1000"), Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));
        assertThat(measure().outcome()).isEqualTo(Outcome.INCONCLUSIVE);

        answer(Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"), Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));
        ProbeResult healthy = measure();
        assertThat(healthy.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(healthy.values()).containsEntry("canary-n", 1);
    }

    @Test
    void aCanaryWhoseBucketsStopMidBakeIsInconclusiveAndTheHintNamesTheStoppedSeries() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        String buckets = Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000");
        answer(buckets, buckets);
        measure();
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}", buckets);

        ProbeResult gone = measure();

        assertThat(gone.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(gone.explanation()).startsWith("canary-histogram-query returned no data").contains("after rounds with"
                + " data, it means that the version's series stopped: its pods are gone or were relabelled, or the target"
                + " stopped reporting or is down (check up for its job)");
    }

    @Test
    void bucketsThatEachCountTheirOwnBandAreSaidToBeNotCumulative() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        String baseline = Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000");

        answer(Canned.buckets("0.1", "600", "0.25", "350", "+Inf", "1000"), baseline);
        ProbeResult perBand = measure();
        // A reset in cumulative buckets: the finite buckets add up to more than the +Inf one.
        answer(Canned.buckets("0.1", "700", "0.25", "650", "+Inf", "1000"), baseline);
        ProbeResult reset = measure();

        assertThat(perBand.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(perBand.explanation()).contains("canary-histogram-query counts fewer requests at le=\"0.25\" (350)",
                "or buckets that are not cumulative (each le counting only its own band, which a Prometheus histogram never"
                        + " does): the finite buckets add up to 950, no more than the +Inf bucket's 1000", "no data for this round");
        assertThat(reset.explanation()).contains("counter reset").doesNotContain("not cumulative");
    }

    @Test
    void anInfBucketBelowAFiniteOneOrABucketThatIsNoCountIsNoDataWordedByItsCause() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        String baseline = Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000");

        // The +Inf bucket is the total: below a finite bucket it is not this histogram's total, whatever restarted.
        answer(Canned.buckets("0.1", "100", "0.25", "500", "+Inf", "400"), baseline);
        ProbeResult inf = measure();
        assertThat(inf.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(inf.explanation()).contains("canary-histogram-query counts fewer requests at le=\"+Inf\" (400) than at"
                + " le=\"0.25\" (500)", "the +Inf bucket counts every request", "no data for this round")
                .doesNotContain("counter reset");

        answer(Canned.buckets("0.1", "100", "0.25", "NaN", "+Inf", "1000"), baseline);
        ProbeResult nan = measure();
        assertThat(nan.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(nan.explanation()).contains("canary-histogram-query returned NaN for le=\"0.25\", which is not a count"
                + " of requests", "no data for this round").doesNotContain("counter reset");

        answer(Canned.buckets("0.1", "-3", "0.25", "500", "+Inf", "1000"), baseline);
        assertThat(measure().explanation()).contains("canary-histogram-query returned -3 for le=\"0.1\", a negative increment",
                "no data for this round");
    }

    @Test
    void aRoundWithNoRequestsAddsNothingAndIsNeverAPass() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 2));
        answer(Canned.buckets("0.1", "0", "0.25", "0", "+Inf", "0"), Canned.buckets("0.1", "300", "0.25", "900", "+Inf", "1000"));

        for (int round = 0; round < 3; round++) {
            ProbeResult m = measure();
            assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
            assertThat(m.values()).containsEntry("canary-n", 0).containsEntry("round-canary-requests", 0L);
        }
    }

    @Test
    void anEmptyHistogramFollowsOnNoDataAndSaysWhatToQuery() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}",
                Canned.buckets("0.1", "300", "+Inf", "1000"));

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("canary-histogram-query returned no data", "sum by (le)");
    }

    @Test
    void aSeriesWithoutLeOrTwoSeriesForOneLeIsAnError() {
        probe = histogramProbe(CanaryJudges.sequential(Direction.INCREASE, 0, 0.95, 5));
        answer("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{\"instance\":\"a\"},"
                + "\"value\":[1764148935.123,\"3\"]}]}}", Canned.buckets("0.1", "300", "+Inf", "1000"));
        assertThat(measure().error()).contains("canary-histogram-query returned a series without an 'le' label",
                "sum by (le)");

        answer(Canned.buckets("0.1", "300", "0.1", "200", "+Inf", "1000"), Canned.buckets("0.1", "300", "+Inf", "1000"));
        assertThat(measure().error()).contains("canary-histogram-query returned two series for le=\"0.1\"");
    }

    @Test
    void theFactoryReadsHistogramModeAndRefusesWhatDoesNotFit() {
        Map<String, String> keys = histogramKeys("x_bucket", "p99");
        probe = (PrometheusProbe) new PrometheusProbeFactory().create(MapProbeSettings.of("latency", keys));
        assertThat(probe.description()).contains("histograms", "slower-than p99");

        assertThat(problems(keys, Map.of("judge", "mann-whitney"), null))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.judge: must be sequential for histograms"));
        assertThat(problems(keys, Map.of(), "baseline-histogram-query"))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.baseline-histogram-query: is required"));
        assertThat(problems(keys, Map.of("slower-than", "pXX"), null))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.slower-than:").contains("neither a latency"));
        assertThat(problems(keys, Map.of("canary-query", "x"), null))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.canary-histogram-query: cannot be combined"));
        Map<String, String> single = Map.of("base-url", prometheus.baseUrl(), "query", "up", "fail-when", "value < 1",
                "slower-than", "250ms");
        assertThat(problems(single, Map.of(), null))
                .anySatisfy(p -> assertThat(p).startsWith("vigil.probes.latency.slower-than: needs canary-histogram-query"));
    }

    /** The keys of a histogram probe over {@code bucket} of versions 2 and 1, with a slower-than. */
    private static Map<String, String> histogramKeys(String bucket, String slowerThan) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("base-url", prometheus.baseUrl());
        keys.put("canary-histogram-query", "sum by (le) (increase(" + bucket + "{v=\"2\"}[10s]))");
        keys.put("baseline-histogram-query", "sum by (le) (increase(" + bucket + "{v=\"1\"}[10s]))");
        keys.put("judge", "sequential");
        keys.put("slower-than", slowerThan);
        return keys;
    }

    /** The problems reported for {@code keys} changed by {@code changes}, without {@code removed}. */
    private static java.util.List<String> problems(Map<String, String> keys, Map<String, String> changes, String removed) {
        Map<String, String> settings = new LinkedHashMap<>(keys);
        settings.putAll(changes);
        if (removed != null) {
            settings.remove(removed);
        }
        MapProbeSettings probeSettings = MapProbeSettings.of("latency", settings);
        assertThatThrownBy(() -> new PrometheusProbeFactory().create(probeSettings)).isInstanceOf(InvalidSettingsException.class);
        return probeSettings.problems();
    }
}
