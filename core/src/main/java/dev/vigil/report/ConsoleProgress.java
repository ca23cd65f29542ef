package dev.vigil.report;

import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeReport;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.WatchPlan;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * A {@link VerificationListener} that shows a verification on a console: a line when it starts,
 * a live progress line during the bake (elapsed of total time, round, each probe's latest
 * outcome), the rollback, and a closing explanation of the verdict (verdict, reason, each probe,
 * rollback outcome, what to do now, where the reports are).
 *
 * <p>On a terminal the progress line is rewritten in place with {@code \r}; elsewhere (a CI log)
 * one line is printed per round. Every text is redacted like the reports, and shown on one line:
 * a line break or a terminal control in a text from the service is written as its escape
 * ({@code \r}, {@code \n}, {@code \u009b}), so that it cannot overwrite or add a line.
 *
 * <pre>{@code
 * ReportWriter reports = ReportWriter.to(dir);
 * builder.listener(reports)                                   // first, so the files exist
 *        .listener(ConsoleProgress.builder(System.out).reports(reports).build());
 * }</pre>
 *
 * <p>Follows one verification at a time; meant to be used from the verifying thread, as the
 * engine calls listeners.
 */
public final class ConsoleProgress implements VerificationListener {

    private final PrintStream out;
    private final boolean terminal;
    private final ReportWriter reports;
    private final Path reportDir;
    private final java.util.function.Supplier<java.util.List<String>> notes;

    private final Map<String, ProbeState> probes = new LinkedHashMap<>();
    private Duration total = Duration.ZERO;
    /** What runs the rounds followed, {@code bake} or {@code watch}: it names the rule of their extra rounds. */
    private String phase = "bake";
    private int progressWidth;

    private ConsoleProgress(Builder builder) {
        this.out = builder.out;
        this.terminal = builder.terminal;
        this.reports = builder.reports;
        this.reportDir = builder.reportDir;
        this.notes = builder.notes;
    }

    /**
     * A builder printing to {@code out}. By default the progress line is rewritten in place when
     * the JVM has a console attached to a terminal.
     *
     * @param out where the progress and the closing explanation are printed
     * @return a new builder
     */
    public static Builder builder(PrintStream out) {
        return new Builder(out);
    }

    /**
     * A console progress on {@code out} with the defaults of {@link #builder}.
     *
     * @param out where the progress and the closing explanation are printed
     * @return a new listener, to register with the verifier
     */
    public static ConsoleProgress to(PrintStream out) {
        return builder(out).build();
    }

    @Override
    public void started(Deployment deployment, VerificationPlan plan) {
        probes.clear();
        progressWidth = 0;
        total = plan.initialDelay().plus(plan.duration());
        phase = "bake";
        StringBuilder line = new StringBuilder("Vigil: verifying ").append(deployment.service()).append(' ')
                .append(deployment.version());
        if (deployment.previousVersion() != null) {
            line.append(" (previous ").append(deployment.previousVersion()).append(')');
        }
        line.append(": ").append(plan.rounds()).append(plan.rounds() == 1 ? " round" : " rounds").append(" every ")
                .append(Format.duration(plan.interval())).append(" for ").append(Format.duration(plan.duration()));
        if (!plan.initialDelay().isZero()) {
            line.append(" after ").append(Format.duration(plan.initialDelay())).append(" of warm-up");
        }
        if (plan.dryRun()) {
            line.append(" (dry-run: no rollback)");
        }
        println(line.toString());
    }

    @Override
    public void watchStarted(Deployment deployment, WatchPlan watch) {
        probes.clear();
        progressWidth = 0;
        total = watch.interval().plus(watch.duration());
        phase = "watch";
        long rounds = Math.max(1, watch.duration().dividedBy(watch.interval()));
        println("Vigil: watching " + deployment.service() + " " + deployment.version() + " after its healthy bake: "
                + rounds + (rounds == 1 ? " round" : " rounds") + " every " + Format.duration(watch.interval()) + " for "
                + Format.duration(watch.duration()) + "; breaking a limit "
                + (watch.action() == WatchPlan.Action.ROLLBACK ? "rolls it back" : "is reported, nothing is rolled back (watch-action=notify)")
                + (watch.describeLimits().isEmpty() ? "" : "; " + watch.describeLimits())
                + (watch.unwatched().isEmpty() ? "" : "; not watched: " + String.join(", ", watch.unwatched())));
    }

