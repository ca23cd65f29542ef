package dev.vigil.cli;

import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.jdbc.JdbcHistoryStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A JVM that verifies until a signal stops it, as {@code verify} run by {@link VigilCommand#main} does
 * with an embedded history:
 * {@code URL}. It prints {@code verifying}, waits to be interrupted by {@link AbortOnSignal}, takes a
 * moment to wind up (the reports), records the aborted verification, prints {@code recorded=true},
 * closes the store and exits with the command's code.
 */
public final class AbortedRecordingProcess {

    private AbortedRecordingProcess() {
    }

    public static void main(String[] args) {
        AbortOnSignal.exitsAfterCommand();
        JdbcHistoryStore store = JdbcHistoryStore.open(HistorySettings.defaults().withDatabase(args[0], "", null));
        Instant started = Instant.now();
        int code = AbortOnSignal.run(() -> {
            try {
                System.out.println("verifying");
                System.out.flush();
                Thread.sleep(60_000);
                return ExitCodes.HEALTHY;
            } catch (InterruptedException e) {
                windUp();
                boolean recorded = store.record(new ReleaseRecord("aborted-1", Deployment.of("checkout", "1.0"), Verdict.ABORTED,
                        "stopped by a signal", RollbackOutcome.NOT_NEEDED, null, null, RecheckReport.Status.NOT_RUN, started,
                        null, Instant.now(), List.of(), Map.of()));
                System.out.println("recorded=" + recorded);
                return ExitCodes.ABORTED;
            } finally {
                store.close();
            }
        });
        System.exit(code);
    }

    /** The time an aborted verification takes to write its reports: the other shutdown hooks ran by then. */
    private static void windUp() {
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
