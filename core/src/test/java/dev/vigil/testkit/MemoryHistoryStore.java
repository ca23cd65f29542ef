package dev.vigil.testkit;

import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A release history in memory for tests, keeping records as the JDBC store of {@code vigil-history}
 * does: once per id (recording an id again changes nothing and answers {@code false}),
 * {@link #update} replacing a kept record's outcome, and a query answered by its service,
 * environment and {@code since}, oldest first. Rehearsals are accepted and forgotten; starts are
 * kept and answered by their service and {@code since}. Counts its reads of releases.
 */
public final class MemoryHistoryStore implements HistoryStore {

    private final List<ReleaseRecord> records = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<dev.vigil.StartLog.Start> starts = new CopyOnWriteArrayList<>();

    @Override
    public synchronized boolean record(ReleaseRecord record) {
        Objects.requireNonNull(record, "record");
        return indexOf(record.id()) < 0 && records.add(record);
    }

    /**
     * Replaces the outcome of the record kept under the same id, as the JDBC store's {@code UPDATE}
     * does: its deployment, start and confirmations stay.
     */
    @Override
    public synchronized boolean update(ReleaseRecord r) {
        int i = indexOf(Objects.requireNonNull(r, "record").id());
        if (i < 0) {
            return false;
        }
        ReleaseRecord kept = records.get(i);
        records.set(i, new ReleaseRecord(kept.id(), kept.deployment(), r.verdict(), r.reason(), r.rollback(), r.rollbackStartedAt(),
                r.rollbackFinishedAt(), r.recheck(), kept.startedAt(), r.detectedAt(), r.finishedAt(), r.probes(),
                kept.confirmations(), r.rollbackRan()));
        return true;
    }

    private int indexOf(String id) {
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i) != null && records.get(i).id().equals(id)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean record(RehearsalRecord record) {
        return true;
    }

    @Override
    public List<ReleaseRecord> releases(HistoryQuery query) {
        reads.incrementAndGet();
        return records.stream()
                .filter(r -> query.service() == null || r.deployment().service().equals(query.service()))
                .filter(r -> query.environment() == null || query.environment().equals(r.deployment().environment()))
                .filter(r -> query.since() == null || !r.finishedAt().isBefore(query.since()))
                .sorted(Comparator.comparing(ReleaseRecord::finishedAt).thenComparing(ReleaseRecord::id)).toList();
    }

    @Override
    public List<RehearsalRecord> rehearsals(HistoryQuery query) {
        return List.of();
    }

    @Override
    public boolean started(dev.vigil.StartLog.Start start) {
        return starts.add(start);
    }

    @Override
    public List<dev.vigil.StartLog.Start> starts(HistoryQuery query) {
        return starts.stream().filter(s -> query.service() == null || s.deployment().service().equals(query.service()))
                .filter(s -> query.since() == null || !s.at().isBefore(query.since())).toList();
    }

    @Override
    public String description() {
        return "memory";
    }

    /** The records kept, live: a test may add to them directly (a {@code null} makes the next read fail). */
    public List<ReleaseRecord> records() {
        return records;
    }

    /** How many times {@link #releases} was called. */
    public int reads() {
        return reads.get();
    }
}
