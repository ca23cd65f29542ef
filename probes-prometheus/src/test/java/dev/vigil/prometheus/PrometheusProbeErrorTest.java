package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How Prometheus' errors and unreadable answers become measurements or retryable failures. */
class PrometheusProbeErrorTest extends MockPrometheusTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private PrometheusProbe probe() {
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("sum(rate(x[1m]))").failWhen("value > 0.01").build();
        return probe;
    }

    private void answer(int status, String contentType, String body) {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", contentType).withBody(body)));
    }

    @ParameterizedTest(name = "{0} with HTTP {1} is an ERROR quoting Prometheus, not retried")
    @CsvSource({
        "bad_data, 400, invalid parameter \\\"query\\\": 1:6: parse error",
        "execution, 422, many-to-many matching not allowed",
        "not_found, 404, no such endpoint"})
    void rejectedQueriesAreErrorsThatQuotePrometheus(String errorType, int status, String quoted) {
        answer(status, "application/json", Canned.body("error-" + errorType + ".json"));

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("Prometheus answered '" + errorType + "' (HTTP " + status + ")")
                .contains(quoted.replace("\\\"", "\""))
                .contains(prometheus.baseUrl() + "/api/v1/query");
        prometheus.verify(1, getRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    @ParameterizedTest(name = "{0} with HTTP {1} is retried")
    @CsvSource({
        "timeout, 503, query timed out in expression evaluation",
        "canceled, 503, query was canceled in query queue",
        "internal, 500, unexpected error reading block",
        "unavailable, 503, TSDB not ready"})
    void transientErrorsAreThrownForARetryWithPrometheusQuoted(String errorType, int status, String quoted) {
        answer(status, "application/json", Canned.body("error-" + errorType + ".json"));

        assertThatThrownBy(() -> probe().measure(TestContext.standard()))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("Prometheus answered '" + errorType + "' (HTTP " + status + ")")
                .hasMessageContaining(quoted);
    }

    @Test
    void timeoutErrorTypeIsRetriedWhateverTheStatus() {
        answer(422, "application/json", Canned.body("error-timeout.json"));

        assertThatThrownBy(() -> probe().measure(TestContext.standard())).isInstanceOf(RetryableProbeException.class);
    }

    @Test
    void tooManyRequestsIsRetried() {
        answer(429, "text/plain", "rate limited");

        assertThatThrownBy(() -> probe().measure(TestContext.standard()))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("HTTP 429").hasMessageContaining("'rate limited'");
    }

    @Test
    void truncatedJsonIsAnErrorQuotingWhatCameBack() {
        answer(200, "application/json", Canned.body("truncated.json"));

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("HTTP 200 (application/json)").contains("is not Prometheus' JSON")
                .contains("end-of-input").contains("'{\"status\":\"success\",\"data\":{\"resultType\":\"vector\"");
    }

    @Test
    void aBodyThatStartsWithTheTokenShowsNoPartOfIt() {
        // Jackson's message named the word it could not read ("Unrecognized token 'ghp_...'"), up to 256
        // characters of it, next to the redacted quote of the body: the whole token, or its first part.
        String token = "ghp_" + "0123456789abcdefABCDEF".repeat(15);
        answer(200, "text/plain", token + " is not valid here");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("sum(rate(x[1m]))").failWhen("value > 0.01")
                .bearerToken(token).build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("is not Prometheus' JSON (Unrecognized token: was expecting")
                .contains("'**** is not valid here'").doesNotContain(token.substring(0, 12));
    }

    @Test
    void htmlPageFromAProxyIsAnErrorQuotingAShortSanitizedPrefix() {
        answer(200, "text/html; charset=utf-8", Canned.body("login-page.html"));

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("HTTP 200 (text/html)")
                .contains("'<!DOCTYPE html> <html><head><title>Sign in - Corporate SSO</title>")
                .doesNotContain("\n");
        assertThat(m.error().length()).isLessThan(400);
    }

    @Test
    void htmlErrorPageWithBadGatewayIsRetriedQuotingIt() {
        answer(502, "text/html", Canned.body("proxy-error.html"));

        assertThatThrownBy(() -> probe().measure(TestContext.standard()))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("HTTP 502 (text/html)")
                .hasMessageContaining("<title>502 Bad Gateway</title>");
    }

    @Test
    void notFoundWithoutPrometheusJsonPointsAtTheBaseUrl() {
        answer(404, "text/plain", "404 page not found");

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("HTTP 404").contains("check base-url and its path prefix");
    }

    @Test
    void unauthorizedSaysToCheckTheCredentials() {
        answer(401, "text/plain", "Unauthorized");

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("HTTP 401").contains("check bearer-token or username and password");
    }

    @Test
    void redirectsAreNotFollowed() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(302)
                .withHeader("Location", "https://sso.example.com/login")));

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("HTTP 302").contains("https://sso.example.com/login").contains("not followed");
    }

    @Test
    void aRedirectIsNamedWithoutItsQueryOrFragment() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(307)
                .withHeader("Location", "https://bucket.example.com/cache/answer?X-Amz-Credential=AKIA7&X-Amz-Signature=5ig4a7ure0"
                        + "#access_token=fr4gment0")));

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("HTTP 307", "https://bucket.example.com/cache/answer?****", "not followed")
                .doesNotContain("5ig4a7ure0", "AKIA7", "fr4gment0");
    }

    @Test
    void refusedConnectionIsRetried() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        probe = PrometheusProbe.builder().baseUrl("http://127.0.0.1:" + port).query("up").passWhen("value == 1").build();

        assertThatThrownBy(() -> probe.measure(TestContext.standard()))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("cannot connect to http://127.0.0.1:" + port + "/api/v1/query");
    }

    @Test
    void resetConnectionIsRetried() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> probe().measure(TestContext.standard())).isInstanceOf(RetryableProbeException.class);
    }

    @Test
    void slowAnswerTimesOutWithinTheProbeTimeoutAndIsRetried() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withFixedDelay(2000)
                .withBody(Canned.body("scalar.json"))));

        assertThatThrownBy(() -> probe().measure(TestContext.builder().timeout(Duration.ofMillis(300)).build()))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("no answer from").hasMessageContaining("within 300ms");
    }

    @Test
    void answerLargerThanTheCapIsAnError() {
        answer(200, "application/json", Canned.body("vector-two-series.json"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").failWhen("value > 1")
                .maxResponseBytes(100).build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("larger than 100 bytes").contains("max-response-size");
    }

    @Test
    void theLargestCapReadsAnswersAsUsual() {
        answer(200, "application/json", Canned.body("vector-two-series.json"));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").failWhen("value > 1")
                .maxResponseBytes(Long.MAX_VALUE).build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.PASS);
    }

    @Test
    void nativeHistogramIsAnErrorThatSaysHowToReduceIt() {
        answer(200, "application/json", "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
                + "[{\"metric\":{\"job\":\"x\"},\"histogram\":[1764148935,{\"count\":\"3\",\"sum\":\"1.5\"}]}]}}");

        ProbeResult m = probe().measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("{job=\"x\"} holds a native histogram").contains("histogram_quantile");
    }
}
