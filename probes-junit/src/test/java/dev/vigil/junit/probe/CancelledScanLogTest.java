package dev.vigil.junit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class CancelledScanLogTest {

    /**
     * A run cancelled while JUnit scans a jar of the suite: the interrupt closes the jar, and JUnit
     * logged a WARNING with the whole stack trace to the console (seen in the demo on a busy machine).
     */
    @Test
    void aScanCutShortByTheCancellingInterruptLogsNoStackTrace() throws Exception {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger root = Logger.getLogger("");
        root.addHandler(capture);
        Thread scan = new Thread(() -> {
            Thread.currentThread().interrupt();
            // junit-jupiter-api is a jar on the test class path: scanning it opens the jar's file system.
            SuiteRun.discoverOnly(Test.class.getClassLoader(), List.of(Selection.parse("package:org.junit.jupiter.api")),
                    List.of(), null, Map.of());
        });
        try {
            scan.start();
            scan.join(30_000);
        } finally {
            root.removeHandler(capture);
        }

        assertThat(scan.isAlive()).isFalse();
        assertThat(records).noneSatisfy(record -> assertThat(causes(record.getThrown()))
                .anyMatch(ClosedByInterruptException.class::isInstance));
    }

    @Test
    void onlyTheRecordsOfACancelledScanAreDropped() {
        LogRecord other = new LogRecord(Level.WARNING, "Error scanning files");
        other.setThrown(new UncheckedIOException(new IOException("disk on fire")));
        LogRecord cancelled = new LogRecord(Level.WARNING, "Error scanning files");
        cancelled.setThrown(new UncheckedIOException("Failed to create file system", new ClosedByInterruptException()));

        assertThat(CancelledScanLog.cancelled(other)).isFalse();
        assertThat(CancelledScanLog.cancelled(cancelled)).isTrue();
    }

    private static List<Throwable> causes(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && chain.size() < 20; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
