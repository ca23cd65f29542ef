package dev.vigil.history.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.Verifications;
import dev.vigil.testkit.MemoryHistoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gauges show the store's figures over the last 90 days and never query the store on a scrape. */
class HistoryMetricsTest {

    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    @Test
    void gaugesShowTheLastNinetyDaysFromASnapshot() {
        MemoryHistoryStore store = new MemoryHistoryStore();
        Deployment checkout = Deployment.of("checkout", "1");
        // Outside the 90 days: a rollback that must not count.
        store.record(ReleaseRecord.of(Verifications.rolledBack("old", checkout, NOW.minus(Duration.ofDays(120)), Duration.ofSeconds(5),
                RecheckReport.Status.HEALTHY)));
        store.record(ReleaseRecord.of(Verifications.healthy("a", checkout, NOW.minus(Duration.ofDays(30)))));
        store.record(ReleaseRecord.of(Verifications.rolledBack("b", checkout, NOW.minus(Duration.ofDays(20)), Duration.ofSeconds(10),
                RecheckReport.Status.HEALTHY)));
        store.record(ReleaseRecord.of(Verifications.healthy("c", Deployment.of("checkout", "2"), NOW.minus(Duration.ofDays(10)))));
        store.record(ReleaseRecord.of(Verifications.healthy("d", Deployment.of("checkout", "2"), NOW.minus(Duration.ofDays(5)))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HistoryMetrics metrics = HistoryMetrics.of(store, Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC));

        metrics.bindTo(registry);
        int readsAfterBinding = store.reads();
        for (int scrape = 0; scrape < 50; scrape++) {
            assertThat(registry.get("vigil.history.quiet.streak").tag("service", "checkout").gauge().value()).isEqualTo(2);
            assertThat(registry.get("vigil.history.quiet.streak.longest").tag("service", "checkout").gauge().value()).isEqualTo(2);
            assertThat(registry.get("vigil.history.change.failure.rate").tag("service", "checkout").gauge().value())
                    .isCloseTo(0.25, within(1e-12));
            assertThat(registry.get("vigil.history.time.to.restore").tag("service", "checkout").timeGauge().value(TimeUnit.SECONDS))
                    .isEqualTo(40.0);
        }
        assertThat(store.reads()).as("no query per scrape").isEqualTo(readsAfterBinding);

        store.record(ReleaseRecord.of(Verifications.healthy("p", Deployment.of("payments", "3"), NOW.minus(Duration.ofDays(1)))));
        assertThat(registry.find("vigil.history.quiet.streak").tag("service", "payments").gauge()).isNull();
        metrics.finished(Verifications.healthy("p", Deployment.of("payments", "3"), NOW.minus(Duration.ofDays(1))));
        assertThat(registry.get("vigil.history.quiet.streak").tag("service", "payments").gauge().value()).isEqualTo(1);
    }

    @Test
    void theStreakGaugesCountTheWholeRunNotOnlyItsLastNinetyDays() {
        MemoryHistoryStore store = new MemoryHistoryStore();
        Deployment checkout = Deployment.of("checkout", "1");
        store.record(ReleaseRecord.of(Verifications.rolledBack("broke", checkout, NOW.minus(Duration.ofDays(200)), Duration.ofSeconds(5),
                RecheckReport.Status.HEALTHY)));
        for (int daysAgo : new int[] {150, 120, 100, 60, 30}) {
            store.record(ReleaseRecord.of(Verifications.healthy("q" + daysAgo, Deployment.of("checkout", "2"), NOW.minus(Duration.ofDays(daysAgo)))));
        }
        // Quiet for months, nothing deployed in the last 90 days.
        store.record(ReleaseRecord.of(Verifications.healthy("cart-1", Deployment.of("cart", "1"), NOW.minus(Duration.ofDays(100)))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HistoryMetrics.of(store, Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC)).bindTo(registry);

        // What the console's "quiet release #5 in a row" and vigil history say.
        assertThat(registry.get("vigil.history.quiet.streak").tag("service", "checkout").gauge().value()).isEqualTo(5);
        assertThat(registry.get("vigil.history.quiet.streak.longest").tag("service", "checkout").gauge().value()).isEqualTo(5);
        assertThat(registry.get("vigil.history.change.failure.rate").tag("service", "checkout").gauge().value()).isZero();
        assertThat(registry.get("vigil.history.quiet.streak").tag("service", "cart").gauge().value()).isEqualTo(1);
        assertThat(registry.get("vigil.history.change.failure.rate").tag("service", "cart").gauge().value()).isNaN();
    }

    @Test
    void aStoreThatCannotBeReadKeepsTheLastSnapshot() {
        MemoryHistoryStore store = new MemoryHistoryStore();
        store.record(ReleaseRecord.of(Verifications.healthy("a", Deployment.of("cart", "1"), NOW.minusSeconds(100))));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        HistoryMetrics metrics = HistoryMetrics.of(store, Duration.ofDays(7), Clock.fixed(NOW, ZoneOffset.UTC));
        metrics.bindTo(registry);
        store.failReads(true); // the database cannot be reached
        metrics.refresh();
        assertThat(registry.get("vigil.history.quiet.streak").tag("service", "cart").gauge().value()).isEqualTo(1);
    }
}
