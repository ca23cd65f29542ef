package dev.vigil.testkit;

import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A release history in memory for tests: keeps every record it is given (rehearsals are accepted
 * and forgotten), answers a query by its {@code since}, and counts its reads.
 */
public final class MemoryHistoryStore implements HistoryStore {

    private final List<ReleaseRecord> records = new CopyOnWriteArrayList<>();
    private final AtomicInteger reads = new AtomicInteger();

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
