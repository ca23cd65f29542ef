package dev.vigil.http;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Preflight;
import dev.vigil.RollbackTrigger;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Before a deployment, a rollback webhook is checked by connecting to its host; nothing is posted. */
class WebhookPreflightTest {

    private static final String TOKEN = "deployer-token-never-shown-77";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static Preflight check(String url) {
        RollbackTrigger trigger = Webhooks.rollbackTrigger(Webhooks.target(url).bearerToken(TOKEN).build());
        return trigger.preflight();
    }

    @Test
    void aReceiverThatAcceptsConnectionsIsFineAndNothingIsPosted() {
        Preflight found = check("http://localhost:" + server.getPort() + "/rollback");

        assertThat(found.status()).as(found.message()).isEqualTo(Preflight.Status.OK);
        assertThat(found.message()).contains("accepts connections (nothing was posted)").doesNotContain(TOKEN);
        assertThat(server.getAllServeEvents()).as("requests the receiver saw").isEmpty();
    }

    @Test
    void aPortWhereNothingListensIsAnErrorInWordsNotAClassName() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Preflight found = check("http://127.0.0.1:" + closed + "/rollback");

        assertThat(found.status()).isEqualTo(Preflight.Status.ERROR);
        // The check said "refused the connection (ConnectException)": a class name where the reason should be.
        assertThat(found.message()).contains("127.0.0.1:" + closed + " refused the connection (nothing listens there")
                .doesNotContain("Exception");
    }

    @Test
    void aHostThatDoesNotResolveIsAnError() {
        Preflight found = check("https://vigil-no-such-deployer.invalid/rollback");

        assertThat(found.status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(found.message()).contains("unknown host vigil-no-such-deployer.invalid (DNS)");
    }
}
