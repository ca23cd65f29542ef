package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.vigil.history.HistorySettings;
import dev.vigil.history.ProbeCounts;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.RollbackRecord;
import dev.vigil.history.Verifications;
import dev.vigil.reliability.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What every database behind {@link JdbcHistoryStore} must do, besides what every store does
 * ({@link AnyHistoryStoreContract}); each database's test supplies a fresh, empty database.
 */
abstract class HistoryStoreContract extends AnyHistoryStoreContract {

    /** Settings naming a fresh, empty database. */
    abstract HistorySettings freshDatabase() throws Exception;

    @Override
    HistoryStore fresh() throws Exception {
        return open(freshDatabase());
    }

    JdbcHistoryStore open(HistorySettings settings) {
        return JdbcHistoryStore.open(settings, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** A time in SQL, for the rows an older Vigil wrote. */
    private static final String OLDER_AT = "TIMESTAMP WITH TIME ZONE '2026-11-29 11:00:00+00'";

    /** A new database with the migrations up to {@code target} only and {@code rows} written, as an older Vigil left it. */
    HistorySettings migratedTo(String target, String... rows) throws Exception {
        HistorySettings settings = freshDatabase();
        org.flywaydb.core.Flyway.configure(JdbcHistoryStore.class.getClassLoader())
                .dataSource(settings.url(), settings.username(), settings.password())
                .locations(JdbcHistoryStore.MIGRATIONS).table("vigil_schema_history").target(target).load().migrate();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.username(), settings.password());
                java.sql.Statement st = c.createStatement()) {
            for (String row : rows) {
                st.executeUpdate(row);
            }
        }
        return settings;
    }

    @Test
    void aDatabaseThatANewerVigilMigratedIsRefusedSayingSo() throws Exception {
        HistorySettings settings = freshDatabase();
        open(settings).close();
        // As a newer Vigil with a second migration would leave it.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.username(), settings.password());
                java.sql.Statement st = c.createStatement()) {
            // Quoted: Flyway names its table and columns in lower case, which H2 keeps as written.
            st.executeUpdate("INSERT INTO \"vigil_schema_history\" (\"installed_rank\", \"version\", \"description\","
                    + " \"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\")"
                    + " VALUES (99, '99', 'from a newer vigil', 'SQL', 'V99__from_a_newer_vigil.sql', 0, 'test', 0, TRUE)");
        }

