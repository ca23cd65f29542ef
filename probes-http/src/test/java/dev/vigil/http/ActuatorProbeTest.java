package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ActuatorProbeTest {

    private static final String DOWN = """
            {"status":"DOWN","components":{
              "db":{"status":"DOWN","details":{"error":"Connection refused"}},
              "diskSpace":{"status":"UP"},
              "redis":{"status":"DOWN","components":{
                 "primary":{"status":"OUT_OF_SERVICE"},
                 "replica":{"status":"UP"}}},
              "ping":{"status":"UP"}}}
            """;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private void health(int status, String body) {
        server.stubFor(get("/actuator/health").willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/vnd.spring-boot.actuator.v3+json").withBody(body)));
    }

    private ProbeResult measure() throws Exception {
        return HttpProbes.actuator("http://localhost:" + server.getPort()).build()
                .measure(TestContexts.within(Duration.ofSeconds(5)));
    }

    @Test
    void upPassesAndTheDefaultPathIsAdded() throws Exception {
        health(200, "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\"}}}");

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("status", 200).containsEntry("body.status", "UP");
        assertThat(HttpProbes.actuator("http://localhost:" + server.getPort()).build().description())
                .contains("/actuator/health");
    }

    @Test
    void downFailsNamingTheDeepestFailingComponents() throws Exception {
        health(503, DOWN);

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("health DOWN", "db (DOWN)", "redis.primary (OUT_OF_SERVICE)")
                .doesNotContain("diskSpace", "replica", "ping");
        assertThat(m.values()).containsEntry("components.failing", "db (DOWN), redis.primary (OUT_OF_SERVICE)");
    }

    /** Spring's aggregation decides the top status (a component may be left out of it); the pass still says what was not UP. */
    @Test
    void upPassesNamingTheComponentsThatAreNotUp() throws Exception {
        health(200, "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"DOWN\"},\"ping\":{\"status\":\"UP\"}}}");

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).isEqualTo("health UP (HTTP 200); components not UP: db (DOWN)");
    }

    /** Read last-wins, a body saying both DOWN and UP was a pass. */
    @Test
    void aBodyWithAKeyTwiceIsAnErrorNamingTheKeyNeverAPass() throws Exception {
        health(200, "{\"status\":\"DOWN\",\"status\":\"UP\"}");
        ProbeResult top = measure();
        health(200, "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"DOWN\",\"status\":\"UP\"}}}");
        ProbeResult nested = measure();
        health(503, "{\"status\":\"DOWN\",\"status\":\"DOWN\"}");
        ProbeResult unavailable = measure();

        assertThat(top.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(top.error()).startsWith("HTTP 200 but the body has the key status twice, so which value holds is not defined");
        assertThat(nested.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(nested.error()).contains("the body has the key components.db.status twice");
        assertThat(unavailable.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(unavailable.explanation()).startsWith("HTTP 503 and the body has the key status twice");
    }

    /** Refused whole, such a body was an ERROR every round, and a healthy service was rolled back. */
    @Test
    void aKeyTwiceThatTheJudgeDoesNotReadIsNoMatterButOneOnItsWayIs() throws Exception {
        health(200, "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\","
                + "\"details\":{\"database\":\"H2\",\"database\":\"PostgreSQL\"}}},\"tags\":{\"a\":1,\"a\":2}}");
        ProbeResult elsewhere = measure();
        health(200, "{\"status\":\"UP\",\"components\":{\"db\":{\"status\":\"UP\"}},\"components\":{\"db\":{\"status\":\"DOWN\"}}}");
        ProbeResult through = measure();

        assertThat(elsewhere.outcome()).as(elsewhere.explanation()).isEqualTo(Outcome.PASS);
        assertThat(elsewhere.explanation()).isEqualTo("health UP (HTTP 200)");
        assertThat(through.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(through.error()).startsWith("HTTP 200 but the body has the key components twice, so which value holds is not defined");
    }

    @Test
    void outOfServiceFails() throws Exception {
        health(503, "{\"status\":\"OUT_OF_SERVICE\"}");

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("OUT_OF_SERVICE", "show-components");
    }

    @Test
    void unknownIsInconclusive() throws Exception {
        health(200, "{\"status\":\"UNKNOWN\"}");

        ProbeResult m = measure();

        assertThat(m.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("UNKNOWN");
    }

    @Test
    void upWithAnErrorStatusCodeFails() throws Exception {
        health(500, "{\"status\":\"UP\"}");

        assertThat(measure().outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void aBodyThatIsNoHealthDocumentIsAnErrorOrAFailureNeverAPass() throws Exception {
        health(200, "<html>login page</html>");
        ProbeResult html = measure();
        health(404, "");
        ProbeResult missing = measure();

        assertThat(html.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(html.error()).contains("not a Spring Boot health response");
        assertThat(missing.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void aBodyWithoutAHealthStatusIsAnErrorThatSaysWhatTheBodyHolds() throws Exception {
        // each said "(no \"status\" field)", also of a body whose "status" is there
        health(200, "{\"status\":1}");
        ProbeResult number = measure();
        health(200, "{\"status\":null}");
        ProbeResult nothing = measure();
        health(200, "{\"status\":\"UP\",\"ratio\":NaN}");
        ProbeResult notJson = measure();
        health(200, "");
        ProbeResult empty = measure();
        health(200, "{\"checks\":[]}");
        ProbeResult noStatus = measure();

        assertThat(List.of(number, nothing, notJson, empty, noStatus)).extracting(ProbeResult::outcome).containsOnly(Outcome.ERROR);
        assertThat(number.error()).contains("(\"status\" is number 1, not a text)");
        assertThat(nothing.error()).contains("(\"status\" is null, not a text)");
        assertThat(notJson.error()).contains("(not a JSON object): {\"status\":\"UP\",\"ratio\":NaN}");
        assertThat(empty.error()).endsWith("(the body is empty)");
        assertThat(noStatus.error()).contains("(no \"status\" field)");
    }

    @Test
    void aRedirectToALoginPageIsNeverAPassAndAHealthAnswerAfterATrailingSlashNamesTheRedirect() throws Exception {
        String base = "http://localhost:" + server.getPort();
        server.stubFor(get("/actuator/health").willReturn(aResponse().withStatus(302).withHeader("Location", "/login")));
        server.stubFor(get("/login").willReturn(aResponse().withStatus(200).withBody("<html>Please sign in</html>")));
        ProbeResult login = measure();
        server.stubFor(get("/actuator/health").willReturn(aResponse().withStatus(301).withHeader("Location", "/actuator/health/")));
        server.stubFor(get("/actuator/health/").willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
        ProbeResult slash = measure();

        assertThat(login.outcome()).as(login.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(login.explanation()).contains("redirected to another path, " + base + "/login,");
        server.verify(0, getRequestedFor(urlEqualTo("/login")));
        assertThat(slash.outcome()).as(slash.explanation()).isEqualTo(Outcome.PASS);
        assertThat(slash.explanation()).isEqualTo("health UP (HTTP 200) (after redirect " + base + "/actuator/health -> "
                + base + "/actuator/health/)");
    }

    @Test
    void aCustomConditionReplacesTheDefaultJudgement() throws Exception {
        health(503, DOWN);

        ProbeResult m = HttpProbes.actuator("http://localhost:" + server.getPort() + "/actuator/health")
                .passWhen("body.components.diskSpace.status == \"UP\"").build()
                .measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aFleetOfActuatorsFromATemplateGetsTheDefaultPathToo() throws Exception {
        health(200, "{\"status\":\"UP\"}");

        ProbeResult m = HttpProbes.actuator("http://{instance}:" + server.getPort())
                .instances(java.util.List.of("localhost", "127.0.0.1")).build()
                .measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("instances.passed", 2);
    }
}