    @Override
    public void measured(Measurement m) {
        if (m.round() == 0) {
            return;
        }
        probes.computeIfAbsent(m.probe(), k -> new ProbeState()).record(m.outcome());
    }

    @Override
    public void roundFinished(int round, int rounds, Duration elapsed) {
        StringBuilder line = new StringBuilder("  ").append(Format.clock(elapsed)).append(" / ")
                .append(Format.clock(total)).append("  round ").append(round)
                .append(round > rounds ? " (extra: end-of-" + phase + " rule)" : "/" + rounds);
        probes.forEach((name, s) -> line.append("  ").append(name).append(' ').append(s.latest).append(s.tally()));
        String text = shown(line.toString());
        if (terminal) {
            int pad = Math.max(0, progressWidth - text.length());
            out.print("\r" + text + " ".repeat(pad));
            out.flush();
            progressWidth = text.length();
        } else {
            out.println(text);
        }
    }

    @Override
    public void rollbackStarted(Deployment deployment) {
        println("Rolling back " + deployment.service() + " " + deployment.version()
                + (deployment.previousVersion() == null ? "" : " to " + deployment.previousVersion())
                + (deployment.fixes().isEmpty() ? "" : " (re-opens " + String.join(", ", deployment.fixes()) + ")") + " ...");
    }

    @Override
    public void rollbackFinished(Deployment deployment, RollbackReport report) {
        if (report.outcome() == RollbackOutcome.DRY_RUN) {
            println("Dry-run: the rollback did not run" + (report.trigger().isBlank() ? "" : " (" + report.trigger() + ")"));
        } else if (report.outcome() == RollbackOutcome.NOTIFIED) {
            println("Not rolled back: watch-action=notify" + (report.trigger().isBlank() ? "" : " (" + report.trigger() + " did not run)"));
        } else {
            println("Rollback " + report.outcome() + attempts(report)
                    + (report.error() == null ? "" : ": " + report.error()));
        }
    }

    @Override
    public void finished(VerificationReport report) {
        endProgressLine();
        out.println();
        println("Verdict:  " + Format.status(report) + (report.watch() ? " (the watch after the bake)" : ""));
        println("Reason:   " + report.reason());
        StringJoiner summary = new StringJoiner(", ");
        for (ProbeReport p : report.probes()) {
            summary.add(p.name() + " " + p.status() + " (" + p.passes() + " pass, " + p.failures() + " fail, "
                    + p.inconclusive() + " inconclusive, " + p.errors() + " error)");
        }
        println("Probes:   " + summary);
        for (String issue : report.deployment().fixes().stream().distinct().toList()) {
            println("Fix:      " + fix(report, issue));
        }
        report.confirmations().stream().filter(c -> c.regression() && !c.confirmed())
                .forEach(c -> println("Guard:    " + c.explanation()));
        RollbackReport r = report.rollback();
        // The error names the trigger already.
        println("Rollback: " + r.outcome() + (r.trigger().isBlank() || r.error() != null ? "" : " (" + r.trigger() + ")")
                + attempts(r) + (r.error() == null ? "" : ": " + r.error()));
        String reopens = Format.reopens(report);
        if (reopens != null) {
            println("Re-opens: " + reopens);
        }
        String judged = Format.recheck(report);
        if (judged != null) {
            println("Re-check: " + judged);
        }
        List<String> noted = notes.get();
        println("Next:     " + advice(report, noted));
        String where = reportsLine();
        if (where != null) {
            // A folder given with a line break in its name would split the line.
            println("Reports:  " + Reports.oneLine(where));
        }
        noted.forEach(this::println);
        out.flush();
    }

