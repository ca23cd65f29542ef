package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.reliability.LogCapture;
import dev.vigil.testkit.VirtualTime;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class WebhooksTest {

    private static final String TOKEN = "deployer-token-5521";
    private static final String ROLLBACK_ID = "rb-0c9e4d7a";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private String url(String path) {
        return "http://localhost:" + server.getPort() + path;
    }

    private static RollbackEvent event() {
        Deployment deployment = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production").asHotfix("PAY-12");
        return new RollbackEvent(ROLLBACK_ID, deployment, Verdict.UNHEALTHY, "probe health failed 2 times (max-failures 1)", 1,
                Instant.parse("2026-11-26T10:00:00Z"));
    }

    private RollbackTrigger trigger() {
        return Webhooks.rollbackTrigger(Webhooks.target(url("/rollback")).bearerToken(TOKEN)
                .header("X-Source", "vigil").timeout(Duration.ofSeconds(5)).build());
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void rollbackPostsTheEventAsJsonWithTheCredential() throws Exception {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(202).withBody("rolling back to 2.4.0")));

        String output = trigger().execute(event());

        assertThat(output).contains("202", "rolling back to 2.4.0");
        server.verify(postRequestedFor(urlEqualTo("/rollback"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("X-Source", equalTo("vigil"))
                .withHeader("Content-Type", equalTo("application/json; charset=UTF-8"))
                .withHeader("Idempotency-Key", equalTo(ROLLBACK_ID))
                .withRequestBody(matchingJsonPath("$.event", equalTo("rollback")))
                .withRequestBody(matchingJsonPath("$.rollbackId", equalTo(ROLLBACK_ID)))
                .withRequestBody(matchingJsonPath("$.deployment.service", equalTo("checkout")))
                .withRequestBody(matchingJsonPath("$.deployment.version", equalTo("2.4.1")))
                .withRequestBody(matchingJsonPath("$.deployment.previousVersion", equalTo("2.4.0")))
                .withRequestBody(matchingJsonPath("$.deployment.kind", equalTo("HOTFIX")))
                .withRequestBody(matchingJsonPath("$.deployment.fixes[0]", equalTo("PAY-12")))
                .withRequestBody(matchingJsonPath("$.fixes[0]", equalTo("PAY-12")))
                .withRequestBody(matchingJsonPath("$.reopens", equalTo("rolling back re-opens PAY-12")))
                .withRequestBody(matchingJsonPath("$.verdict", equalTo("UNHEALTHY")))
                .withRequestBody(matchingJsonPath("$.reason", equalTo("probe health failed 2 times (max-failures 1)")))
                .withRequestBody(matchingJsonPath("$.attempt", equalTo("1")))
                .withRequestBody(matchingJsonPath("$.time", equalTo("2026-11-26T10:00:00Z"))));
    }

    /**
     * A receiver that rolled back and answered at length (a deployment log) rolled back: before, the
     * answer past 64 KiB failed the exchange, and the rollback was reported FAILED (exit 4, a person
     * paged) although the previous version ran again.
     */
    @Test
    void aLongAnswerToARollbackThatWentThroughIsCutNotAFailure() throws Exception {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200).withBody("step done\n".repeat(20_000))));

        String output = trigger().execute(event());

        assertThat(output).startsWith("webhook http://localhost:" + server.getPort() + "/… answered 200: step done")
                .hasSizeLessThan(70_000);
    }

    /**
     * A 2xx is a rollback done (docs/rollback.md gives the body no meaning), but the report must show
     * what the receiver said: a 200 whose answer says {"status":"failed"} after a few steps showed its
     * first 256 characters only, and the failure nobody saw. The answer is kept as read (at most
     * 64 KiB), masked, and a cut one ends at a space, so that a credential cut in two shows no part.
     */
    @Test
    void aRollbackAnsweredTwoHundredShowsTheWholeAnswerInTheReport() throws Exception {
        String steps = "{\"steps\":[" + "\"scaled down the canary\",".repeat(20) + "\"token=tok-never-shown-9\"],";
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200).withBody(steps + "\"status\":\"failed\"}")));

        VerificationReport report = verifyWith(trigger());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().output()).contains("answered 200: {\"steps\"", "\"status\":\"failed\"}");
        assertThat(dev.vigil.report.Reports.render(report, dev.vigil.report.ReportFormat.MARKDOWN))
                .contains("\"status\":\"failed\"}").doesNotContain("tok-never-shown");

        // Past 64 KiB the answer is cut, at a space: the word the cut fell in shows no part of itself.
        String words = "step done ".repeat(6553) + "tok-never-shown-10".repeat(40);
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200).withBody(words)));

        String output = trigger().execute(event());

        assertThat(output).contains("step done step done").contains("[answer cut at 64KB]")
                .doesNotContain("tok-never").hasSizeGreaterThan(60_000).hasSizeLessThan(66_000);
    }

    /**
     * The receiver answered 200 — it rolled back — but sent less of its answer than its
     * Content-Length said. Before, the exchange failed and the rollback was FAILED (exit 4, a person
     * paged) although the previous version ran again.
     */
    @Test
    void aRollbackAnsweredWithABodyCutShortIsRolledBackWithTheProblemInTheOutput() throws Exception {
        try (RawHttpServer receiver = RawHttpServer.answering("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 100\r\n\r\nrolling back to 2.4.0")) {
            VerificationReport report = verifyWith(Webhooks.rollbackTrigger(receiver.url("/rollback")));

            assertThat(report.rollback().outcome()).as(report.rollback().error()).isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(report.rollback().attempts()).isEqualTo(1);
            assertThat(report.rollback().output()).contains("answered 200: [the answer could not be read whole: ",
                    "] rolling back to 2.4.0");
            assertThat(receiver.requests()).isEqualTo(1);
        }
    }

    @Test
    void aBodyReadThatTimesOutIsNoAnswerCutShortEvenWhenTheSocketTimesOutBeforeTheDeadline() throws Exception {
        // Where the socket's timeout comes first, the read ends in a SocketTimeoutException, which is
        // no body the server cut short: the exchange fails, it is not kept as an answer.
        try (RawHttpServer receiver = RawHttpServer.stallingAfter("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 100\r\n\r\nrolling back")) {
            HttpTransport transport = new HttpTransport("POST", Map.of("Content-Type", "application/json"), "{}", null,
                    null, Duration.ofMillis(300), false, 64 * 1024, Tls.system()).cuttingLongBodies();

            Exchange answer = transport.exchangeAll(List.of(Target.webhook(receiver.url("/rollback"))),
                    Duration.ofSeconds(5), "webhook timeout 5s").get(0);

            assertThat(answer.succeeded()).as(String.valueOf(answer.response())).isFalse();
        }
    }

    /**
     * A receiver that answered 202 Accepted and then never finished its body took the rollback on:
     * before, the error read as if nothing had come back ("no complete response within ..."), and a
     * person could take it for a receiver that never got the post and roll back a second time.
     */
    @Test
    void anAnswerWhoseBodyStallsPastTheTimeoutNamesTheStatusTheReceiverGave() throws Exception {
        try (RawHttpServer receiver = RawHttpServer.stallingAfter("HTTP/1.1 202 Accepted\r\nContent-Type: text/plain\r\n"
                + "Content-Length: 100\r\n\r\nrolling back")) {
            RollbackTrigger trigger = Webhooks.rollbackTrigger(Webhooks.target(receiver.url("/rollback"))
                    .timeout(Duration.ofSeconds(1)).build());

            assertThatThrownBy(() -> trigger.execute(event()))
                    .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("no complete response within webhook timeout 1s")
                    .hasMessageContaining("it answered 202, but its body did not finish");
        }
    }

    @Test
    void onlyAnswersThatSayTheReceiverDidNotActAreRetryable() {
        for (int status : new int[] {429, 503}) {
            server.stubFor(post("/rollback").willReturn(aResponse().withStatus(status)));
            assertThatThrownBy(() -> trigger().execute(event())).as("status %d", status)
                    .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isTrue())
                    .hasMessageContaining(Integer.toString(status));
        }
        for (int status : new int[] {500, 501, 502, 504, 505}) {
            server.stubFor(post("/rollback").willReturn(aResponse().withStatus(status)));
            assertThatThrownBy(() -> trigger().execute(event())).as("status %d", status)
                    .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isFalse())
                    .hasMessageContaining("not retried: the receiver may have acted on it");
        }
    }

    @Test
    void clientErrorsAreNotRetried() {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(403).withBody("token expired")));

        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.output()).isEqualTo("token expired");
                })
                .hasMessageContaining("403")
                .hasMessageNotContaining(TOKEN);
    }

    /**
     * A receiver that moved (a 307 or 308 to its new address) gets no rollback: a redirect is not
     * followed, so that the event and its credentials go nowhere else. Before, the error said only
     * "answered 307 (not retried)": neither where it pointed nor that the rollback never reached the
     * receiver nor what to change. The path shown is masked like the webhook's own: it may be a credential.
     */
    @Test
    void aRedirectNamesWhereItPointedWithoutItsPathAndWhatToChange() {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(307)
                .withHeader("Location", "https://deployer.example.com/v2/hooks/T0-secret-path?sig=abc")));

        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("answered 307, a redirect to https://deployer.example.com/…")
                .hasMessageContaining("not followed")
                .hasMessageContaining("set the webhook's URL")
                .hasMessageNotContaining("T0-secret-path")
                .hasMessageNotContaining("sig=abc");
    }

    /** A 303 See Other is the answer to a post that was acted on: the error says the receiver may have rolled back. */
    @Test
    void aSeeOtherSaysTheReceiverMayHaveActed() {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(303).withHeader("Location", "/rollbacks/41")));

        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("answered 303, a redirect to http://localhost:" + server.getPort() + "/…")
                .hasMessageContaining("the receiver may have acted on it");
    }

    @Test
    void aReceiverEchoingTheCredentialsSentHasThemMaskedInTheOutputAndTheError() throws Exception {
        String key = "whkey-8d2e-41f0";
        String session = "whsess-93ab-c7e5";
        RollbackTrigger webhook = Webhooks.rollbackTrigger(Webhooks.target(url("/echo")).bearerToken(TOKEN)
                .header("X-Api-Key", "Key " + key).header("Cookie", "lang=en; sid=" + session)
                .timeout(Duration.ofSeconds(5)).build());
        String echo = "got token " + TOKEN + ", key " + key + ", session " + session;

        server.stubFor(post("/echo").willReturn(aResponse().withStatus(202).withBody(echo)));
        assertThat(webhook.execute(event())).contains("202", "****").doesNotContain(TOKEN, key, session);

        server.stubFor(post("/echo").willReturn(aResponse().withStatus(403).withBody(echo)));
        assertThatThrownBy(() -> webhook.execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.output())
                        .contains("****").doesNotContain(TOKEN, key, session));
    }

    @Test
    void aRefusedConnectionIsRetryableButAResetAfterTheRequestWasSentIsNot() throws Exception {
        RollbackTrigger refused = Webhooks.rollbackTrigger("http://127.0.0.1:" + closedPort() + "/rollback");
        server.stubFor(post("/rollback").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> refused.execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isTrue());
        // WireMock resets only after it has read the whole request: the receiver may have acted on it.
        assertThatThrownBy(() -> trigger().execute(event()))
                .isInstanceOfSatisfying(RollbackException.class, e -> assertThat(e.retryable()).isFalse())
                .hasMessageContaining("not retried: the request may have reached the receiver");
    }

    private VerificationReport verifyWith(RollbackTrigger trigger) {
        return DeployVerifier.builder()
                .probe("health", context -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200"))
                .confirms("health", "PAY-12")
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .rollback(trigger)
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(10)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(VirtualTime.start())
                .build()
                .verifyAfterDeploy(event().deployment());
    }

    @Test
    void theEngineRetriesA503WithTheSameIdempotencyKeyUntilItSucceeds() {
        server.stubFor(post("/rollback").inScenario("flaky").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        server.stubFor(post("/rollback").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("done")));

        VerificationReport report = verifyWith(trigger());

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().attempts()).isEqualTo(2);
        assertThat(report.rollback().trigger()).contains(url("/…")).doesNotContain("/rollback").doesNotContain(TOKEN);
        server.verify(postRequestedFor(urlEqualTo("/rollback")).withRequestBody(matchingJsonPath("$.attempt", equalTo("2"))));
        assertThat(idempotencyKeys()).hasSize(2).doesNotContainNull().containsOnly(idempotencyKeys().get(0));
    }

    /**
     * A 504 is a gateway saying the receiver did not answer in time — it may be rolling back — and a
     * 502 may come after the receiver acted: posting again could roll back one version too far. Only
     * 429 and 503 say the post was not acted on.
     */
    @Test
    void aGatewayTimeoutOrBadGatewayIsPostedOnceAndOnlyTooManyRequestsOrUnavailableAgain() {
        Map<Integer, Integer> posts = new java.util.TreeMap<>();
        for (int status : new int[] {502, 504, 429, 503}) {
            server.resetAll();
            server.stubFor(post("/rollback").willReturn(aResponse().withStatus(status)));

            VerificationReport report = verifyWith(trigger());

            assertThat(report.rollback().outcome()).as("status %d", status).isEqualTo(RollbackOutcome.FAILED);
            assertThat(idempotencyKeys()).as("status %d", status).containsOnly(idempotencyKeys().get(0));
            posts.put(status, idempotencyKeys().size());
        }

        assertThat(posts).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(429, 3, 502, 1, 503, 3, 504, 1)));
    }

    @Test
    void aReceiverThatAnswers500AfterApplyingTheRollbackIsNotPostedToAgain() {
        server.stubFor(post("/rollback").inScenario("applied").whenScenarioStateIs(STARTED)
                .willReturn(aResponse().withStatus(500).withBody("rolled back, then the audit log failed"))
                .willSetStateTo("applied"));
        server.stubFor(post("/rollback").inScenario("applied").whenScenarioStateIs("applied")
                .willReturn(aResponse().withStatus(200).withBody("rolled back again")));

        VerificationReport report = verifyWith(trigger());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        assertThat(report.rollback().attempts()).isEqualTo(1);
        assertThat(report.rollback().error()).contains("answered 500", "not retried");
        server.verify(1, postRequestedFor(urlEqualTo("/rollback")));
    }

    @Test
    void aReceiverThatIsNotListeningYetIsRetriedWithTheSameIdempotencyKey() throws Exception {
        // The receiver's port refuses the first attempt (nothing listens: the request is never
        // sent); the receiver comes up before the retry.
        int port = closedPort();
        WireMockServer receiver = new WireMockServer(wireMockConfig().port(port));
        receiver.stubFor(post("/rollback").willReturn(aResponse().withStatus(200).withBody("done")));
        RollbackTrigger webhook = Webhooks.rollbackTrigger("http://127.0.0.1:" + port + "/rollback");
        List<String> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
        RollbackTrigger startsAfterFirstAttempt = event -> {
            ids.add(event.rollbackId());
            try {
                return webhook.execute(event);
            } finally {
                if (!receiver.isRunning()) {
                    receiver.start();
                }
            }
        };
        try {
            VerificationReport report = verifyWith(startsAfterFirstAttempt);

            assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(report.rollback().attempts()).isEqualTo(2);
            assertThat(ids).hasSize(2).containsOnly(ids.get(0));
            receiver.verify(1, postRequestedFor(urlEqualTo("/rollback")).withHeader("Idempotency-Key", equalTo(ids.get(0))));
        } finally {
            receiver.stop();
        }
    }

    @Test
    void aResetAfterTheRequestWasReadIsNotRetried() {
        server.stubFor(post("/rollback").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        VerificationReport report = verifyWith(trigger());

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.FAILED);
        server.verify(1, postRequestedFor(urlEqualTo("/rollback")));
    }

    @Test
    void aConfiguredIdempotencyKeyHeaderIsReplacedByTheRollbacksId() throws Exception {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200)));
        WebhookTarget target = Webhooks.target(url("/rollback")).header("idempotency-key", "fixed").build();

        Webhooks.rollbackTrigger(target).execute(event());

        assertThat(idempotencyKeys()).containsExactly(ROLLBACK_ID);
    }

    @Test
    void twoTriggersForTheSameUrlAreTheSameTriggerAndOthersAreNot() {
        RollbackTrigger one = Webhooks.rollbackTrigger(url("/rollback"));
        RollbackTrigger same = Webhooks.rollbackTrigger(Webhooks.target(url("/rollback")).bearerToken(TOKEN).build());
        RollbackTrigger other = Webhooks.rollbackTrigger(url("/rollback-eu"));

        assertThat(one.identity()).isEqualTo(same.identity()).isNotEqualTo(other.identity());
        assertThat(one.identity().toString()).doesNotContain(TOKEN);
        assertThat(one.idempotent()).isFalse();
    }

    @Test
    void aSignatureOrTokenInTheUrlReachesTheReceiverButNeitherTheLogNorTheDescriptions() throws Exception {
        String signature = "sig-never-shown-8812";
        String token = "query-token-never-shown-4471";
        String query = "?sv=1.0&sig=" + signature + "&access_token=" + token;
        server.stubFor(post(urlPathEqualTo("/notify")).willReturn(aResponse().withStatus(500)));
        WebhookTarget answering = Webhooks.target(url("/notify" + query)).build();
        WebhookTarget closed = Webhooks.target("http://127.0.0.1:" + closedPort() + "/notify" + query).build();

        String logged;
        try (LogCapture log = LogCapture.start()) {
            Webhooks.notifier(answering).verdict(event().deployment(), Verdict.UNHEALTHY, "probe health failed");
            Webhooks.notifier(closed).verdict(event().deployment(), Verdict.UNHEALTHY, "probe health failed");
            logged = log.text();
        }

        server.verify(postRequestedFor(urlEqualTo("/notify" + query)));
        assertThat(logged).contains("answered 500").contains(url("/…")).doesNotContain("/notify")
                .doesNotContain(signature).doesNotContain(token);
        assertThat(answering.url()).isEqualTo(url("/…"));
        RollbackTrigger trigger = Webhooks.rollbackTrigger(answering);
        assertThat(trigger.description() + trigger.identity() + answering + Webhooks.notifier(answering))
                .doesNotContain(signature).doesNotContain(token);
    }

    @Test
    void triggersWhoseUrlsDifferOnlyInARedactedSignatureAreNotTheSameTrigger() {
        RollbackTrigger one = Webhooks.rollbackTrigger(url("/rollback?sig=first-signature"));
        RollbackTrigger same = Webhooks.rollbackTrigger(url("/rollback?sig=first-signature"));
        RollbackTrigger other = Webhooks.rollbackTrigger(url("/rollback?sig=second-signature"));

        assertThat(one.identity()).isEqualTo(same.identity()).isNotEqualTo(other.identity());
        assertThat(one.identity().toString()).doesNotContain("first-signature");
    }

    @Test
    void theFinishedNotificationNamesTheRollbackIdTheReceiverGot() {
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(200)));
        server.stubFor(post("/notify").willReturn(aResponse().withStatus(204)));
        VerificationReport report = DeployVerifier.builder()
                .probe("health", context -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200"))
                .confirms("health", "PAY-12")
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .rollback(trigger())
                .listener(Webhooks.notifier(Webhooks.target(url("/notify")).build(), Webhooks.Event.FINISHED))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build()
                .verifyAfterDeploy(event().deployment());

        String key = idempotencyKeys().get(0);
        assertThat(report.rollback().rollbackId()).isEqualTo(key);
        server.verify(postRequestedFor(urlEqualTo("/notify")).withRequestBody(matchingJsonPath("$.rollback.id", equalTo(key))));
    }

    private List<String> idempotencyKeys() {
        return server.findAll(postRequestedFor(urlEqualTo("/rollback"))).stream()
                .map(r -> r.getHeader("Idempotency-Key")).toList();
    }

    @Test
    void theNotifierPostsTheVerdictAndTheFinishedReport() {
        server.stubFor(post("/notify").willReturn(aResponse().withStatus(204)));
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", context -> ProbeResult.pass(Map.of("status", 200), "status(200) == 200"))
                .confirms("health", "PAY-12")
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .listener(Webhooks.notifier(Webhooks.target(url("/notify")).basicAuth("vigil", TOKEN).build()))
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(event().deployment());

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        server.verify(postRequestedFor(urlEqualTo("/notify"))
                .withHeader("Authorization", equalTo("Basic dmlnaWw6ZGVwbG95ZXItdG9rZW4tNTUyMQ=="))
                .withRequestBody(matchingJsonPath("$.event", equalTo("verdict")))
                .withRequestBody(matchingJsonPath("$.verdict", equalTo("HEALTHY"))));
        server.verify(postRequestedFor(urlEqualTo("/notify"))
                .withRequestBody(matchingJsonPath("$.event", equalTo("finished")))
                .withRequestBody(matchingJsonPath("$.probes[0].name", equalTo("health")))
                .withRequestBody(matchingJsonPath("$.rollback.outcome", equalTo("NOT_NEEDED"))));
    }

    @Test
    void aNotifierThatCannotPostNeverChangesTheVerification() throws Exception {
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", context -> ProbeResult.pass(Map.of("status", 200), "ok"))
                .confirms("health", "PAY-12")
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .listener(Webhooks.notifier(Webhooks.target("http://127.0.0.1:" + closedPort() + "/notify").build(),
                        Webhooks.Event.FINISHED))
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(event().deployment());

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
    }

    @Test
    void credentialsNeverShowInDescriptions() {
        WebhookTarget target = Webhooks.target("https://deployer.internal/rollback").bearerToken(TOKEN).build();

        assertThat(target.toString()).doesNotContain(TOKEN).contains("****");
        assertThat(Webhooks.rollbackTrigger(target).description()).doesNotContain(TOKEN);
        assertThat(Webhooks.notifier(target).toString()).doesNotContain(TOKEN);
        assertThatThrownBy(() -> Webhooks.target("https://user:pw-123@deployer.internal/rollback"))
                .hasMessageNotContaining("pw-123");
    }

    @Test
    void anAuthorizationHeaderIsASecretAndCannotBeCombinedWithOtherCredentials() throws Exception {
        server.stubFor(post("/hook").willReturn(aResponse().withStatus(200)));
        WebhookTarget target = Webhooks.target(url("/hook")).header("authorization", "Token " + TOKEN).build();

        Webhooks.rollbackTrigger(target).execute(event());

        server.verify(postRequestedFor(urlEqualTo("/hook")).withHeader("Authorization", equalTo("Token " + TOKEN)));
        assertThat(target.toString()).doesNotContain(TOKEN).endsWith("with Authorization ****");
        assertThatThrownBy(() -> Webhooks.target(url("/hook")).header("Authorization", "Token x").bearerToken("y").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("webhook: an Authorization header and bearer-token or username/password are set: keep one");
    }
}
