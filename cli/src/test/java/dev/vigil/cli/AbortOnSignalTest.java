package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM during a command, in a JVM of its own. */
class AbortOnSignalTest {

    @TempDir
    Path dir;

    @Test
    void sigtermLetsTheAbortedVerificationRecordAndCloseTheEmbeddedHistoryBeforeTheJvmShutsDown() throws Exception {
        // The abort ran in a shutdown hook, alongside H2's, which closed the embedded history under
        // the aborted verification's insert: it met "Database is already closed" and needed another
        // attempt, and a file closed in the middle of a write could be left unreadable.
        Path file = dir.resolve("db/history");
        String url = "jdbc:h2:file:" + file;
        Path out = dir.resolve("out.txt");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AbortedRecordingProcess.class.getName(), url)
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(out).contains("verifying") && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the JVM ended").isTrue();
        } finally {
            process.destroyForcibly();
        }

        String output = Files.readString(out);
        assertThat(process.exitValue()).as(output).isEqualTo(ExitCodes.ABORTED);
        assertThat(output).contains("recorded=true");
        Path trace = file.resolveSibling("history.trace.db");
        assertThat(Files.exists(trace) ? Files.readString(trace) : "").as("H2's trace file").doesNotContain("already closed");
        try (Connection c = DriverManager.getConnection(url, "", "");
                ResultSet rows = c.createStatement().executeQuery("SELECT id, verdict FROM vigil_release")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1) + " " + rows.getString(2)).isEqualTo("aborted-1 ABORTED");
            assertThat(rows.next()).isFalse();
        }
    }

    @Test
    void aProgramThatRunsTheCommandLineInItsOwnJvmKeepsTheJvmsHandlingOfSignals() {
        // Handled by the command, a SIGTERM would end the command and leave that program running.
        try (AbortOnSignal abort = AbortOnSignal.install(Thread.currentThread())) {
            assertThat(abort.handlesSignals()).isFalse();
        }
    }

    @Test
    void aSecondSignalWhileTheCommandWindsUpDoesNotInterruptItAgain() throws Exception {
        // Interrupted again, the command would break off writing its reports or its history.
        AtomicInteger interrupts = new AtomicInteger();
        AbortOnSignal[] abort = new AbortOnSignal[1];
        Thread worker = new Thread(() -> {
            long windUpEnd = Long.MAX_VALUE;
            while (System.nanoTime() < windUpEnd) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    if (interrupts.incrementAndGet() == 1) {
                        windUpEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                    }
                }
            }
            abort[0].finished(ExitCodes.ABORTED);
        }, "verifying");
        abort[0] = AbortOnSignal.install(worker);
        worker.start();
        Thread first = new Thread(abort[0]::onSignal);
        Thread second = new Thread(abort[0]::onSignal);
        first.start();
        second.start();
        first.join(30_000);
        second.join(30_000);
        worker.join(30_000);

        assertThat(abort[0].signalled()).isTrue();
        assertThat(interrupts).hasValue(1);
    }
}
