package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.StartLog;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.RollbackRecord;
import dev.vigil.history.Verifications;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What every {@link HistoryStore} must do, whatever keeps it: the JDBC store on each database
 * ({@link HistoryStoreContract}) and the testkit's memory store, so that a test using the memory
 * store cannot pass on behaviour the real one does not have. Each test supplies a fresh, empty store.
 */
abstract class AnyHistoryStoreContract {

    static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    /** A fresh, empty store whose clock reads {@link #NOW}. */
    abstract HistoryStore fresh() throws Exception;

    @Test
    void recordingTheSameVerificationTwiceStoresItOnce() throws Exception {
        VerificationReport report = Verifications.healthy("same-id", Deployment.of("checkout", "1.0"), NOW.minusSeconds(60));
        try (HistoryStore store = fresh()) {
            assertThat(store.record(ReleaseRecord.of(report))).isTrue();
            assertThat(store.record(ReleaseRecord.of(report))).isFalse();
            assertThat(store.releases(HistoryQuery.all())).extracting(ReleaseRecord::id).containsExactly("same-id");
        }
    }

    @Test
    void aQueryNarrowsByServiceEnvironmentAndTimeOldestFirst() throws Exception {
        try (HistoryStore store = fresh()) {
            store.record(ReleaseRecord.of(Verifications.healthy("c-prod-new", Deployment.of("checkout", "2")
                    .withEnvironment("production"), NOW.minusSeconds(100))));
            store.record(ReleaseRecord.of(Verifications.healthy("c-prod-old", Deployment.of("checkout", "1")
                    .withEnvironment("production"), NOW.minus(Duration.ofDays(40)))));
            store.record(ReleaseRecord.of(Verifications.healthy("c-staging", Deployment.of("checkout", "2")
                    .withEnvironment("staging"), NOW.minusSeconds(200))));
            store.record(ReleaseRecord.of(Verifications.healthy("p", Deployment.of("payments", "9"), NOW.minusSeconds(300))));

            assertThat(store.releases(HistoryQuery.service("checkout"))).extracting(ReleaseRecord::id)
                    .containsExactly("c-prod-old", "c-staging", "c-prod-new");
            assertThat(store.releases(HistoryQuery.service("checkout").withEnvironment("production")))
                    .extracting(ReleaseRecord::id).containsExactly("c-prod-old", "c-prod-new");
            assertThat(store.releases(HistoryQuery.all().withSince(NOW.minus(Duration.ofDays(30)))))
                    .extracting(ReleaseRecord::id).containsExactly("p", "c-staging", "c-prod-new");
        }
    }

