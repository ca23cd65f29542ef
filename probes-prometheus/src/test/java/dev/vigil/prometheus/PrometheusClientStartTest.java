package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.ProbeLimits;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.condition.Criteria;
import dev.vigil.rollback.RollbackTriggers;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first query of a fresh JVM: building the client (the JDK's TLS context, httpclient5's classes)
 * and loading the JSON reader took about a second of the first query's 1.5 s on a busy host (the
 * later ones: about 10 ms), and counted against the first round's timeout. A verification now
 * builds the client before its first round ({@link PrometheusProbe#prepare}).
 */
class PrometheusClientStartTest {

    @RegisterExtension
    static WireMockExtension prometheus = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void aBakesFirstRoundDoesNotCountTheClientsStartAgainstPrometheus() {
        // With a 1 s timeout and no error tolerated, the client's start inside the first round would
        // make it an ERROR and roll a healthy release back.
        prometheus.stubFor(get(urlPathEqualTo(PrometheusClient.QUERY_PATH)).willReturn(aResponse().withBody(Canned.body("scalar.json"))));
        warmUpTheJvm();
        QueryRunner queries = slowToStart();
        try (PrometheusProbe probe = new QueryProbe(queries, Criteria.of(null, "value > 0.01", PrometheusProbe.NAMES),
                OnNoData.DEFAULT, "error_ratio");
                DeployVerifier verifier = DeployVerifier.builder()
                        .plan(VerificationPlan.defaults().withDuration(Duration.ofSeconds(1)).withInterval(Duration.ofSeconds(1)))
                        .probe("error-rate", probe, ProbeLimits.defaults().withMaxConsecutiveErrors(0),
                                MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(1)))
                        .rollback(RollbackTriggers.callback("record", e -> { }))
                        .build()) {
            VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
            assertThat(queries.prepared()).isTrue();
        }
    }

    @Test
    void preparingSendsNothingToPrometheus() {
        QueryRunner queries = slowToStart();
        try (PrometheusProbe probe = new QueryProbe(queries, Criteria.of(null, "value > 0.01", PrometheusProbe.NAMES),
                OnNoData.DEFAULT, "error_ratio")) {
            probe.prepare();

            assertThat(queries.prepared()).isTrue();
            assertThat(prometheus.getAllServeEvents()).isEmpty();
        }
    }

    /**
     * One measurement by a probe of its own, so that what any first measurement in this JVM loads
     * (the engine's, the judging's and the first exchange's classes; over a second when this test
     * runs first on a loaded machine) is not what the bake under test waits for: only its client's
     * start is.
     */
    private static void warmUpTheJvm() {
        try (PrometheusProbe probe = PrometheusProbe.builder().baseUrl(prometheus.baseUrl()).query("error_ratio")
                .failWhen("value > 0.01").build()) {
            assertThat(probe.measure(TestContext.standard()).outcome()).isEqualTo(dev.vigil.Outcome.PASS);
        }
    }

    /** The queries of a healthy Prometheus through a client whose TLS strategy takes 1.5 s to make. */
    private static QueryRunner slowToStart() {
        URI base = URI.create(prometheus.baseUrl());
        PrometheusClient client = new PrometheusClient(base, prometheus.baseUrl(), null, Map.of(), List.of(), slowToBuild(),
                PrometheusProbe.DEFAULT_MAX_RESPONSE_BYTES, PrometheusProbe.HttpMethod.AUTO, PrometheusProbe.DEFAULT_CONNECT_TIMEOUT,
                Clock.systemUTC());
        return new QueryRunner(base, client, null, null, Clock.systemUTC(), null, List.of(), false);
    }

    /** httpclient5's default TLS strategy, after 1.5 s: the JDK's context takes about a second on a busy host. */
    private static java.util.function.Supplier<TlsSocketStrategy> slowToBuild() {
        return () -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        };
    }
}
