package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.condition.ConditionSyntaxException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpProbeConditionsTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private static ProbeResult measure(Probe probe) throws Exception {
        return probe.measure(TestContexts.within(Duration.ofSeconds(5)));
    }

    @Test
    void defaultConditionPassesLikeKubernetesOn2xxAnd3xx() throws Exception {
        server.stubFor(get("/ok").willReturn(aResponse().withStatus(204)));
        server.stubFor(get("/moved").willReturn(aResponse().withStatus(302).withHeader("Location", "/elsewhere")));

        ProbeResult ok = measure(HttpProbes.http(url("/ok")).build());
        ProbeResult moved = measure(HttpProbes.http(url("/moved")).followRedirects(false).build());

        assertThat(ok.outcome()).isEqualTo(Outcome.PASS);
        assertThat(ok.values()).containsEntry("status", 204).containsKey("latency");
        assertThat(moved.outcome()).isEqualTo(Outcome.PASS);
        assertThat(moved.values()).containsEntry("status", 302);
        assertThat(HttpProbes.http(url("/ok")).build().passWhen()).isEqualTo("status >= 200 && status < 400");
    }

    @Test
    void defaultConditionFailsOn4xxAnd5xx() throws Exception {
        server.stubFor(get("/missing").willReturn(aResponse().withStatus(404)));
        server.stubFor(get("/broken").willReturn(aResponse().withStatus(503)));

        ProbeResult missing = measure(HttpProbes.http(url("/missing")).build());
        ProbeResult broken = measure(HttpProbes.http(url("/broken")).build());

        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(broken.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(broken.explanation()).contains("503");
    }

    @Test
    void statusConditionSeesTheStatusCode() throws Exception {
        server.stubFor(get("/teapot").willReturn(aResponse().withStatus(418)));

        ProbeResult m = measure(HttpProbes.http(url("/teapot")).passWhen("status == 418").build());

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("418");
    }

    @Test
    void latencyConditionCoversTheWholeBody() throws Exception {
        server.stubFor(get("/slow").willReturn(aResponse().withStatus(200).withBody("x").withFixedDelay(300)));

        ProbeResult slow = measure(HttpProbes.http(url("/slow")).passWhen("latency < 200ms").build());
        ProbeResult tolerant = measure(HttpProbes.http(url("/slow")).passWhen("latency < 4s").build());

        assertThat(slow.outcome()).isEqualTo(Outcome.FAIL);
        assertThat((Duration) slow.values().get("latency")).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(tolerant.outcome()).isEqualTo(Outcome.PASS);
    }

    /**
     * Before: the repetitions were joined by exact name, then put into a case-insensitive map, where
     * the last overwrote the others: {@code X-Health: DOWN} then {@code x-health: UP} passed as "UP".
     */
    @Test
    void aHeaderRepeatedInAnotherCaseIsJoinedNotOverwrittenByTheLastOne() throws Exception {
        try (RawHttpServer raw = RawHttpServer.answering("HTTP/1.1 200 OK\r\nX-Health: DOWN\r\nx-health: UP\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n{}")) {
            ProbeResult m = measure(HttpProbes.http(raw.url("/health")).passWhen("header.X-Health == \"UP\"").build());
            ProbeResult joined = measure(HttpProbes.http(raw.url("/health")).passWhen("header.x-health == \"DOWN, UP\"").build());

            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.FAIL);
            assertThat(m.explanation()).contains("DOWN, UP");
            assertThat(joined.outcome()).as(joined.explanation()).isEqualTo(Outcome.PASS);
        }
    }

    /** Read last-wins, a body saying both DOWN and UP passed body.status == "UP". */
    @Test
    void aBodyWithAKeyTwiceIsAnErrorNamingTheKey() throws Exception {
        server.stubFor(get("/twice").willReturn(aResponse().withStatus(200).withBody("{\"status\":\"DOWN\",\"status\":\"UP\"}")));

        ProbeResult m = measure(HttpProbes.http(url("/twice")).passWhen("body.status == \"UP\"").build());

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("body has the key status twice, so which value holds is not defined");
    }

    /** Refused whole, such a body was an ERROR every round, and a healthy release was rolled back. */
    @Test
    void aKeyTwiceInAPartTheConditionDoesNotReadIsNoMatter() throws Exception {
        server.stubFor(get("/items").willReturn(aResponse().withStatus(200)
                .withBody("{\"status\":\"UP\",\"items\":[{},{},{},{\"tags\":{\"env\":\"a\",\"env\":\"b\"}}]}")));

        ProbeResult m = measure(HttpProbes.http(url("/items")).passWhen("body.status == \"UP\"").build());

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void headerConditionReadsResponseHeadersWhateverTheirCase() throws Exception {
        server.stubFor(get("/json").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withHeader("X-Build", "2.4.1").withBody("{}")));

        ProbeResult m = measure(HttpProbes.http(url("/json"))
                .passWhen("header.Content-Type =~ \"application/json.*\" && header.x-build == \"2.4.1\"").build());
        ProbeResult missing = measure(HttpProbes.http(url("/json")).passWhen("header.X-Absent == \"yes\"").build());

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void bodyConditionSeesTheTextAndNavigatesJson() throws Exception {
        server.stubFor(get("/text").willReturn(aResponse().withStatus(200).withBody("pong")));
        server.stubFor(get("/info").willReturn(aResponse().withStatus(200)
                .withBody("{\"build\":{\"version\":\"2.4.1\"},\"checks\":[{\"name\":\"db\",\"ok\":true}]}")));

        ProbeResult text = measure(HttpProbes.http(url("/text")).passWhen("body == \"pong\"").build());
        ProbeResult json = measure(HttpProbes.http(url("/info"))
                .passWhen("body.build.version == \"2.4.1\" && body.checks[0].ok == true").build());
        ProbeResult wrong = measure(HttpProbes.http(url("/info")).passWhen("body.build.version == \"2.4.0\"").build());

        assertThat(text.outcome()).isEqualTo(Outcome.PASS);
        assertThat(json.outcome()).as(json.explanation()).isEqualTo(Outcome.PASS);
        assertThat(wrong.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(wrong.explanation()).contains("2.4.1");
        assertThat(wrong.values()).containsEntry("body.build.version", "2.4.1");
    }

    @Test
    void bodyPathIntoTextThatIsNotJsonIsAnError() throws Exception {
        server.stubFor(get("/text").willReturn(aResponse().withStatus(200).withBody("<html>oops</html>")));

        ProbeResult m = measure(HttpProbes.http(url("/text")).passWhen("body.status == \"UP\"").build());

        assertThat(m.outcome()).isIn(Outcome.ERROR, Outcome.FAIL);
        assertThat(m.outcome()).isNotEqualTo(Outcome.PASS);
    }

    @Test
    void passWhenAndFailWhenTogetherLeaveRoomForInconclusive() throws Exception {
        server.stubFor(get("/degraded").willReturn(aResponse().withStatus(429)));

        ProbeResult m = measure(HttpProbes.http(url("/degraded"))
                .passWhen("status == 200").failWhen("status >= 500").build());

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void methodHeadersAndBodyAreSent() throws Exception {
        server.stubFor(post("/check").withHeader("X-Scope-OrgID", equalTo("team-a"))
                .withRequestBody(equalToJson("{\"probe\":true}"))
                .willReturn(aResponse().withStatus(200)));

        ProbeResult m = measure(HttpProbes.http(url("/check")).method("post").header("X-Scope-OrgID", "team-a")
                .body("{\"probe\":true}").build());

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        server.verify(postRequestedFor(urlEqualTo("/check")).withHeader("Content-Type", equalTo("application/json; charset=UTF-8")));
    }

    @Test
    void aRedirectToTheSamePathIsFollowedAndNamedInTheValuesAndTheExplanation() throws Exception {
        // http -> https and a trailing slash on the same host and path: the answer is still the URL's own.
        WireMockServer both = new WireMockServer(wireMockConfig().dynamicPort().dynamicHttpsPort());
        both.start();
        try {
            String http = "http://localhost:" + both.port();
            String https = "https://localhost:" + both.httpsPort();
            both.stubFor(get("/ready").willReturn(aResponse().withStatus(301)
                    .withHeader("Location", https + "/ready/?from=s3cr3t-state-27")));
            both.stubFor(get(urlPathEqualTo("/ready/")).willReturn(aResponse().withStatus(200).withBody("here")));
            String chain = http + "/ready -> " + https + "/ready/?****";

            ProbeResult judged = measure(HttpProbes.http(http + "/ready").insecure(true)
                    .passWhen("status == 200 && body == \"here\"").build());
            ProbeResult byDefault = measure(HttpProbes.http(http + "/ready").insecure(true).build());

            assertThat(judged.outcome()).as(judged.explanation()).isEqualTo(Outcome.PASS);
            assertThat(judged.values()).containsEntry("status", 200).containsEntry("redirects", chain)
                    .doesNotContainKey("redirected-to");
            assertThat(judged.explanation()).endsWith(" (after redirect " + chain + ")");
            assertThat(byDefault.outcome()).as(byDefault.explanation()).isEqualTo(Outcome.PASS);
            assertThat(byDefault.explanation()).endsWith(" (after redirect " + chain + ")");
            assertThat(dev.vigil.testkit.Shown.everything(byDefault)).doesNotContain("s3cr3t-state-27");
        } finally {
            both.stop();
        }
    }

    @Test
    void aRedirectToALoginPageOnTheSameHostIsNotFollowedAndWithoutConditionsIsInconclusiveNamingTheLocation() throws Exception {
        // Spring Security sends an unauthenticated request to /login, which answers 200: followed, a
        // release whose health URL now needs a login was HEALTHY on the login page.
        server.stubFor(get("/redir").willReturn(aResponse().withStatus(302).withHeader("Location", "/login?next=/health")));
        server.stubFor(get(urlPathEqualTo("/login")).willReturn(aResponse().withStatus(200).withBody("<html>Please sign in</html>")));
        server.stubFor(get("/proxied").willReturn(aResponse().withStatus(302)
                .withHeader("Location", url("/oauth2/sign_in?rd=%2Fproxied"))));
        server.stubFor(get("/walks").willReturn(aResponse().withStatus(302).withHeader("Location", "/walks/")));
        server.stubFor(get("/walks/").willReturn(aResponse().withStatus(302).withHeader("Location", "/login")));

        ProbeResult byDefault = measure(HttpProbes.http(url("/redir")).build());
        ProbeResult proxied = measure(HttpProbes.http(url("/proxied")).build());
        ProbeResult walks = measure(HttpProbes.http(url("/walks")).build());
        ProbeResult judged = measure(HttpProbes.http(url("/redir")).passWhen("status == 200").build());
        ProbeResult redirectJudged = measure(HttpProbes.http(url("/redir")).followRedirects(false).build());

        assertThat(byDefault.outcome()).as(byDefault.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(byDefault.explanation()).isEqualTo("status 302: redirected to another path, " + url("/login?****")
                + ", which is not followed; the service's own answer was not seen (redirects are followed only to the same"
                + " host and path, give or take a trailing slash: set url to the URL that answers itself)");
        assertThat(byDefault.values()).containsEntry("status", 302).containsEntry("redirected-to", url("/login?****"));
        assertThat(proxied.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(proxied.values()).containsEntry("redirected-to", url("/oauth2/sign_in?****"));
        assertThat(walks.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(walks.explanation()).contains("redirected to another path, " + url("/login"))
                .endsWith("(after redirect " + url("/walks") + " -> " + url("/walks/") + ")");
        assertThat(judged.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(judged.values()).containsEntry("redirected-to", url("/login?****"));
        assertThat(redirectJudged.outcome()).as("follow-redirects=false judges the redirect itself").isEqualTo(Outcome.PASS);
        assertThat(redirectJudged.values()).containsEntry("status", 302).doesNotContainKey("redirected-to");
        server.verify(0, getRequestedFor(urlPathEqualTo("/login")));
        server.verify(0, getRequestedFor(urlPathEqualTo("/oauth2/sign_in")));
    }

    @Test
    void aRedirectToAnotherHostIsNotFollowedAndWithoutConditionsIsInconclusiveNamingTheHost() throws Exception {
        // A release whose health endpoint now sends everyone to the sign-on page: the page answers
        // 200, and following it passed the probe on an answer that was not the service's.
        String signOn = "http://127.0.0.1:" + server.getPort();
        server.stubFor(get("/guarded").willReturn(aResponse().withStatus(302)
                .withHeader("Location", signOn + "/login?state=s3cr3t-state-91&next=/guarded")));
        server.stubFor(get(urlPathEqualTo("/login")).willReturn(aResponse().withStatus(200).withBody("<html>Sign in</html>")));

        ProbeResult byDefault = measure(HttpProbes.http(url("/guarded")).build());
        ProbeResult judged = measure(HttpProbes.http(url("/guarded")).passWhen("status == 200").build());
        ProbeResult expected = measure(HttpProbes.http(url("/guarded")).passWhen("status == 302 && header.Location != \"\"").build());

        assertThat(byDefault.outcome()).as(byDefault.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(byDefault.explanation()).isEqualTo("status 302: redirected to another host, " + signOn
                + ", which is not followed; the service's own answer was not seen");
        assertThat(byDefault.values()).containsEntry("status", 302).containsEntry("redirected-to", signOn);
        assertThat(dev.vigil.testkit.Shown.everything(byDefault)).doesNotContain("s3cr3t-state-91");
        assertThat(judged.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(expected.outcome()).as(expected.explanation()).isEqualTo(Outcome.PASS);
        server.verify(0, getRequestedFor(urlPathEqualTo("/login")));
    }

    @Test
    void aRedirectToAHostNameWithAnUnderscoreIsAnotherHostAndNotFollowed() throws Exception {
        // java.net.URI reads no host in sso_login.invalid (an underscore), and such a Location was
        // followed as if it named no other host: where the name resolves (a Compose service), the
        // sign-on page's 200 passed the probe.
        String signOn = "http://sso_login.invalid:" + server.getPort();
        server.stubFor(get("/guarded").willReturn(aResponse().withStatus(302)
                .withHeader("Location", signOn + "/login?state=s3cr3t-state-91")));

        ProbeResult m = measure(HttpProbes.http(url("/guarded")).build());

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).startsWith("status 302: redirected to another host, " + signOn + ", which is not followed");
        assertThat(m.values()).containsEntry("redirected-to", signOn);
        assertThat(dev.vigil.testkit.Shown.everything(m)).doesNotContain("s3cr3t-state-91");
    }

    @Test
    void withoutFollowingRedirectsARedirectPassesByDefaultAsKubernetesJudgesIt() throws Exception {
        server.stubFor(get("/moved").willReturn(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:1/x")));

        ProbeResult m = measure(HttpProbes.http(url("/moved")).followRedirects(false).build());

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("status", 302).doesNotContainKey("redirected-to");
    }

    @Test
    void aConditionThatDoesNotParseIsRejectedWhenBuilding() {
        assertThatThrownBy(() -> HttpProbes.http(url("/x")).passWhen("status >").build())
                .isInstanceOf(ConditionSyntaxException.class)
                .hasMessageContaining("pass-when");
        assertThatThrownBy(() -> HttpProbes.http(url("/x")).passWhen("status == \"200\"").build())
                .isInstanceOf(ConditionSyntaxException.class);
    }

    @Test
    void invalidUrlsAndOptionsAreRejectedAtOnce() {
        assertThatThrownBy(() -> HttpProbes.http("ftp://host/x")).hasMessageContaining("http");
        assertThatThrownBy(() -> HttpProbes.http("http:///nohost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpProbes.http(url("/x")).maxBodySize(0)).hasMessageContaining("max-body-size");
        assertThatThrownBy(() -> HttpProbes.http(url("/x")).connectTimeout(Duration.ZERO)).hasMessageContaining("connect-timeout");
        assertThatThrownBy(() -> HttpProbes.http(url("/x")).bearerToken("t").basicAuth("u", "p").build())
                .hasMessageContaining("not both");
        assertThatThrownBy(() -> HttpProbes.http("http://{instance}:8080/health").build())
                .hasMessageContaining("no instances");
    }
}
