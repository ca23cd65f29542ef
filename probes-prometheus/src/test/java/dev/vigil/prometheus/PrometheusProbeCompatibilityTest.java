package dev.vigil.prometheus;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import dev.vigil.Probe;
import dev.vigil.testkit.ProbeCompatibilityKit;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Prometheus probe under the probe contract every probe owes. */
class PrometheusProbeCompatibilityTest extends ProbeCompatibilityKit {

    private static final String HEALTHY = """
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"job":"checkout"},"value":[1767268800,"0.001"]}]}}""";

    private static WireMockServer server;
    /** Accepts connections (the kernel does) and never answers: a black hole. */
    private static ServerSocket blackHole;

    @BeforeAll
    static void start() throws IOException {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(WireMock.any(urlPathEqualTo("/api/v1/query"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(HEALTHY)));
        server.stubFor(WireMock.any(urlPathEqualTo("/secured/api/v1/query"))
                .withHeader("Authorization", equalTo("Bearer " + SECRET))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(HEALTHY)));
        server.stubFor(WireMock.any(urlPathEqualTo("/garbage/api/v1/query"))
                .willReturn(aResponse().withStatus(200).withBody("<html>502 Bad Gateway</html>")));
        blackHole = new ServerSocket(0, 50);
    }

    @AfterAll
    static void stop() throws IOException {
        server.stop();
        blackHole.close();
    }

    private static PrometheusProbeBuilder probe(String baseUrl) {
        return PrometheusProbe.builder().baseUrl(baseUrl).query("sum(rate(errors[1m])) / sum(rate(requests[1m]))")
                .failWhen("value > 1%");
    }

    @Override
    protected Probe healthyProbe() {
        return probe("http://127.0.0.1:" + server.port()).build();
    }

    @Override
    protected Probe hangingProbe() {
        return probe("http://127.0.0.1:" + blackHole.getLocalPort()).build();
    }

    @Override
    protected Probe brokenProbe() {
        return probe("http://127.0.0.1:" + server.port() + "/garbage").build();
    }

    @Override
    protected Probe probeWithSecret(String secret) {
        return probe("http://127.0.0.1:" + server.port() + "/secured").bearerToken(secret).build();
    }
}
