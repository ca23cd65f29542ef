package dev.vigil.http.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.http.HttpProbes;
import dev.vigil.http.Webhooks;
import dev.vigil.reliability.VigilThreads;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every network fault an HTTP probe can meet, through a whole verification with limits generous
 * enough to tolerate anything but a missing pass: never HEALTHY, every measurement an ERROR or a
 * FAIL that names the URL, and no thread left behind.
 */
class HttpFaultMatrixTest {

    private static final Duration GRACE = Duration.ofSeconds(30);
    /**
     * Each measurement's timeout: well below the 5 s the late responses take, and well above what a first
     * TLS handshake takes on a loaded machine (1.4 s was seen at 1.5 s, which then read "still connecting").
     */
    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort().jettyStopTimeout(500L))
            .resetOnEachTest(false).build();

    @BeforeAll
    static void stubs() {
        stub("/reset", aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        stub("/empty", aResponse().withFault(Fault.EMPTY_RESPONSE));
        stub("/chunk", aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK));
        stub("/random", aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE));
        stub("/late-headers", aResponse().withStatus(200).withFixedDelay(5_000));
        stub("/late-body", aResponse().withStatus(200).withBody("0123456789".repeat(20)).withChunkedDribbleDelay(20, 5_000));
        stub("/500", aResponse().withStatus(500).withBody("internal error"));
        stub("/503", aResponse().withStatus(503).withHeader("Retry-After", "1"));
        stub("/429", aResponse().withStatus(429).withHeader("Retry-After", "1"));
        stub("/loop", aResponse().withStatus(302).withHeader("Location", "/loop"));
        stub("/big", aResponse().withStatus(200).withBody("x".repeat(64 * 1024)));
        stub("/ok", aResponse().withStatus(200).withBody("{\"status\":\"UP\"}"));
    }

    private static void stub(String path, ResponseDefinitionBuilder response) {
        server.stubFor(get(path).willReturn(response));
    }

    private static String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static Stream<Arguments> faults() throws IOException {
        return Stream.of(
                Arguments.of("connection refused", "http://127.0.0.1:" + closedPort() + "/health", "cannot connect"),
                Arguments.of("connection reset", url("/reset"), url("/reset")),
                Arguments.of("empty response", url("/empty"), "without a response"),
                Arguments.of("malformed chunk", url("/chunk"), url("/chunk")),
                Arguments.of("random data then close", url("/random"), url("/random")),
                Arguments.of("headers past the timeout", url("/late-headers"), "no complete response within"),
                Arguments.of("body past the timeout", url("/late-body"), "no complete response within"),
                Arguments.of("DNS failure", "http://vigil-no-such-host.invalid/health", "vigil-no-such-host.invalid"),
                Arguments.of("TLS failure", "https://localhost:" + server.getHttpsPort() + "/ok", "TLS failed"),
                Arguments.of("HTTP 500", url("/500"), "500"),
                Arguments.of("HTTP 503 with Retry-After", url("/503"), "503"),
                Arguments.of("HTTP 429 with Retry-After", url("/429"), "429"),
                Arguments.of("redirect loop", url("/loop"), "redirect"),
                Arguments.of("oversize body", url("/big"), "exceeds max-body-size"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void aNetworkFaultNeverEndsHealthyAndEveryMeasurementSaysWhy(String fault, String target, String said) throws Exception {
        List<String> threadsBefore = VigilThreads.alive();
        Probe probe = HttpProbes.http(target).maxBodySize(16 * 1024).build();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", probe, ProbeLimits.defaults().withMaxFailures(100).withMaxConsecutiveErrors(100), MeasurementPolicy.defaults().withTimeout(TIMEOUT).withMaxAttempts(2).withRetryBackoff(Duration.ofMillis(10)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(100)).withDuration(Duration.ofMillis(200)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();

        VerificationReport report = assertTimeoutPreemptively(GRACE, () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1")));

        assertThat(report.verdict()).as(report.reason()).isNotEqualTo(Verdict.HEALTHY);
        List<Measurement> measured = report.probes().get(0).measurements();
        // 2 planned rounds, then the end-of-bake rule's extra rounds (at most 2) while nothing passes.
        assertThat(measured).hasSize(report.rounds()).hasSizeBetween(2, 4).allSatisfy(m -> {
            assertThat(m.outcome()).isIn(Outcome.ERROR, Outcome.FAIL);
            String text = m.outcome() == Outcome.ERROR ? m.error() : m.explanation() + " " + m.values();
            assertThat(text).contains(said);
        });
        verifier.close();
        assertThat(VigilThreads.awaitGone(Duration.ofSeconds(5), threadsBefore)).as("threads left").isEmpty();
    }

    @Test
    void statusCodesAreMeasurementsThatAreNeverRetriedAndRetryAfterIsNotWaitedFor() {
        server.resetRequests();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("limited", HttpProbes.http(url("/429")).build(),
                        ProbeLimits.defaults().withMaxFailures(100), MeasurementPolicy.defaults().withMaxAttempts(3))
                .probe("unavailable", HttpProbes.http(url("/503")).build(),
                        ProbeLimits.defaults().withMaxFailures(100), MeasurementPolicy.defaults().withMaxAttempts(3))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(100)).withDuration(Duration.ofMillis(300)))
                // Rounds in virtual time: a cold JVM's first round (class loading) no longer makes the
                // schedule skip one, which this count of requests would take for a retry gone missing.
                .timeSource(dev.vigil.testkit.VirtualTime.start())
                .build();

        VerificationReport report = assertTimeoutPreemptively(GRACE, () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1")));

        assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
        // 3 planned rounds and 3 extra ones of the end-of-bake rule: one request each, none retried.
        assertThat(report.rounds()).isEqualTo(6);
        assertThat(report.probes()).allSatisfy(p -> assertThat(p.measurements()).hasSize(6)
                .allSatisfy(m -> assertThat(m.outcome()).isEqualTo(Outcome.FAIL)));
        server.verify(6, getRequestedFor(urlEqualTo("/429")));
        server.verify(6, getRequestedFor(urlEqualTo("/503")));
    }

    @Test
    void aWebhookThatNeverAnswersIsAFailedRollbackAtItsTimeoutAndIsNotPostedAgain() {
        server.stubFor(post("/rollback-hangs").willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));
        server.resetRequests();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(50)).withDuration(Duration.ofMillis(50)))
                .rollback(Webhooks.rollbackTrigger(Webhooks.target(url("/rollback-hangs")).timeout(Duration.ofMillis(500)).build()))
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(10)).withTimeout(Duration.ofSeconds(5)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();

        VerificationReport report = assertTimeoutPreemptively(GRACE, () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.2")));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        // A webhook's URL is named without its path, which may be its credential (WebhookPathTest).
        assertThat(report.rollback().error()).contains(url("/…")).doesNotContain("/rollback-hangs");
        server.verify(1, postRequestedFor(urlEqualTo("/rollback-hangs")));
    }

    @Test
    void aWebhookThatAnswers503ThenSucceedsRollsBackOnceOnTheSecondAttempt() {
        // 503: the receiver says it did not act; a 500, 502 or 504 is not retried (WebhooksTest).
        server.stubFor(post("/rollback-flaky").inScenario("flaky")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(post("/rollback-flaky").inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withBody("rolled back")));
        server.resetRequests();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ctx -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(50)).withDuration(Duration.ofMillis(50)))
                .rollback(Webhooks.rollbackTrigger(url("/rollback-flaky")))
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(10)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();

        VerificationReport report = assertTimeoutPreemptively(GRACE, () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.3")));

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(2);
        server.verify(2, postRequestedFor(urlEqualTo("/rollback-flaky")));
    }
}
