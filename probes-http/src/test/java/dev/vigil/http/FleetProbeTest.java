package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class FleetProbeTest {

    private static final int FLEET = 50;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(FLEET + 20).jettyStopTimeout(500L)).build();

    /** A second instance on the same host, on another port. */
    @RegisterExtension
    static WireMockExtension other = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().jettyStopTimeout(500L)).build();

    @BeforeEach
    void healthyFleet() {
        server.stubFor(get(urlPathMatching("/i/[^/]+/health")).willReturn(aResponse().withStatus(200).withBody("ok")));
    }

    private static List<String> instances() {
        return IntStream.rangeClosed(1, FLEET).mapToObj(i -> "pod-" + i).toList();
    }

    private String template() {
        return "http://localhost:" + server.getPort() + "/i/{instance}/health";
    }

    @Test
    void aHealthyFleetOfFiftyPasses() throws Exception {
        ProbeResult m = HttpProbes.http(template()).instances(instances()).build()
                .measure(TestContexts.within(Duration.ofSeconds(10)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("instances.total", 50).containsEntry("instances.passed", 50)
                .containsEntry("instances.failed", 0);
        assertThat(server.getAllServeEvents()).hasSize(FLEET);
    }

    @Test
    void fiftyInstancesBehindOneHostAreMeasuredAtOnceNotQueuedOnASmallPool() throws Exception {
        // A default pool of 5 connections per route would need 10 s for 50 answers of 1 s each.
        server.stubFor(get(urlPathMatching("/i/[^/]+/health")).willReturn(aResponse().withStatus(200).withFixedDelay(1000)));

        ProbeResult m = HttpProbes.http(template()).instances(instances()).build()
                .measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("instances.passed", 50);
    }

    @Test
    void aBlackHoledInstanceEndsTheRoundAtTheTimeoutAndIsNamed() {
        server.stubFor(get("/i/pod-17/health").willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));
        Probe probe = HttpProbes.http(template()).instances(instances()).build();
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("fleet", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(1500)).withMaxAttempts(1))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .build();

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0")));

        Measurement m = report.probes().get(0).measurements().get(0);
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.explanation()).contains("49 of 50 instances passed", "pod-17", "no complete response within timeout 1500ms");
        assertThat(m.values()).containsEntry("instances.failed", 1).containsEntry("instances.total", 50)
                .containsEntry("instances.failing", "pod-17");
    }

    @Test
    void failingInstancesAreNamedAndCounted() throws Exception {
        for (String bad : List.of("pod-3", "pod-30", "pod-44")) {
            server.stubFor(get("/i/" + bad + "/health").willReturn(aResponse().withStatus(503)));
        }

        ProbeResult m = HttpProbes.http(template()).instances(instances()).build()
                .measure(TestContexts.within(Duration.ofSeconds(10)));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.values()).containsEntry("instances.failed", 3).containsEntry("instances.passed", 47);
        assertThat(m.explanation()).contains("pod-3:", "pod-30:", "pod-44:", "503");
    }

    @Test
    void aPercentageRequirementToleratesAFewFailures() throws Exception {
        for (String bad : List.of("pod-1", "pod-2", "pod-3")) {
            server.stubFor(get("/i/" + bad + "/health").willReturn(aResponse().withStatus(500)));
        }

        ProbeResult ninety = HttpProbes.http(template()).instances(instances()).require(Require.percent(90)).build()
                .measure(TestContexts.within(Duration.ofSeconds(10)));
        ProbeResult ninetyFive = HttpProbes.http(template()).instances(instances()).require(Require.parse("95%")).build()
                .measure(TestContexts.within(Duration.ofSeconds(10)));

        assertThat(ninety.outcome()).as(ninety.explanation()).isEqualTo(Outcome.PASS);
        assertThat(ninety.explanation()).contains("47 of 50", "pod-1");
        assertThat(ninetyFive.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void aTinyPercentageStillNeedsOneInstanceToPass() throws Exception {
        // Before: 0.00000001% of 2 rounded up to 0 needed, and a fleet where no instance passed was a PASS.
        server.stubFor(get(urlPathMatching("/i/[^/]+/health")).willReturn(aResponse().withStatus(503)));

        ProbeResult m = HttpProbes.http(template()).instances(List.of("pod-1", "pod-2")).require(Require.parse("0.00000001%"))
                .build().measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("0 of 2 instances passed", "needed 1");
        assertThat(Require.parse("0.00000001%").needed(2)).isEqualTo(1);
        assertThat(Require.any().needed(0)).isZero();
    }

    @Test
    void anyRequirementPassesWithOneHealthyUrl() throws Exception {
        server.stubFor(get("/i/a/health").willReturn(aResponse().withStatus(500)));
        String base = "http://localhost:" + server.getPort() + "/i/";

        ProbeResult m = HttpProbes.http(List.of(base + "a/health", base + "b/health")).require(Require.any()).build()
                .measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("instances.failing", base + "a/health");
    }

    /**
     * Before: an instance that redirects to another instance of the fleet (a service with a canonical
     * base URL on one port, instances on others) had that instance's answer counted as its own:
     * "2 of 2 instances passed" with one instance asked.
     */
    @Test
    void aRedirectToAnotherInstanceOfTheFleetIsNotFollowedNorCountedAsItsAnswer() throws Exception {
        String first = "http://localhost:" + server.getPort() + "/i/a/health";
        String second = "http://localhost:" + other.getPort() + "/i/a/health";
        other.stubFor(get("/i/a/health").willReturn(aResponse().withStatus(302).withHeader("Location", first)));

        ProbeResult m = HttpProbes.http(List.of(first, second)).build().measure(TestContexts.within(Duration.ofSeconds(5)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("1 of 2 instances passed", second + ": INCONCLUSIVE status 302: redirected to"
                + " another instance of the fleet, " + first);
        assertThat(m.values()).containsEntry("instances.failing", second);
        server.verify(1, com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo("/i/a/health")));
        // The same redirect of one URL alone is followed, as ever: the same host name and path.
        assertThat(HttpProbes.http(second).build().measure(TestContexts.within(Duration.ofSeconds(5))).outcome())
                .isEqualTo(Outcome.PASS);
    }

    @Test
    void aFleetNoInstanceOfWhichCanBeReachedIsRetryable() {
        Probe probe = HttpProbes.http("http://127.0.0.1:{instance}/health").instances(List.of("1", "9")).build();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> probe.measure(TestContexts.within(Duration.ofSeconds(5))))
                .isInstanceOf(RetryableProbeException.class)
                .hasMessageContaining("no instance could be reached");
    }

    @Test
    void aFleetListingAnInstanceTwiceOrAnEmptyEntryIsRefusedNamingTheEntry() {
        // One instance asked twice and counted twice, or one never asked: "2 of 2 instances passed" of one instance.
        String url = "http://localhost:" + server.getPort() + "/i/a/health";
        String sameUrl = "http://LOCALHOST:" + server.getPort() + "/i/a/health";

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(List.of(url, url)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("urls names one instance more than once, '" + url
                        + "': it would be asked more than once a round and counted as that many; keep one");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.actuator(List.of(url, " " + sameUrl)))
                .hasMessageStartingWith("urls names one instance more than once, '" + sameUrl + "'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(List.of(url, " ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("urls entry 2 of 2 is empty: each entry is one instance, and an empty one would leave an instance out");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(template())
                .instances(List.of("127.0.0.1", "", "127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("instances entry 2 of 3 is empty");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(template())
                .instances(List.of("127.0.0.1", " 127.0.0.1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("instances names one instance more than once, '127.0.0.1'");
    }

    /** Before: {@code urls=/ok,/ok/,/./ok} on one server was three instances, "3 of 3 instances passed". */
    @Test
    void oneInstanceUnderPathsWrittenDifferentlyIsRefusedNamingBoth() {
        String base = "http://localhost:" + server.getPort();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(List.of(base + "/ok", base + "/./ok")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("urls names one instance more than once, '" + base + "/./ok', the same as '"
                        + base + "/ok' before it");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(List.of(base + "/i/a/health/", base + "/i/b/../a/health")))
                .hasMessageStartingWith("urls names one instance more than once, '" + base + "/i/b/../a/health', the same as '"
                        + base + "/i/a/health/' before it");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(List.of(base + "/ok", base + "/ok/")))
                .hasMessageStartingWith("urls names one instance more than once, '" + base + "/ok/'");
        // Another path, a root written with or without its slash, another host name: as before.
        assertThat(HttpProbes.http(List.of(base + "/ok", base + "/ok2")).build().description()).contains("2 instances");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpProbes.http(List.of(base, base + "/")))
                .hasMessageStartingWith("urls names one instance more than once");
        assertThat(HttpProbes.http(List.of(base + "/ok", "http://127.0.0.1:" + server.getPort() + "/ok")).build().description())
                .contains("2 instances");
    }

    /**
     * Before: the share was rounded up after taking 1e-9 off, so {@code 66.6666666667%} of 3 needed 2
     * instances, whose 66.67% is less than the share written.
     */
    @Test
    void aShareJustAboveAWholeNumberOfInstancesNeedsOneMoreInstance() {
        assertThat(Require.parse("66.6666666667%").needed(3)).isEqualTo(3);
        assertThat(Require.parse("33.3333333334%").isMet(1, 3)).isFalse();
        assertThat(Require.parse("50.0000000001%").needed(2)).isEqualTo(2);
        // Exactly at the threshold is enough, and shares that are whole numbers of instances stay exact.
        assertThat(Require.parse("50%").needed(2)).isEqualTo(1);
        assertThat(Require.parse("70%").needed(10)).isEqualTo(7);
        assertThat(Require.parse("57%").needed(100)).isEqualTo(57);
        assertThat(Require.parse("0.1%").needed(1000)).isEqualTo(1);
        assertThat(Require.percent(29).needed(100)).isEqualTo(29);
        assertThat(Require.parse("100%").needed(7)).isEqualTo(7);
    }

    @Test
    void requirementsParseAndCount() {
        assertThat(Require.parse("ALL").needed(50)).isEqualTo(50);
        assertThat(Require.parse("any").needed(50)).isEqualTo(1);
        assertThat(Require.parse("90%").needed(50)).isEqualTo(45);
        assertThat(Require.parse("33.3%").needed(3)).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Require.parse("most"))
                .hasMessageContaining("all, any or a percentage");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Require.parse("0%"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
