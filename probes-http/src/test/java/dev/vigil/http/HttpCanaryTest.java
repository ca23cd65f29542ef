package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.analysis.CanaryRound;
import dev.vigil.analysis.Direction;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.testkit.VirtualTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An HTTP fleet split into canary and baseline instances, compared by a canary judge from properties. */
class HttpCanaryTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final int port = closedPortOrFail();

    private static int closedPortOrFail() {
        try {
            return closedPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String instances(String group) {
        return IntStream.rangeClosed(1, 4).mapToObj(i -> server.baseUrl() + "/" + group + "/" + i)
                .collect(Collectors.joining(","));
    }

    private static BoundConfig bind(Map<String, String> extra) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "vigil.plan.interval", "10s",
                "vigil.plan.duration", "5m",
                "vigil.probes.canary.type", "http",
                "vigil.probes.canary.urls", instances("canary"),
                "vigil.probes.canary.baseline-urls", instances("baseline"),
                "vigil.probes.canary.judge", "sequential",
                "vigil.probes.canary.confidence", "0.95",
                "vigil.probes.canary.min-samples", "6"));
        properties.putAll(extra);
        return VigilConfig.builder().environment(Map.of()).build().load(properties);
    }

    @Test
    void canaryInstancesThatFailWhereTheBaselineSucceedsAreARegression() {
        server.stubFor(get(urlPathMatching("/canary/.*")).willReturn(aResponse().withStatus(500)));
        server.stubFor(get(urlPathMatching("/baseline/.*")).willReturn(aResponse().withStatus(200)));

        BoundConfig config = bind(Map.of("vigil.probes.canary.metric", "errors"));
        VerificationReport report = config.toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
        Measurement last = report.probe("canary").orElseThrow().measurements().get(report.rounds() - 1);
        assertThat(last.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(last.values()).containsEntry("judge", "sequential").containsEntry("decision", "REGRESSION");
        assertThat(report.rounds()).isLessThan(30);
        assertThat(config.probes().get(0).limits().maxInconclusive()).isEqualTo(ProbeLimits.UNLIMITED);
        assertThat(config.probes().get(0).describe()).contains("max-inconclusive unlimited,");
    }

    @Test
    void canaryInstancesSendingEveryoneToASignOnPageElsewhereAreErrorsNotHealthyAnswers() {
        // The canary's authentication broke: every request is sent to the sign-on host, which
        // answers 200. Followed, the canary answered as well as the baseline.
        String signOn = server.baseUrl().replace("localhost", "127.0.0.1");
        server.stubFor(get(urlPathMatching("/canary/.*")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", signOn + "/login")));
        server.stubFor(get(urlPathMatching("/baseline/.*")).willReturn(aResponse().withStatus(200)));
        server.stubFor(get(urlPathMatching("/login")).willReturn(aResponse().withStatus(200)));

        VerificationReport report = bind(Map.of("vigil.probes.canary.metric", "errors"))
                .toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        server.verify(0, getRequestedFor(urlPathMatching("/login")));
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
    }

    @Test
    void canaryAndBaselineAnsweringAlikePassOnceTheMinimumSampleIsIn() {
        server.stubFor(get(urlPathMatching("/(canary|baseline)/.*")).willReturn(aResponse().withStatus(200)));

        VerificationReport report = bind(Map.of("vigil.probes.canary.metric", "errors"))
                .toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probe("canary").orElseThrow().measurements())
                .extracting(Measurement::outcome).first().isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(report.probe("canary").orElseThrow().measurements())
                .extracting(Measurement::outcome).last().isEqualTo(Outcome.PASS);
    }

    /** A port on which nothing listens. */
    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void baselineInstancesThatDoNotAnswerNeverMakeAFailingCanaryLookHealthy() throws Exception {
        // Before: an unanswered baseline instance counted as a baseline error, so with a typo in the
        // baseline's port the baseline "failed" 100% and a canary answering 503 to everything was no
        // worse: HEALTHY, "no regression ..., 4/4 vs 4/4".
        server.stubFor(get(urlPathMatching("/canary/.*")).willReturn(aResponse().withStatus(503)));
        String nowhere = IntStream.rangeClosed(1, 4).mapToObj(i -> "http://127.0.0.1:" + port + "/baseline/" + i)
                .collect(Collectors.joining(","));

        for (String metric : List.of("errors", "latency")) {
            VerificationReport report = bind(Map.of("vigil.probes.canary.metric", metric,
                    "vigil.probes.canary.baseline-urls", nowhere)).toBuilder().timeSource(VirtualTime.start()).build()
                    .verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

            // Nothing to compare with: never HEALTHY, and no rollback of a canary nothing showed wrong.
            assertThat(report.verdict()).as(metric + ": " + report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
            assertThat(report.probe("canary").orElseThrow().measurements()).as(metric).isNotEmpty().allSatisfy(m -> {
                assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
                assertThat(m.explanation()).startsWith("no baseline instance answered, so nothing shows what the canary"
                        + " should be compared with: ").contains("127.0.0.1:" + port);
            });
        }
    }

    @Test
    void aBaselineInstanceThatDoesNotAnswerIsLeftOutAndNamedAndASilentCanaryIsAnError() throws Exception {
        server.stubFor(get(urlPathMatching("/(canary|baseline)/.*")).willReturn(aResponse().withStatus(200)));
        String baseline = instances("baseline") + ",http://127.0.0.1:" + port + "/baseline/5";

        VerificationReport healthy = bind(Map.of("vigil.probes.canary.metric", "errors",
                "vigil.probes.canary.baseline-urls", baseline)).toBuilder().timeSource(VirtualTime.start()).build()
                .verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(healthy.verdict()).as(healthy.reason()).isEqualTo(Verdict.HEALTHY);
        Measurement last = healthy.probe("canary").orElseThrow().measurements().get(healthy.rounds() - 1);
        assertThat(last.explanation()).contains("0/120 vs 0/120 after 30 rounds")
                .contains("1 of 5 baseline instances did not answer and were left out (").contains(":" + port);

        String canary = instances("canary") + ",http://127.0.0.1:" + port + "/canary/5";
        VerificationReport silent = bind(Map.of("vigil.probes.canary.metric", "errors", "vigil.probes.canary.urls", canary))
                .toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(silent.verdict()).as(silent.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(silent.reason()).contains("1 of 5 canary instances did not answer (").contains("), counted as errors");
    }

    @Test
    void aSlowCanaryIsALatencyRegression() {
        server.stubFor(get(urlPathMatching("/canary/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(150)));
        server.stubFor(get(urlPathMatching("/baseline/.*")).willReturn(aResponse().withStatus(200)));

        VerificationReport report = bind(Map.of("vigil.probes.canary.tolerance", "0.5"))
                .toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.reason()).contains("probe canary failed").contains("sequential");
    }

    @Test
    void aCanaryAnsweringOnlyErrorsFastIsNeverHealthyOnLatency() {
        // Before: metric=latency took every answer's time, a 503 as much as a 200; a canary failing
        // every request at once was "faster" than the baseline and the release HEALTHY.
        server.stubFor(get(urlPathMatching("/canary/.*")).willReturn(aResponse().withStatus(503)));
        server.stubFor(get(urlPathMatching("/baseline/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(40)));

        VerificationReport report = bind(Map.of("vigil.plan.duration", "2m"))
                .toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(report.reason()).isNotEqualTo(Verdict.HEALTHY);
        assertThat(report.probe("canary").orElseThrow().measurements()).extracting(Measurement::outcome)
                .doesNotContain(Outcome.PASS);
        Measurement last = report.probe("canary").orElseThrow().measurements().get(report.rounds() - 1);
        assertThat(last.explanation()).contains("4 of 4 canary answers did not pass status >= 200 && status < 400");
    }

    @Test
    void aCanaryThatStartsAnsweringOnlyErrorsAfterTheMinimumSampleIsNotHealthyOnLatency() {
        // The canary answers like the baseline for 8 rounds (4 instances each), past min-samples 6,
        // then only 503s: its last rounds have no latency at all. Before, the judge passed them on
        // the evidence of the first rounds and the release ended HEALTHY.
        server.stubFor(get(urlPathMatching("/baseline/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(20)));
        int healthyAnswers = 8 * 4;
        for (int i = 0; i < healthyAnswers; i++) {
            server.stubFor(get(urlPathMatching("/canary/.*")).inScenario("canary breaks")
                    .whenScenarioStateIs(i == 0 ? com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED : "answered " + i)
                    .willSetStateTo("answered " + (i + 1))
                    .willReturn(aResponse().withStatus(200).withFixedDelay(20)));
        }
        server.stubFor(get(urlPathMatching("/canary/.*")).inScenario("canary breaks")
                .whenScenarioStateIs("answered " + healthyAnswers).willReturn(aResponse().withStatus(503)));

        VerificationReport report = bind(Map.of("vigil.plan.duration", "2m", "vigil.probes.canary.tolerance", "100%"))
                .toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        java.util.List<Measurement> measurements = report.probe("canary").orElseThrow().measurements();
        assertThat(measurements).extracting(Measurement::outcome).contains(Outcome.PASS);
        Measurement last = measurements.get(measurements.size() - 1);
        assertThat(last.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(last.explanation()).contains("the canary had no value this round: no evidence of health",
                "4 of 4 canary answers did not pass");
    }

    /**
     * Before: with metric=latency a canary instance that never answered (or answered only errors)
     * was left out and the judge passed the canary on its healthy peers: HEALTHY, exit 0, "PASS ... 1
     * of 2 canary instances did not answer".
     */
    @Test
    void aCanaryInstanceThatNeverAnswersOrAnswersOnlyErrorsNeverLetsALatencyRoundPass() {
        server.stubFor(get(urlPathMatching("/(canary|baseline)/.*")).willReturn(aResponse().withStatus(200).withFixedDelay(20)));
        server.stubFor(get(urlPathMatching("/canary/2")).willReturn(aResponse().withStatus(503)));
        Map<String, String> brokenInstance = Map.of(
                "1 of 2 canary instances did not answer (", "http://127.0.0.1:" + port + "/canary/1," + server.baseUrl() + "/canary/1",
                "1 of 2 canary answers did not pass", server.baseUrl() + "/canary/2," + server.baseUrl() + "/canary/1");

        brokenInstance.forEach((note, urls) -> {
            VerificationReport report = bind(Map.of("vigil.plan.duration", "2m", "vigil.probes.canary.tolerance", "100%",
                    "vigil.probes.canary.urls", urls))
                    .toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
            List<Measurement> measurements = report.probe("canary").orElseThrow().measurements();
            assertThat(measurements).as(note).extracting(Measurement::outcome).doesNotContain(Outcome.PASS);
            assertThat(measurements.get(measurements.size() - 1).explanation()).as(note).contains("no regression",
                    "not a pass: 1 of 2 canary instances have no latency this round, and the judge weighed only the others",
                    note);
        });
    }

    @Test
    void aRoundTheJudgeRefusesIsAnErrorInWordsNotAnExceptionsClassName() throws Exception {
        server.stubFor(get(urlPathMatching("/(canary|baseline)/.*")).willReturn(aResponse().withStatus(200)));
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 6);
        ProbeContext context = ProbeContext.builder(Deployment.of("checkout", "2.4.1", "2.4.0"), "canary")
                .state(new ConcurrentHashMap<>()).build();
        // The judge of this verification was fed counts: it refuses the latency samples that follow.
        analysis.measure(context, new CanaryRound.Counts(0, 4, 0, 4));

        try (Probe probe = HttpProbes.http(List.of(server.baseUrl() + "/canary/1"))
                .canary(List.of(server.baseUrl() + "/baseline/1"), analysis, CanaryMetric.LATENCY).build()) {
            ProbeResult m = probe.measure(context);

            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).startsWith("the canary judge refused the round: a canary judge was fed counts and then samples")
                    .doesNotContain("Exception");
        }
    }

    @Test
    void aCanaryProbesDescriptionNamesItsMethodOnceAndNoRequirement() throws Exception {
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 6);
        try (Probe probe = HttpProbes.http(List.of(server.baseUrl() + "/canary/1"))
                .canary(List.of(server.baseUrl() + "/baseline/1", server.baseUrl() + "/baseline/2"), analysis,
                        CanaryMetric.ERRORS).build()) {
            // It read "GET canary GET http://.../canary/1 against baseline ..." before.
            assertThat(probe.description()).startsWith("GET canary " + server.baseUrl() + "/canary/1 against baseline 2 instances, ")
                    .doesNotContain("GET canary GET").doesNotContain("require").contains("errors judged by ");
        }
        try (Probe probe = HttpProbes.http(List.of(server.baseUrl() + "/canary/1", server.baseUrl() + "/canary/2"))
                .canary(List.of(server.baseUrl() + "/baseline/1"), CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 6),
                        CanaryMetric.ERRORS).build()) {
            assertThat(probe.description()).startsWith("GET canary 2 instances (").doesNotContain("require")
                    .contains(" against baseline 1 instance, ");
        }
    }

    @Test
    void aBaselineInstanceThatIsAlsoACanaryOneOrIsListedTwiceIsRefusedNamingIt() {
        // A canary compared with itself shows no regression whatever it answers.
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 6);
        String canary = server.baseUrl() + "/canary/1";
        String baseline = server.baseUrl() + "/baseline/1";

        assertThatThrownBy(() -> HttpProbes.http(canary).canary(List.of(canary), analysis, CanaryMetric.ERRORS).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("baseline-urls names '" + canary + "', which is also a canary instance: the canary would be compared with"
                        + " itself, which shows no regression whatever it answers; the baseline is the instances still on"
                        + " the previous version");
        assertThatThrownBy(() -> HttpProbes.http(server.baseUrl() + "/{instance}/1").instances(List.of("canary", "other"))
                .canary(List.of(baseline, canary), analysis, CanaryMetric.ERRORS).build())
                .hasMessageStartingWith("baseline-urls names '" + canary + "', which is also a canary instance ('canary')");
        assertThatThrownBy(() -> HttpProbes.http(canary).canary(List.of(baseline, baseline + " "), analysis, CanaryMetric.ERRORS))
                .hasMessageStartingWith("baseline-urls names one instance more than once, '" + baseline + "'");
    }

    @Test
    void theOnlineCheckWarnsOfACanaryThatIsABaselineInstanceUnderAnotherName() throws Exception {
        // localhost and 127.0.0.1 are two URLs to configuration but one server: the canary would be
        // compared with itself, and no regression could show.
        server.stubFor(get(urlPathMatching("/ping")).willReturn(aResponse().withStatus(200)));
        server.stubFor(get(urlPathMatching("/other")).willReturn(aResponse().withStatus(200)));
        int p = server.getPort();
        CanaryAnalysis analysis = CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 6);
        ProbeContext context = dev.vigil.http.TestContexts.within(java.time.Duration.ofSeconds(2));
        try (Probe probe = HttpProbes.http(List.of("http://localhost:" + p + "/ping"))
                .canary(List.of("http://127.0.0.1:" + p + "/ping"), analysis, CanaryMetric.ERRORS).build()) {
            dev.vigil.Preflight found = probe.preflight(context);
            assertThat(found.status()).as(found.message()).isEqualTo(dev.vigil.Preflight.Status.WARNING);
            assertThat(found.message()).contains("canary http://localhost:" + p + "/ping and baseline http://127.0.0.1:" + p
                    + "/ping reach the same address 127.0.0.1:" + p + ": the canary is compared with itself");
        }
        try (Probe probe = HttpProbes.http(List.of("http://localhost:" + p + "/ping"))
                .canary(List.of("http://127.0.0.1:" + p + "/other"), analysis, CanaryMetric.ERRORS).build()) {
            dev.vigil.Preflight found = probe.preflight(context);
            assertThat(found.message()).doesNotContain("same address");
        }
    }

    @Test
    void aCanaryComparedWithItselfOrAListWithAnEmptyOrRepeatedEntryIsAConfigurationErrorNamingTheKey() {
        String x = "http://127.0.0.1:1/health";
        String y = "http://127.0.0.1:2/health";
        assertThatThrownBy(() -> VigilConfig.builder().environment(Map.of()).build().load(Map.ofEntries(
                Map.entry("vigil.probes.a.type", "http"),
                Map.entry("vigil.probes.a.urls", x),
                Map.entry("vigil.probes.a.baseline-urls", x),
                Map.entry("vigil.probes.a.judge", "sequential"),
                Map.entry("vigil.probes.b.type", "http"),
                Map.entry("vigil.probes.b.urls", x + ",," + y),
                Map.entry("vigil.probes.b.baseline-urls", "http://127.0.0.1:3/health," + "http://127.0.0.1:3/health"),
                Map.entry("vigil.probes.b.judge", "sequential"),
                Map.entry("vigil.probes.c.type", "http"),
                Map.entry("vigil.probes.c.urls", x + "," + y + "," + x),
                Map.entry("vigil.probes.d.type", "http"),
                Map.entry("vigil.probes.d.url", "http://{instance}:8080/health"),
                Map.entry("vigil.probes.d.instances", "127.0.0.1,,127.0.0.1"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.a.baseline-urls: baseline-urls names '" + x + "', which is also a canary instance")
                .hasMessageContaining("vigil.probes.b.urls: an empty entry in the list; give one URL per instance")
                .hasMessageContaining("vigil.probes.b.baseline-urls: baseline-urls names one instance more than once, "
                        + "'http://127.0.0.1:3/health'")
                .hasMessageContaining("vigil.probes.c.urls: urls names one instance more than once, '" + x + "'")
                .hasMessageContaining("vigil.probes.d.instances: an empty entry in the list; give one value per instance")
                .hasMessageContaining("vigil.probes.d.instances: instances names one instance more than once, '127.0.0.1'");
    }

    @Test
    void canaryKeysWithoutAJudgeOrAJudgeWithoutBaselineAreConfigurationErrors() {
        assertThatThrownBy(() -> VigilConfig.builder().environment(Map.of()).build().load(Map.ofEntries(
                Map.entry("vigil.probes.a.type", "http"),
                Map.entry("vigil.probes.a.url", "http://127.0.0.1:1/health"),
                Map.entry("vigil.probes.a.baseline-urls", "http://127.0.0.1:2/health"),
                Map.entry("vigil.probes.b.type", "http"),
                Map.entry("vigil.probes.b.url", "http://127.0.0.1:1/health"),
                Map.entry("vigil.probes.b.judge", "sequential"),
                Map.entry("vigil.probes.c.type", "http"),
                Map.entry("vigil.probes.c.url", "http://127.0.0.1:1/health"),
                Map.entry("vigil.probes.c.baseline-urls", "http://127.0.0.1:2/health"),
                Map.entry("vigil.probes.c.judge", "sequential"),
                Map.entry("vigil.probes.c.metric", "throughput"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.a.baseline-urls: needs judge (canary analysis)")
                .hasMessageContaining("vigil.probes.b.baseline-urls: is required with judge")
                .hasMessageContaining("vigil.probes.c.metric: unknown metric 'throughput'; known: latency, errors");
    }

    @Test
    void aCanaryFleetIsLeftOutOfTheRecheckAfterARollbackUnlessRecheckIsTrue() {
        Map<String, String> p = new java.util.HashMap<>(Map.ofEntries(
                Map.entry("vigil.probes.canary.type", "http"),
                Map.entry("vigil.probes.canary.url", "http://127.0.0.1:1/health"),
                Map.entry("vigil.probes.canary.baseline-urls", "http://127.0.0.1:2/health"),
                Map.entry("vigil.probes.canary.judge", "sequential"),
                Map.entry("vigil.probes.health.type", "http"),
                Map.entry("vigil.probes.health.url", "http://127.0.0.1:1/health")));
        VigilConfig config = VigilConfig.builder().environment(Map.of()).build();

        assertThat(config.load(p).recheck().unchecked()).containsExactly("canary");
        p.put("vigil.probes.canary.recheck", "true");
        assertThat(config.load(p).recheck().unchecked()).isEmpty();
    }
    /**
     * Before: a hotfix that fixed nothing was CONFIRMED by a canary fleet that confirms its fix: the
     * canary answered the same errors as the baseline, the previous version that has the bug, and a
     * judge that sees no regression passes.
     */
    @Test
    void aCanaryFleetCannotConfirmAFixSinceItsPassOnlySaysTheCanaryIsNoWorseThanTheVersionWithTheBug() {
        Map<String, String> confirming = Map.of("vigil.deployment.service", "checkout", "vigil.deployment.version", "2.4.2",
                "vigil.deployment.kind", "hotfix", "vigil.deployment.fixes", "INC-7", "vigil.probes.canary.metric", "errors",
                "vigil.probes.canary.confirms", "INC-7");

        assertThatThrownBy(() -> bind(confirming)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes.canary.confirms: cannot confirm INC-7 with baseline-urls and judge:"
                        + " its pass says only that the canary is no worse than the baseline,");
        try (Probe canary = HttpProbes.http(List.of(server.baseUrl() + "/canary/1"))
                .canary(List.of(server.baseUrl() + "/baseline/1"), CanaryJudges.sequential(Direction.INCREASE, 0.1, 0.95, 6),
                        CanaryMetric.ERRORS).build()) {
            dev.vigil.DeployVerifier.Builder builder = dev.vigil.DeployVerifier.builder().probe("canary", canary);
            assertThatThrownBy(() -> builder.confirms("canary", "INC-7")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("probe 'canary' cannot confirm INC-7 with baseline-urls and judge:");
        }
        // Without confirms, the same canary fleet verifies a hotfix as before.
        assertThat(bind(Map.of("vigil.probes.canary.metric", "errors")).probes()).hasSize(1);
    }
}
