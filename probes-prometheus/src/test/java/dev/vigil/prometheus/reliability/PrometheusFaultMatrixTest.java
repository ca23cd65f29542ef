package dev.vigil.prometheus.reliability;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.RollbackCoordinator;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.prometheus.PrometheusProbe;
import dev.vigil.prometheus.PrometheusProbeBuilder;
import dev.vigil.reliability.VigilThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way a Prometheus answer can go wrong, through a whole verification whose limits tolerate
 * anything but a missing pass, with a fail-when and with a pass-when condition: never HEALTHY,
 * never a PASS measurement, and no thread left behind.
 */
class PrometheusFaultMatrixTest {

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort().jettyStopTimeout(500L));
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    static Stream<Arguments> faults() {
        List<Arguments> cases = new ArrayList<>();
        Object[][] answers = {
            {"status error, bad_data", json(400, canned("error-bad_data.json"))},
            {"status error, execution", json(422, canned("error-execution.json"))},
            {"status error, timeout", json(503, canned("error-timeout.json"))},
            {"status error, internal", json(500, canned("error-internal.json"))},
            {"status error with HTTP 200", json(200, canned("error-bad_data.json"))},
            {"empty result", json(200, canned("empty-vector.json"))},
            {"NaN", json(200, canned("vector-nan.json"))},
            {"+Inf", json(200, canned("vector-inf.json"))},
            {"a partial answer", json(200, "{\"status\":\"success\",\"isPartial\":true,\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935,\"0\"]}}")},
            {"an answer with warnings", json(200, canned("vector-warnings.json"))},
            {"scalar NaN", json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1764148935.1,\"NaN\"]}}")},
            {"wrong result type: matrix", json(200, canned("matrix.json"))},
            {"wrong result type: string", json(200, canned("string.json"))},
            {"unknown result type", json(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"histogram\",\"result\":[]}}")},
            {"value that is not a number", json(200, canned("vector-one-series.json").replace("\"1\" ]", "\"abc\" ]"))},
            {"truncated JSON", json(200, canned("truncated.json"))},
            {"JSON without data", json(200, "{\"status\":\"success\"}")},
            {"JSON null", json(200, "null")},
            {"empty body", json(200, "")},
            {"HTML error page from a proxy (502)", html(502, canned("proxy-error.html"))},
            {"HTML login page (200)", html(200, canned("login-page.html"))},
            {"429 with Retry-After", (Supplier<ResponseDefinitionBuilder>) () -> aResponse().withStatus(429).withHeader("Retry-After", "1")},
            {"timeout", (Supplier<ResponseDefinitionBuilder>) () -> aResponse().withStatus(200).withFixedDelay(5_000)
                    .withBody(canned("vector-one-series.json"))},
            {"connection reset", (Supplier<ResponseDefinitionBuilder>) () -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)},
            {"random data", (Supplier<ResponseDefinitionBuilder>) () -> aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)},
            {"malformed chunk", (Supplier<ResponseDefinitionBuilder>) () -> aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK)},
        };
        for (Object[] answer : answers) {
            cases.add(Arguments.of(answer[0], answer[1], "fail-when", "value > 0.01"));
            cases.add(Arguments.of(answer[0], answer[1], "pass-when", "value < 0.01"));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} ({2} {3})")
    @MethodSource("faults")
    void aBadAnswerNeverEndsHealthy(String fault, Supplier<ResponseDefinitionBuilder> answer, String kind, String condition)
            throws Exception {
        server.stubFor(get(urlPathEqualTo("/api/v1/query")).willReturn(answer.get()));
        List<String> threadsBefore = VigilThreads.alive();
        PrometheusProbeBuilder builder = PrometheusProbe.builder().baseUrl(server.baseUrl()).query("sum(rate(errors[1m]))");
        PrometheusProbe probe = (kind.equals("fail-when") ? builder.failWhen(condition) : builder.passWhen(condition)).build();
        try (probe) {
            DeployVerifier verifier = DeployVerifier.builder()
                    .probe("error-rate", probe, ProbeLimits.defaults().withMaxFailures(100).withMaxConsecutiveErrors(100).withMaxInconclusive(100), MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(1500)).withMaxAttempts(2).withRetryBackoff(Duration.ofMillis(10)))
                    .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(100)).withDuration(Duration.ofMillis(200)))
                    .rollbackCoordinator(RollbackCoordinator.create())
                    .build();

            VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1")));

            assertThat(report.verdict()).as(report.reason()).isNotEqualTo(Verdict.HEALTHY);
            List<Measurement> measured = report.probes().get(0).measurements();
            // 2 planned rounds, then the end-of-bake rule's extra rounds (at most 2) while nothing passes.
            assertThat(measured).hasSize(report.rounds()).hasSizeBetween(2, 4).allSatisfy(m -> {
                assertThat(m.outcome()).as(m.explanation()).isNotEqualTo(Outcome.PASS);
                assertThat(m.explanation()).isNotBlank();
            });
        }
        assertThat(VigilThreads.awaitGone(Duration.ofSeconds(5), threadsBefore)).as("threads left").isEmpty();
    }

    private static Supplier<ResponseDefinitionBuilder> json(int status, String body) {
        return () -> aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static Supplier<ResponseDefinitionBuilder> html(int status, String body) {
        return () -> aResponse().withStatus(status).withHeader("Content-Type", "text/html").withBody(body);
    }

    static String canned(String name) {
        try (InputStream in = PrometheusFaultMatrixTest.class.getResourceAsStream("/prometheus/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no canned answer " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
