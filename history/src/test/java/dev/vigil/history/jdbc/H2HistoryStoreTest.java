package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.history.HistoryException;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.Verifications;
import dev.vigil.reliability.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.io.TempDir;

/** The store on the embedded default, an H2 file. */
class H2HistoryStoreTest extends HistoryStoreContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    @TempDir
    Path dir;

    @Override
    HistorySettings freshDatabase() {
        Path file = dir.resolve("db" + DATABASES.incrementAndGet()).resolve("history");
        return HistorySettings.defaults().withDatabase("jdbc:h2:file:" + file + ";AUTO_SERVER=TRUE", null, null);
    }

    @Test
    void theEmbeddedFileIsCreatedWithItsFolder() {
        Path file = dir.resolve("a/b/history");
        try (JdbcHistoryStore store = open(HistorySettings.defaults().withDatabase("jdbc:h2:file:" + file, null, null))) {
            assertThat(store.description()).isEqualTo("jdbc:h2:file:" + file);
        }
        assertThat(Files.exists(dir.resolve("a/b/history.mv.db"))).isTrue();
    }

    @Test
    void aFileWhereTheFolderWouldGoIsNamedAsTheReasonNotJustItsPath() throws Exception {
        // ~/.vigil a file: the warning read "folder /home/ci/.vigil cannot be created: /home/ci/.vigil".
        Path file = Files.writeString(dir.resolve("dot-vigil"), "x");
        assertThatThrownBy(() -> open(HistorySettings.defaults().withDatabase("jdbc:h2:file:" + file.resolve("history"), null, null)))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("folder " + file + " cannot be created: FileAlreadyExistsException: " + file);
    }

    @Test
    void aUserThatMayInsertButNotDeleteRecordsAndTheRetentionIsAOneLineWarning() throws Exception {
        // An append-only audit setup. The retention's DELETE ran in the insert's try, so every record
        // that landed was reported as "could not be written", and the recorder told no streak.
        HistorySettings owner = freshDatabase().withDatabase(freshDatabase().url(), "owner", "owner-pw");
        open(owner).close();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(owner.url(), "owner", "owner-pw");
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE USER writer PASSWORD 'writer-pw-1'");
            s.execute("GRANT SELECT, INSERT ON vigil_release, vigil_rehearsal TO writer");
            s.execute("GRANT SELECT ON \"vigil_schema_history\" TO writer");
        }
        Deployment d = Deployment.of("checkout", "1.0");
        HistorySettings writer = owner.withDatabase(owner.url(), "writer", "writer-pw-1");
        try (LogCapture log = LogCapture.start(); JdbcHistoryStore store = open(writer)) {
            HistoryRecorder recorder = HistoryRecorder.to(store);
            recorder.finished(Verifications.healthy("v-1", d, NOW.minusSeconds(60)));
            assertThat(recorder.lines()).singleElement().asString().startsWith("History: quiet release #1 in a row for checkout");
            assertThat(store.record(new RehearsalRecord("r-1", d, RehearsalReport.Outcome.REHEARSED, "rehearsed",
                    RollbackOutcome.ROLLED_BACK, RecheckReport.Status.HEALTHY, NOW.minusSeconds(60), NOW))).isTrue();
            assertThat(store.releases(HistoryQuery.all())).extracting(ReleaseRecord::id).containsExactly("v-1");

            List<String> warnings = log.text().lines().filter(l -> l.contains("retention")).toList();
            assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w)
                    .contains("the release history (" + store.description() + ") kept ")
                    .contains("but its retention could not be applied")
                    .contains("Not enough rights for object")
                    .doesNotContain("DELETE FROM").doesNotContain("writer-pw-1"));
        }
    }

    @Test
    void aFilePathThisSystemCannotHaveIsAHistoryProblemNotAStackTrace() {
        // A NUL in the path (from a variable, say) makes Path.of throw InvalidPathException, which
        // ended the command line with exit 3 before anything was verified, instead of the usual
        // warning that the history is unavailable.
        assertThatThrownBy(() -> open(HistorySettings.defaults().withDatabase("jdbc:h2:file:" + dir + "/his\u0000tory", null, null)))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("not a file path here");
    }

    @Test
    void anUnsupportedDatabaseIsRefusedNamingTheOnesThatWork() {
        assertThatThrownBy(() -> open(HistorySettings.defaults().withDatabase("jdbc:mysql://db/history", "u", "s3cret")))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("jdbc:h2:file:")
                .hasMessageContaining("jdbc:postgresql://")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aWrongPasswordIsReportedWithoutThePassword() {
        HistorySettings first = freshDatabase().withDatabase(freshDatabase().url(), "owner", "right-one");
        open(first).close();
        assertThatThrownBy(() -> open(first.withDatabase(first.url(), "owner", "wrong-pass-123")))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("could not be opened")
                .hasMessageNotContaining("wrong-pass-123")
                .hasMessageNotContaining("right-one");
    }

    @Test
    void anInvalidPostgresUrlIsReportedWithoutThePasswordItHolds() {
        // pgjdbc's own message repeats the whole URL, parameters and all.
        assertThatThrownBy(() -> open(HistorySettings.defaults().withDatabase(
                "jdbc:postgresql://db.example:54x32/vigil?user=ci&password=s3cret-in-url", null, null)))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("not a valid PostgreSQL URL")
                .hasMessageContaining("jdbc:postgresql://db.example:54x32/vigil")
                .hasMessageNotContaining("s3cret-in-url");
    }

    @Test
    void aDriverThatFailsWithAnUncheckedExceptionIsAHistoryProblemNotAStackTrace() throws Exception {
        // Flyway turns a driver's SQLException into its own, but passes any other exception on as it
        // is; the command line's verify caught only HistoryException and ended on it, exit 3, before
        // verifying. Here a driver that DriverManager asks after pgjdbc (refused at port 1) throws one.
        java.sql.Driver faulty = new FaultyDriver();
        java.sql.DriverManager.registerDriver(faulty);
        try {
            assertThatThrownBy(() -> open(HistorySettings.defaults().withDatabase("jdbc:postgresql://127.0.0.1:1/faulty-driver",
                    "ci", "s3cret-pw")))
                    .isInstanceOf(HistoryException.class)
                    .hasMessage("history jdbc:postgresql://127.0.0.1:1/faulty-driver could not be opened:"
                            + " IllegalArgumentException: no such option for password ******");
        } finally {
            java.sql.DriverManager.deregisterDriver(faulty);
        }
    }

    /** A driver of PostgreSQL URLs naming the database faulty-driver that fails unchecked, quoting the password. */
    private static final class FaultyDriver implements java.sql.Driver {

        @Override
        public java.sql.Connection connect(String url, java.util.Properties info) {
            if (!acceptsURL(url)) {
                return null;
            }
            throw new IllegalArgumentException("no such option for password " + info.getProperty("password"));
        }

        @Override
        public boolean acceptsURL(String url) {
            return url.startsWith("jdbc:postgresql://127.0.0.1:1/faulty-driver");
        }

        @Override
        public java.sql.DriverPropertyInfo[] getPropertyInfo(String url, java.util.Properties info) {
            return new java.sql.DriverPropertyInfo[0];
        }

        @Override
        public int getMajorVersion() {
            return 1;
        }

        @Override
        public int getMinorVersion() {
            return 0;
        }

        @Override
        public boolean jdbcCompliant() {
            return false;
        }

        @Override
        public java.util.logging.Logger getParentLogger() {
            return java.util.logging.Logger.getGlobal();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://ci:s3cret-in-url@127.0.0.1:1/vigil",
        "jdbc:postgresql://ci:s3cret/in-url@127.0.0.1:1/vigil", "jdbc:h2:tcp://ci:s3cret-in-url@127.0.0.1:1/history"})
    void aUrlHoldingAUserAndPasswordIsRefusedWithoutShowingThePassword(String url) {
        // pgjdbc takes user:password@host for a host name and quotes it in its error
        assertThatThrownBy(() -> open(HistorySettings.defaults().withDatabase(url, null, null)))
                .isInstanceOf(HistoryException.class)
                .hasMessageContaining("username and password")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void theCredentialsAUrlHoldsAreMaskedInADriversMessageLikeThePassword() {
        HistorySettings settings = HistorySettings.defaults().withDatabase(
                "jdbc:postgresql://db.example/vigil?user=ci&password=pw-in-url-1&sslpassword=key-pw-2&ssl=true", "ci", "pw-setting-3");

        assertThat(JdbcHistoryStore.secrets(settings)).containsExactlyInAnyOrder("pw-in-url-1", "key-pw-2", "pw-setting-3");
    }

    @Test
    void anotherProcessRecordsWhileThisOneHoldsAnH2FileNamedWithoutAutoServer() throws Exception {
        // The URL as docs/history.md and docs/configuration.md write it: no AUTO_SERVER.
        HistorySettings settings = HistorySettings.defaults().withDatabase("jdbc:h2:file:" + dir.resolve("shared/history"), "", null);
        Path log = dir.resolve("other.log");
        try (JdbcHistoryStore mine = open(settings)) {
            Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RecordingProcess.class.getName(),
                    settings.url(), "", "other", "1", "3")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            try {
                assertThat(other.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("the second JVM finished").isTrue();
            } finally {
                other.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(other.exitValue()).as(output).isZero();
            assertThat(output).contains("stored=3");
            assertThat(mine.releases(dev.vigil.history.HistoryQuery.all())).hasSize(3);
        }
    }

    @Test
    void processesCreatingOneNewH2FileAtTheSameMomentAllRecord() throws Exception {
        // Several pipelines on one machine whose first verification ends at the same moment: each
        // opens the embedded history, which does not exist yet, and migrates it.
        HistorySettings settings = HistorySettings.defaults().withDatabase("jdbc:h2:file:" + dir.resolve("new/history"), "", null);
        List<Process> others = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            Path log = dir.resolve("first-" + p + ".log");
            logs.add(log);
            others.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), RecordingProcess.class.getName(),
                    settings.url(), "", "first-" + p, "2", "2")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start());
        }
        try {
            for (int p = 0; p < others.size(); p++) {
                assertThat(others.get(p).waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as("JVM " + p + " finished").isTrue();
                String output = Files.readString(logs.get(p));
                assertThat(others.get(p).exitValue()).as(output).isZero();
                assertThat(output).contains("stored=2");
            }
        } finally {
            others.forEach(Process::destroyForcibly);
        }
        try (JdbcHistoryStore mine = open(settings)) {
            assertThat(mine.releases(dev.vigil.history.HistoryQuery.all())).hasSize(6);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Concurrent update", "Another process was faster"})
    void aConnectionThatLostTheLockFileToAnotherProcessIsOpenedOnTheNextAttempt(String answer) throws Exception {
        // H2's answers when two processes take a new file's lock file in the same instant and this one
        // loses; they were not tried again, so one of several pipelines creating the history at once
        // lost its record (processesCreatingOneNewH2FileAtTheSameMomentAllRecord failed about one run in ten).
        org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
        h2.setURL("jdbc:h2:mem:lock-race-" + DATABASES.incrementAndGet());
        AtomicInteger attempts = new AtomicInteger();
        javax.sql.ConnectionPoolDataSource losingOnce = (javax.sql.ConnectionPoolDataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.ConnectionPoolDataSource.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getPooledConnection") && attempts.incrementAndGet() == 1) {
                        throw lockFileAnswer(answer);
                    }
                    try {
                        return method.invoke(h2, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RetryingH2Source source = new RetryingH2Source(org.h2.jdbcx.JdbcConnectionPool.create(losingOnce));
        try (java.sql.Connection c = source.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        } finally {
            source.dispose();
        }
        assertThat(attempts).hasValue(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INSERT", "UPDATE", "SELECT"})
    void aStatementThatMeetsAnotherProcessTakingTheFileIsRunAgain(String statement) throws Exception {
        // H2 reconnects a connection whose serving process has exited at its next statement, and the
        // reconnection can meet another process taking the lock file. Only opening a connection was tried
        // again, so a pipeline whose server exited just then lost its record ("could not be written:
        // ... Lock file recently modified", once in 30 runs of processesCreatingOneNewH2FileAtTheSameMomentAllRecord).
        // Here a trigger answers the statement once as H2 does.
        HistorySettings settings = freshDatabase();
        Deployment d = Deployment.of("checkout", "1.0");
        try (JdbcHistoryStore store = open(settings)) {
            if (!statement.equals("INSERT")) {
                store.record(ReleaseRecord.of(Verifications.healthy("v-1", d, NOW.minusSeconds(60))));
            }
            String trigger = LockFileRace.failingOnce();
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(settings.url(), "", "");
                    java.sql.Statement s = c.createStatement()) {
                s.execute("CREATE TRIGGER " + trigger + " BEFORE " + statement + " ON vigil_release CALL \""
                        + LockFileRace.class.getName() + "\"");
            }
            switch (statement) {
                case "INSERT" -> assertThat(store.record(ReleaseRecord.of(Verifications.healthy("v-1", d, NOW.minusSeconds(60)))))
                        .isTrue();
                case "UPDATE" -> assertThat(store.update(ReleaseRecord.of(Verifications.rolledBack("v-1", d, NOW.minusSeconds(60),
                        java.time.Duration.ofSeconds(5), RecheckReport.Status.HEALTHY)))).isTrue();
                default -> assertThat(store.releases(HistoryQuery.all())).hasSize(1);
            }
            assertThat(LockFileRace.failuresLeft(trigger)).as("the statement met the race").isZero();
            assertThat(store.releases(HistoryQuery.all())).singleElement().extracting(ReleaseRecord::verdict)
                    .isEqualTo(statement.equals("UPDATE") ? dev.vigil.Verdict.UNHEALTHY : dev.vigil.Verdict.HEALTHY);
        }
    }

    /** H2's answer, as its lock file protocol gives it: {@code Error opening database: "REASON" [8000-...]}. */
    private static java.sql.SQLException lockFileAnswer(String reason) {
        return org.h2.message.DbException.get(org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1, reason).getSQLException();
    }

    /**
     * A trigger that fails its statement as H2 fails one whose connection, reconnecting, meets another
     * process taking the lock file, as often as {@link #failingOnce()} set for its name.
     */
    public static final class LockFileRace implements org.h2.api.Trigger {

        private static final java.util.concurrent.ConcurrentMap<String, AtomicInteger> FAILURES_LEFT =
                new java.util.concurrent.ConcurrentHashMap<>();
        private String name;

        /** {@return the name of a new trigger that fails its first statement} */
        static String failingOnce() {
            String name = "LOCK_FILE_RACE_" + DATABASES.incrementAndGet();
            FAILURES_LEFT.put(name, new AtomicInteger(1));
            return name;
        }

        static int failuresLeft(String name) {
            return FAILURES_LEFT.get(name).get();
        }

        @Override
        public void init(java.sql.Connection conn, String schema, String trigger, String table, boolean before, int type) {
            name = trigger;
        }

        @Override
        public void fire(java.sql.Connection conn, Object[] oldRow, Object[] newRow) throws java.sql.SQLException {
            if (FAILURES_LEFT.get(name).getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw lockFileAnswer("Lock file recently modified");
            }
        }
    }

    @Test
    void onlyAnotherProcessOpeningTheFileIsWorthAnotherAttempt() {
        assertThat(RetryingH2Source.anotherProcessIsOpeningTheFile(new java.sql.SQLException(
                "Error opening database: \"Lock file recently modified\"", "08000", org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1)))
                .isTrue();
        assertThat(RetryingH2Source.anotherProcessIsOpeningTheFile(new org.flywaydb.core.api.FlywayException("migration failed",
                new java.sql.SQLException("Database is already closed", "90121", org.h2.api.ErrorCode.DATABASE_CALLED_AT_SHUTDOWN))))
                .isTrue();
        assertThat(RetryingH2Source.anotherProcessIsOpeningTheFile(new java.sql.SQLException(
                "Wrong user name or password", "28000", org.h2.api.ErrorCode.WRONG_USER_OR_PASSWORD))).isFalse();
        assertThat(RetryingH2Source.anotherProcessIsOpeningTheFile(new java.sql.SQLException(
                "Error opening database: \"The file is locked\"", "08000", org.h2.api.ErrorCode.ERROR_OPENING_DATABASE_1)))
                .isFalse();
    }

    @Test
    void theDescriptionLeavesOutUrlParametersAndCredentials() {
        assertThat(JdbcHistoryStore.describe("jdbc:postgresql://ci:s3cret@db.example:5432/vigil?password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db.example:5432/vigil");
        assertThat(JdbcHistoryStore.describe("jdbc:h2:file:/tmp/h;AUTO_SERVER=TRUE;PASSWORD=x")).isEqualTo("jdbc:h2:file:/tmp/h");
        assertThat(JdbcHistoryStore.describe("jdbc:postgresql://ci:s3@cret@db.example:5432/vigil"))
                .isEqualTo("jdbc:postgresql://db.example:5432/vigil");
    }
}
