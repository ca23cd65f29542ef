package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code validate --online} changes nothing: a probe whose request may change the service (a smoke
 * test that places an order) is not sent; its hosts must accept a connection. A {@code GET} is
 * measured once, as before.
 */
class StateChangingPreflightTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static Preflight check(Probe probe) throws Exception {
        try (probe) {
            // Long enough for a cold client's first request on a loaded machine (2 s timed out at load 12).
            return probe.preflight(TestContexts.within(Duration.ofSeconds(15)));
        }
    }

    @Test
    void aPostIsNotSentAndItsHostMustAcceptAConnection() throws Exception {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(201)));

        Preflight found = check(HttpProbes.http("http://localhost:" + server.getPort() + "/api/orders").method("POST")
                .body("{\"item\":\"smoke\"}").passWhen("status == 201").build());

        assertThat(found.status()).as(found.message()).isEqualTo(Preflight.Status.OK);
        assertThat(found.message()).contains("POST not sent (it may change the service)", "localhost:" + server.getPort()
                + " accepts connections");
        assertThat(server.getAllServeEvents()).as("orders placed by the check").isEmpty();
    }

    @Test
    void aFleetOfDeletesNamesTheInstanceWhoseHostRefuses() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Preflight found = check(HttpProbes.http(List.of("http://localhost:" + server.getPort() + "/cache",
                "http://127.0.0.1:" + closed + "/cache")).method("DELETE").passWhen("status == 204").build());

        assertThat(found.status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(found.message()).contains("DELETE not sent", "127.0.0.1:" + closed + " refused the connection");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aGetIsMeasuredOnceAsBefore() throws Exception {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        Preflight found = check(HttpProbes.http("http://localhost:" + server.getPort() + "/health").passWhen("status == 200").build());

        assertThat(found.status()).as(found.message()).isEqualTo(Preflight.Status.OK);
        assertThat(server.getAllServeEvents()).hasSize(1);
    }
}