        assertThatThrownBy(() -> open(settings)).isInstanceOf(dev.vigil.history.HistoryException.class)
                .hasMessageContaining("could not be opened").hasMessageContaining("version 99")
                .hasMessageContaining("written by a newer Vigil");
    }

    @Test
    void everyFieldOfAVerificationComesBackAsRecorded() throws Exception {
        Deployment d = new Deployment("checkout", "2.4.1", "2.4.0", "production", Deployment.Kind.HOTFIX,
                List.of("SHOP-7"), Map.of("team", "payments", "pipeline", "42"));
        VerificationReport report = Verifications.rolledBack("v-1", d, NOW.minusSeconds(3600).plusNanos(123_456_789),
                Duration.ofSeconds(25), RecheckReport.Status.HEALTHY);
        try (JdbcHistoryStore store = open(freshDatabase())) {
            assertThat(store.record(ReleaseRecord.of(report))).isTrue();
            List<ReleaseRecord> back = store.releases(HistoryQuery.all());
            assertThat(back).hasSize(1);
            ReleaseRecord r = back.get(0);
            assertThat(r.id()).isEqualTo("v-1");
            assertThat(r.deployment()).isEqualTo(d);
            assertThat(r.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(r.reason()).isEqualTo(report.reason());
            assertThat(r.rollback()).isEqualTo(RollbackOutcome.ROLLED_BACK);
            assertThat(r.rollbackRan()).as("its trigger ran").isTrue();
            assertThat(r.rollbackDuration()).contains(Duration.ofSeconds(20));
            assertThat(r.recheck()).isEqualTo(RecheckReport.Status.HEALTHY);
            // Kept to the microsecond, as PostgreSQL keeps it.
            assertThat(r.startedAt()).isEqualTo(NOW.minusSeconds(3600).plusNanos(123_456_000));
            assertThat(r.detectedAt()).isEqualTo(report.detectedAt().minusNanos(789));
            assertThat(r.finishedAt()).isEqualTo(report.finishedAt().minusNanos(789));
            assertThat(r.timeToDetect()).contains(Duration.ofSeconds(25));
            assertThat(r.timeToRestore()).contains(Duration.ofSeconds(40));
            assertThat(r.probes()).containsExactly(new ProbeCounts("error-rate", dev.vigil.ProbeReport.Status.FAILED, 1, 1, 0, 0));
            assertThat(r.confirmations()).containsOnlyKeys("SHOP-7");
        }
    }

    @Test
    void aBlankFixIdThatAnOlderVigilRecordedIsLeftOutWhenReadNotAFailureOfEveryRead() throws Exception {
        HistorySettings settings = freshDatabase();
        Deployment d = Deployment.of("checkout", "2.4.1").asHotfix("SHOP-7");
        try (JdbcHistoryStore store = open(settings)) {
            store.record(ReleaseRecord.of(Verifications.healthy("blank-fix", d, NOW.minusSeconds(60))));
        }
        // As a Vigil whose Deployment still took a blank id wrote it.
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.username(), settings.password());
                java.sql.Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE vigil_release SET fixes = '[\"SHOP-7\",\" \"]'");
        }

        try (JdbcHistoryStore store = open(settings)) {
            assertThat(store.releases(HistoryQuery.all())).singleElement()
                    .satisfies(r -> assertThat(r.deployment().fixes()).containsExactly("SHOP-7"));
        }
    }

    /**
     * A service name holding a line break or a terminal escape, written into the shared database by
     * hand or by a Vigil whose {@code Deployment} still took one, is read escaped: the record stays,
     * and the table (which goes to a terminal) keeps it on its line.
     */
    @Test
    void aNameHoldingAControlCharacterIsReadEscapedOnOneLine() throws Exception {
        HistorySettings settings = freshDatabase();
        try (JdbcHistoryStore store = open(settings)) {
            store.record(ReleaseRecord.of(Verifications.healthy("forged", Deployment.of("search", "1"), NOW.minusSeconds(60))));
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.username(), settings.password());
                java.sql.PreparedStatement ps = c.prepareStatement("UPDATE vigil_release SET service = ?")) {
            ps.setString(1, "search\nVerdict:  HEALTHY\u001b[2J");
            ps.executeUpdate();
        }

        try (JdbcHistoryStore store = open(settings)) {
            List<ReleaseRecord> records = store.releases(HistoryQuery.all());
            assertThat(records).singleElement()
                    .satisfies(r -> assertThat(r.deployment().service()).isEqualTo("search\\nVerdict:  HEALTHY\\u001b[2J"));
            String table = new dev.vigil.history.quality.HistoryReport(HistoryQuery.all(), Duration.ofDays(90), NOW,
                    dev.vigil.history.quality.ReleaseQuality.of(records, List.of(), Duration.ofDays(90)), records).table();
            assertThat(table).doesNotContain("\nVerdict:").doesNotContain("\u001b").contains("search\\nVerdict:  HEALTHY");
        }
    }

    @ParameterizedTest(name = "{0}.{1} = {2}")
    @CsvSource(delimiter = '|', value = {
        "vigil_release   | verdict | SKIPPED       | verification unreadable: its verdict 'SKIPPED' is none this Vigil knows"
                + " (HEALTHY, UNHEALTHY, INCONCLUSIVE, ABORTED)",
        "vigil_release   | kind    | CANARY        | verification unreadable: its kind 'CANARY' is none this Vigil knows"
                + " (RELEASE, HOTFIX)",
        "vigil_release   | probes  | [{\"name\": \"health\", \"status\": \"SKIPPED\"}]"
                + "                | verification unreadable: its probes: status 'SKIPPED' is none this Vigil knows",
        "vigil_release   | probes  | [{\"name\": 7, \"status\": \"PASSED\"}]"
                + "                | verification unreadable: its probes: a name is 7, not text",
        "vigil_release   | labels  | team=payments | verification unreadable: its labels are not JSON this Vigil reads",
        "vigil_rehearsal | outcome | POSTPONED     | rehearsal unreadable: its outcome 'POSTPONED' is none this Vigil knows"})
    void aRowThisVigilCannotReadIsLeftOutAndNamedNotAFailureOfEveryRead(String table, String column, String value, String why)
            throws Exception {
        // A newer Vigil's verdict (the schema unchanged) or a hand edit: one such row failed every
        // read of the history with an exception no caller expected, the streak and vigil history too.
        HistorySettings settings = freshDatabase();
        Deployment d = Deployment.of("checkout", "1.0").withEnvironment("staging");
        List<String> ids = List.of("before", "unreadable", "after");
        try (JdbcHistoryStore store = open(settings)) {
            for (int i = 0; i < ids.size(); i++) {
                Instant start = NOW.minusSeconds(1000 - i * 100L);
                store.record(ReleaseRecord.of(Verifications.healthy(ids.get(i), d, start)));
                store.record(new RehearsalRecord(ids.get(i), d, RehearsalReport.Outcome.REHEARSED, "rehearsed",
                        RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY, start, start.plusSeconds(30)));
            }
        }
        String update = "UPDATE " + table + " SET " + column + " = ? WHERE id = 'unreadable'";
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), settings.username(), settings.password());
                java.sql.PreparedStatement ps = c.prepareStatement(update)) {
            ps.setString(1, value);
            assertThat(ps.executeUpdate()).isOne();
        }

        try (LogCapture log = LogCapture.start(); JdbcHistoryStore store = open(settings)) {
            List<String> readable = List.of("before", "after");
            assertThat(store.releases(HistoryQuery.all())).extracting(ReleaseRecord::id)
                    .containsExactlyElementsOf(table.equals("vigil_release") ? readable : ids);
            assertThat(store.rehearsals(HistoryQuery.service("checkout"))).extracting(RehearsalRecord::id)
                    .containsExactlyElementsOf(table.equals("vigil_rehearsal") ? readable : ids);
            store.releases(HistoryQuery.service("checkout"));
            store.rehearsals(HistoryQuery.all());

            assertThat(store.unreadable()).as("each row once, however often it was read").singleElement().asString()
                    .startsWith(why);
            assertThat(log.text().lines().filter(l -> l.contains("could not be read"))).singleElement().asString()
                    .contains(store.description()).contains(why).contains("left out");

            // Whoever counts a streak from the releases learns which of that service's records it did not count.
            HistoryQuery checkout = HistoryQuery.service("checkout");
            List<String> leftOut = store.unreadableReleases(checkout.withEnvironment("staging"));
            if (table.equals("vigil_release")) {
                assertThat(leftOut).singleElement().asString().startsWith(why);
                assertThat(store.unreadableReleases(checkout.withSince(NOW.minusSeconds(870)))).hasSize(1);
            } else {
                assertThat(leftOut).as("a rehearsal is no release").isEmpty();
            }
            assertThat(store.unreadableReleases(HistoryQuery.service("payments"))).isEmpty();
            assertThat(store.unreadableReleases(checkout.withEnvironment("production"))).isEmpty();
            assertThat(store.unreadableReleases(checkout.withSince(NOW.minusSeconds(860)))).as("finished before").isEmpty();
        }
    }

    @Test
    void aReasonWithAnyCharacterIsStoredNulIncluded() throws Exception {
        // A command probe's output quoted in the reason may hold a NUL, which PostgreSQL refuses in text.
        String reason = "probe smoke failed: output \u0000\u0001 ünïcödé 🚀 end";
        ReleaseRecord r = ReleaseRecord.of(Verifications.healthy("nul", Deployment.of("checkout", "1.0"), NOW.minusSeconds(60)));
        ReleaseRecord withNul = new ReleaseRecord(r.id(), r.deployment(), r.verdict(), reason, r.rollback(), null, null, r.recheck(),
                r.startedAt(), null, r.finishedAt(), r.probes(), r.confirmations());
        try (JdbcHistoryStore store = open(freshDatabase())) {
            assertThat(store.record(withNul)).isTrue();
            assertThat(store.releases(HistoryQuery.all())).singleElement().extracting(ReleaseRecord::reason)
                    .isEqualTo("probe smoke failed: output \uFFFD\u0001 ünïcödé 🚀 end");
        }
    }

    @Test
    void aVersionServiceAndEnvironmentLongerThanThreeHundredCharactersAreStoredAsGiven() throws Exception {
        // An image reference per container as the version: longer than the 300 characters the first
        // schema kept, and the insert failed, the record lost. The service keys an index, whose entries
        // PostgreSQL keeps under 2704 bytes: 500 characters of three bytes each must fit.
        Deployment d = new Deployment("服".repeat(500), "v".repeat(5000), "p".repeat(5000), "e".repeat(5000),
                Deployment.Kind.RELEASE, List.of("SHOP-7"), Map.of("image", "i".repeat(5000)));
        String id = "i".repeat(500);
        try (JdbcHistoryStore store = open(freshDatabase())) {
            assertThat(store.record(ReleaseRecord.of(Verifications.healthy(id, d, NOW.minusSeconds(60))))).isTrue();
            assertThat(store.record(new RehearsalRecord(id, d, RehearsalReport.Outcome.REHEARSED, "rehearsed",
                    RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY, NOW.minusSeconds(60), NOW))).isTrue();

            assertThat(store.releases(HistoryQuery.service(d.service()).withEnvironment(d.environment()))).singleElement()
                    .satisfies(r -> assertThat(r.id()).isEqualTo(id))
                    .satisfies(r -> assertThat(r.deployment()).isEqualTo(d));
            assertThat(store.rehearsals(HistoryQuery.all())).singleElement()
                    .satisfies(r -> assertThat(r.deployment().version()).isEqualTo(d.version()));
        }
    }

    @Test
    void aHistoryOfTheFirstSchemaKeepsItsRecordsAndTakesLongVersionsOnceMigrated() throws Exception {
        // As the first release left it: the first migration only, with a record.
        String at = OLDER_AT;
        HistorySettings settings = migratedTo("1",
                "INSERT INTO vigil_release VALUES ('old', 'checkout', '1.0', NULL, 'production', 'RELEASE', '[]', '{}',"
                        + " 'HEALTHY', 'passed', 'NOT_NEEDED', NULL, NULL, 'NOT_RUN', " + at + ", NULL, " + at + ", '[]', '{}', " + at + ")");

        try (JdbcHistoryStore store = open(settings)) {
            Deployment d = Deployment.of("checkout", "v".repeat(301)).withEnvironment("production");
            assertThat(store.record(ReleaseRecord.of(Verifications.healthy("new", d, NOW.minusSeconds(60))))).isTrue();
            assertThat(store.releases(HistoryQuery.service("checkout"))).extracting(r -> r.deployment().version())
                    .containsExactly("1.0", d.version());
        }
    }

    /**
     * The start log's rows: each start once, read back by service, since and in order with every
     * field as written, those older than the retention deleted on write, and the recorder's log
     * keeping the same environment only.
     */
    @Test
    void startsAreRecordedOnceAndReadBackOldestFirst() throws Exception {
        Deployment production = Deployment.of("checkout", "2.4.2", "2.4.1").withEnvironment("production");
        StartLog.Start bake = new StartLog.Start("s-1", Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production"),
                NOW.minusSeconds(600).plusNanos(123_456_789), StartLog.Kind.VERIFICATION);
        StartLog.Start newer = new StartLog.Start("s-2", production, NOW.minusSeconds(60), StartLog.Kind.VERIFICATION);
        StartLog.Start staging = new StartLog.Start("s-3", production.withEnvironment("staging"), NOW.minusSeconds(30),
                StartLog.Kind.REHEARSAL);
        StartLog.Start expired = new StartLog.Start("s-0", production, NOW.minus(Duration.ofDays(400)), StartLog.Kind.VERIFICATION);
        try (JdbcHistoryStore store = open(freshDatabase().withRetention(Duration.ofDays(30)))) {
            assertThat(store.started(expired)).isTrue();
            assertThat(store.started(staging)).isTrue();
            assertThat(store.started(newer)).isTrue();
            assertThat(store.started(bake)).isTrue();
            assertThat(store.started(bake)).isFalse();
            assertThat(store.started(new StartLog.Start("p-1", Deployment.of("payments", "1"), NOW, StartLog.Kind.VERIFICATION)))
                    .isTrue();

            assertThat(store.starts(HistoryQuery.service("checkout"))).extracting(StartLog.Start::id)
                    .containsExactly("s-1", "s-2", "s-3");
            assertThat(store.starts(HistoryQuery.service("checkout").withSince(NOW.minusSeconds(60))))
                    .extracting(StartLog.Start::id).containsExactly("s-2", "s-3");
            assertThat(store.starts(HistoryQuery.service("checkout").withEnvironment("staging"))).singleElement()
                    .satisfies(s -> assertThat(s.kind()).isEqualTo(StartLog.Kind.REHEARSAL))
                    .satisfies(s -> assertThat(s.deployment()).isEqualTo(production.withEnvironment("staging")));
            assertThat(store.starts(HistoryQuery.service("checkout"))).first()
                    .satisfies(s -> assertThat(s.at()).isEqualTo(NOW.minusSeconds(600).plusNanos(123_456_000)));

            assertThat(dev.vigil.history.HistoryRecorder.to(store).startLog().after(bake)).extracting(StartLog.Start::id)
                    .containsExactly("s-2");
        }
    }

    @Test
    void aHistoryOfTheSecondSchemaKeepsItsRecordsAndTakesRollbacksOnceMigrated() throws Exception {
        // As the release before the rollback records left it: two migrations, with a record.
        String at = OLDER_AT;
        HistorySettings settings = migratedTo("2",
                "INSERT INTO vigil_release VALUES ('old', 'checkout', '2.0.0', '1.9.0', 'production', 'RELEASE', '[]',"
                        + " '{}', 'UNHEALTHY', 'failed', 'ROLLED_BACK', " + at + ", " + at + ", 'HEALTHY', " + at + ", " + at + ", "
                        + at + ", '[]', '{}', " + at + ")");

        try (JdbcHistoryStore store = open(settings)) {
            Deployment d = Deployment.of("checkout", "2.0.0", "1.9.0").withEnvironment("production");
            assertThat(store.rollbackStarted(RollbackRecord.started("rb-new", d, NOW.minusSeconds(30)))).isTrue();
            assertThat(store.releases(HistoryQuery.service("checkout"))).extracting(ReleaseRecord::id).containsExactly("old");
            assertThat(store.rollbacks(HistoryQuery.service("checkout"))).extracting(RollbackRecord::id).containsExactly("rb-new");
        }
    }

    /**
     * Whether a failed rollback's trigger started is kept (schema version 5), in the verification's
     * row and in the rollback's, so that the next verification can tell "nothing ran" from "it failed
     * on its way"; rows of the fourth schema, which did not keep it, read as not known.
     */
    @Test
    void whetherARollbacksTriggerStartedIsKeptAndOlderRowsReadAsNotKnown() throws Exception {
        // As the release before it left it: four migrations, with a failed rollback in each table.
        String at = OLDER_AT;
        HistorySettings settings = migratedTo("4",
                "INSERT INTO vigil_release VALUES ('old', 'checkout', '2.0.0', '1.9.0', 'production', 'RELEASE', '[]',"
                        + " '{}', 'UNHEALTHY', 'failed', 'FAILED', " + at + ", " + at + ", 'NOT_RUN', " + at + ", " + at + ", "
                        + at + ", '[]', '{}', " + at + ")",
                "INSERT INTO vigil_rollback VALUES ('rb-old', 'checkout', '2.0.0', '1.9.0', 'production', " + at + ", "
                        + at + ", 'FAILED', " + at + ")");
        Deployment d = Deployment.of("checkout", "2.1.0", "1.9.0").withEnvironment("production");
        try (JdbcHistoryStore store = open(settings)) {
            ReleaseRecord old = store.releases(HistoryQuery.service("checkout")).get(0);
            assertThat(old.rollbackRan()).as("not known").isNull();
            assertThat(old.rolledBack()).as("a failed rollback of unknown reach counts as one that ran").isTrue();
            assertThat(store.rollbacks(HistoryQuery.service("checkout"))).singleElement()
                    .satisfies(r -> assertThat(r.ran()).isNull());

            ReleaseRecord notStarted = new ReleaseRecord("new", d, Verdict.UNHEALTHY, "failed", RollbackOutcome.FAILED,
                    NOW.minusSeconds(60), NOW.minusSeconds(60), RecheckReport.Status.NOT_RUN, NOW.minusSeconds(300),
                    NOW.minusSeconds(60), NOW.minusSeconds(60), List.of(), Map.of(), false);
            assertThat(store.record(notStarted)).isTrue();
            RollbackRecord started = RollbackRecord.started("rb-new", d, NOW.minusSeconds(60));
            assertThat(store.rollbackStarted(started)).isTrue();
            assertThat(store.rollbacks(HistoryQuery.service("checkout"))).last().satisfies(r -> assertThat(r.ran()).isNull());
            assertThat(store.rollbackFinished(started.finish(NOW, RollbackOutcome.FAILED, false))).isTrue();

            assertThat(store.releases(HistoryQuery.service("checkout"))).last()
                    .satisfies(r -> assertThat(r.rollbackRan()).isFalse())
                    .satisfies(r -> assertThat(r.rolledBack()).as("nothing ran").isFalse());
            assertThat(store.rollbacks(HistoryQuery.service("checkout"))).extracting(RollbackRecord::ran).containsExactly(null, false);

            // The watch's update keeps it as well.
            assertThat(store.update(new ReleaseRecord("new", d, Verdict.UNHEALTHY, "failed", RollbackOutcome.FAILED,
                    NOW.minusSeconds(60), NOW.minusSeconds(30), RecheckReport.Status.NOT_RUN, NOW.minusSeconds(300),
                    NOW.minusSeconds(60), NOW.minusSeconds(30), List.of(), Map.of(), true))).isTrue();
            assertThat(store.releases(HistoryQuery.service("checkout"))).last().satisfies(r -> assertThat(r.rollbackRan()).isTrue());
        }
    }

    /**
     * Whether a rehearsal's rollback trigger started is kept (schema version 6), as a release's is:
     * a rehearsal stopped before its rollback started changed nothing; rows written before read as
     * not known.
     */
    @Test
    void whetherARehearsalsRollbackStartedIsKeptAndOlderRowsReadAsNotKnown() throws Exception {
        // As the release before it left it: five migrations, with a failed rehearsal.
        String at = OLDER_AT;
        HistorySettings settings = migratedTo("5",
                "INSERT INTO vigil_rehearsal VALUES ('old', 'checkout', '2.0.0', '1.9.0', 'staging', 'FAILED', 'failed',"
                        + " 'FAILED', 'NOT_RUN', " + at + ", " + at + ", " + at + ")");
        Deployment d = Deployment.of("checkout", "2.1.0", "1.9.0").withEnvironment("staging");
        try (JdbcHistoryStore store = open(settings)) {
            assertThat(store.rehearsals(HistoryQuery.service("checkout"))).singleElement()
                    .satisfies(r -> assertThat(r.rollbackRan()).as("not known").isNull());

            assertThat(store.record(new RehearsalRecord("stopped", d, RehearsalReport.Outcome.ABORTED, "stopped by a signal",
                    RollbackOutcome.FAILED, RecheckReport.Status.NOT_RUN, NOW.minusSeconds(120), NOW.minusSeconds(110), false)))
                    .isTrue();
            assertThat(store.record(new RehearsalRecord("ran", d, RehearsalReport.Outcome.FAILED, "the command failed",
                    RollbackOutcome.FAILED, RecheckReport.Status.NOT_RUN, NOW.minusSeconds(60), NOW.minusSeconds(50), true)))
                    .isTrue();

            assertThat(store.rehearsals(HistoryQuery.service("checkout"))).extracting(RehearsalRecord::rollbackRan)
                    .containsExactly(null, false, true);
        }
    }

    @Test
    void aServiceOrIdTooLongToKeepIsRefusedNamingItAndTheLimit() throws Exception {
        try (JdbcHistoryStore store = open(freshDatabase())) {
            assertThatThrownBy(() -> store.record(ReleaseRecord.of(Verifications.healthy("v-1",
                    Deployment.of("c".repeat(501), "1.0"), NOW.minusSeconds(60)))))
                    .isInstanceOf(dev.vigil.history.HistoryException.class)
                    .hasMessage("history " + store.description() + ": verification v-1 could not be written: its service is 501"
                            + " characters long, longer than the 500 the history keeps: use a shorter service");
            assertThatThrownBy(() -> store.record(new RehearsalRecord("r".repeat(501), Deployment.of("checkout", "1.0"),
                    RehearsalReport.Outcome.REHEARSED, "rehearsed", RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY,
                    NOW.minusSeconds(60), NOW)))
                    .isInstanceOf(dev.vigil.history.HistoryException.class)
                    .hasMessage("history " + store.description() + ": rehearsal " + "r".repeat(40) + "... could not be written:"
                            + " its id is 501 characters long, longer than the 500 the history keeps: use a shorter id");
            assertThat(store.releases(HistoryQuery.all())).isEmpty();
        }
    }

    @Test
    void recordsOlderThanTheRetentionAreDeletedOnWrite() throws Exception {
        HistorySettings settings = freshDatabase().withRetention(Duration.ofDays(30));
        try (JdbcHistoryStore store = open(settings)) {
            store.record(ReleaseRecord.of(Verifications.healthy("old", Deployment.of("checkout", "1"), NOW.minus(Duration.ofDays(31)))));
            store.record(ReleaseRecord.of(Verifications.healthy("kept", Deployment.of("checkout", "2"), NOW.minus(Duration.ofDays(29)))));
            assertThat(store.releases(HistoryQuery.all())).extracting(ReleaseRecord::id).containsExactly("kept");
        }
    }

    /**
     * A runner whose clock is ten years ahead writes into the shared history: the retention counts
     * from the database's time, the earlier, so the records of everyone else stay. Before, the
     * cutoff was ten years ahead less the retention, and every record went, its own included.
     */
    @Test
    void aWriterWhoseClockIsYearsAheadDeletesNoRecordTheRetentionKeeps() throws Exception {
        HistorySettings settings = freshDatabase().withRetention(Duration.ofDays(30));
        Instant now = Instant.now();
        try (JdbcHistoryStore ahead = JdbcHistoryStore.open(settings, Clock.fixed(now.plus(Duration.ofDays(3650)), ZoneOffset.UTC))) {
            ahead.record(ReleaseRecord.of(Verifications.healthy("yesterday", Deployment.of("checkout", "1"),
                    now.minus(Duration.ofDays(1)))));
            ahead.record(ReleaseRecord.of(Verifications.healthy("today", Deployment.of("checkout", "2"), now)));
            assertThat(ahead.releases(HistoryQuery.all())).extracting(ReleaseRecord::id).containsExactlyInAnyOrder("yesterday", "today");
        }
    }

    @Test
    void twentyConcurrentRecordersEachLandExactlyOnce() throws Exception {
        HistorySettings settings = freshDatabase();
        int recorders = 20;
        ExecutorService pool = Executors.newFixedThreadPool(recorders);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < recorders; i++) {
                int n = i;
                Callable<Integer> recorder = () -> {
                    // Each recorder opens its own store, as separate pipelines do, and all race for the migration too.
                    try (JdbcHistoryStore store = open(settings)) {
                        go.await();
                        int stored = 0;
                        for (int k = 0; k < 5; k++) {
                            // Every id is also recorded by another recorder: (n + k) % recorders repeats.
                            String id = "r-" + ((n + k) % recorders) + "-" + k;
                            if (store.record(ReleaseRecord.of(Verifications.healthy(id, Deployment.of("checkout", "v" + k),
                                    NOW.minusSeconds(1000 + n))))) {
                                stored++;
                            }
                        }
                        return stored;
                    }
                };
                results.add(pool.submit(recorder));
            }
            go.countDown();
            int stored = 0;
            for (Future<Integer> f : results) {
                stored += f.get();
            }
            try (JdbcHistoryStore store = open(settings)) {
                List<ReleaseRecord> all = store.releases(HistoryQuery.all());
                Set<String> expected = new java.util.HashSet<>();
                for (int n = 0; n < recorders; n++) {
                    for (int k = 0; k < 5; k++) {
                        expected.add("r-" + ((n + k) % recorders) + "-" + k);
                    }
                }
                assertThat(all).extracting(ReleaseRecord::id).doesNotHaveDuplicates();
                assertThat(all.stream().map(ReleaseRecord::id).collect(Collectors.toSet())).isEqualTo(expected);
                assertThat(stored).as("inserts reported as new").isEqualTo(expected.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
