package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.history.HistoryException;
import dev.vigil.history.HistorySettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL server that accepts connections and never answers (stopped with SIGSTOP, hung, or
 * behind a firewall that drops its packets): opening the history gives up within its timeouts
 * instead of holding the verification up for good.
 */
class UnansweringDatabaseTest {

    private ServerSocket server;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void blackHole() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(server.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        }, "black-hole-database");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void aServerThatNeverAnswersIsAFailureWithinTheLoginTimeoutNotAHang() {
        HistorySettings settings = HistorySettings.defaults().withDatabase(
                "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/vigil", "vigil", "pw-canary-7731");
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> JdbcHistoryStore.open(settings))
                        .isInstanceOf(HistoryException.class)
                        .hasMessageContaining("127.0.0.1:" + server.getLocalPort())
                        .hasMessageNotContaining("pw-canary-7731"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(accepted).as("the store reached the server").isNotEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(3L * JdbcHistoryStore.PG_CONNECT_TIMEOUT_SECONDS));
    }

    @Test
    void timeoutsTheUrlSetsAreLeftAsTheyAre() {
        HistorySettings settings = HistorySettings.defaults().withDatabase(
                "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/vigil?loginTimeout=1&connectTimeout=1", "vigil", null);
        long start = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(60), () ->
                assertThatThrownBy(() -> JdbcHistoryStore.open(settings)).isInstanceOf(HistoryException.class));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(JdbcHistoryStore.PG_CONNECT_TIMEOUT_SECONDS));
    }
}
