package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CredentialsTest {

    private static final String TOKEN = "tok-4f9a-77b2";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void basicAuthIsSentAtOnce() throws Exception {
        server.stubFor(get("/basic").withBasicAuth("ops", "pw-9931").willReturn(aResponse().withStatus(200)));

        Probe probe = HttpProbes.http("http://localhost:" + server.getPort() + "/basic").basicAuth("ops", "pw-9931").build();
        ProbeResult m = probe.measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(probe.toString()).doesNotContain("pw-9931").contains("****");
    }

    @Test
    void aUrlWithCredentialsIsRefusedWithoutShowingAnyPartOfThePassword() {
        // An unencoded @ in the password: the user info runs to the last @ before the host.
        for (String url : new String[] {"https://ops:pw@tail-7c1e@metrics.example/health",
                "https://ops:pw@tail-7c1e@metrics.example", "https://:pw@tail-7c1e@metrics.example/health?x=1"}) {
            assertThatThrownBy(() -> HttpProbes.http(url).build()).as(url)
                    .hasMessageNotContaining("tail-7c1e").hasMessageContaining("metrics.example");
            assertThatThrownBy(() -> Webhooks.target(url)).as(url).hasMessageNotContaining("tail-7c1e");
        }
    }

    @Test
    void nothingIsSentToAnotherHostARedirectPointsAt() throws Exception {
        server.stubFor(get("/away").willReturn(aResponse().withStatus(302)
                .withHeader("Location", "http://127.0.0.1:" + server.getPort() + "/landing")));
        server.stubFor(get("/landing").willReturn(aResponse().withStatus(200)));

        ProbeResult m = HttpProbes.http("http://localhost:" + server.getPort() + "/away").bearerToken(TOKEN).build()
                .measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        server.verify(getRequestedFor(urlEqualTo("/away")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        server.verify(0, getRequestedFor(urlEqualTo("/landing")));
    }

    @Test
    void everyCredentialHeaderIsKeptOnTheSameHostAndDroppedOnAnotherPort() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer other = new com.github.tomakehurst.wiremock.WireMockServer(
                wireMockConfig().dynamicPort());
        other.start();
        try {
            server.stubFor(get("/key-away").willReturn(aResponse().withStatus(302).withHeader("Location", "/key-away/")));
            server.stubFor(get("/key-away/").willReturn(aResponse().withStatus(302)
                    .withHeader("Location", "http://localhost:" + other.port() + "/key-away")));
            other.stubFor(get("/key-away").willReturn(aResponse().withStatus(200)));

            ProbeResult m = HttpProbes.http("http://localhost:" + server.getPort() + "/key-away")
                    .header("X-Api-Key", "key-0b7e-5d1c").header("X-Scope-OrgID", "team-a").bearerToken(TOKEN).build()
                    .measure(TestContexts.within(Duration.ofSeconds(5)));

            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
            server.verify(getRequestedFor(urlEqualTo("/key-away/")).withHeader("X-Api-Key", equalTo("key-0b7e-5d1c"))
                    .withHeader("Authorization", equalTo("Bearer " + TOKEN)));
            // The same host name and path on another port is followed (as Kubernetes follows the
            // same host), but it is another server, so it gets no credential.
            other.verify(getRequestedFor(urlEqualTo("/key-away")).withHeader("X-Api-Key", absent())
                    .withHeader("Authorization", absent()).withHeader("X-Scope-OrgID", equalTo("team-a")));
        } finally {
            other.stop();
        }
    }

    @Test
    void credentialsAreNotSentInClearWhenARedirectGoesFromHttpsToHttpOnTheSameHost() throws Exception {
        // https://checkout.internal/ready answering 301 Location: http://checkout.internal/ready: the
        // same authority, but the next hop is plain text on the network. Before, it carried the token.
        Credentials credentials = Credentials.take(new LinkedHashMap<>(Map.of("X-Api-Key", "key-0b7e-5d1c")),
                Secret.of("Bearer " + TOKEN));
        HttpClientContext context = HttpClientContext.create();
        Credentials.remember(context, new BasicHttpRequest("GET", URI.create("https://checkout.internal/ready")));
        BasicHttpRequest sameScheme = new BasicHttpRequest("GET", URI.create("https://checkout.internal/ready/"));
        BasicHttpRequest downgraded = new BasicHttpRequest("GET", URI.create("http://checkout.internal/ready"));
        downgraded.setHeader("Authorization", "Bearer " + TOKEN);

        credentials.interceptor().process(sameScheme, null, context);
        credentials.interceptor().process(downgraded, null, context);

        assertThat(sameScheme.getFirstHeader("Authorization").getValue()).isEqualTo("Bearer " + TOKEN);
        assertThat(sameScheme.getFirstHeader("X-Api-Key").getValue()).isEqualTo("key-0b7e-5d1c");
        assertThat(downgraded.getHeaders()).as("no credential header on the plain-text hop").isEmpty();
    }

    @Test
    void anHttpsRedirectOnTheSameHostKeepsTheCredential() throws Exception {
        com.github.tomakehurst.wiremock.WireMockServer tls = new com.github.tomakehurst.wiremock.WireMockServer(
                wireMockConfig().dynamicPort().dynamicHttpsPort());
        tls.start();
        try {
            tls.stubFor(get("/ready").willReturn(aResponse().withStatus(301).withHeader("Location", "/ready/")));
            tls.stubFor(get("/ready/").willReturn(aResponse().withStatus(200)));
            Probe probe = HttpProbes.http("https://localhost:" + tls.httpsPort() + "/ready").insecure(true).bearerToken(TOKEN)
                    .build();
            try {
                ProbeResult m = probe.measure(TestContexts.within(Duration.ofSeconds(5)));
                assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.PASS);
            } finally {
                probe.close();
            }
            tls.verify(getRequestedFor(urlEqualTo("/ready/")).withHeader("Authorization", equalTo("Bearer " + TOKEN)));
        } finally {
            tls.stop();
        }
    }

    @Test
    void aServerEchoingTheTokenNeverPutsItInAMeasurement() throws Exception {
        server.stubFor(get("/echo").willReturn(aResponse().withStatus(200).withBody("you sent Bearer " + TOKEN)));

        ProbeResult m = HttpProbes.http("http://localhost:" + server.getPort() + "/echo").bearerToken(TOKEN)
                .passWhen("body == \"nothing\"").build().measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(dev.vigil.testkit.Shown.everything(m)).doesNotContain(TOKEN).contains("****");
    }

    @Test
    void anEchoedTokenWhereALongValueIsCutShortIsNotShownInPart() throws Exception {
        // Before: a value was cut (at 256 characters in the values, 80 in the explanation) before the
        // token was masked, so its first characters ("tok-4f") stayed in the measurement.
        server.stubFor(get("/echo-long").willReturn(aResponse().withStatus(200).withBody("x".repeat(250) + TOKEN)));
        server.stubFor(get("/echo-80").willReturn(aResponse().withStatus(200).withBody("y".repeat(75) + TOKEN)));

        for (String path : java.util.List.of("/echo-long", "/echo-80")) {
            ProbeResult m = HttpProbes.http("http://localhost:" + server.getPort() + path).bearerToken(TOKEN)
                    .passWhen("body == \"nothing\"").build().measure(TestContexts.within(Duration.ofSeconds(5)));

            assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
            assertThat(dev.vigil.testkit.Shown.everything(m)).doesNotContain(TOKEN.substring(0, 5)).contains("****...");
        }
    }

    @Test
    void aServerEchoingAShortCredentialNeverPutsItInAMeasurement() throws Exception {
        // Three characters are masked in every other output (CredentialNames.MIN_MASKED_LENGTH);
        // the HTTP probe searched only from four.
        server.stubFor(get("/echo-short").willReturn(aResponse().withStatus(401).withBody("key x9q refused")));

        ProbeResult m = HttpProbes.http("http://localhost:" + server.getPort() + "/echo-short").header("X-Api-Key", "x9q")
                .passWhen("body == \"nothing\"").build().measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(dev.vigil.testkit.Shown.everything(m)).contains("key **** refused").doesNotContain("x9q");
    }

    @Test
    void aServerEchoingPartOfACredentialHeaderNeverPutsItInAMeasurement() throws Exception {
        // A cookie's value and the credential after a scheme, echoed without the rest of the header
        server.stubFor(get("/echo-part").willReturn(aResponse().withStatus(401)
                .withBody("session sess-5e1f-90ab-77cd expired; key akey-3c1d-88ef refused; proxy ptok-77aa-41bc")));

        ProbeResult m = HttpProbes.http("http://localhost:" + server.getPort() + "/echo-part")
                .header("Cookie", "theme=dark; SESSION=sess-5e1f-90ab-77cd")
                .header("X-Auth-Key", "Key akey-3c1d-88ef")
                .header("Proxy-Authorization", "Bearer ptok-77aa-41bc")
                .passWhen("body == \"nothing\"").build().measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(dev.vigil.testkit.Shown.everything(m)).contains("****")
                .doesNotContain("sess-5e1f-90ab-77cd", "akey-3c1d-88ef", "ptok-77aa-41bc");
    }

    @Test
    void credentialsInAUrlAreRejectedWithoutBeingShown() {
        assertThatThrownBy(() -> HttpProbes.http("http://ops:pw-1234@localhost:" + server.getPort() + "/x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("****@localhost", "username and password")
                .hasMessageNotContaining("pw-1234");
    }
}
