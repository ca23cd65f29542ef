package dev.vigil.junit.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Probe;
import dev.vigil.junit.probe.fixtures.HangingChecks;
import dev.vigil.junit.probe.fixtures.OrdersChecks;
import dev.vigil.junit.probe.fixtures.SecretChecks;
import dev.vigil.testkit.ProbeCompatibilityKit;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JUnit probe under the probe contract; every-round, so that each call really runs the suite. */
class JunitProbeCompatibilityTest extends ProbeCompatibilityKit {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(40))
            .resetOnEachTest(false).build();
    private static int closedPort;

    @BeforeAll
    static void stubs() throws IOException {
        server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/orders").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/slow-report").willReturn(aResponse().withStatus(200).withFixedDelay(120_000)));
        server.stubFor(get("/secured").willReturn(aResponse().withStatus(401)));
        server.stubFor(get("/secured").withHeader("Authorization", equalTo("Bearer " + SECRET))
                .willReturn(aResponse().withStatus(200)));
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
    }

    private static JunitProbeBuilder suite(Class<?> checks, int port) {
        return JunitProbes.builder().select("class:" + checks.getName()).parameter("base-url", "http://localhost:" + port + "/")
                .everyRound();
    }

    @Override
    protected Probe healthyProbe() {
        return suite(OrdersChecks.class, server.getPort()).build();
    }

    @Override
    protected Probe hangingProbe() {
        return suite(HangingChecks.class, server.getPort()).build();
    }

    @Override
    protected Probe brokenProbe() {
        return suite(OrdersChecks.class, closedPort).build();
    }

    @Override
    protected Probe probeWithSecret(String secret) {
        return suite(SecretChecks.class, server.getPort()).secretParameter("api-token", secret).build();
    }
}