    /**
     * One fix in a line: {@code INC-1 CONFIRMED (probe smoke: OrdersSmokeTest#x passed)}, the worst
     * confirmation first. A watch judges no fix again: it follows a {@code HEALTHY} bake, which
     * needed every fix confirmed, so its line says so instead of calling the fix unproven.
     */
    private static String fix(VerificationReport report, String issue) {
        List<dev.vigil.Confirmation> found = report.confirmations().stream().filter(c -> c.issue().equals(issue)).toList();
        if (found.isEmpty() && report.watch()) {
            return Format.confirmedInTheBake(issue);
        }
        if (found.isEmpty()) {
            return issue + " NOT_PROVEN (no confirmation was judged)";
        }
        dev.vigil.Confirmation.Status worst = found.stream().map(dev.vigil.Confirmation::status)
                .filter(s -> s != dev.vigil.Confirmation.Status.CONFIRMED).findFirst()
                .orElse(dev.vigil.Confirmation.Status.CONFIRMED);
        StringJoiner details = new StringJoiner("; ");
        found.forEach(c -> details.add("probe " + c.probe() + ": " + c.explanation()));
        return issue + " " + worst + " (" + details + ")";
    }

    private String reportsLine() {
        if (reports != null) {
            if (reports.failure().isPresent()) {
                return "could not be written: " + reports.failure().get();
            }
            Map<ReportFormat, Path> files = reports.written();
            if (!files.isEmpty()) {
                Path html = files.get(ReportFormat.HTML);
                Path first = html != null ? html : files.values().iterator().next();
                StringJoiner others = new StringJoiner(", ", " (also ", ")").setEmptyValue("");
                files.values().stream().filter(f -> !f.equals(first)).forEach(f -> others.add(f.getFileName().toString()));
                return first.toAbsolutePath() + others.toString();
            }
            return reports.dir().toAbsolutePath().toString();
        }
        return reportDir == null ? null : reportDir.toAbsolutePath().toString();
    }

    /**
     * The {@code Next:} line. A healthy verdict defers to a warning among the notes below it: the
     * release history's that the run may have measured what a rollback left running, or that it could
     * not be written (which says the verdict stands).
     */
    private static String advice(VerificationReport report, List<String> notes) {
        Deployment d = report.deployment();
        RollbackOutcome rollback = report.rollback().outcome();
        if (report.verdict() == Verdict.HEALTHY) {
            return d.version() + (notes.stream().anyMatch(n -> n.startsWith("Warning:"))
                    ? " can stay, unless a warning below says otherwise." : " can stay.");
        }
        if (report.superseded() && (report.verdict() == Verdict.INCONCLUSIVE || report.verdict() == Verdict.ABORTED)) {
            // A newer deployment took its place: what runs now is the newer one's verification's to judge.
            return "nothing was rolled back: " + report.supersededBy() + " took this one's place, and judges what runs now"
                    + (report.watch() ? "; the bake's verdict of " + d.version() + " stands." : ".");
        }
        if (report.verdict() == Verdict.ABORTED && report.watch()) {
            return "the watch was stopped before its end; nothing was rolled back, and the bake's verdict stands.";
        }
        if (report.verdict() == Verdict.ABORTED) {
            return "the verification was cancelled before a verdict; nothing was rolled back.";
        }
        if (report.verdict() == Verdict.INCONCLUSIVE) {
            return "nothing was rolled back; there was not enough evidence either way: stop the pipeline and look.";
        }
        // A re-check whose probes that read the version could not reach the service (refused, timed out)
        // says nothing about which version runs: neither that the rollback changed nothing nor that it worked.
        List<String> unread = report.recheckResult().onlyUnmeasured(report.recheck());
        if (report.recheckResult().previousVersionInDoubt() && !unread.isEmpty()
                && (rollback == RollbackOutcome.ROLLED_BACK || rollback == RollbackOutcome.FAILED)) {
            return (rollback == RollbackOutcome.FAILED ? "THE ROLLBACK FAILED, and" : d.service() + " was rolled back"
                    + (d.previousVersion() == null ? "" : " to " + d.previousVersion()) + ", but") + " which version runs is"
                    + " unknown: " + String.join(", ", unread) + " (measured in the re-check only) could not reach the"
                    + " service. A PERSON MUST LOOK NOW: find which version runs, and why it does not answer, before"
                    + " rolling back again.";
        }
        return switch (rollback) {
            case ROLLED_BACK -> report.rolledBackButPreviousVersionInDoubt()
                    ? d.service() + " was rolled back" + (d.previousVersion() == null ? "" : " to " + d.previousVersion())
                            + (report.recheckResult().status() == RecheckReport.Status.UNHEALTHY
                                    ? ", but the re-check did not find that version healthy either"
                                    : recheckCut(report.recheckResult())
                                    ? ", but the re-check was cut short by the signal (or the interrupt) that came while"
                                            + " the rollback ran, so which version answers was not measured"
                                    // Inconclusive (rounds skipped): nothing was found unhealthy.
                                    : ", but the re-check could not show that version healthy (Re-check: above says why)")
                            + ": A PERSON MUST LOOK NOW; find"
                            + " which version answers first (" + d.version() + " still answering means the rollback changed"
                            + " nothing)."
                    : d.service() + " was rolled back" + (d.previousVersion() == null ? "" : " to "
                    + d.previousVersion()) + "; see the reports for why.";
            case DRY_RUN -> "dry-run: nothing was rolled back; a real run would have.";
            case FAILED -> failedRollback(report);
            case NOT_NEEDED -> "nothing was rolled back.";
            case NOTIFIED -> "NOTHING WAS ROLLED BACK (watch-action=notify): a person must decide whether to roll back "
                    + d.service() + " " + d.version() + ".";
        };
    }

