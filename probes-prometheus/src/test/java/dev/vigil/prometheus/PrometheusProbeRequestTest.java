package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.testkit.MapProbeSettings;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the probe sends: path prefix, time, method, headers, credentials; and that secrets stay hidden. */
class PrometheusProbeRequestTest extends MockPrometheusTest {

    private static final String TOKEN = "tok-3f9a8b7c6d5e";
    private static final String PASSWORD = "pw-9q8w7e6r5t";

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private void answer(String path, String file) {
        prometheus.stubFor(get(urlPathEqualTo(path)).willReturn(aResponse().withBody(Canned.body(file))));
        prometheus.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withBody(Canned.body(file))));
    }

    @Test
    void instantQueryRunsAtTheRoundsTimeUnderThePathPrefix() {
        answer("/prometheus/api/v1/query", "scalar.json");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl() + "/prometheus/").query("up == 1")
                .passWhen("value < 1").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        prometheus.verify(getRequestedFor(urlPathEqualTo("/prometheus/api/v1/query"))
                .withQueryParam("query", equalTo("up == 1"))
                .withQueryParam("time", equalTo("1764148935.123"))
                .withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void longQueryIsSentAsAPostForm() {
        answer("/api/v1/query", "scalar.json");
        String query = "sum(rate(http_requests_total{status=~\"5..\",route=~\"" + "/a|".repeat(600) + "/b\"}[1m]))";
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query(query).passWhen("value < 1").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        // The pass also counts the samples in [1m] (max(count_over_time(...))), as long a query, posted too.
        List<LoggedRequest> posts = prometheus.findAll(postRequestedFor(urlPathEqualTo("/api/v1/query"))).stream()
                .filter(r -> !r.getBodyAsString().contains("count_over_time")).toList();
        assertThat(posts).hasSize(1);
        assertThat(posts.get(0).getHeader("Content-Type")).startsWith("application/x-www-form-urlencoded");
        String form = URLDecoder.decode(posts.get(0).getBodyAsString(), StandardCharsets.UTF_8);
        assertThat(form).contains("query=" + query).contains("time=1764148935.123");
        prometheus.verify(0, getRequestedFor(urlPathEqualTo("/api/v1/query")));
    }

    @Test
    void methodPostSendsEvenShortQueriesAsAForm() {
        answer("/api/v1/query", "scalar.json");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .method(PrometheusProbe.HttpMethod.POST).build();

        probe.measure(TestContext.standard());

        prometheus.verify(postRequestedFor(urlPathEqualTo("/api/v1/query")).withRequestBody(containing("query=up")));
    }

    @Test
    void tenantHeaderAndBearerTokenAreSent() {
        answer("/api/v1/query", "scalar.json");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .header("X-Scope-OrgID", "team-checkout").bearerToken(TOKEN).build();

        probe.measure(TestContext.standard());

        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query"))
                .withHeader("X-Scope-OrgID", equalTo("team-checkout"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
    }

    @Test
    void basicAuthenticationIsSent() {
        answer("/api/v1/query", "scalar.json");
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .basicAuth("vigil", PASSWORD).build();

        probe.measure(TestContext.standard());

        String expected = "Basic " + Base64.getEncoder().encodeToString(("vigil:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        prometheus.verify(getRequestedFor(urlPathEqualTo("/api/v1/query")).withHeader("Authorization", equalTo(expected)));
    }

    @Test
    void secretsNeverAppearInToStringDescriptionOrMessages() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(400)
                .withBody("{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"bad token " + TOKEN + "\"}")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .bearerToken(TOKEN).header("X-Api-Key", "key-1a2b3c4d").build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("bad token ****").doesNotContain(TOKEN);
        assertThat(dev.vigil.testkit.Shown.everything(m)).doesNotContain(TOKEN);
        assertThat(probe.toString()).contains("auth=bearer ****").contains("X-Api-Key")
                .doesNotContain(TOKEN).doesNotContain("key-1a2b3c4d");
        assertThat(probe.description()).doesNotContain(TOKEN);
    }

    @Test
    void aTokenEchoedWhereTheQuotedPrefixOfABodyEndsShowsNoPartOfIt() {
        // An indented page: little text in its first bytes, and the token just where they end.
        String body = "<html>" + " ".repeat(624) + TOKEN + "</html>";
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody(body)));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .bearerToken(TOKEN).build();

        assertThatThrownBy(() -> probe.measure(TestContext.standard()))
                .hasMessageContaining("****").hasMessageNotContaining(TOKEN.substring(0, 4));
    }

    private static final String API_KEY_BASE64 = "a2V5OnNlY3JldDE=";

    @Test
    void credentialsInCredentialHeadersAreRedactedWhenEchoedWithoutTheirScheme() {
        String cookie = "ck-7d6c5b4a3f2e";
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "text/plain").withBody("invalid token " + TOKEN + ", session " + cookie
                        + ", key " + API_KEY_BASE64)));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .header("Authorization", "Bearer " + TOKEN).header("Cookie", "theme=dark; session=" + cookie)
                .header("X-Api-Key", "Basic " + API_KEY_BASE64).build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.error()).contains("HTTP 401", "invalid token ****").doesNotContain(TOKEN).doesNotContain(cookie)
                .doesNotContain(API_KEY_BASE64);
    }

    @Test
    void aWarningThatEchoesACredentialIsRedactedInTheExplanation() {
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withBody(
                "{\"status\":\"success\",\"warnings\":[\"store b refused token " + TOKEN + "\"],"
                        + "\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935.123,\"0\"]}}")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").failWhen("value > 1")
                .header("X-Scope-Token", TOKEN).build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("Prometheus warned: store b refused token ****").doesNotContain(TOKEN);
    }

    @Test
    void credentialHeadersNamedWithoutTheUsualWordsAreSecretsToo() {
        String authKey = "ak-0f9e8d7c6b5a";
        String signature = "sg-4a5b6c7d8e9f";
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(403)
                .withHeader("Content-Type", "text/plain").withBody("denied for key " + authKey + " signed " + signature
                        + " tenant team-a")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .header("X-Auth-Key", authKey).header("X-Request-Signature", signature).header("X-Scope-OrgID", "team-a")
                .build();

        ProbeResult m = probe.measure(TestContext.standard());

        assertThat(m.error()).contains("HTTP 403", "tenant team-a").doesNotContain(authKey).doesNotContain(signature);
    }

    @Test
    void basicPasswordIsRedactedFromAnEchoingProxy() {
        String encoded = Base64.getEncoder().encodeToString(("vigil:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        prometheus.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(502)
                .withHeader("Content-Type", "text/html").withBody("<html>auth Basic " + encoded + " pw " + PASSWORD + "</html>")));
        probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("up").passWhen("value < 1")
                .basicAuth("vigil", PASSWORD).build();

        assertThatThrownBy(() -> probe.measure(TestContext.standard()))
                .hasMessageNotContaining(PASSWORD).hasMessageNotContaining(encoded).hasMessageContaining("****");
        assertThat(probe.toString()).contains("auth=basic ****").doesNotContain(PASSWORD);
    }

    @Test
    void baseUrlWithCredentialsIsRejectedWithoutEchoingThem() {
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://vigil:" + PASSWORD + "@prometheus:9090"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("base-url must not carry credentials")
                .hasMessageNotContaining(PASSWORD);
        // An unencoded @ in the password: no part of it shows.
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://vigil:pw@" + PASSWORD + "@prometheus:9090"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://vigil:pa/ss%s@prometheus:9090",
        "http://vigil:pa?ss%s@prometheus:9090",
        "http://vigil:12#%s@prometheus:9090",
        "http://vigil:12?%s@prometheus:9090",
        "vigil:pa/%s@prometheus:9090",
        "http://prometheus:9090/?token=%s",
        "http://prometheus:9090/api#%s",
        "http://prometheus:9090/a b?token=%s",
        "http:///?token=%s",
        "http://vigil:8080/%s@prometheus:9090",
    })
    void aRejectedBaseUrlNeverShowsItsUserInformationQueryOrFragment(String url) {
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl(String.format(url, PASSWORD)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("base-url ")
                .hasMessageNotContaining(PASSWORD);
    }

    @Test
    void builderRejectsConflictsNamingTheKeys() {
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("ftp://x"))
                .hasMessageStartingWith("base-url must be an http or https URL");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").passWhen("value < 1").build())
                .hasMessageStartingWith("query is required");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").query("up").build())
                .hasMessageStartingWith("pass-when or fail-when is required");
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090").query("up").passWhen("value < 1")
                .bearerToken(TOKEN).basicAuth("u", PASSWORD).build())
                .hasMessageStartingWith("bearer-token cannot be combined with username and password")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> PrometheusProbe.builder().baseUrl("http://p:9090")
                .counts("ce", "cr", "be", "br", CanaryJudges.fromSettings(
                        MapProbeSettings.of("counts", java.util.Map.of("judge", "sequential"))).orElseThrow())
                .bearerToken(TOKEN).basicAuth("u", PASSWORD).build())
                .as("count queries authenticate like the other modes")
                .hasMessageStartingWith("bearer-token cannot be combined with username and password")
                .hasMessageNotContaining(TOKEN);
        assertThatThrownBy(() -> PrometheusProbe.builder().range(java.time.Duration.ofSeconds(10), java.time.Duration.ofMinutes(1)))
                .hasMessageStartingWith("step (1m) must not be longer than range (10s)");
        assertThatThrownBy(() -> PrometheusProbe.builder().range(java.time.Duration.ofHours(24), java.time.Duration.ofSeconds(1)))
                .hasMessageStartingWith("step is too small for range 24h");
    }
}
