package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Preflight;
import dev.vigil.condition.Criteria;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The first request of a fresh JVM: building the client (the TLS context, the client's classes)
 * took about a second on a busy host, and counted against the requests' budget, so that
 * {@code vigil validate --online} with {@code timeout=1s} failed a healthy service ("no complete
 * response within timeout 1s (still connecting)", exit 2) three runs out of three. The check before
 * deploying now builds the client before its measurement, and a verification before its first round
 * ({@link dev.vigil.Probe#prepare}).
 */
class FleetClientStartTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @Test
    void theCheckBeforeDeployingBuildsTheClientBeforeItsMeasurementStarts() throws Exception {
        FleetProbe probe = healthySlowToStart();
        try {
            Preflight found = probe.preflight(TestContexts.within(Duration.ofSeconds(1)));

            assertThat(found.status()).as(found.message()).isEqualTo(Preflight.Status.OK);
        } finally {
            probe.close();
        }
    }

    @Test
    void aBakesFirstRoundDoesNotCountTheClientsStartAgainstTheService() {
        // With a 1 s timeout and no error tolerated, the client's start inside the first round made
        // it an ERROR and rolled a healthy release back.
        FleetProbe probe = healthySlowToStart();
        try (dev.vigil.DeployVerifier verifier = dev.vigil.DeployVerifier.builder()
                .plan(dev.vigil.VerificationPlan.defaults().withDuration(Duration.ofSeconds(1)).withInterval(Duration.ofSeconds(1)))
                .probe("health", probe, dev.vigil.ProbeLimits.defaults().withMaxConsecutiveErrors(0),
                        dev.vigil.MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(1)))
                .rollback(dev.vigil.rollback.RollbackTriggers.callback("record", e -> { }))
                .build()) {
            dev.vigil.VerificationReport report = verifier.verifyAfterDeploy(dev.vigil.Deployment.of("checkout", "2.4.1", "2.4.0"));

            assertThat(report.verdict()).as(report.reason()).isEqualTo(dev.vigil.Verdict.HEALTHY);
            assertThat(probe.clientStarted()).isTrue();
        } finally {
            probe.close();
        }
    }

    /** A probe of a healthy {@code /health} whose client takes 1.5 s to build ({@link #slowToBuild}). */
    private static FleetProbe healthySlowToStart() {
        server.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(200).withBody("UP")));
        FleetClient client = new FleetClient("GET", Map.of(), null, Credentials.take(new LinkedHashMap<>(), null), null, null,
                false, 64 * 1024, slowToBuild(), 1);
        FleetProbe probe = new FleetProbe(client, List.of(Target.of(server.baseUrl() + "/health")), false, Require.all(),
                new CriteriaJudge(Criteria.of("status == 200", null, HttpProbes.conditionNames())), Clock.systemUTC(),
                "GET /health", new Redactor(List.of()));
        return probe;
    }

    /** A TLS context that takes 1.5 s to build, as the JVM's takes about a second on a busy host. */
    private static Tls slowToBuild() {
        return new Tls(() -> {
            try {
                Thread.sleep(1_500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return ClientTlsStrategyBuilder.create();
        }, "slow to build");
    }
}