    /**
     * The {@code Next:} line after a failed rollback. An attempt that ran may have gone through (a
     * status check that timed out, a command stopped by a signal or its timeout after its undo):
     * repeating a bare undo then brings the bad version back, so unless a re-check found what answers
     * unhealthy, or nothing ran, which version runs comes first. So it does after a rollback shared
     * with a concurrent verification that ran it ({@link RollbackReport#shared()}), whatever came of it
     * (a runner that threw leaves no rollback id): its attempts may have gone through, and this
     * verification re-checked nothing.
     */
    private static String failedRollback(VerificationReport report) {
        Deployment d = report.deployment();
        RollbackReport r = report.rollback();
        if (r.shared()) {
            // Shared: the attempts were another verification's, which may have gone through; this one re-checked nothing.
            return "THE ROLLBACK FAILED: it was run by a concurrent verification of " + d.service() + " " + d.version()
                    + " (see Rollback: above), so a person must find which version runs before rolling back again.";
        }
        RecheckReport.Status recheck = report.recheckResult().status();
        String found = recheck == RecheckReport.Status.HEALTHY ? ", but the re-check found what answers healthy"
                : report.rollback().attempts() > 0 && recheck != RecheckReport.Status.UNHEALTHY
                        ? ", and no re-check found out which version answers since" : null;
        if (found == null) {
            return "THE ROLLBACK FAILED: a person must roll back " + d.service() + " " + d.version() + " now.";
        }
        return "THE ROLLBACK FAILED" + found + ": a person must find which version runs before rolling back again ("
                + (d.previousVersion() == null ? "the previous version" : d.previousVersion())
                + " means the failed attempt went through, and repeating it may bring " + d.version() + " back; "
                + d.version() + " means roll " + d.service() + " back now).";
    }

    /**
     * Whether the re-check was cut short before its first round by an interrupt (a signal that came
     * while the rollback ran, which finished within its grace): then it measured nothing at all.
     */
    private static boolean recheckCut(RecheckReport recheck) {
        return recheck.status() == RecheckReport.Status.INCONCLUSIVE && recheck.rounds() == 0
                && recheck.reason().contains(" was interrupted after 0 rounds");
    }

