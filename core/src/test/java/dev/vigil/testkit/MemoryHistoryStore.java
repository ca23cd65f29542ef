package dev.vigil.testkit;

import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A release history in memory for tests: keeps every record and start it is given (rehearsals are
 * accepted and forgotten), answers a query by its {@code since} (starts by their service too), and
 * counts its reads of releases.
 */
public final class MemoryHistoryStore implements HistoryStore {

    private final List<ReleaseRecord> records = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final List<dev.vigil.StartLog.Start> starts = new CopyOnWriteArrayList<>();

    @Override
    public boolean record(ReleaseRecord record) {
        return records.add(record);
    }

    @Override
    public boolean record(RehearsalRecord record) {
        return true;
    }

    @Override
    public List<ReleaseRecord> releases(HistoryQuery query) {
        reads.incrementAndGet();
        return records.stream().filter(r -> query.since() == null || !r.finishedAt().isBefore(query.since())).toList();
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