    @Test
    void rehearsalsAreRecordedOnceEach() throws Exception {
        Deployment d = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("staging");
        RehearsalReport rehearsal = new RehearsalReport(RehearsalReport.Outcome.REHEARSED, "the rollback ran and 2.4.0 is healthy",
                d, new RollbackReport(RollbackOutcome.ROLLED_BACK, "command: ./rollback.sh", 1, "", null, NOW.minusSeconds(50),
                        NOW.minusSeconds(40), "rehearsal-1"),
                new RecheckReport(RecheckReport.Status.HEALTHY, "passed", 2, Duration.ofSeconds(5)), List.of(),
                NOW.minusSeconds(60), NOW.minusSeconds(30));
        try (HistoryStore store = fresh()) {
            assertThat(store.record(RehearsalRecord.of(rehearsal))).isTrue();
            assertThat(store.record(RehearsalRecord.of(rehearsal))).isFalse();
            List<RehearsalRecord> back = store.rehearsals(HistoryQuery.service("checkout"));
            assertThat(back).hasSize(1);
            assertThat(back.get(0).id()).isEqualTo("rehearsal-1");
            assertThat(back.get(0).outcome()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
            assertThat(back.get(0).deployment().environment()).isEqualTo("staging");
        }
    }

    @Test
    void aRollbackIsRecordedAsItStartsAndCompletedWhenItEnds() throws Exception {
        Deployment d = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production");
        RollbackRecord started = RollbackRecord.started("rb-1", d, NOW.minusSeconds(60));
        try (HistoryStore store = fresh()) {
            assertThat(store.rollbackStarted(started)).isTrue();
            assertThat(store.rollbackStarted(started)).isFalse();
            assertThat(store.rollbacks(HistoryQuery.service("checkout").withEnvironment("production"))).singleElement()
                    .satisfies(r -> assertThat(r.finished()).isFalse())
                    .satisfies(r -> assertThat(r.deployment().previousVersion()).isEqualTo("1.9.0"))
                    .satisfies(r -> assertThat(r.startedAt()).isEqualTo(NOW.minusSeconds(60)));

            assertThat(store.rollbackFinished(started.finish(NOW, RollbackOutcome.ROLLED_BACK))).isTrue();
            assertThat(store.rollbackFinished(RollbackRecord.started("never-started", d, NOW).finish(NOW, RollbackOutcome.FAILED)))
                    .isFalse();
            assertThat(store.rollbacks(HistoryQuery.all())).singleElement()
                    .satisfies(r -> assertThat(r.finishedAt()).isEqualTo(NOW))
                    .satisfies(r -> assertThat(r.outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK));
            assertThat(store.rollbacks(HistoryQuery.service("payments"))).isEmpty();
        }
    }

    @Test
    void anOutcomeIsUpdatedOnlyForARecordedIdAndKeepsItsDeploymentStartAndConfirmations() throws Exception {
        Deployment d = Deployment.of("checkout", "2.4.1").withEnvironment("production").asHotfix("SHOP-7");
        ReleaseRecord bake = ReleaseRecord.of(Verifications.healthy("v-1", d, NOW.minusSeconds(3600)));
        try (HistoryStore store = fresh()) {
            assertThat(store.record(bake)).isTrue();
            ReleaseRecord watched = new ReleaseRecord("v-1", Deployment.of("other", "9"), Verdict.UNHEALTHY, "the watch failed",
                    RollbackOutcome.ROLLED_BACK, NOW.minusSeconds(30), NOW.minusSeconds(20), RecheckReport.Status.HEALTHY,
                    NOW.minusSeconds(60), NOW.minusSeconds(40), NOW.minusSeconds(10), List.of(), Map.of(), true);
            assertThat(store.update(watched)).isTrue();
            assertThat(store.update(new ReleaseRecord("never-recorded", d, Verdict.UNHEALTHY, "x", RollbackOutcome.FAILED, null,
                    null, RecheckReport.Status.NOT_RUN, NOW.minusSeconds(60), null, NOW, List.of(), Map.of(), null))).isFalse();
            assertThat(store.releases(HistoryQuery.all())).singleElement().satisfies(r -> {
                assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
                assertThat(r.reason()).isEqualTo("the watch failed");
                assertThat(r.rollbackRan()).isTrue();
                assertThat(r.finishedAt()).isEqualTo(NOW.minusSeconds(10));
                assertThat(r.deployment()).isEqualTo(d);
                assertThat(r.startedAt()).isEqualTo(bake.startedAt());
                assertThat(r.confirmations()).isEqualTo(bake.confirmations());
            });
        }
    }

    @Test
    void rehearsalsAreAnsweredByServiceEnvironmentAndTimeOldestFirst() throws Exception {
        try (HistoryStore store = fresh()) {
            for (String[] r : new String[][] {{"r-new", "staging", "100"}, {"r-prod", "production", "200"}, {"r-old", "staging", "300"}}) {
                Instant start = NOW.minusSeconds(Long.parseLong(r[2]));
                assertThat(store.record(new RehearsalRecord(r[0], Deployment.of("checkout", "2", "1").withEnvironment(r[1]),
                        RehearsalReport.Outcome.REHEARSED, "rehearsed", RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY,
                        start, start.plusSeconds(10)))).isTrue();
            }
            assertThat(store.rehearsals(HistoryQuery.service("checkout").withEnvironment("staging")))
                    .extracting(RehearsalRecord::id).containsExactly("r-old", "r-new");
            assertThat(store.rehearsals(HistoryQuery.all().withSince(NOW.minusSeconds(150))))
                    .extracting(RehearsalRecord::id).containsExactly("r-new");
            assertThat(store.rehearsals(HistoryQuery.service("payments"))).isEmpty();
        }
    }

    @Test
    void startsAreKeptOnceAndAnsweredByServiceEnvironmentAndTimeOldestFirst() throws Exception {
        Deployment production = Deployment.of("checkout", "2.4.2", "2.4.1").withEnvironment("production");
        try (HistoryStore store = fresh()) {
            StartLog.Start bake = new StartLog.Start("s-b", production, NOW.minusSeconds(60), StartLog.Kind.VERIFICATION);
            assertThat(store.started(bake)).isTrue();
            assertThat(store.started(bake)).isFalse();
            assertThat(store.started(new StartLog.Start("s-a", production, NOW.minusSeconds(60), StartLog.Kind.VERIFICATION)))
                    .isTrue();
            assertThat(store.started(new StartLog.Start("s-c", production.withEnvironment("staging"), NOW.minusSeconds(30),
                    StartLog.Kind.REHEARSAL))).isTrue();
            assertThat(store.started(new StartLog.Start("s-d", production, NOW.minusSeconds(600), StartLog.Kind.VERIFICATION)))
                    .isTrue();

            assertThat(store.starts(HistoryQuery.service("checkout"))).extracting(StartLog.Start::id)
                    .as("oldest first, then by id").containsExactly("s-d", "s-a", "s-b", "s-c");
            assertThat(store.starts(HistoryQuery.service("checkout").withEnvironment("production")))
                    .extracting(StartLog.Start::id).containsExactly("s-d", "s-a", "s-b");
            assertThat(store.starts(HistoryQuery.service("checkout").withEnvironment("staging").withSince(NOW.minusSeconds(60))))
                    .extracting(StartLog.Start::id).containsExactly("s-c");
        }
    }
}
