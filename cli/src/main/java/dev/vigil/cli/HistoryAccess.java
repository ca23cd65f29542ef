package dev.vigil.cli;

import dev.vigil.history.HistoryException;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.RollbackRecord;
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
            store = within(OPEN_WAIT, () -> JdbcHistoryStore.open(settings), JdbcHistoryStore::close);
        } catch (HistoryException e) {
            String why = e.getMessage();
            store = new Unavailable(why != null && why.startsWith("history ") ? why
                    : "history " + describe(settings.url()) + " could not be opened: " + why);
        }
        onOpen.accept(store);
        return HistoryRecorder.to(new GivesUpWhenStalled(store, STALLED, ANSWER_WAIT));
    }

    /**
     * How long opening the history may take: H2 retries a file another process is opening for about
     * seven seconds, and a first migration takes a few more.
     */
    static final java.time.Duration OPEN_WAIT = java.time.Duration.ofSeconds(20);
    /** How long one read or write of the history may take. */
    static final java.time.Duration ANSWER_WAIT = java.time.Duration.ofSeconds(15);

    /**
     * Runs {@code operation} on a daemon thread of its own and waits for it at most {@code wait}: a
     * database that accepted the connection and never answers (a PostgreSQL server or the Vigil
     * serving an embedded H2 file to the others, stopped with SIGSTOP or suspended) holds a JDBC
     * call in a socket read for good, which no driver setting bounds for every database. A call
     * still running then is interrupted and left behind (a daemon: it never keeps the JVM alive);
     * what it returns later is handed to {@code late} (a store opened too late is closed).
     *
     * @throws HistoryException the operation's own, or "it did not answer within 15s"
     */
    static <T> T within(java.time.Duration wait, java.util.concurrent.Callable<T> operation, java.util.function.Consumer<T> late) {
        java.util.concurrent.atomic.AtomicBoolean abandoned = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.FutureTask<T> task = new java.util.concurrent.FutureTask<>(() -> {
            T result = operation.call();
            if (abandoned.get() && result != null) {
                late.accept(result);
            }
            return result;
        });
        Thread thread = new Thread(task, "vigil-history");
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            abandoned.set(true);
            thread.interrupt();
            throw new HistoryException("it did not answer within " + dev.vigil.Durations.format(wait));
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new HistoryException(String.valueOf(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            abandoned.set(true);
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new HistoryException("interrupted while waiting for it");
        }
    }

    /** The history's URL for messages, as the store names it ({@link JdbcHistoryStore#describe}). */
    static String describe(String url) {
        return JdbcHistoryStore.describe(url);
    }

    /**
     * How long a failed operation of the history may have taken before the run stops asking it:
     * one that gave up after this long (a server that accepted the connection and never answered)
     * would cost every later operation as long, and they all run on the thread that also writes the
     * reports and prints the verdict.
     */
    static final java.time.Duration STALLED = java.time.Duration.ofSeconds(2);

    /**
     * A store whose every operation is bounded by {@code wait} ({@link #within}), and that, once an
     * operation failed after waiting {@code stalled} or longer, fails every
     * later one at once with that reason: a database that hung mid-run costs one timeout, not one per
     * read and write. A failure that comes at once (refused, no permission) changes nothing: the
     * next operation tries again, so a database that restarts during the bake still gets the record.
     */
    static final class GivesUpWhenStalled implements HistoryStore {

        private final HistoryStore store;
        private final java.time.Duration stalled;
        private final java.time.Duration wait;
        private volatile String gaveUp;

        GivesUpWhenStalled(HistoryStore store, java.time.Duration stalled, java.time.Duration wait) {
            this.store = store;
            this.stalled = stalled;
            this.wait = wait;
        }

        private <T> T ask(java.util.function.Supplier<T> operation) {
            String why = gaveUp;
            if (why != null) {
                // Not in the store's words ("history X: ... could not be ..."): those name the operation that
                // stalled, and the recorder says which operation this is.
                throw new HistoryException("it did not answer in time earlier in this run (" + why + "), so it was not asked again");
            }
            long start = System.nanoTime();
            try {
                return within(wait, operation::get, result -> { });
            } catch (HistoryException e) {
                if (System.nanoTime() - start >= stalled.toNanos()) {
                    String prefix = "history " + store.description() + ": ";
                    String message = String.valueOf(e.getMessage());
                    gaveUp = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
                }
                throw e;
            }
        }

        @Override
        public boolean record(ReleaseRecord record) {
            return ask(() -> store.record(record));
        }

        @Override
        public boolean update(ReleaseRecord record) {
            return ask(() -> store.update(record));
        }

        @Override
        public boolean record(RehearsalRecord record) {
            return ask(() -> store.record(record));
        }

        @Override
        public boolean rollbackStarted(RollbackRecord record) {
            return ask(() -> store.rollbackStarted(record));
        }

        @Override
        public boolean rollbackFinished(RollbackRecord record) {
            return ask(() -> store.rollbackFinished(record));
        }

        @Override
        public List<RollbackRecord> rollbacks(HistoryQuery query) {
            return ask(() -> store.rollbacks(query));
        }

        @Override
        public boolean started(dev.vigil.StartLog.Start start) {
            return ask(() -> store.started(start));
        }

        @Override
        public List<dev.vigil.StartLog.Start> starts(HistoryQuery query) {
            return ask(() -> store.starts(query));
        }

        @Override
        public List<ReleaseRecord> releases(HistoryQuery query) {
            return ask(() -> store.releases(query));
        }

        @Override
        public List<RehearsalRecord> rehearsals(HistoryQuery query) {
            return ask(() -> store.rehearsals(query));
        }

        @Override
        public List<String> unreadableReleases(HistoryQuery query) {
            return ask(() -> store.unreadableReleases(query));
        }

        @Override
        public String description() {
            return store.description();
        }

        @Override
        public void close() {
            store.close();
        }
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
