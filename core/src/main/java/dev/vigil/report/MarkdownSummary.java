package dev.vigil.report;

import dev.vigil.ProbeReport;
import dev.vigil.RollbackReport;
import dev.vigil.VerificationReport;

/**
 * Renders {@code summary.md}, fit for a CI job summary (GitHub's {@code $GITHUB_STEP_SUMMARY},
 * a GitLab or Jenkins Markdown panel): a heading with the verdict as a plain word, the reason, a
 * table of the probes and the rollback. No emoji; the rollback output folds into a
 * {@code <details>} block, which GitHub and GitLab render.
 */
final class MarkdownSummary {

    private MarkdownSummary() {
    }

    static String render(VerificationReport report, java.util.List<String> notes) {
        StringBuilder md = new StringBuilder(2048);
        md.append("## Vigil: ").append(inline(report.deployment().service())).append(' ')
                .append(inline(report.deployment().version())).append(" is ").append(report.verdict())
                .append(report.watch() ? " in the watch after the bake" : "").append("\n\n");
        md.append("**Verdict:** ").append(inline(Format.status(report))).append("  \n");
        md.append("**Reason:** ").append(inline(report.reason())).append("  \n");
        md.append("**Deployment:** ").append(inline(Format.deployment(report))).append("  \n");
        md.append("**Time:** started ").append(Format.instant(report.startedAt()));
        report.timeToDetect().ifPresent(d -> md.append(", detected after ").append(Format.duration(d)));
        md.append(", took ").append(Format.duration(Format.elapsed(report))).append(" over ")
                .append(report.rounds()).append(report.rounds() == 1 ? " round" : " rounds")
                .append(inline(Format.scheduleNote(report)))
                .append(report.plan().dryRun() ? " (dry-run)" : "");
        String watchLimits = Format.watchLimits(report);
        md.append(watchLimits.isEmpty() ? "" : "  \n**Watch:** " + inline(watchLimits)).append("\n\n");

        md.append("| Probe | Status | Pass | Fail | Inconclusive | Error | Last measurement |\n");
        md.append("|---|---|---:|---:|---:|---:|---|\n");
        for (ProbeReport p : report.probes()) {
            md.append("| ").append(cell(p.name())).append(" | ").append(p.status()).append(" | ")
                    .append(p.passes()).append(" | ").append(p.failures()).append(" | ").append(p.inconclusive())
                    .append(" | ").append(p.errors()).append(" | ").append(cell(Format.lastExplanation(p))).append(" |\n");
        }
        md.append('\n');

        if (!report.confirmations().isEmpty()) {
            md.append("### Confirmations\n\n| Issue | Probe | Tests | Outcome |\n|---|---|---|---|\n");
            for (dev.vigil.Confirmation c : report.confirmations()) {
                md.append("| ").append(cell(c.issue() + (c.regression() ? " (earlier fix)" : ""))).append(" | ").append(cell(c.probe())).append(" | ")
                        .append(cell(c.tests().isEmpty() ? "the whole probe" : String.join(", ", c.tests()))).append(" | ")
                        .append(c.status()).append(": ").append(cell(c.explanation())).append(" |\n");
            }
            md.append('\n');
        }
        String inTheBake = Format.confirmedInTheBake(report);
        if (inTheBake != null) {
            md.append("### Confirmations\n\n").append(inline(inTheBake)).append("\n\n");
        }

        RollbackReport r = report.rollback();
        md.append("**Rollback:** ").append(r.outcome());
        if (!r.trigger().isBlank()) {
            md.append(" (").append(inline(r.trigger())).append(')');
        }
        if (r.attempts() > 0) {
            md.append(", ").append(r.attempts()).append(r.attempts() == 1 ? " attempt" : " attempts");
        }
        md.append('\n');
        String reopens = Format.reopens(report);
        if (reopens != null) {
            md.append("\n**Re-opened:** ").append(inline(reopens)).append('\n');
        }
        if (r.error() != null) {
            md.append("\n**Rollback error:** ").append(inline(r.error())).append('\n');
        }
        if (!r.output().isBlank()) {
            String output = Reports.printable(r.output().strip());
            String fence = fence(output);
            md.append("\n<details><summary>Rollback output</summary>\n\n").append(fence).append("text\n")
                    .append(output).append('\n').append(fence).append("\n\n</details>\n");
        }
        String judged = Format.recheck(report);
        if (judged != null) {
            md.append("\n**Re-check of the previous version:** ").append(inline(judged)).append('\n');
        }
        if (!report.recheck().isEmpty()) {
            md.append("\n**Re-check measurements:** ");
            StringBuilder parts = new StringBuilder();
            report.recheck().forEach(m -> parts.append(parts.length() == 0 ? "" : ", ")
                    .append(m.probe()).append(' ').append(m.outcome()));
            md.append(inline(parts.toString())).append('\n');
        }
        String only = Format.recheckOnly(report);
        if (only != null) {
            md.append('\n').append(inline(only)).append(".\n");
        }
        for (String note : notes) {
            md.append('\n').append(inline(note)).append('\n');
        }
        return md.toString();
    }

    /**
     * A fence of backticks longer than any run of them in the text, so that no line of it closes the
     * block: a fence closes only on a line of at least as many of its own character.
     */
    private static String fence(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }

    /** Text that stays on one line and cannot start Markdown or HTML markup by accident. */
    private static String inline(String text) {
        if (text == null) {
            return "";
        }
        return Reports.printable(text).replace("\r", " ").replace("\n", " ").replace("\\", "\\\\").replace("<", "&lt;").replace(">", "&gt;")
                .replace("*", "\\*").replace("_", "\\_").replace("`", "\\`").replace("[", "\\[").replace("]", "\\]")
                .replace("|", "\\|");
    }

    /** Text for a table cell. */
    private static String cell(String text) {
        return inline(text);
    }
}
