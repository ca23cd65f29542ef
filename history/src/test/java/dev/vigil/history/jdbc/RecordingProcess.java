package dev.vigil.history.jdbc;

import dev.vigil.Deployment;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.Verifications;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A second JVM recording into the same history: {@code URL USER PREFIX THREADS COUNT}. Each of its
 * threads records the ids {@code PREFIX-k} for k below COUNT (so its threads collide with each
 * other and with the test's own), then it prints how many it stored as new.
 */
public final class RecordingProcess {

    private RecordingProcess() {
    }

    public static void main(String[] args) throws Exception {
        HistorySettings settings = HistorySettings.defaults().withDatabase(args[0], args[1], null);
        String prefix = args[2];
        int threads = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            results.add(pool.submit(() -> {
                int stored = 0;
                try (JdbcHistoryStore store = JdbcHistoryStore.open(settings)) {
                    for (int k = 0; k < count; k++) {
                        if (store.record(ReleaseRecord.of(Verifications.healthy(prefix + "-" + k, Deployment.of("checkout", "v" + k),
                                Instant.now().minusSeconds(60))))) {
                            stored++;
                        }
                    }
                }
                return stored;
            }));
        }
        int stored = 0;
        try {
            for (Future<Integer> f : results) {
                stored += f.get();
            }
        } finally {
            pool.shutdownNow(); // a failed recorder ends the process instead of leaving it waiting on its pool
        }
        System.out.println("stored=" + stored);
    }
}
