package dev.vigil.cli;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.RecheckPlan;
import dev.vigil.VerificationPlan;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.Watch;
import dev.vigil.config.BoundConfig;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistoryStore;
import dev.vigil.report.ConsoleProgress;
import dev.vigil.report.ReportWriter;
import dev.vigil.report.Reports;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code vigil verify --config FILE ...}: verifies a deployment and rolls it back when it is unhealthy. */
@Command(name = "verify",
        sortOptions = false,
        description = {"Verifies a deployment: measures it with the configured probes for the bake time, rolls it "
                + "back when it is unhealthy, writes the reports and exits with the verdict.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0    HEALTHY",
            "  1    UNHEALTHY, rollback done (or dry-run)",
            "  2    usage or configuration error (the message names the key)",
            "  3    INCONCLUSIVE, nothing rolled back",
            "  4    UNHEALTHY and the rollback FAILED: a person must act",
            "  5    rolled back, but the re-check did not find the previous version healthy: a person must look",
            "  130  aborted (SIGINT or SIGTERM)"})
final class VerifyCommand implements Callable<Integer> {

    private static final String WATCH_KEY = "vigil.plan.watch";
    /** The environment variable that sets {@link #WATCH_KEY} (a name in any case binds). */
    private static final String WATCH_VARIABLE = "VIGIL_PLAN_WATCH";

    /** Where the reports go unless {@code --report-dir} says otherwise. */
    static final String DEFAULT_REPORT_DIR = "vigil-reports";

    /** How the progress line is shown. */
    enum Progress {
        /** Rewritten in place on a terminal, one line per round otherwise. */
        AUTO,
        /** Rewritten in place with carriage returns. */
        TERMINAL,
        /** One line per round. */
        LINES,
        /** No progress and no closing explanation: only errors. */
        NONE
    }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    private VigilCommand parent;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The configuration: application.properties, or application.yml / .yaml.")
    private Path config;

    @Mixin
    private DeploymentOptions deploymentOptions;

    @Option(names = "--dry-run", description = "Verify and report, but never run the rollback (exit 1 when it would have).")
    private boolean dryRun;

    @Option(names = "--no-recheck", description = "After a rollback, do not re-check the previous version "
            + "(as vigil.rollback.recheck.rounds=0); the report says it was switched off.")
    private boolean noRecheck;

    @Option(names = "--watch", description = "After a healthy bake, keep watching as vigil.plan.watch says, streaming "
            + "progress, and exit with the watch's outcome (its reports go to the watch folder of --report-dir). "
            + "Without it, verify exits after the bake.")
    private boolean watch;

    @Option(names = "--report-dir", paramLabel = "DIR", defaultValue = DEFAULT_REPORT_DIR,
            description = "Where report.json, report.xml, report.html and summary.md are written. Default: ${DEFAULT-VALUE}.")
    private Path reportDir;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, terminal, lines or none. Default: ${DEFAULT-VALUE} (rewritten in place on a terminal).")
    private Progress progress;

    @Mixin
    private DebugOption debug;

