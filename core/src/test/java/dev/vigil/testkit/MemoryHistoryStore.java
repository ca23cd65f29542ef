package dev.vigil.testkit;

import dev.vigil.Deployment;
import dev.vigil.StartLog;
import dev.vigil.history.HistoryException;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.RollbackRecord;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A release history in memory for tests, keeping what the JDBC store of {@code vigil-history}
 * keeps, as it does (the history module runs its store contract on this one too): releases,
 * rehearsals, rollbacks and starts, each once per id (recording an id again changes nothing and
 * answers {@code false}); {@link #update} replacing a kept release's outcome and
 * {@link #rollbackFinished} completing a kept rollback; every query answered by its service,
 * environment and {@code since}, oldest first, then by id. Counts its reads of releases, and
 * fails its reads when told to ({@link #failReads}), as a database that cannot be reached does.
 */
public final class MemoryHistoryStore implements HistoryStore {

    private final List<ReleaseRecord> records = new CopyOnWriteArrayList<>();
    private final List<RehearsalRecord> rehearsals = new CopyOnWriteArrayList<>();
    private final List<RollbackRecord> rollbacks = new CopyOnWriteArrayList<>();
    private final List<StartLog.Start> starts = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private volatile boolean failReads;

    @Override
    public synchronized boolean record(ReleaseRecord record) {
        return add(records, Objects.requireNonNull(record, "record"), ReleaseRecord::id);
    }

    /**
     * Replaces the outcome of the record kept under the same id, as the JDBC store's {@code UPDATE}
     * does: its deployment, start and confirmations stay.
     */
    @Override
    public synchronized boolean update(ReleaseRecord r) {
        int i = indexOf(records, Objects.requireNonNull(r, "record").id(), ReleaseRecord::id);
        if (i < 0) {
            return false;
        }
        ReleaseRecord kept = records.get(i);
        records.set(i, new ReleaseRecord(kept.id(), kept.deployment(), r.verdict(), r.reason(), r.rollback(), r.rollbackStartedAt(),
                r.rollbackFinishedAt(), r.recheck(), kept.startedAt(), r.detectedAt(), r.finishedAt(), r.probes(),
                kept.confirmations(), r.rollbackRan()));
        return true;
    }

    @Override
    public synchronized boolean record(RehearsalRecord record) {
        return add(rehearsals, Objects.requireNonNull(record, "record"), RehearsalRecord::id);
    }

    @Override
    public synchronized boolean rollbackStarted(RollbackRecord record) {
        return add(rollbacks, Objects.requireNonNull(record, "record"), RollbackRecord::id);
    }

    /** Replaces the start, end, outcome and whether the trigger ran, as the JDBC store's {@code UPDATE} does. */
    @Override
    public synchronized boolean rollbackFinished(RollbackRecord r) {
        int i = indexOf(rollbacks, Objects.requireNonNull(r, "record").id(), RollbackRecord::id);
        if (i < 0) {
            return false;
        }
        RollbackRecord kept = rollbacks.get(i);
        rollbacks.set(i, new RollbackRecord(kept.id(), kept.deployment(), r.startedAt(), r.finishedAt(), r.outcome(), r.ran()));
        return true;
    }

    @Override
    public synchronized boolean started(StartLog.Start start) {
        return add(starts, Objects.requireNonNull(start, "start"), StartLog.Start::id);
    }

    private static <T> boolean add(List<T> kept, T record, Function<T, String> id) {
        return indexOf(kept, id.apply(record), id) < 0 && kept.add(record);
    }

    private static <T> int indexOf(List<T> kept, String id, Function<T, String> idOf) {
        for (int i = 0; i < kept.size(); i++) {
            if (idOf.apply(kept.get(i)).equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public List<ReleaseRecord> releases(HistoryQuery query) {
        reads.incrementAndGet();
        return select(records, query, ReleaseRecord::deployment, ReleaseRecord::finishedAt, ReleaseRecord::id);
    }

    @Override
    public List<RehearsalRecord> rehearsals(HistoryQuery query) {
        return select(rehearsals, query, RehearsalRecord::deployment, RehearsalRecord::finishedAt, RehearsalRecord::id);
    }

    @Override
    public List<RollbackRecord> rollbacks(HistoryQuery query) {
        return select(rollbacks, query, RollbackRecord::deployment, RollbackRecord::startedAt, RollbackRecord::id);
    }

    @Override
    public List<StartLog.Start> starts(HistoryQuery query) {
        return select(starts, query, StartLog.Start::deployment, StartLog.Start::at, StartLog.Start::id);
    }

    /** The records matching the query, oldest first by {@code time} (which {@code since} counts on), then by id. */
    private <T> List<T> select(List<T> kept, HistoryQuery query, Function<T, Deployment> deployment, Function<T, Instant> time,
            Function<T, String> id) {
        Objects.requireNonNull(query, "query");
        if (failReads) {
            throw new HistoryException("history " + description() + ": could not be read", null);
        }
        return kept.stream()
                .filter(r -> query.service() == null || query.service().equals(deployment.apply(r).service()))
                .filter(r -> query.environment() == null || query.environment().equals(deployment.apply(r).environment()))
                .filter(r -> query.since() == null || !time.apply(r).isBefore(query.since()))
                .sorted(Comparator.comparing(time).thenComparing(id)).toList();
    }

    @Override
    public String description() {
        return "memory";
    }

    /** The verification records kept, live: a test may add to them directly. */
    public List<ReleaseRecord> records() {
        return records;
    }

    /**
     * Makes every read from now on fail with a {@link HistoryException}, as the JDBC store's do when
     * its database cannot be reached, or read again.
     *
     * @param fail whether reads fail
     */
    public void failReads(boolean fail) {
        failReads = fail;
    }

    /** How many times {@link #releases} was called. */
    public int reads() {
        return reads.get();
    }
}
