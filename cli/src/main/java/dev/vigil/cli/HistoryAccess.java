package dev.vigil.cli;

import dev.vigil.history.HistoryException;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.jdbc.JdbcHistoryStore;
import java.util.List;

/**
 * Opens the configured release history for {@code verify} and {@code rehearse}. A history that
 * cannot be opened becomes a store whose every write fails with the reason, so that the recorder
 * turns it into the usual warning and the verification runs on unchanged.
 */
final class HistoryAccess {

    private HistoryAccess() {
    }

    /** A recorder into the configured history, or {@code null} when it is switched off. */
    static HistoryRecorder recorder(HistorySettings settings, java.util.function.Consumer<HistoryStore> onOpen) {
        if (!settings.enabled()) {
            return null;
        }
        HistoryStore store;
        try {
            store = JdbcHistoryStore.open(settings);
        } catch (HistoryException e) {
            store = new Unavailable(e.getMessage());
        }
        onOpen.accept(store);
        return HistoryRecorder.to(store);
    }

    /** The history that could not be opened: every operation fails with why. */
    private record Unavailable(String why) implements HistoryStore {

        @Override
        public boolean record(ReleaseRecord record) {
            throw new HistoryException(why);
        }

        @Override
        public boolean record(RehearsalRecord record) {
            throw new HistoryException(why);
        }

        @Override
        public List<ReleaseRecord> releases(HistoryQuery query) {
            throw new HistoryException(why);
        }

        @Override
        public List<RehearsalRecord> rehearsals(HistoryQuery query) {
            throw new HistoryException(why);
        }

        @Override
        public String description() {
            return "not opened";
        }
    }
}
