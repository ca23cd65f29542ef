package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.reliability.VigilThreads;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fleet probe's client at the scale of a real fleet: black-holed instances (they accept the
 * connection and never answer) and slow instances cost one pending request each and are the only
 * ones named; connections are kept from one round to the next; closing the verifier ends the
 * client's threads.
 */
class FleetConnectionsTest {

    private static final int HEALTHY = 30;

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(HEALTHY + 20).jettyStopTimeout(500L)).build();

    private final List<ServerSocket> blackHoles = new ArrayList<>();

    @AfterEach
    void closeBlackHoles() throws IOException {
        for (ServerSocket s : blackHoles) {
            s.close();
        }
    }

    /** A port that accepts connections (the kernel completes the handshake) and never answers. */
    private String blackHole() throws IOException {
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        blackHoles.add(socket);
        return "http://127.0.0.1:" + socket.getLocalPort() + "/health";
    }

    private static List<String> healthy(int count) {
        server.stubFor(get(urlPathMatching("/i/[0-9]+/health")).willReturn(aResponse().withStatus(200).withBody("ok")));
        return IntStream.range(0, count).mapToObj(i -> "http://localhost:" + server.getPort() + "/i/" + i + "/health").toList();
    }

    @Test
    void blackHoledInstancesAreNamedAndTheRestStillPassTheRequirementWithinTheTimeout() throws Exception {
        List<String> holes = List.of(blackHole(), blackHole(), blackHole());
        warmUp(healthy(HEALTHY));
        List<String> urls = new ArrayList<>(healthy(HEALTHY));
        urls.addAll(1, holes);
        // Long against the healthy instances' answers (milliseconds; up to a second on a loaded machine)
        // and the probe's margin before the engine's deadline (a tenth of it), and still what bounds the
        // black-holed ones.
        Duration timeout = Duration.ofSeconds(3);
        try (DeployVerifier verifier = DeployVerifier.builder()
                .probe("fleet", HttpProbes.http(urls).require(Require.percent(90)).build(),
                        ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(timeout).withMaxAttempts(1))
                // Two rounds, each given its whole timeout before the next is due.
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(3100)).withDuration(Duration.ofMillis(6200)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build()) {

            VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0")));

            assertThat(report.probes().get(0).measurements()).hasSize(2).allSatisfy(m -> {
                assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
                assertThat(m.explanation()).contains("30 of 33 instances passed", "no complete response within timeout 3s");
                assertThat(m.values()).containsEntry("instances.failed", 3)
                        .containsEntry("instances.failing", String.join(", ", holes));
                assertThat(m.duration()).as("a round with black holes ends before timeout + 1 s")
                        .isLessThan(timeout.plusSeconds(1));
            });
        }
    }

    /**
     * One measurement of the healthy instances by a probe of its own, until each has answered and
     * been judged. In a cold JVM on a loaded machine (load 8-10 on 2 cores) a bake's first round also
     * paid WireMock's first burst of requests and the first judging of an answer (0.25-0.9 s for one
     * call of the judge), and with black holes that comes after the whole budget: past the probe's
     * margin before the engine's deadline, "timed out after 1500ms", nothing named.
     */
    private static void warmUp(List<String> urls) throws Exception {
        try (Probe probe = HttpProbes.http(urls).build()) {
            assertThat(probe.measure(TestContexts.within(Duration.ofSeconds(20))).outcome()).isEqualTo(Outcome.PASS);
        }
    }

    /**
     * A port whose connects are never answered: its accept queue (backlog 1) is full of connections
     * nobody accepts, so the kernel drops further SYNs and a connect stays pending until it times out.
     */
    private String unanswering() throws IOException {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        blackHoles.add(socket);
        for (int i = 0; i < 2; i++) {
            java.net.Socket filler = new java.net.Socket();
            fillers.add(filler);
            filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()), 1000);
        }
        return "http://127.0.0.1:" + socket.getLocalPort() + "/health";
    }

    private final List<java.net.Socket> fillers = new ArrayList<>();

    @AfterEach
    void closeFillers() throws IOException {
        for (java.net.Socket s : fillers) {
            s.close();
        }
    }

    private static long ioThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("vigil-http-io")).count();
    }

    /**
     * Closing the probe after a GET round that gave up on hosts whose connects were never answered
     * does not wait for those connects: a graceful close waited up to 5 s for them at the end of
     * the verification. It returns well within a second (2 s bound against a loaded machine), and
     * the client's I/O threads it started are gone afterwards.
     */
    @Test
    void closingAfterARoundThatGaveUpOnUnansweredConnectsDoesNotWaitForThem() throws Exception {
        List<String> urls = List.of(unanswering(), unanswering());
        long threadsBefore = ioThreads();
        Probe probe = HttpProbes.http(urls).build();
        ProbeResult m = probe.measure(TestContexts.within(Duration.ofMillis(1000)));
        assertThat(m.outcome()).as(m.explanation()).isNotEqualTo(Outcome.PASS);
        assertThat(ioThreads()).as("the round started the client's I/O threads").isGreaterThan(threadsBefore);

        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(10), probe::close);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(took).as("close waited for the abandoned connects").isLessThan(Duration.ofSeconds(2));
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (ioThreads() > threadsBefore && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ioThreads()).as("the I/O threads ended with the close").isLessThanOrEqualTo(threadsBefore);
    }

    @Test
    void anInstanceAnsweringAfterTheTimeoutIsTheOnlyOneNamed() throws Exception {
        List<String> urls = healthy(20);
        server.stubFor(get("/i/7/health").willReturn(aResponse().withStatus(200).withFixedDelay(4_000)));

        ProbeResult m = HttpProbes.http(urls).require(Require.percent(90)).build()
                .measure(TestContexts.within(Duration.ofMillis(1500)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("instances.failed", 1).containsEntry("instances.failing", urls.get(7));
        assertThat(m.explanation()).contains("19 of 20", urls.get(7) + ": GET " + urls.get(7) + ": no complete response");
    }

    @Test
    void roundsReuseTheConnectionsOfTheRoundBeforeAndReportConnectTimeApart() throws Exception {
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        HttpServer plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        plain.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        plain.start();
        try (Probe probe = HttpProbes.actuator(IntStream.range(0, 3)
                .mapToObj(i -> "http://127.0.0.1:" + plain.getAddress().getPort() + "/" + i + "/health").toList()).build()) {
            ProbeResult first = probe.measure(TestContexts.within(Duration.ofSeconds(5)));
            Set<Integer> firstPorts = Set.copyOf(clientPorts);
            ProbeResult second = probe.measure(TestContexts.within(Duration.ofSeconds(5)));

            assertThat(List.of(first.outcome(), second.outcome())).containsOnly(Outcome.PASS);
            assertThat(firstPorts).hasSize(3);
            assertThat(clientPorts).as("the second round's connections").isEqualTo(firstPorts);
            assertThat(first.values()).containsKeys("latency.max", "connect-time.max");
        } finally {
            plain.stop(0);
        }
    }

    @Test
    void closingTheVerifierEndsTheClientsThreadsAndAClosedProbeMeasuresAgain() throws Exception {
        List<String> threadsBefore = VigilThreads.alive();
        Probe probe = HttpProbes.http(healthy(3)).build();
        DeployVerifier verifier = DeployVerifier.builder().probe("fleet", probe)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(50)).withDuration(Duration.ofMillis(50)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();
        verifier.verifyAfterDeploy(Deployment.of("checkout", "2.4.1"));
        assertThat(VigilThreads.alive()).as("the client's I/O threads while the verifier is open")
                .anyMatch(name -> name.startsWith("vigil-http-io"));

        verifier.close();

        assertThat(VigilThreads.awaitGone(Duration.ofSeconds(5), threadsBefore)).as("threads left").isEmpty();
        assertThat(probe.measure(TestContexts.within(Duration.ofSeconds(5))).outcome()).isEqualTo(Outcome.PASS);
        probe.close();
    }
}
