package dev.vigil.history.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Deployment;
import dev.vigil.ProbeReport;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.StartLog;
import dev.vigil.Verdict;
import dev.vigil.VigilException;
import dev.vigil.history.HistoryException;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.ProbeCounts;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.RollbackRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.report.Reports;
import dev.vigil.spi.CredentialNames;
import dev.vigil.spi.UrlCredentials;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The release history in a JDBC database: an H2 file ({@link #DEFAULT_URL}, no server needed) or
 * PostgreSQL ({@code jdbc:postgresql://host:5432/db}) for teams whose pipelines run on many
 * machines. The schema is created and migrated by Flyway when the store opens (the same scripts,
 * {@code db/vigil-history/V*.sql}, for both databases; Flyway's own table is
 * {@code vigil_schema_history}).
 *
 * <pre>{@code
 * try (JdbcHistoryStore store = JdbcHistoryStore.open(bound.history())) {
 *     builder.listener(HistoryRecorder.to(store));
 *     ...
 * }
 * }</pre>
 *
 * <p>Recording is idempotent by id: the row is inserted, and a unique-key violation (another
 * process stored the same id first) means it was there already. Every write then deletes the
 * records older than the retention; when it cannot (a user that may not delete), the record stays
 * written and a warning is logged. An id or service longer than 500 characters is refused; other
 * text is kept at any length. Timestamps are kept to the microsecond (PostgreSQL's precision). A
 * row that cannot be read (a value a newer Vigil wrote) is left out of reads, logged once, and
 * listed by {@link #unreadable()}.
 *
 * <p>Thread-safe: every operation takes its own connection. Failures are {@link HistoryException}s
 * whose messages name the database by {@link #description()}, hold the driver's message in one
 * line and never the password.
 */
public final class JdbcHistoryStore implements HistoryStore {

    /**
     * The embedded default: an H2 file database at {@code ~/.vigil/history}, which processes on the
     * same machine share ({@code AUTO_SERVER}).
     */
    public static final String DEFAULT_URL = "jdbc:h2:file:~/.vigil/history;AUTO_SERVER=TRUE";
    /** Where Flyway finds the migrations. */
    static final String MIGRATIONS = "classpath:db/vigil-history";

    /** What stands for a credential in a message. */
    static final String MASK = "******";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** What {@link #unreadable()} calls a row of {@code vigil_release}. */
    private static final String RELEASE = "verification";
    private static final String RELEASE_COLUMNS = "id, service, version, previous_version, environment, kind, fixes, labels, "
            + "verdict, reason, rollback_outcome, rollback_started_at, rollback_finished_at, recheck_status, started_at, "
            + "detected_at, finished_at, probes, confirmations, recorded_at, rollback_ran";
    private static final String ROLLBACK_COLUMNS = "id, service, version, previous_version, environment, started_at, finished_at, "
            + "outcome, recorded_at, ran";
    private static final String START_COLUMNS = "id, service, version, previous_version, environment, kind, started_at, recorded_at";
    private static final String REHEARSAL_COLUMNS = "id, service, version, previous_version, environment, outcome, reason, "
            + "rollback_outcome, recheck_status, started_at, finished_at, recorded_at, rollback_ran";

    /**
     * The longest id and service the history keeps, in characters: each keys an index, and PostgreSQL
     * keeps an index entry under 2704 bytes (500 UTF-16 characters are at most 1500 bytes of UTF-8).
     * The version, previous version and environment are kept at any length.
     */
    static final int MAX_KEY_LENGTH = 500;

    /**
     * How long a PostgreSQL connection and its login may take, in seconds, unless the URL says
     * otherwise ({@code connectTimeout}, {@code loginTimeout}).
     */
    static final int PG_CONNECT_TIMEOUT_SECONDS = 5;
    /**
     * How long PostgreSQL may take to answer a statement, in seconds, unless the URL says otherwise
     * ({@code socketTimeout}).
     */
    static final int PG_SOCKET_TIMEOUT_SECONDS = 20;

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcHistoryStore.class);
    private final DataSource dataSource;
    private final AutoCloseable closer;
    /** The rows left out of reads since the store opened, by kind and id: see {@link #unreadable()}. */
    private final Map<String, LeftOut> unreadable = new LinkedHashMap<>();
    /** One lock per database (by its URL without parameters), held while its schema is migrated. */
    private static final java.util.concurrent.ConcurrentMap<String, Object> MIGRATION_LOCKS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final String description;
    /** The password and the credentials the URL holds, longest first: what no message may show. */
    private final List<String> secrets;
    private final HistorySettings settings;
    private final Clock clock;

    private JdbcHistoryStore(DataSource dataSource, AutoCloseable closer, String description, HistorySettings settings,
            Clock clock) {
        this.dataSource = dataSource;
        this.closer = closer;
        this.description = description;
        this.secrets = secrets(settings);
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Opens the history the settings name (the embedded H2 file when they name none) and migrates
     * its schema, with the system clock for retention.
     *
     * @param settings where the history is and how long records are kept
     * @return the open store; the caller closes it
     * @throws HistoryException when the database cannot be reached or migrated, the URL is not H2 or PostgreSQL,
     *     or its driver fails in any other way
     */
    public static JdbcHistoryStore open(HistorySettings settings) {
        return open(settings, Clock.systemUTC());
    }

    /**
     * Opens a history that must already exist, to read it: an embedded H2 file that is not there is
     * refused instead of created, since reading it would show an empty history for a mistyped
     * {@code vigil.history.url}. Otherwise as {@link #open(HistorySettings, Clock)}.
     *
     * @param settings where the history is and how long records are kept
     * @param clock what "now" is when the retention is applied
     * @return the open store; the caller closes it
     * @throws HistoryException when an H2 file history does not exist, or as {@link #open(HistorySettings, Clock)}
     */
    public static JdbcHistoryStore openExisting(HistorySettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        String url = settings.url() == null ? DEFAULT_URL : settings.url();
        if (isPlainH2File(url)) {
            Path file = filePath(url, h2Path(url) + ".mv.db").toAbsolutePath();
            if (!java.nio.file.Files.exists(file)) {
                throw new HistoryException("history " + describe(url) + " does not exist (no " + Reports.oneLine(file.toString())
                        + "): nothing was"
                        + " recorded there yet, or vigil.history.url names another place than the verifications write to", null);
            }
        }
        return open(settings, clock);
    }

    /** Whether an H2 URL names a file: {@code jdbc:h2:file:...} or a plain path, not memory or a server. */
    private static boolean isH2File(String url) {
        if (!url.startsWith("jdbc:h2:")) {
            return false;
        }
        String rest = url.substring("jdbc:h2:".length());
        return rest.startsWith("file:") || !(rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:"));
    }

    /**
     * Whether an H2 URL names a plain file whose name is known: {@code jdbc:h2:file:...} or a path
     * without another file system prefix ({@code nio:}, {@code split:}, {@code zip:}, ...), whose
     * database file would be named otherwise.
     */
    private static boolean isPlainH2File(String url) {
        String rest = url.substring("jdbc:h2:".length());
        return isH2File(url) && (rest.startsWith("file:") || !rest.matches("(?s)[A-Za-z][A-Za-z0-9]+:.*"));
    }

    /**
     * Opens the history the settings name and migrates its schema; {@code clock} says what "now"
     * is when the retention is applied.
     *
     * @param settings where the history is and how long records are kept
     * @param clock what "now" is when the retention is applied
     * @return the open store; the caller closes it
     * @throws HistoryException when the database cannot be reached or migrated, the URL is not H2 or PostgreSQL,
     *     or its driver fails in any other way
     */
    public static JdbcHistoryStore open(HistorySettings settings, Clock clock) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        String url = settings.url() == null ? DEFAULT_URL : settings.url();
        String description = describe(url);
        if (!UrlCredentials.userInfo(url).isEmpty()) {
            // Neither driver reads user info; pgjdbc takes it for the host and quotes it in its error.
            throw new HistoryException("history " + description + ": the URL holds a user or password; set the history's"
                    + " username and password (vigil.history.username, vigil.history.password) instead, so that they stay secret");
        }
        DataSource ds;
        AutoCloseable closer = () -> { };
        if (url.startsWith("jdbc:h2:")) {
            createParentFolder(url);
            RetryingH2Source h2 = new RetryingH2Source(JdbcConnectionPool.create(shared(url), nullToEmpty(settings.username()),
                    nullToEmpty(settings.password())));
            ds = h2;
            closer = h2::dispose;
        } else if (url.startsWith("jdbc:postgresql:")) {
            PGSimpleDataSource pg = new PGSimpleDataSource();
            try {
                pg.setURL(url);
            } catch (RuntimeException e) {
                // pgjdbc's message repeats the whole URL, whose parameters may hold a password.
                String why = scrub(e.getMessage() == null ? "" : e.getMessage().replace(url, description), secrets(settings));
                throw new HistoryException("history " + description + ": not a valid PostgreSQL URL: " + why);
            }
            if (settings.username() != null) {
                pg.setUser(settings.username());
            }
            if (settings.password() != null) {
                pg.setPassword(settings.password());
            }
            pg.setApplicationName("vigil");
            boundWaits(pg, url);
            ds = pg;
        } else {
            throw new HistoryException("history " + description
                    + ": unsupported database; use jdbc:h2:file:PATH (embedded) or jdbc:postgresql://HOST:PORT/DB");
        }
        JdbcHistoryStore store = new JdbcHistoryStore(ds, closer, description, settings, clock);
        store.migrate();
        return store;
    }

    /**
     * Bounds every wait on a PostgreSQL server, unless the URL sets it: a server that accepts the
     * connection and never answers (stopped, hung, or a firewall that drops the packets) would
     * otherwise hold the verification up for good, since pgjdbc waits for the login and for each
     * answer without end by default. Each operation takes a connection of its own, so the login
     * timeout bounds a server that hung between two of them.
     */
    private static void boundWaits(PGSimpleDataSource pg, String url) {
        String parameters = url.indexOf('?') < 0 ? "" : url.substring(url.indexOf('?')).toLowerCase(java.util.Locale.ROOT);
        if (!parameters.matches("(?s).*[?&]connecttimeout=.*")) {
            pg.setConnectTimeout(PG_CONNECT_TIMEOUT_SECONDS);
        }
        if (!parameters.matches("(?s).*[?&]logintimeout=.*")) {
            pg.setLoginTimeout(PG_CONNECT_TIMEOUT_SECONDS);
        }
        if (!parameters.matches("(?s).*[?&]sockettimeout=.*")) {
            pg.setSocketTimeout(PG_SOCKET_TIMEOUT_SECONDS);
        }
    }

    /**
     * The URL as messages show it: masked as every shown URL is ({@link UrlCredentials#mask}: its
     * user info whole, a password holding {@code ?}, {@code ;}, {@code #} or {@code @} included, and
     * every parameter that carries a credential), then without the masked user info and without its
     * parameters, which name no database; on one line ({@link Reports#oneLine}).
     *
     * @param url a JDBC URL; {@code null} for {@link #DEFAULT_URL}
     * @return the URL to show
     */
    public static String describe(String url) {
        if (url == null) {
            return describe(DEFAULT_URL);
        }
        // masked before it is cut: cut first, a password holding ? or ; showed its start
        String out = UrlCredentials.mask(url, MASK).replace("//" + MASK + "@", "//");
        for (char c : new char[] {'?', ';'}) {
            int at = out.indexOf(c);
            if (at >= 0) {
                out = out.substring(0, at);
            }
        }
        // a line break in it would split the message, and its second half pass for a line of its own
        return Reports.oneLine(out);
    }

    /**
     * An H2 file URL as processes on one machine can share it: with {@code AUTO_SERVER=TRUE} unless
     * it says otherwise. Without it the first process to open the file locks it for as long as its
     * store is open (a whole watch), and every other verification's record on the machine fails.
     * H2 refuses {@code AUTO_SERVER} for a read-only database, so a URL that opens one read-only
     * ({@code ACCESS_MODE_DATA=r}, or a file that cannot be written) is left as it is.
     */
    static String shared(String url) {
        String rest = url.substring("jdbc:h2:".length());
        String upper = url.toUpperCase(java.util.Locale.ROOT);
        if (rest.startsWith("mem:") || rest.startsWith("tcp:") || rest.startsWith("ssl:") || rest.startsWith("zip:")
                || upper.contains(";AUTO_SERVER=") || upper.contains(";FILE_LOCK=") || upper.contains(";ACCESS_MODE_DATA=")) {
            return url;
        }
        Path file = filePath(url, h2Path(url) + ".mv.db");
        if (java.nio.file.Files.exists(file) && !java.nio.file.Files.isWritable(file)) {
            return url;
        }
        return url + ";AUTO_SERVER=TRUE";
    }

    /** The path of an H2 file URL's database, without its {@code .mv.db}. */
    private static String h2Path(String url) {
        String rest = url.substring("jdbc:h2:".length());
        String path = rest.startsWith("file:") ? rest.substring("file:".length()) : rest;
        int semicolon = path.indexOf(';');
        if (semicolon >= 0) {
            path = path.substring(0, semicolon);
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    /** The path of an H2 file URL's database; a path this system cannot have is the URL's fault, said as such. */
    private static Path filePath(String url, String path) {
        try {
            return Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new HistoryException("history " + describe(url) + ": not a file path here: " + e.getReason(), e);
        }
    }

    private static void createParentFolder(String url) {
        if (!isH2File(url)) {
            return;
        }
        String path = h2Path(url);
        Path parent = filePath(url, path).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                java.nio.file.Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            // The class says why (FileAlreadyExistsException: a file in its place); the message is often the path alone.
            throw new HistoryException("history " + describe(url) + ": folder " + parent + " cannot be created: "
                    + VigilException.describe(e), e);
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * Creates or updates the schema. Stores of one database opened at the same time in this JVM
     * migrate one after the other: on H2, two first migrations racing for an empty database could
     * both create the tables, and the loser would leave a failed migration that blocks every later
     * open. (Flyway serialises migrations across processes on PostgreSQL with an advisory lock.)
     */
    private void migrate() {
        try {
            synchronized (MIGRATION_LOCKS.computeIfAbsent(description, k -> new Object())) {
                Flyway flyway = Flyway.configure(JdbcHistoryStore.class.getClassLoader())
                        .dataSource(dataSource)
                        .locations(MIGRATIONS)
                        .table("vigil_schema_history")
                        .baselineOnMigrate(false)
                        .load();
                Runnable migration = () -> {
                    refuseNewerSchema(flyway);
                    flyway.migrate();
                };
                if (dataSource instanceof RetryingH2Source) {
                    // Another process may serve the file and exit in the middle of the migration.
                    RetryingH2Source.retry().executeRunnable(migration);
                } else {
                    migration.run();
                }
            }
        } catch (FlywayException e) {
            close();
            throw new HistoryException("history " + description + " could not be opened: " + scrub(rootMessage(e)), null);
        } catch (RuntimeException e) {
            // A driver's fault that is no SQLException, which Flyway passes on as it is (a driver's
            // IllegalArgumentException for its URL, say): the history is as unavailable, and the
            // verification must not end on it.
            close();
            throw new HistoryException("history " + description + " could not be opened: " + scrub(VigilException.describe(e)),
                    null);
        }
    }

    /**
     * A database a newer Vigil migrated has tables and values this one does not know (Flyway would
     * ignore its newer migrations and go on): refused with a sentence saying so, instead of records
     * written without its new columns or read back as "No enum constant".
     */
    private void refuseNewerSchema(Flyway flyway) {
        for (org.flywaydb.core.api.MigrationInfo m : flyway.info().all()) {
            if (m.getState() == org.flywaydb.core.api.MigrationState.FUTURE_SUCCESS
                    || m.getState() == org.flywaydb.core.api.MigrationState.FUTURE_FAILED) {
                throw new FlywayException("its schema is version " + m.getVersion() + ", written by a newer Vigil than this"
                        + " one: upgrade Vigil to use it");
            }
        }
    }

    @Override
    public boolean record(ReleaseRecord r) {
        Objects.requireNonNull(r, "record");
        Deployment d = r.deployment();
        String what = "verification " + abbreviate(r.id());
        refuseTooLong(what, r.id(), d);
        return insert("INSERT INTO vigil_release (" + RELEASE_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                what, ps -> {
                    bindIdAndDeployment(ps, r.id(), d);
                    ps.setString(6, d.kind().name());
                    ps.setString(7, json(d.fixes()));
                    ps.setString(8, json(new java.util.TreeMap<>(d.labels())));
                    ps.setString(9, r.verdict().name());
                    ps.setString(10, text(r.reason()));
                    ps.setString(11, r.rollback().name());
                    ps.setObject(12, time(r.rollbackStartedAt()));
                    ps.setObject(13, time(r.rollbackFinishedAt()));
                    ps.setString(14, r.recheck().name());
                    ps.setObject(15, time(r.startedAt()));
                    ps.setObject(16, time(r.detectedAt()));
                    ps.setObject(17, time(r.finishedAt()));
                    ps.setString(18, json(r.probes()));
                    ps.setString(19, json(r.confirmations()));
                    ps.setObject(20, time(clock.instant()));
                    ps.setObject(21, r.rollbackRan(), java.sql.Types.BOOLEAN);
                });
    }

    @Override
    public boolean update(ReleaseRecord r) {
        Objects.requireNonNull(r, "record");
        String sql = "UPDATE vigil_release SET verdict = ?, reason = ?, rollback_outcome = ?, rollback_started_at = ?,"
                + " rollback_finished_at = ?, recheck_status = ?, detected_at = ?, finished_at = ?, probes = ?, rollback_ran = ?"
                + " WHERE id = ?";
        try {
            return onConnection(connection -> {
                try (Connection c = connection) {
                    c.setAutoCommit(true);
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setString(1, r.verdict().name());
                        ps.setString(2, text(r.reason()));
                        ps.setString(3, r.rollback().name());
                        ps.setObject(4, time(r.rollbackStartedAt()));
                        ps.setObject(5, time(r.rollbackFinishedAt()));
                        ps.setString(6, r.recheck().name());
                        ps.setObject(7, time(r.detectedAt()));
                        ps.setObject(8, time(r.finishedAt()));
                        ps.setString(9, json(r.probes()));
                        ps.setObject(10, r.rollbackRan(), java.sql.Types.BOOLEAN);
                        ps.setString(11, text(r.id()));
                        return ps.executeUpdate() > 0;
                    }
                }
            });
        } catch (SQLException e) {
            throw new HistoryException("history " + description + ": verification " + abbreviate(r.id()) + " could not be updated: "
                    + message(e), null);
        }
    }

    @Override
    public boolean record(RehearsalRecord r) {
        Objects.requireNonNull(r, "record");
        Deployment d = r.deployment();
        String what = "rehearsal " + abbreviate(r.id());
        refuseTooLong(what, r.id(), d);
        return insert("INSERT INTO vigil_rehearsal (" + REHEARSAL_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                what, ps -> {
                    bindIdAndDeployment(ps, r.id(), d);
                    ps.setString(6, r.outcome().name());
                    ps.setString(7, text(r.reason()));
                    ps.setString(8, r.rollback().name());
                    ps.setString(9, r.recheck().name());
                    ps.setObject(10, time(r.startedAt()));
                    ps.setObject(11, time(r.finishedAt()));
                    ps.setObject(12, time(clock.instant()));
                    ps.setObject(13, r.rollbackRan(), java.sql.Types.BOOLEAN);
                });
    }

    @Override
    public boolean rollbackStarted(RollbackRecord r) {
        Objects.requireNonNull(r, "record");
        String what = "the rollback of " + abbreviate(r.deployment().version());
        refuseTooLong(what, r.id(), r.deployment());
        return insert("INSERT INTO vigil_rollback (" + ROLLBACK_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)", what, ps -> {
            bindIdAndDeployment(ps, r.id(), r.deployment());
            ps.setObject(6, time(r.startedAt()));
            ps.setObject(7, time(r.finishedAt()));
            ps.setString(8, r.outcome() == null ? null : r.outcome().name());
            ps.setObject(9, time(clock.instant()));
            ps.setObject(10, r.ran(), java.sql.Types.BOOLEAN);
        });
    }

    @Override
    public boolean rollbackFinished(RollbackRecord r) {
        Objects.requireNonNull(r, "record");
        String sql = "UPDATE vigil_rollback SET started_at = ?, finished_at = ?, outcome = ?, ran = ? WHERE id = ?";
        try {
            return onConnection(connection -> {
                try (Connection c = connection) {
                    c.setAutoCommit(true);
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setObject(1, time(r.startedAt()));
                        ps.setObject(2, time(r.finishedAt()));
                        ps.setString(3, r.outcome() == null ? null : r.outcome().name());
                        ps.setObject(4, r.ran(), java.sql.Types.BOOLEAN);
                        ps.setString(5, text(r.id()));
                        return ps.executeUpdate() > 0;
                    }
                }
            });
        } catch (SQLException e) {
            throw new HistoryException("history " + description + ": the rollback of " + abbreviate(r.deployment().version())
                    + " could not be updated: " + message(e), null);
        }
    }

    @Override
    public boolean started(StartLog.Start start) {
        Objects.requireNonNull(start, "start");
        String what = "the start of " + abbreviate(start.deployment().version());
        refuseTooLong(what, start.id(), start.deployment());
        return insert("INSERT INTO vigil_start (" + START_COLUMNS + ") VALUES (?,?,?,?,?,?,?,?)", what, ps -> {
            bindIdAndDeployment(ps, start.id(), start.deployment());
            ps.setString(6, start.kind().name());
            ps.setObject(7, time(start.at()));
            ps.setObject(8, time(clock.instant()));
        });
    }

    /**
     * An id or service longer than the history keeps ({@link #MAX_KEY_LENGTH}), refused before the
     * insert in words naming it and the limit: the database's own refusal quotes the value and the
     * statement. Cutting it short would file the record under another service.
     */
    private void refuseTooLong(String what, String id, Deployment d) {
        for (Map.Entry<String, String> key : List.of(Map.entry("id", id), Map.entry("service", d.service()))) {
            if (key.getValue().length() > MAX_KEY_LENGTH) {
                throw new HistoryException("history " + description + ": " + what + " could not be written: its " + key.getKey()
                        + " is " + key.getValue().length() + " characters long, longer than the " + MAX_KEY_LENGTH
                        + " the history keeps: use a shorter " + key.getKey());
            }
        }
    }

    /** A value fit for a message: an id may be {@link #MAX_KEY_LENGTH} characters long, a value read any length. */
    private static String abbreviate(String s) {
        return s == null || s.length() <= 43 ? s : s.substring(0, 40) + "...";
    }

    /** The first five columns of both tables: id, service, version, previous_version, environment. */
    private static void bindIdAndDeployment(PreparedStatement ps, String id, Deployment d) throws SQLException {
        ps.setString(1, text(id));
        ps.setString(2, text(d.service()));
        ps.setString(3, text(d.version()));
        ps.setString(4, text(d.previousVersion()));
        ps.setString(5, text(d.environment()));
    }

    /**
     * Text as both databases take it: PostgreSQL refuses a NUL character in text ("invalid byte
     * sequence"), so a NUL (a command's output quoted in a reason) is kept as U+FFFD, and the record lands.
     */
    private static String text(String s) {
        return s == null || s.indexOf('\u0000') < 0 ? s : s.replace('\u0000', '\uFFFD');
    }

    /** What fills in an insert's parameters. */
    @FunctionalInterface
    private interface Binding {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private boolean insert(String sql, String what, Binding binding) {
        try {
            // Safe to repeat: an insert of an id that is there already is recognised and changes nothing.
            return onConnection(connection -> insert(connection, sql, what, binding));
        } catch (SQLException e) {
            throw new HistoryException("history " + description + ": " + what + " could not be written: " + message(e), null);
        }
    }

    /** Whether the row was inserted ({@code false}: it was there already); fails only while that is not known. */
    private boolean insert(Connection connection, String sql, String what, Binding binding) throws SQLException {
        Boolean inserted = null;
        try (Connection c = connection) {
            c.setAutoCommit(true);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binding.bind(ps);
                ps.executeUpdate();
                inserted = true;
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                inserted = false;
            }
            applyRetention(c, what);
        } catch (SQLException e) {
            if (inserted != null) {
                // The record is in (autocommit); only closing the connection failed.
                LOG.debug("history {}: closing the connection after writing {} failed: {}", description, what, message(e));
                return inserted;
            }
            throw e;
        }
        return inserted;
    }

    /**
     * Runs work on a connection of its own, which the work closes; on the H2 file, the whole again
     * while another process opens, serves or closes the file ({@link RetryingH2Source#repeatable}).
     */
    private <T> T onConnection(RetryingH2Source.ConnectionWork<T> work) throws SQLException {
        return dataSource instanceof RetryingH2Source h2 ? h2.repeatable(work) : work.run(dataSource.getConnection());
    }

    /** SQLSTATE 23505 (unique violation) in H2 and PostgreSQL alike. */
    private static boolean isUniqueViolation(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            if ("23505".equals(x.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The earlier of the two readings; the first when the second is unknown. */
    private static Instant earlier(Instant writer, Instant database) {
        return database != null && database.isBefore(writer) ? database : writer;
    }

    /**
     * The database's own time, or {@code null} when it cannot be read. The retention counts from the
     * earlier of it and this writer's clock: every pipeline writes into one shared history, and a
     * runner whose clock is years ahead would otherwise delete every team's records.
     */
    private Instant databaseNow(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT CURRENT_TIMESTAMP"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getObject(1, OffsetDateTime.class).toInstant() : null;
        } catch (SQLException e) {
            LOG.debug("history {}: the database's time could not be read ({}); the retention counts from this clock",
                    description, message(e));
            return null;
        }
    }

    /**
     * Deletes the records older than the retention, after the insert and apart from it: a user that
     * may insert but not delete (an append-only audit setup) still records, and the history says
     * that its retention is not applied instead of calling the record lost.
     */
    private void applyRetention(Connection c, String written) {
        Instant cutoff = earlier(clock.instant(), databaseNow(c)).minus(settings.retention());
        try {
            for (String table : List.of("vigil_release", "vigil_rehearsal", "vigil_rollback", "vigil_start")) {
                String column = table.equals("vigil_rollback") || table.equals("vigil_start") ? "started_at" : "finished_at";
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE " + column + " < ?")) {
                    ps.setObject(1, time(cutoff));
                    ps.executeUpdate();
                }
            }
        } catch (SQLException e) {
            boolean refused = "42501".equals(e.getSQLState()) || e.getErrorCode() == org.h2.api.ErrorCode.NOT_ENOUGH_RIGHTS_FOR_1;
            LOG.warn("the release history ({}) kept {}, but its retention could not be applied: {}; records that finished"
                    + " before {} are kept{}", description, written, message(e), cutoff.truncatedTo(ChronoUnit.SECONDS),
                    refused ? " (its user may not delete them: grant it DELETE on vigil_release, vigil_rehearsal, vigil_rollback and vigil_start)" : "");
        }
    }

    @Override
    public List<ReleaseRecord> releases(HistoryQuery query) {
        return select("vigil_release", RELEASE, RELEASE_COLUMNS, "finished_at", query, JdbcHistoryStore::release);
    }

    @Override
    public List<RehearsalRecord> rehearsals(HistoryQuery query) {
        return select("vigil_rehearsal", "rehearsal", REHEARSAL_COLUMNS, "finished_at", query, JdbcHistoryStore::rehearsal);
    }

    @Override
    public List<RollbackRecord> rollbacks(HistoryQuery query) {
        return select("vigil_rollback", "rollback", ROLLBACK_COLUMNS, "started_at", query, JdbcHistoryStore::rollback);
    }

    @Override
    public List<StartLog.Start> starts(HistoryQuery query) {
        return select("vigil_start", "start", START_COLUMNS, "started_at", query, JdbcHistoryStore::start);
    }

    /**
     * The records this store's reads have left out since it was opened because this Vigil cannot
     * read them: a value it does not know (a verdict a newer Vigil wrote with the schema unchanged,
     * a row edited by hand) or JSON it cannot parse. Each is named once, as {@code verification ID:
     * why} or {@code rehearsal ID: why}, in the order they were first met, and was logged as a
     * warning then. One such row no longer fails every read: the others are read, and whoever shows
     * them can say how many were left out.
     *
     * @return the records left out so far, in the order they were first met; empty when every row could be read
     */
    public List<String> unreadable() {
        synchronized (unreadable) {
            return unreadable.values().stream().map(LeftOut::record).toList();
        }
    }

    /**
     * The verification records matching the query that reads left out because this Vigil cannot
     * read them: of the rows {@link #unreadable()} lists, those of the query's service and
     * environment; one whose finishing time cannot be read either is counted for any
     * {@link HistoryQuery#since()}. A streak counted from {@link #releases} counts without them.
     *
     * @param query which records, as for {@link #releases}
     * @return the records left out, each as {@code verification ID: why}, in the order first met;
     *     empty when every one could be read
     */
    @Override
    public List<String> unreadableReleases(HistoryQuery query) {
        Objects.requireNonNull(query, "query");
        synchronized (unreadable) {
            return unreadable.values().stream().filter(l -> l.kind().equals(RELEASE) && l.matches(query))
                    .map(LeftOut::record).toList();
        }
    }

    /**
     * One row left out of reads: what {@link #unreadable()} says of it, and whose it is, as far as
     * that could be read ({@code null} where not).
     */
    private record LeftOut(String record, String kind, String service, String environment, Instant finishedAt) {

        boolean matches(HistoryQuery query) {
            return (query.service() == null || query.service().equals(service))
                    && (query.environment() == null || query.environment().equals(environment))
                    && (query.since() == null || finishedAt == null || !finishedAt.isBefore(query.since()));
        }
    }

    /** Reads one row. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /** A row that cannot be read, said as what of it cannot: {@code its verdict 'SKIPPED' is none this Vigil knows (...)}. */
    private static final class UnreadableRow extends RuntimeException {

        private static final long serialVersionUID = 1L;

        UnreadableRow(String message) {
            super(message, null, false, false);
        }
    }

    /** The rows of {@code table} matching the query, oldest first by {@code timeColumn}, which {@link HistoryQuery#since()} counts on. */
    private <T> List<T> select(String table, String kind, String columns, String timeColumn, HistoryQuery query,
            RowReader<T> reader) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT ").append(columns).append(" FROM ").append(table).append(" WHERE 1=1");
        List<Object> params = new ArrayList<>();
        if (query.service() != null) {
            sql.append(" AND service = ?");
            params.add(query.service());
        }
        if (query.environment() != null) {
            sql.append(" AND environment = ?");
            params.add(query.environment());
        }
        if (query.since() != null) {
            sql.append(" AND ").append(timeColumn).append(" >= ?");
            params.add(time(query.since()));
        }
        sql.append(" ORDER BY ").append(timeColumn).append(", id");
        try {
            return onConnection(connection -> {
                List<T> out = new ArrayList<>();
                try (Connection c = connection; PreparedStatement ps = c.prepareStatement(sql.toString())) {
                    for (int i = 0; i < params.size(); i++) {
                        ps.setObject(i + 1, params.get(i));
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String id = rs.getString("id");
                            try {
                                out.add(reader.read(rs));
                            } catch (RuntimeException e) {
                                // The row's values, not the database: the other rows are read all the same.
                                leaveOut(kind, id, e instanceof UnreadableRow ? e.getMessage() : VigilException.describe(e), rs);
                            }
                        }
                    }
                }
                return out;
            });
        } catch (SQLException e) {
            throw new HistoryException("history " + description + " could not be read: " + message(e), null);
        }
    }

    private void leaveOut(String kind, String id, String why, ResultSet rs) {
        String record = kind + " " + abbreviate(id) + ": " + scrub(why);
        LeftOut row = new LeftOut(record, kind, readable(() -> rs.getString("service")),
                readable(() -> rs.getString("environment")), readable(() -> instant(rs, "finished_at")));
        boolean first;
        synchronized (unreadable) {
            first = unreadable.putIfAbsent(kind + " " + id, row) == null;
        }
        if (first) {
            LOG.warn("the release history ({}) could not be read in full: {}; the record is left out of what is read"
                    + " (a newer Vigil or an edit by hand may have written it)", description, record);
        }
    }

    /** A column of a row that could not be read as a whole: its value, or {@code null} when it cannot be read either. */
    private static <T> T readable(Column<T> column) {
        try {
            return column.read();
        } catch (SQLException | RuntimeException e) {
            return null;
        }
    }

    /** Reads one column. */
    @FunctionalInterface
    private interface Column<T> {
        T read() throws SQLException;
    }

    private static ReleaseRecord release(ResultSet rs) throws SQLException {
        // A record written before Deployment refused a blank fix id may hold one; it names no issue.
        List<String> fixes = parse(rs, "fixes", new TypeReference<List<String>>() { }).stream()
                .filter(f -> !f.isBlank()).toList();
        Deployment d = deployment(rs, constant("kind", Deployment.Kind.class, rs.getString("kind")), fixes,
                parse(rs, "labels", new TypeReference<Map<String, String>>() { }));
        List<ProbeCounts> probes = new ArrayList<>();
        for (Map<String, Object> p : parse(rs, "probes", new TypeReference<List<Map<String, Object>>>() { })) {
            Object name = p.get("name");
            Object status = p.get("status");
            if (!(name instanceof String)) {
                throw new UnreadableRow("its probes: a name is " + (name == null ? "missing" : name + ", not text"));
            }
            probes.add(new ProbeCounts((String) name,
                    constant("probes: status", ProbeReport.Status.class, status == null ? null : status.toString()),
                    number(p.get("passes")), number(p.get("failures")), number(p.get("inconclusive")), number(p.get("errors"))));
        }
        Map<String, List<String>> confirmations = parse(rs, "confirmations",
                new TypeReference<LinkedHashMap<String, List<String>>>() { });
        return new ReleaseRecord(rs.getString("id"), d, constant("verdict", Verdict.class, rs.getString("verdict")),
                rs.getString("reason"), constant("rollback outcome", RollbackOutcome.class, rs.getString("rollback_outcome")),
                instant(rs, "rollback_started_at"), instant(rs, "rollback_finished_at"),
                constant("re-check status", RecheckReport.Status.class, rs.getString("recheck_status")),
                instant(rs, "started_at"), instant(rs, "detected_at"), instant(rs, "finished_at"), probes, confirmations,
                bool(rs, "rollback_ran"));
    }

    /**
     * The deployment a row names. A name holding a control character (written by hand, or by a Vigil
     * before {@link Deployment} refused one) is read with each written as its escape
     * ({@link Reports#oneLine}): the record stays, on one line.
     */
    private static Deployment deployment(ResultSet rs, Deployment.Kind kind, List<String> fixes, Map<String, String> labels)
            throws SQLException {
        return new Deployment(Reports.oneLine(rs.getString("service")), Reports.oneLine(rs.getString("version")),
                Reports.oneLine(rs.getString("previous_version")), Reports.oneLine(rs.getString("environment")), kind, fixes,
                labels);
    }

    private static StartLog.Start start(ResultSet rs) throws SQLException {
        Deployment d = deployment(rs, Deployment.Kind.RELEASE, List.of(), Map.of());
        return new StartLog.Start(rs.getString("id"), d, instant(rs, "started_at"), constant("kind", StartLog.Kind.class, rs.getString("kind")));
    }

    private static RollbackRecord rollback(ResultSet rs) throws SQLException {
        Deployment d = deployment(rs, Deployment.Kind.RELEASE, List.of(), Map.of());
        String outcome = rs.getString("outcome");
        Instant finished = instant(rs, "finished_at");
        if ((outcome == null) != (finished == null)) {
            throw new UnreadableRow("its outcome and finishing time are not both given or both missing");
        }
        Boolean ran = bool(rs, "ran");
        if (ran != null && finished == null) {
            throw new UnreadableRow("it says whether its trigger ran but not when it finished");
        }
        return new RollbackRecord(rs.getString("id"), d, instant(rs, "started_at"), finished,
                outcome == null ? null : constant("outcome", RollbackOutcome.class, outcome), ran);
    }

    /** A nullable BOOLEAN column: {@code null} where the row does not say (rows written before schema version 5). */
    private static Boolean bool(ResultSet rs, String column) throws SQLException {
        boolean value = rs.getBoolean(column);
        return rs.wasNull() ? null : value;
    }

    private static RehearsalRecord rehearsal(ResultSet rs) throws SQLException {
        Deployment d = deployment(rs, Deployment.Kind.RELEASE, List.of(), Map.of());
        return new RehearsalRecord(rs.getString("id"), d,
                constant("outcome", RehearsalReport.Outcome.class, rs.getString("outcome")), rs.getString("reason"),
                constant("rollback outcome", RollbackOutcome.class, rs.getString("rollback_outcome")),
                constant("re-check status", RecheckReport.Status.class, rs.getString("recheck_status")),
                instant(rs, "started_at"), instant(rs, "finished_at"), bool(rs, "rollback_ran"));
    }

    /** The constant a column names, or what is wrong with it, naming the ones this Vigil knows. */
    private static <E extends Enum<E>> E constant(String what, Class<E> type, String value) {
        if (value == null) {
            throw new UnreadableRow("its " + what + " is missing");
        }
        List<String> known = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(value)) {
                return e;
            }
            known.add(e.name());
        }
        throw new UnreadableRow("its " + what + " '" + abbreviate(value) + "' is none this Vigil knows ("
                + String.join(", ", known) + ")");
    }

    private static int number(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private static String json(Object value) throws SQLException {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new SQLException("cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T parse(ResultSet rs, String column, TypeReference<T> type) throws SQLException {
        String text = rs.getString(column);
        T value;
        try {
            value = text == null ? null : JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new UnreadableRow("its " + column + " are not JSON this Vigil reads: " + e.getOriginalMessage());
        }
        if (value == null) {
            throw new UnreadableRow("its " + column + " are missing");
        }
        return value;
    }

    /** To the microsecond, in UTC: what PostgreSQL keeps, so that both databases give back the same instant. */
    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        String message = e.getMessage();
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message == null ? e.getClass().getSimpleName() : message.strip().lines().findFirst().orElse(message);
    }

    /**
     * A driver's message in one line, without the password: H2 appends the statement on lines of
     * its own ({@code ...; SQL statement:}), PostgreSQL its detail, and a warning is one line.
     */
    private String message(SQLException e) {
        String m = scrub(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()).strip();
        int statement = m.indexOf("; SQL statement:");
        if (statement >= 0) {
            m = m.substring(0, statement);
        }
        return m.lines().findFirst().orElse(m);
    }

    private String scrub(String text) {
        return scrub(text, secrets);
    }

    private static String scrub(String text, List<String> secrets) {
        return text == null ? "" : CredentialNames.scrub(text, secrets, MASK);
    }

    /**
     * What a driver's message must not show: the password of the settings and the credentials the
     * URL holds, its user info ({@code //user:password@}, which pgjdbc takes for a host and quotes
     * as one) and the value of every parameter {@link UrlCredentials} counts as a credential's
     * ({@code ?password=}, {@code ;PASSWORD=}); longest first.
     */
    static List<String> secrets(HistorySettings settings) {
        List<String> out = new ArrayList<>();
        out.add(settings.password());
        String url = settings.url() == null ? "" : settings.url();
        for (String userInfo : UrlCredentials.userInfo(url)) {
            out.add(userInfo);
            int colon = userInfo.indexOf(':');
            out.add(colon < 0 ? null : userInfo.substring(colon + 1));
        }
        for (Map.Entry<String, String> parameter : UrlCredentials.parameters(url)) {
            if (UrlCredentials.isCredentialParameter(parameter.getKey())) {
                out.add(parameter.getValue());
            }
        }
        return CredentialNames.searchable(out);
    }

    /** {@return the settings this store was opened with} */
    public HistorySettings settings() {
        return settings;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void close() {
        try {
            closer.close();
        } catch (Exception e) {
            // Closing a pool of an embedded database has nothing left to report.
        }
    }

    @Override
    public String toString() {
        return "JdbcHistoryStore[" + description + "]";
    }
}
