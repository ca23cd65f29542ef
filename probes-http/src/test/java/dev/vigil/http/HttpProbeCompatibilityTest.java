package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Probe;
import dev.vigil.testkit.ProbeCompatibilityKit;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP probe, a fleet and the actuator preset under the probe contract. */
class HttpProbeCompatibilityTest extends ProbeCompatibilityKit {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(40))
            .resetOnEachTest(false).build();
    /** Accepts connections (the kernel does) and never answers: a black hole. */
    private static ServerSocket blackHole;
    private static int closedPort;

    @BeforeAll
    static void stubs() throws IOException {
        server.stubFor(get("/health").willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
        server.stubFor(get("/secured").withHeader("Authorization", equalTo("Bearer " + SECRET))
                .willReturn(aResponse().withStatus(200).withBody("{\"status\":\"UP\"}")));
        server.stubFor(get("/secured").withHeader("Authorization", equalTo("Bearer " + SECRET)).atPriority(10)
                .willReturn(aResponse().withStatus(200)));
        blackHole = new ServerSocket(0, 50);
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
    }

    @AfterAll
    static void stop() throws IOException {
        blackHole.close();
    }

    @Override
    protected Probe healthyProbe() {
        return HttpProbes.http(List.of("http://localhost:" + server.getPort() + "/health",
                "http://127.0.0.1:" + server.getPort() + "/health")).build();
    }

    @Override
    protected Probe hangingProbe() {
        return HttpProbes.http("http://127.0.0.1:" + blackHole.getLocalPort() + "/health").build();
    }

    @Override
    protected Probe brokenProbe() {
        return HttpProbes.http("http://127.0.0.1:" + closedPort + "/health").build();
    }

    @Override
    protected Probe probeWithSecret(String secret) {
        return HttpProbes.actuator("http://localhost:" + server.getPort() + "/secured").bearerToken(secret).build();
    }
}