    // Not mixinStandardHelpOptions: here --version is the version deployed.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    private VerifyCommand() {
    }

    @Override
    public Integer call() {
        return AbortOnSignal.run(this::verify);
    }

    /**
     * Waits for the watch after the bake; a signal (the interrupt of {@link AbortOnSignal}) stops it,
     * and its report then says ABORTED.
     */
    private static VerificationReport watched(Watch watch, java.time.Duration rollbackGrace) {
        try {
            return watch.await();
        } catch (InterruptedException e) {
            // As a signal stops a bake: at once, but for a rollback attempt under way, which has its grace
            // to finish (then reported as it ended; cut at its end, FAILED, exit 4).
            VerificationReport report = watch.abort("stopped by a signal (SIGINT or SIGTERM)",
                    java.time.Duration.ofSeconds(AbortOnSignal.GRACE_SECONDS / 2).plus(rollbackGrace)).orElse(null);
            Thread.currentThread().interrupt();
            return report;
        }
    }

    /**
     * Why {@code --watch} cannot watch, naming where {@code vigil.plan.watch} came from: not given,
     * or given as {@code 0s} (no watch) in the file or by the environment variable
     * {@code VIGIL_PLAN_WATCH}, which overrides the file.
     */
    static String noWatch(BoundConfig bound, Path config, java.util.Map<String, String> env) {
        String value = bound.properties().get(WATCH_KEY);
        if (value == null) {
            return "--watch needs " + WATCH_KEY + " (how long to watch after the bake, e.g. 24h) in " + config
                    + " or the environment variable " + WATCH_VARIABLE;
        }
        String variable = env.keySet().stream().filter(name -> name.toUpperCase(java.util.Locale.ROOT).equals(WATCH_VARIABLE))
                .findFirst().orElse(null);
        return "--watch needs a watch, but " + WATCH_KEY + " is " + (value.isBlank() ? "empty" : value) + " (no watch) "
                + (variable != null ? "from the environment variable " + variable : "in " + Reports.oneLine(String.valueOf(config)))
                + ": set it to how long to watch after the bake (e.g. 24h), or leave --watch out";
    }

    private int verify(AbortOnSignal abort) {
        PrintWriter err = spec.commandLine().getErr();
        if (Files.exists(reportDir) && !Files.isDirectory(reportDir)) {
            err.println("vigil: --report-dir " + Reports.oneLine(reportDir.toString()) + " is a file, not a folder");
            err.flush();
            return ExitCodes.USAGE;
        }
        DeploymentOptions.Loaded loaded = deploymentOptions.load(config, err, debug.debug);
        if (!loaded.ok()) {
            return loaded.exitCode();
        }
        BoundConfig bound = loaded.config();
        abort.rollbackGrace(bound.rollbackPolicy().interruptGrace());
        Deployment deployment = loaded.deployment();
        VerificationPlan plan = dryRun ? bound.plan().withDryRun(true) : bound.plan();
        if (watch && !bound.watch().enabled()) {
            err.println("vigil: " + noWatch(bound, config, System.getenv()));
            err.flush();
            return ExitCodes.USAGE;
        }

        List<HistoryStore> opened = new ArrayList<>(1);
        // First among the listeners: the reports and the console end with its streak or its warning.
        HistoryRecorder history = HistoryAccess.recorder(bound.history(), opened::add);
        try {
            ReportWriter reports = ReportWriter.to(reportDir);
            DeployVerifier.Builder builder = bound.toBuilder().plan(plan);
            if (history != null) {
                builder.listener(history);
                builder.regressionGuard(history.pastConfirmations(), bound.requirePastConfirmations());
                // Another process's verification of a newer version keeps this one's watch from undoing it.
                builder.startLog(history.startLog());
                reports = reports.notes(history::lines);
            }
            builder.listener(reports);
            if (noRecheck) {
                builder.recheck(RecheckPlan.off());
            }
            if (progress != Progress.NONE) {
                ConsoleProgress.Builder console = ConsoleProgress.builder(parent.out()).reports(reports);
                if (history != null) {
                    console.notes(history::lines);
                }
                if (progress != Progress.AUTO) {
                    console.terminal(progress == Progress.TERMINAL);
                }
                builder.listener(console.build());
            }
            VerificationReport report;
            // Closed at the end: probes keep their connections and I/O threads for the whole verification.
            try (DeployVerifier verifier = builder.build()) {
                // Checked when the configuration was bound; a suite's tests could be found then and not now.
                List<String> unconfirmed = verifier.confirmationProblems(deployment);
                if (!unconfirmed.isEmpty()) {
                    unconfirmed.forEach(p -> err.println("vigil: " + p));
                    err.flush();
                    return ExitCodes.USAGE;
                }
                if (watch) {
                    Watch watching = verifier.verifyThenWatch(deployment);
                    java.time.Duration grace = bound.rollbackPolicy().interruptGrace();
                    report = watching.started() ? watched(watching, grace) : watching.bake();
                    if (report == null) {
                        err.println("vigil: the watch did not end within "
                                + dev.vigil.Durations.format(java.time.Duration.ofSeconds(AbortOnSignal.GRACE_SECONDS / 2).plus(grace))
                                + " of the signal; its reports may be missing");
                        err.flush();
                        return ExitCodes.ABORTED;
                    }
                    if (!watching.started() && report.healthy()) {
                        // Healthy, but not watched as asked: never exit 0 for a watch that did not run.
                        err.println("vigil: the watch did not start: " + watching.notStartedReason().orElse("unknown"));
                        err.flush();
                        return Thread.currentThread().isInterrupted() ? ExitCodes.ABORTED : ExitCodes.INCONCLUSIVE;
                    }
                } else {
                    report = verifier.verifyAfterDeploy(deployment);
                }
            }
            if (progress == Progress.NONE) {
                // Otherwise the console's Reports line says it, with what was written: said once.
                reports.failure().ifPresent(f -> err.println("vigil: the reports could not be written: " + Reports.oneLine(f)));
            }
            err.flush();
            if (report.superseded() && report.verdict() == Verdict.ABORTED && !Thread.currentThread().isInterrupted()) {
                // Stopped by no signal: a newer verification of the service started in another
                // process. Not watched to its end, and nothing rolled back: inconclusive, not 130.
                return ExitCodes.INCONCLUSIVE;
            }
            return ExitCodes.of(report);
        } finally {
            opened.forEach(HistoryStore::close);
        }
    }
}
