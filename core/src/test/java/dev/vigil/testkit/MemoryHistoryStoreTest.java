package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.ReleaseRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The memory store keeps records as the JDBC store does (the history module runs its
 * {@code AnyHistoryStoreContract} on it too), so
 * that a test using it cannot pass on behaviour the real store does not have.
 */
class MemoryHistoryStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    private static ReleaseRecord record(String id, Deployment deployment, Verdict verdict, String reason, long finishedAfter) {
        return new ReleaseRecord(id, deployment, verdict, reason, RollbackOutcome.NOT_NEEDED, null, null,
                RecheckReport.Status.NOT_RUN, T0, null, T0.plusSeconds(finishedAfter), List.of(), Map.of(), null);
    }

    @Test
    void recordingAnIdAgainChangesNothingAndUpdateReplacesTheOutcome() {
        MemoryHistoryStore store = new MemoryHistoryStore();
        Deployment checkout = Deployment.of("checkout", "2.4.1").withEnvironment("prod");

        assertThat(store.record(record("v1", checkout, Verdict.HEALTHY, "bake", 60))).isTrue();
        assertThat(store.record(record("v1", checkout, Verdict.UNHEALTHY, "again", 120))).isFalse();
        assertThat(store.releases(HistoryQuery.all())).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo("bake"));

        assertThat(store.update(record("v1", checkout, Verdict.UNHEALTHY, "watch", 3600))).isTrue();
        assertThat(store.update(record("v2", checkout, Verdict.UNHEALTHY, "never recorded", 3600))).isFalse();
        assertThat(store.releases(HistoryQuery.all())).singleElement().satisfies(r -> {
            assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(r.reason()).isEqualTo("watch");
            assertThat(r.finishedAt()).isEqualTo(T0.plusSeconds(3600));
        });
    }

    @Test
    void aQueryIsAnsweredByServiceEnvironmentAndSinceOldestFirst() {
        MemoryHistoryStore store = new MemoryHistoryStore();
        store.record(record("b", Deployment.of("checkout", "2").withEnvironment("prod"), Verdict.HEALTHY, "", 200));
        store.record(record("a", Deployment.of("checkout", "1").withEnvironment("prod"), Verdict.HEALTHY, "", 100));
        store.record(record("c", Deployment.of("checkout", "1").withEnvironment("staging"), Verdict.HEALTHY, "", 150));
        store.record(record("d", Deployment.of("search", "1").withEnvironment("prod"), Verdict.HEALTHY, "", 50));

        assertThat(store.releases(HistoryQuery.service("checkout").withEnvironment("prod"))).extracting(ReleaseRecord::id)
                .containsExactly("a", "b");
        assertThat(store.releases(HistoryQuery.all().withSince(T0.plusSeconds(150)))).extracting(ReleaseRecord::id)
                .containsExactly("c", "b");
    }
}
