package dev.vigil.examples.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vigil.junit.VigilExtension;
import dev.vigil.junit.VigilParameter;
import dev.vigil.junit.VigilTarget;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The orders service's post-deploy smoke suite: a few tests of its API, run by a Vigil
 * {@code junit} probe against the version just deployed ({@code tags=smoke}). Plain JUnit 5: it
 * runs from an IDE too, given {@code -Dvigil.parameters.base-url=http://127.0.0.1:PORT}.
 *
 * <p>{@link #ordersAnswerWithinTheirLatencyBudget} is the confirmation test of ORD-17 ("orders
 * time out under load", the regression of 2.0.0, fixed in 3.0.0): tagged with the issue id, it
 * proves the fix when 3.0.0 is deployed and then guards every later release.
 */
@Tag("smoke")
@ExtendWith(VigilExtension.class)
public class OrdersSmokeTest {

    /** How long an answer may take: the service's latency objective. */
    static final Duration LATENCY_BUDGET = Duration.ofMillis(250);

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private static HttpResponse<String> get(URI base, String path, Duration timeout) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsUp(@VigilParameter("base-url") URI base) throws Exception {
        HttpResponse<String> health = get(base, "/actuator/health", Duration.ofSeconds(1));

        assertEquals(200, health.statusCode(), "GET /actuator/health");
        assertTrue(health.body().contains("\"status\":\"UP\""), () -> "health is not UP: " + health.body());
    }

    @Test
    void theVersionServingIsTheOneVerified(@VigilParameter("base-url") URI base, VigilTarget target) throws Exception {
        // Round 0 is the re-check after a rollback: the previous version must be back.
        String expected = target.round() == 0 ? target.previousVersion().orElse("?") : target.version().orElse("?");

        assertEquals(expected, get(base, "/version", Duration.ofSeconds(1)).body(), "GET /version");
    }

    @Test
    @Tag("ORD-17")
    void ordersAnswerWithinTheirLatencyBudget(@VigilParameter("base-url") URI base) throws Exception {
        HttpResponse<String> orders;
        try {
            orders = get(base, "/api/orders", LATENCY_BUDGET);
        } catch (HttpTimeoutException e) {
            fail("GET /api/orders did not answer within " + LATENCY_BUDGET.toMillis() + "ms (ORD-17: orders time out under load)");
            return;
        }
        assertEquals(200, orders.statusCode(), () -> "GET /api/orders answered " + orders.body());
    }
}
