package dev.vigil;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Calls to what may never answer (the shared database behind the release history: a PostgreSQL that
 * accepted the connection and went silent, an embedded H2 file served by a process that was
 * stopped), run on daemon threads so that the verification waits for them only as long as it
 * chooses. A call still running when its caller stops waiting stays on its thread, which never
 * keeps the JVM alive. Thread-safe.
 */
final class DaemonCalls {

    private static final ExecutorService CALLS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "vigil-history-call");
        t.setDaemon(true);
        return t;
    });

    private DaemonCalls() {
    }

    /** Starts {@code call} on a daemon thread. */
    static <T> Future<T> submit(Callable<T> call) {
        return CALLS.submit(call);
    }

    /** Runs {@code task} on a daemon thread, without waiting for it. */
    static void execute(Runnable task) {
        CALLS.execute(task);
    }
}
