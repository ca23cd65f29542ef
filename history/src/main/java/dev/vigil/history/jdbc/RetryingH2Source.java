package dev.vigil.history.jdbc;

import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.api.ErrorCode;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * An H2 connection pool whose connections are opened again a moment later when another process is
 * opening the same file: several pipelines on one machine whose verifications end together all
 * open the shared history at once, and H2 answers the late ones "Lock file recently modified" while
 * the first is still starting its server ({@code AUTO_SERVER}), "Concurrent update" or "Another
 * process was faster" when another process took the lock file in the same instant, or "connection
 * broken" while the process serving the file closes it, or "database is already closed" while that
 * process exits. Without another attempt their records were lost. The same answers can come from
 * any statement, when H2 reconnects a connection whose serving process has exited: the store's
 * work is repeated whole ({@link #repeatable}). Attempts stop after {@link #MAX_ATTEMPTS} (about
 * seven seconds), and other failures are not retried.
 */
final class RetryingH2Source implements DataSource {

    /** Attempts to open a connection before the failure is reported: 100 ms, doubling, at most 2 s apart. */
    static final int MAX_ATTEMPTS = 8;

    /**
     * What H2 says, as {@link ErrorCode#ERROR_OPENING_DATABASE_1}, when another process is taking the
     * lock file of the same database: its lock file is too new to take over yet, or two processes
     * wrote it at the same moment and this one lost. A later attempt finds the winner's lock file and
     * connects to the server the winner starts ({@code AUTO_SERVER}).
     */
    private static final List<String> LOCK_FILE_RACES =
            List.of("Lock file recently modified", "Concurrent update", "Another process was faster");

    private final JdbcConnectionPool pool;
    private final Retry retry;

    RetryingH2Source(JdbcConnectionPool pool) {
        this.pool = pool;
        this.retry = retry();
    }

    /**
     * Another attempt a moment later for what failed because another process was opening, serving or
     * closing the file; for a connection, or for work that is safe to repeat (a migration, which
     * Flyway resumes).
     */
    static Retry retry() {
        return Retry.of("vigil-history-h2", RetryConfig.custom()
                .maxAttempts(MAX_ATTEMPTS)
                .intervalFunction(IntervalFunction.ofExponentialBackoff(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2)))
                .retryOnException(RetryingH2Source::anotherProcessIsOpeningTheFile)
                .build());
    }

    /**
     * H2's answers while another process opens, serves or closes the same database file: the lock
     * file being written or lost to another process ({@link #LOCK_FILE_RACES}), the file held open,
     * the serving process gone or shutting down (its clients reconnect to the next one).
     */
    static boolean anotherProcessIsOpeningTheFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                int code = s.getErrorCode();
                if (code == ErrorCode.DATABASE_ALREADY_OPEN_1 || code == ErrorCode.CONNECTION_BROKEN_1
                        || code == ErrorCode.DATABASE_CALLED_AT_SHUTDOWN
                        || (code == ErrorCode.ERROR_OPENING_DATABASE_1 && lostTheLockFileRace(s.getMessage()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean lostTheLockFileRace(String message) {
        return message != null && LOCK_FILE_RACES.stream().anyMatch(message::contains);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return repeatable(c -> c);
    }

    /**
     * Runs work on a connection of the pool, and opens the connection and runs the work again a
     * moment later when either fails because another process opens, serves or closes the file: H2
     * reconnects a connection whose serving process has exited at its next statement, which then
     * meets the same answers as opening one. For work that is safe to repeat (an insert keyed by id,
     * an update to the same values, a read); the work closes the connection.
     *
     * @throws SQLException the last attempt's failure, or the first that is worth no other attempt
     */
    <T> T repeatable(ConnectionWork<T> work) throws SQLException {
        try {
            return retry.executeCallable(() -> work.run(pool.getConnection()));
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException(e);
        }
    }

    /** Work on a connection, which it closes. */
    @FunctionalInterface
    interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return pool.getConnection(username, password);
    }

    /** Closes the pool's connections. */
    void dispose() {
        pool.dispose();
    }

    @Override
    public PrintWriter getLogWriter() {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return type.isInstance(this) || pool.isWrapperFor(type);
    }
}
