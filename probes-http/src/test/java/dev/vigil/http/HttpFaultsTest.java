package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

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
import dev.vigil.RetryableProbeException;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpFaultsTest {

    private static final Duration GRACE = Duration.ofSeconds(15);

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().jettyStopTimeout(500L)).build();

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private static ProbeResult measure(Probe probe, Duration timeout) throws Exception {
        return assertTimeoutPreemptively(GRACE, () -> probe.measure(TestContexts.within(timeout)));
    }

    private static VerificationReport verify(Probe probe, Duration timeout, int attempts) {
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(timeout).withMaxAttempts(attempts).withRetryBackoff(Duration.ofMillis(10)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .build();
        return assertTimeoutPreemptively(GRACE, () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1")));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aLongLocationTheClientQuotesIsCutAndTheErrorSaysWhatHappened() throws Exception {
        // a Location of 1,800 ";c" parts overflowed the masking's stack: the measurement said only "StackOverflowError"
        String location = "file:///x?token=s3cr3t-t0ken" + ";c".repeat(1800);
        try (RawHttpServer raw = RawHttpServer.answering("HTTP/1.1 302 Found\r\nLocation: " + location
                + "\r\nContent-Length: 0\r\n\r\n")) {
            ProbeResult m = measure(HttpProbes.http(raw.url("/health")).build(), Duration.ofSeconds(5));

            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).startsWith("GET " + raw.url("/health") + ": bad response: Redirect URI")
                    .contains("file:///x?token=****").doesNotContain("s3cr3t").endsWith(" chars)")
                    .hasSizeLessThan(Failures.MAX_ERROR + 30);
        }
    }

    @Test
    void connectionResetIsRetryable() {
        server.stubFor(get("/reset").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> HttpProbes.http(url("/reset")).build().measure(TestContexts.within(Duration.ofSeconds(5))))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("GET " + url("/reset"));
    }

    @Test
    void emptyResponseIsRetryable() {
        server.stubFor(get("/empty").willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE)));

        assertThatThrownBy(() -> HttpProbes.http(url("/empty")).build().measure(TestContexts.within(Duration.ofSeconds(5))))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("without a response");
    }

    @Test
    void malformedChunkIsAnErrorNotRetried() throws Exception {
        server.stubFor(get("/chunk").willReturn(aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)));

        ProbeResult m = measure(HttpProbes.http(url("/chunk")).build(), Duration.ofSeconds(5));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("GET " + url("/chunk"));
    }

    @Test
    void randomDataThenCloseNeverPasses() {
        server.stubFor(get("/random").willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));

        VerificationReport report = verify(HttpProbes.http(url("/random")).build(), Duration.ofSeconds(5), 1);

        Measurement m = report.probes().get(0).measurements().get(0);
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains(url("/random"));
    }

    @Test
    void connectionRefusedIsRetriedByTheEngineWithinTheRound() throws Exception {
        String refused = "http://127.0.0.1:" + closedPort() + "/health";

        VerificationReport report = verify(HttpProbes.http(refused).build(), Duration.ofSeconds(5), 3);

        Measurement m = report.probes().get(0).measurements().get(0);
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.attempts()).isEqualTo(3);
        assertThat(m.error()).contains("cannot connect: Connection refused", refused);
    }

    @Test
    void aStatusCodeIsAMeasurementAndNeverRetried() {
        server.stubFor(get("/unavailable").willReturn(aResponse().withStatus(503)));

        VerificationReport report = verify(HttpProbes.http(url("/unavailable")).build(), Duration.ofSeconds(5), 3);

        assertThat(report.probes().get(0).measurements().get(0).outcome()).isEqualTo(Outcome.FAIL);
        server.verify(1, getRequestedFor(urlEqualTo("/unavailable")));
    }

    @Test
    void headersDelayedPastTheTimeoutEndAsAnErrorAtTheTimeout() throws Exception {
        server.stubFor(get("/late").willReturn(aResponse().withStatus(200).withFixedDelay(10_000)));

        ProbeResult m = measure(HttpProbes.http(url("/late")).build(), Duration.ofMillis(800));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("no complete response within timeout 800ms");
    }

    @Test
    void aResponseTimeoutShorterThanTheTimeoutEndsTheWaitEarlier() throws Exception {
        server.stubFor(get("/late").willReturn(aResponse().withStatus(200).withFixedDelay(3_000)));

        ProbeResult m = measure(HttpProbes.http(url("/late")).responseTimeout(Duration.ofMillis(300)).build(),
                Duration.ofSeconds(10));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("response-timeout 300ms");
    }

    @Test
    void aBodyThatDribblesPastTheTimeoutIsAnError() throws Exception {
        server.stubFor(get("/dribble").willReturn(aResponse().withStatus(200).withBody("0123456789".repeat(10))
                .withChunkedDribbleDelay(10, 5_000)));

        ProbeResult m = measure(HttpProbes.http(url("/dribble")).responseTimeout(Duration.ofSeconds(2)).build(),
                Duration.ofMillis(1500));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("no complete response within");
    }

    @Test
    void aRedirectLoopIsAnError() throws Exception {
        server.stubFor(get("/loop").willReturn(aResponse().withStatus(302).withHeader("Location", "/loop")));

        ProbeResult m = measure(HttpProbes.http(url("/loop")).build(), Duration.ofSeconds(5));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("redirect");
    }

    @Test
    void aRedirectLoopIsNamedWithoutTheCredentialsItsLocationCarries() throws Exception {
        // An SSO redirecting with a one-time ticket or a signed URL: the Location is quoted in the error
        server.stubFor(get(urlPathEqualTo("/sso")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "/sso?ticket=ST-tkt-6c1e-90fa&X-Amz-Signature=sig-4b7d-a2c9&page=2")));
        server.stubFor(get("/bad-location").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://exa mple/x?code=code-8e3f-12bd")));

        ProbeResult loop = measure(HttpProbes.http(url("/sso")).build(), Duration.ofSeconds(5));
        ProbeResult invalid = measure(HttpProbes.http(url("/bad-location")).build(), Duration.ofSeconds(5));

        assertThat(loop.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(loop.error()).contains("redirect", "page=2").doesNotContain("tkt-6c1e-90fa", "sig-4b7d-a2c9");
        assertThat(invalid.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(invalid.error()).doesNotContain("code-8e3f-12bd");
    }

    @Test
    void anOversizeBodyIsAnErrorThatSaysSo() throws Exception {
        server.stubFor(get("/big").willReturn(aResponse().withStatus(200).withBody("x".repeat(5000))));
        server.stubFor(get("/big-chunked").willReturn(aResponse().withStatus(200).withBody("y".repeat(5000))
                .withChunkedDribbleDelay(5, 50)));

        ProbeResult declared = measure(HttpProbes.http(url("/big")).maxBodySize(1024).build(), Duration.ofSeconds(5));
        ProbeResult streamed = measure(HttpProbes.http(url("/big-chunked")).maxBodySize(1024).build(), Duration.ofSeconds(5));
        ProbeResult fits = measure(HttpProbes.http(url("/big")).maxBodySize(5000).build(), Duration.ofSeconds(5));

        assertThat(declared.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(declared.error()).contains("exceeds max-body-size 1KB");
        assertThat(streamed.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(streamed.error()).contains("exceeds max-body-size 1KB");
        assertThat(fits.outcome()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aVerifierOnAFixedTestClockStillGivesTheProbeItsWholeTimeout() {
        server.stubFor(get("/ok").willReturn(aResponse().withStatus(200).withFixedDelay(200)));
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", HttpProbes.http(url("/ok")).build(), ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(5)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .timeSource(dev.vigil.testkit.VirtualTime.startingAt(java.time.Instant.parse("2020-01-01T00:00:00Z")))
                .build();

        VerificationReport report = assertTimeoutPreemptively(GRACE, () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1")));

        assertThat(report.probes().get(0).measurements().get(0).outcome()).isEqualTo(Outcome.PASS);
    }
}
