package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's service behaves as the story needs, and its traffic stays on loopback. */
class SampleServiceTest {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private SampleService service;

    @BeforeEach
    void start() throws Exception {
        service = SampleService.start("1.0.0");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void regressedVersionIsDownAndFailsSomeOrders() throws Exception {
        assertThat(post("/admin/deploy?version=2.0.0").statusCode()).isEqualTo(200);

        HttpResponse<String> health = get("/actuator/health");
        // Concurrently: each answer of the regressed version takes 300-500 ms.
        List<CompletableFuture<HttpResponse<Void>>> orders = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            orders.add(http.sendAsync(HttpRequest.newBuilder(service.baseUri().resolve("/api/orders")).build(),
                    HttpResponse.BodyHandlers.discarding()));
        }
        long errors = orders.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 500).count();

        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).contains("\"status\":\"DOWN\"");
        assertThat(errors).as("about 1 in 4 of 40").isBetween(1L, 30L);
        assertThat(get("/actuator/prometheus").body())
                .contains("http_server_requests_seconds_count{uri=\"/api/orders\",status=\"500\",version=\"2.0.0\"}")
                .contains("sample_version_info{version=\"2.0.0\"} 1");
    }

    @Test
    void rollbackReturnsToThePreviousVersion() throws Exception {
        service.deploy("2.0.0");

        HttpResponse<String> answer = post("/admin/rollback");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("rolled back to 1.0.0");
        assertThat(get("/version").body()).isEqualTo("1.0.0");
        assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
        assertThat(get("/api/orders").statusCode()).isEqualTo(200);
    }

    @Test
    void loadGeneratorSendsTrafficToLoopbackOnly() throws Exception {
        try (LoadGenerator load = LoadGenerator.start(service.baseUri(), 50)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (load.sent() < 5 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(load.sent()).isGreaterThanOrEqualTo(5);
        }
        assertThatThrownBy(() -> LoadGenerator.start(URI.create("http://192.0.2.1:8080"), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("loopback");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(service.baseUri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(service.baseUri().resolve(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
