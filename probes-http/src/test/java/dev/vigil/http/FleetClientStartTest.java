package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Preflight;
import dev.vigil.Probe;
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
        try {
            bakeWithoutToleranceOfErrors(probe, report -> {
                assertThat(report.verdict()).as(report.reason()).isEqualTo(dev.vigil.Verdict.HEALTHY);
                assertThat(probe.clientStarted()).isTrue();
            });
        } finally {
            probe.close();
        }
    }

    @Test
    void aBakesFirstRoundDoesNotCountTheJudgesFirstCallAgainstTheService() throws Exception {
        // Loading the conditions' code took 0.25-0.9 s at the first answer judged in a fresh JVM on
        // a loaded machine: with black-holed instances, after the round's whole budget.
        server.stubFor(get(urlPathEqualTo("/health")).willReturn(aResponse().withStatus(200).withBody("UP")));
        // What any first exchange in this JVM loads is not what this test is about: another probe pays it.
        try (Probe other = HttpProbes.http(server.baseUrl() + "/health").build()) {
            assertThat(other.measure(TestContexts.within(Duration.ofSeconds(20))).outcome()).isEqualTo(dev.vigil.Outcome.PASS);
        }
        Judge slowAtFirst = new Judge() {
            private final Judge judge = new CriteriaJudge(Criteria.of("status == 200", null, HttpProbes.conditionNames()));
            private final java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);

            @Override
            public dev.vigil.ProbeResult judge(Response response) {
                if (first.getAndSet(false)) {
                    pause();
                }
                return judge.judge(response);
            }

            @Override
            public String passWhen() {
                return judge.passWhen();
            }

            @Override
            public String failWhen() {
                return judge.failWhen();
            }
        };
        FleetProbe probe = new FleetProbe(new FleetClient("GET", Map.of(), null, Credentials.take(new LinkedHashMap<>(), null),
                null, null, false, 64 * 1024, Tls.system(), 1), List.of(Target.of(server.baseUrl() + "/health")), false,
                Require.all(), slowAtFirst, Clock.systemUTC(), "GET /health", new Redactor(List.of()));
        try {
            bakeWithoutToleranceOfErrors(probe,
                    report -> assertThat(report.verdict()).as(report.reason()).isEqualTo(dev.vigil.Verdict.HEALTHY));
        } finally {
            probe.close();
        }
    }

    /**
     * A bake of one round with {@code timeout=1s} and {@code max-consecutive-errors=0} (one ERROR rolls
     * back), its report checked before the verifier closes.
     */
    private static void bakeWithoutToleranceOfErrors(FleetProbe probe, java.util.function.Consumer<dev.vigil.VerificationReport> check) {
        try (dev.vigil.DeployVerifier verifier = dev.vigil.DeployVerifier.builder()
                .plan(dev.vigil.VerificationPlan.defaults().withDuration(Duration.ofSeconds(1)).withInterval(Duration.ofSeconds(1)))
                .probe("health", probe, dev.vigil.ProbeLimits.defaults().withMaxConsecutiveErrors(0),
                        dev.vigil.MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(1)))
                .rollback(dev.vigil.rollback.RollbackTriggers.callback("record", e -> { }))
                .build()) {
            check.accept(verifier.verifyAfterDeploy(dev.vigil.Deployment.of("checkout", "2.4.1", "2.4.0")));
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

    /** 1.5 s: about what the JVM's first use of a component takes on a busy host, and more than the tests' timeout. */
    private static void pause() {
        try {
            Thread.sleep(1_500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TLS context that takes 1.5 s to build, as the JVM's takes about a second on a busy host. */
    private static Tls slowToBuild() {
        return new Tls(() -> {
            pause();
            return ClientTlsStrategyBuilder.create();
        }, "slow to build");
    }
}