    private static String attempts(RollbackReport r) {
        return r.attempts() == 0 ? "" : " after " + r.attempts() + (r.attempts() == 1 ? " attempt" : " attempts");
    }

    private void println(String text) {
        endProgressLine();
        out.println(shown(text));
        out.flush();
    }

    /**
     * A text as one console line: redacted, each control character below space a U+FFFD as in the
     * reports, and a line break, DEL or C1 control (U+009B is a terminal's escape) written as its
     * escape ({@code \r}, {@code \n}, {@code \u009b}): a text from the service (a test's failure
     * message quoting a body with CRLF) can neither return to the start of a line to overwrite it
     * nor start a line that passes for one of Vigil's ("Verdict:  HEALTHY").
     */
    private static String shown(String text) {
        return Reports.oneLine(Reports.printable(Redaction.text(text)));
    }

    private void endProgressLine() {
        if (progressWidth > 0) {
            out.println();
            progressWidth = 0;
        }
    }

    /** The latest outcome of one probe and how many bad ones it had. */
    private static final class ProbeState {
        private Outcome latest;
        private int fail;
        private int error;
        private int inconclusive;

        void record(Outcome outcome) {
            latest = outcome;
            switch (outcome) {
                case FAIL -> fail++;
                case ERROR -> error++;
                case INCONCLUSIVE -> inconclusive++;
                case PASS -> { }
            }
        }

        String tally() {
            StringJoiner parts = new StringJoiner(", ", " [", "]").setEmptyValue("");
            if (fail > 0) {
                parts.add(fail + " fail");
            }
            if (error > 0) {
                parts.add(error + " error");
            }
            if (inconclusive > 0) {
                parts.add(inconclusive + " inconclusive");
            }
            return parts.toString();
        }
    }

    /**
     * {@code System.console() != null} up to JDK 21; from JDK 22 on, where a console may exist
     * without a terminal, {@code Console.isTerminal()}, called reflectively to run on Java 17.
     */
    static boolean isTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Configures a {@link ConsoleProgress}. Not thread-safe. */
    public static final class Builder {
        private final PrintStream out;
        private boolean terminal = isTerminal();
        private ReportWriter reports;
        private Path reportDir;
        private java.util.function.Supplier<java.util.List<String>> notes = java.util.List::of;

        private Builder(PrintStream out) {
            this.out = Objects.requireNonNull(out, "out");
        }

        /**
         * Whether to rewrite the progress line in place with {@code \r}. Default: whether the JVM
         * has a console attached to a terminal.
         *
         * @param value {@code true} to rewrite the line in place, {@code false} to print one line per change
         * @return this builder
         */
        public Builder terminal(boolean value) {
            this.terminal = value;
            return this;
        }

        /**
         * Names the files this writer wrote in the closing explanation; register the writer as a
         * listener before this progress so that the files exist by then.
         *
         * @param writer the report writer whose files are named
         * @return this builder
         */
        public Builder reports(ReportWriter writer) {
            this.reports = Objects.requireNonNull(writer, "writer");
            return this;
        }

        /**
         * Names this folder as where the reports are, when no {@link #reports(ReportWriter)} is given.
         *
         * @param dir the folder named as holding the reports
         * @return this builder
         */
        public Builder reportDir(Path dir) {
            this.reportDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Ends the closing explanation with the lines the supplier gives when a verification
         * finishes, such as {@link dev.vigil.history.HistoryRecorder#lines()} (the quiet-release
         * streak); register their source as a listener before this progress.
         *
         * @param lines called once per finished verification; its lines are printed as they are
         * @return this builder
         */
        public Builder notes(java.util.function.Supplier<java.util.List<String>> lines) {
            this.notes = Objects.requireNonNull(lines, "lines");
            return this;
        }

        /**
         * Builds the listener.
         *
         * @return a new listener; the builder may be used again
         */
        public ConsoleProgress build() {
            return new ConsoleProgress(this);
        }
    }
}
