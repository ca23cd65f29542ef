package dev.vigil.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.Deployment;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.OnlineCheck;
import dev.vigil.config.VigilConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        assertThat(found.message()).contains("DELETE not sent", "http://127.0.0.1:" + closed + "/cache: 127.0.0.1:" + closed
                + ": cannot connect");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    /**
     * A port whose SYNs go unanswered: its accept queue (backlog 1) is full of connections nobody
     * accepts, so the kernel drops further attempts and a connect waits until it times out.
     */
    private static ServerSocket unanswering(List<java.io.Closeable> open) throws Exception {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(socket);
        for (int i = 0; i < 2; i++) {
            Socket filler = new Socket();
            open.add(filler);
            filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort()), 1000);
        }
        return socket;
    }

    @Test
    void hostsThatAcceptNoConnectionAreAskedAtOnceWithinTheTimeoutAndNamed() throws Exception {
        List<java.io.Closeable> open = new ArrayList<>();
        try {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                urls.add("http://127.0.0.1:" + unanswering(open).getLocalPort() + "/orders");
            }
            urls.add("http://localhost:" + server.getPort() + "/orders");
            Map<String, String> p = new LinkedHashMap<>();
            p.put("vigil.deployment.service", "checkout");
            p.put("vigil.deployment.version", "2.4.1");
            p.put("vigil.plan.dry-run", "true");
            p.put("vigil.probes.orders.type", "http");
            p.put("vigil.probes.orders.urls", String.join(",", urls));
            p.put("vigil.probes.orders.method", "POST");
            p.put("vigil.probes.orders.timeout", "2s");
            BoundConfig bound = VigilConfig.builder().build().load(p);

            long start = System.nanoTime();
            List<OnlineCheck> checks = bound.checkOnline(Deployment.of("checkout", "2.4.1"));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            Preflight found = checks.get(0).result();
            assertThat(found.status()).isEqualTo(Preflight.Status.ERROR);
            // One after another, each with the whole timeout, three took 6 s and ended as "no answer within 2s".
            assertThat(found.message()).contains("POST not sent");
            for (String url : urls.subList(0, 3)) {
                assertThat(found.message()).contains(url + ": " + url.substring(7, url.indexOf("/orders"))
                        + " did not accept a connection within timeout 2s");
            }
            assertThat(found.message()).doesNotContain("localhost:" + server.getPort() + " did not");
            assertThat(took).as("all asked at once, within the one timeout").isLessThan(Duration.ofMillis(3500));
            assertThat(server.getAllServeEvents()).isEmpty();
        } finally {
            for (java.io.Closeable c : open) {
                c.close();
            }
        }
    }

    @Test
    void aGetIsMeasuredOnceAsBefore() throws Exception {
        server.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        Preflight found = check(HttpProbes.http("http://localhost:" + server.getPort() + "/health").passWhen("status == 200").build());

        assertThat(found.status()).as(found.message()).isEqualTo(Preflight.Status.OK);
        assertThat(server.getAllServeEvents()).hasSize(1);
    }
}
