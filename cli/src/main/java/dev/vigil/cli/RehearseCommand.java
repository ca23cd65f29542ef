package dev.vigil.cli;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.RecheckReport;
import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistoryStore;
import dev.vigil.report.Reports;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vigil rehearse --config FILE --environment staging ...}: runs the configured rollback on
 * purpose, outside production, then re-checks the version it returned to.
 */
@Command(name = "rehearse",
        sortOptions = false,
        description = {"Rehearses the rollback: runs the configured rollback trigger on purpose in a non-production "
                + "environment, then re-checks the previous version with the configured probes. A procedure that only "
                + "runs in emergencies goes stale; rehearse it in staging.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0    REHEARSED: the rollback ran and the previous version came back healthy",
            "  2    usage or configuration error, or refused: no environment, a production environment,"
                + " vigil.plan.dry-run=true",
            "  4    FAILED: the rollback did not work",
            "  5    FAILED: the rollback ran, but the previous version did not come back healthy",
            "  130  aborted (SIGINT or SIGTERM) before the rollback started; a signal while it ran"
                + " lets the attempt finish within vigil.rollback.signal-grace and ends the rehearsal as FAILED (4 or 5)"})
final class RehearseCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    private VigilCommand parent;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The configuration: application.properties, or application.yml / .yaml.")
    private Path config;

    @Mixin
    private DeploymentOptions deploymentOptions;

    @Mixin
    private DebugOption debug;

    // Not mixinStandardHelpOptions: here, as for verify, --version is the version deployed.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    private RehearseCommand() {
    }

    @Override
    public Integer call() {
        return AbortOnSignal.run(this::rehearse);
    }

    private int rehearse(AbortOnSignal abort) {
        PrintWriter err = spec.commandLine().getErr();
        DeploymentOptions.Loaded loaded = deploymentOptions.load(config, err, debug.debug);
        if (!loaded.ok()) {
            return loaded.exitCode();
        }
        BoundConfig bound = loaded.config();
        abort.rollbackGrace(bound.rollbackPolicy().interruptGrace());
        Deployment deployment = loaded.deployment();
        String refused = DeployVerifier.refusesRehearsal(deployment, bound.plan());
        if (refused != null) {
            err.println("vigil: " + refused);
            err.flush();
            return ExitCodes.USAGE;
        }
        PrintStream out = parent.out();
        out.println(Reports.redact("Vigil: rehearsing the rollback of " + deployment.service() + " "
                + deployment.version() + " in " + deployment.environment() + (deployment.previousVersion() == null ? "" : " (back to "
                + deployment.previousVersion() + ")")));
        out.flush();
        List<HistoryStore> opened = new ArrayList<>(1);
        HistoryRecorder history = HistoryAccess.recorder(bound.history(), opened::add);
        RehearsalReport report;
        try {
            DeployVerifier.Builder builder = bound.toBuilder();
            if (history != null) {
                builder.listener(history).startLog(history.startLog());
            }
            try (DeployVerifier verifier = builder.build()) {
                report = verifier.rehearseRollback(deployment);
            }
        } finally {
            opened.forEach(HistoryStore::close);
        }
        print(out, report, bound.recheck().only());
        if (history != null) {
            history.lines().forEach(line -> out.println(Reports.redact(line)));
            out.flush();
        }
        // A signal while the rollback ran (after its grace, or cutting the re-check): that is FAILED (4 or 5), for a person to
        // look at, not an abort before anything happened.
        return ExitCodes.of(report);
    }

    /** The rehearsal, masked as verify's console is ({@link Reports#redact}): the rollback's output may quote a credential. */
    private static void print(PrintStream out, RehearsalReport report, java.util.Set<String> only) {
        RollbackReport r = report.rollback();
        out.println();
        out.println("Rehearsal: " + report.outcome());
        out.println(Reports.redact("Reason:    " + report.reason()));
        out.println(Reports.redact("Rollback:  " + r.outcome() + (r.trigger().isBlank() ? "" : " (" + r.trigger() + ")")
                + " after " + r.attempts() + (r.attempts() == 1 ? " attempt" : " attempts")
                + (r.error() == null ? "" : ": " + r.error())));
        if (!r.output().isBlank()) {
            out.println(Reports.redact("Output:    " + r.output().strip().replace("\n", "\n           ")));
        }
        out.println(Reports.redact("Re-check:  " + report.recheckResult().status() + ": " + report.recheckResult().reason()));
        if (!report.recheck().isEmpty()) {
            StringJoiner measured = new StringJoiner(", ");
            for (Measurement m : report.recheck()) {
                measured.add(m.probe() + " " + m.outcome());
            }
            out.println(Reports.redact("Measured:  " + measured));
        }
        out.println(Reports.redact("Next:      " + next(report, only)));
        out.flush();
    }

    /**
     * What to do now. A rehearsal leaves the environment on the version it rolled back to, which
     * is said, with a reminder to check it (the re-check cannot tell which version answers unless a
     * probe reads it); after a rollback that ran and a re-check that failed (exit 5), which version
     * answers tells a procedure that changed nothing from a previous version that is unhealthy; a
     * rollback that failed may have changed something (exit 4).
     *
     * @param only the probes measured in the re-check only ({@code recheck=only}): after a rehearsal
     *     whose re-check they passed, the reminder names them instead of asking for one
     */
    static String next(RehearsalReport report, java.util.Set<String> only) {
        Deployment d = report.deployment();
        String previous = d.previousVersion() == null ? "the previous version" : d.previousVersion();
        String back = " deploy " + d.version() + " there again when you want it back";
        if (report.rehearsed()) {
            // The re-check proves that a healthy version answers, not which one: a rollback that
            // changed nothing (a command that only echoes) leaves the rehearsed version answering.
            List<String> checked = report.recheck().stream().map(Measurement::probe).filter(only::contains).distinct().toList();
            String check = checked.isEmpty()
                    ? ": check that it does (the probes tell the versions apart only if one reads the version: recheck=only,"
                            + " docs/rollback.md), then"
                    : " (" + String.join(", ", checked) + ", measured in the re-check only, passed on what answers there);"
                            + " then";
            return "the rollback procedure ran and a healthy version answers; " + d.environment() + " should now run "
                    + previous + check + back + "; rehearse again after changing the procedure.";
        }
        if (report.outcome() == RehearsalReport.Outcome.ABORTED) {
            return "rehearse again when nothing stops it.";
        }
        List<String> unread = report.recheckResult().onlyUnmeasured(report.recheck());
        if (report.rollback().outcome() == RollbackOutcome.ROLLED_BACK && !unread.isEmpty()) {
            // Refused or timed out in every round: neither "the procedure changed nothing" nor "the previous version is unhealthy".
            return "the rollback procedure ran, but which version runs in " + d.environment() + " is unknown: "
                    + String.join(", ", unread) + " (measured in the re-check only) could not reach the service: find which"
                    + " version runs there, and why it does not answer, before anything else;" + back + ".";
        }
        if (report.rollback().outcome() == RollbackOutcome.ROLLED_BACK
                && report.recheckResult().status() != RecheckReport.Status.UNHEALTHY) {
            // Inconclusive (cut short by a signal, inconclusive answers): nothing was found unhealthy.
            return "the rollback procedure ran, but its re-check could not show " + previous + " healthy in " + d.environment()
                    + " (Re-check: above says why): find which version answers there before anything else: " + d.version()
                    + " still answering means the procedure changed nothing (fix it, then rehearse again); " + previous
                    + " answering: rehearse again to see it healthy;" + back + ".";
        }
        if (report.rollback().outcome() == RollbackOutcome.ROLLED_BACK) {
            // A probe that expects the previous version fails as well when the procedure changed nothing.
            return "the rollback procedure ran, but " + previous + " did not come back healthy in " + d.environment()
                    + ": find which version answers there before anything else: " + d.version() + " still answering means"
                    + " the procedure changed nothing (fix it, then rehearse again); " + previous + " answering means "
                    + previous + " is unhealthy, and the next real rollback would land there;" + back + ".";
        }
        return "fix the rollback procedure now, before an emergency needs it; it may have changed something: check by hand"
                + " which version runs in " + d.environment() + ".";
    }
}
