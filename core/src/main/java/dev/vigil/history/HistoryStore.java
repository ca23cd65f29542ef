package dev.vigil.history;

import java.util.List;

/**
 * Where the release history is kept. The {@code vigil-history} module implements it on JDBC;
 * tests and other tools may implement it in memory.
 *
 * <p>Implementations must be thread-safe and idempotent by id: recording a record whose id is
 * already stored changes nothing and returns {@code false}, also when two processes record it at
 * the same moment. Failures are {@link HistoryException}s; a {@link HistoryRecorder} turns them into
 * a warning, so that a history that cannot be written never changes a verdict.
 */
public interface HistoryStore extends AutoCloseable {

    /**
     * Stores one verification's record.
     *
     * @param record the record to store
     * @return {@code true} when it was stored now, {@code false} when a record with its id was there already
     * @throws HistoryException when it cannot be written
     */
    boolean record(ReleaseRecord record);

    /**
     * Replaces the outcome of a release already recorded (same {@link ReleaseRecord#id()}) with what
     * the watch after its bake found: verdict, reason, rollback, re-check, time of detection, end and
     * probe counts; the deployment, start and confirmations stay. A release rolled back hours after a
     * healthy bake is then one failed change in the history, not a quiet release. The default
     * updates nothing and returns {@code false}.
     *
     * @param record the release's record with the watch's outcome
     * @return {@code true} when a record with its id was there and was updated
     * @throws HistoryException when it cannot be written
     */
    default boolean update(ReleaseRecord record) {
        return false;
    }

    /**
     * Stores one rehearsal's record.
     *
     * @param record the record to store
     * @return {@code true} when it was stored now, {@code false} when one with its id was there already
     * @throws HistoryException when it cannot be written
     */
    boolean record(RehearsalRecord record);

    /**
     * Stores the record of a rollback that starts, before its first trigger runs, so that a Vigil
     * killed during the rollback leaves a trace the next verification finds. The default stores
     * nothing and returns {@code false}: a store without it keeps no rollbacks, and
     * {@link #rollbacks} finds none.
     *
     * @param record the rollback's record, usually not finished yet
     * @return {@code true} when it was stored now, {@code false} when one with its id was there already
     *     (or the store keeps no rollbacks)
     * @throws HistoryException when it cannot be written
     */
    default boolean rollbackStarted(RollbackRecord record) {
        return false;
    }

    /**
     * Completes the record of a rollback stored by {@link #rollbackStarted} (same
     * {@link RollbackRecord#id()}) with its end and outcome. The default updates nothing and
     * returns {@code false}.
     *
     * @param record the rollback's record, finished
     * @return {@code true} when a record with its id was there and was updated
     * @throws HistoryException when it cannot be written
     */
    default boolean rollbackFinished(RollbackRecord record) {
        return false;
    }

    /**
     * The rollback records matching the query ({@link HistoryQuery#since()} counts from their start),
     * oldest first (by {@link RollbackRecord#startedAt()}, then id). The default: none.
     *
     * @param query which records
     * @return the records, oldest first; empty when none match
     * @throws HistoryException when the history cannot be read
     */
    default List<RollbackRecord> rollbacks(HistoryQuery query) {
        return List.of();
    }

    /**
     * Stores that a verification or a rollback rehearsal starts, for the verifiers of other
     * processes ({@link HistoryRecorder#startLog}). The default stores nothing and returns
     * {@code false}: with such a store a watch in one process cannot tell that another process
     * verifies a newer version.
     *
     * @param start what starts
     * @return {@code true} when it was stored now, {@code false} when one with its id was there already
     *     (or the store keeps no starts)
     * @throws HistoryException when it cannot be written
     */
    default boolean started(dev.vigil.StartLog.Start start) {
        return false;
    }

    /**
     * The starts matching the query ({@link HistoryQuery#since()} counts from their start; an
     * environment in the query matches that environment only), oldest first (by
     * {@link dev.vigil.StartLog.Start#at()}, then id). The default: none.
     *
     * @param query which starts
     * @return the starts, oldest first; empty when none match
     * @throws HistoryException when the history cannot be read
     */
    default List<dev.vigil.StartLog.Start> starts(HistoryQuery query) {
        return List.of();
    }

    /**
     * The verification records matching the query, oldest first (by {@link ReleaseRecord#finishedAt()}, then id).
     *
     * @param query which records
     * @return the records, oldest first; empty when none match
     * @throws HistoryException when the history cannot be read
     */
    List<ReleaseRecord> releases(HistoryQuery query);

    /**
     * The rehearsal records matching the query, oldest first.
     *
     * @param query which records
     * @return the records, oldest first; empty when none match
     * @throws HistoryException when the history cannot be read
     */
    List<RehearsalRecord> rehearsals(HistoryQuery query);

    /**
     * The verification records matching the query that this store holds but could not read when
     * {@link #releases} was asked for them, and so left out of what it returned: a value a newer
     * Vigil wrote, a row edited by hand. A streak or a figure counted from {@link #releases} then
     * counts without them, and whoever shows it says so. Each is named as {@code verification ID: why}.
     * The default: none (a store that reads every record it holds).
     *
     * @param query which records, as for {@link #releases}
     * @return the records left out, in the order they were first met; empty when every one could be read
     */
    default List<String> unreadableReleases(HistoryQuery query) {
        return List.of();
    }

    /** {@return where the history is, fit for logs: never a password} */
    String description();

    /** Releases what the store holds open; default: nothing. */
    @Override
    default void close() {
    }
}
