package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.Verifications;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store against a real PostgreSQL server the test starts itself ({@link PostgresServer}):
 * the whole contract, and recorders in two JVMs at once.
 */
class PostgresHistoryStoreTest extends HistoryStoreContract {

    private static PostgresServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = PostgresServer.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Override
    HistorySettings freshDatabase() throws Exception {
        return HistorySettings.defaults().withDatabase(server.newDatabase(), server.user(), null);
    }

    @Test
    void recordersInTwoJvmsAndTenThreadsEachLandEveryRecordOnce() throws Exception {
        HistorySettings settings = freshDatabase();
        int count = 30;
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), RecordingProcess.class.getName(),
                settings.url(), settings.username(), "shared", "10", Integer.toString(count))
                .redirectErrorStream(true).start();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> mine = new ArrayList<>();
        try {
            for (int t = 0; t < 10; t++) {
                mine.add(pool.submit(() -> {
                    int stored = 0;
                    try (JdbcHistoryStore store = JdbcHistoryStore.open(settings)) {
                        go.await();
                        for (int k = count - 1; k >= 0; k--) {
                            if (store.record(ReleaseRecord.of(Verifications.healthy("shared-" + k,
                                    Deployment.of("checkout", "v" + k), Instant.now().minusSeconds(60))))) {
                                stored++;
                            }
                        }
                    }
                    return stored;
                }));
            }
            go.countDown();
            int storedHere = 0;
            for (Future<Integer> f : mine) {
                storedHere += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(other.waitFor(120, TimeUnit.SECONDS)).as("the second JVM finished").isTrue();
            String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(other.exitValue()).as(output).isZero();
            int storedThere = Integer.parseInt(output.lines().filter(l -> l.startsWith("stored=")).findFirst()
                    .orElseThrow(() -> new AssertionError("no count from the second JVM: " + output)).substring("stored=".length()));

            try (JdbcHistoryStore store = JdbcHistoryStore.open(settings)) {
                List<ReleaseRecord> all = store.releases(HistoryQuery.all());
                assertThat(all).hasSize(count);
                assertThat(all).extracting(ReleaseRecord::id).doesNotHaveDuplicates();
            }
            assertThat(storedHere + storedThere).as("each record reported as new exactly once").isEqualTo(count);
        } finally {
            pool.shutdownNow();
            other.destroyForcibly();
        }
    }
}
