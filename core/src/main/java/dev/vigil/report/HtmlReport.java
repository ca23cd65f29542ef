package dev.vigil.report;

import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackReport;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Renders {@code report.html}: one self-contained page (no script, no external style, font or
 * image; a Content-Security-Policy forbids loading any) with the verdict and reason at the top,
 * the deployment, the rollback and its output, and per probe a timeline plot as inline SVG.
 *
 * <p>Each probe has one {@code <svg class="timeline" data-probe="NAME">}, drawn by
 * {@link TimelineSvg}: the values the probe's {@link dev.vigil.Plot} names, one
 * {@code <circle class="point OUTCOME">} per measurement (with a {@code <title>} tooltip), a band
 * per summarised run of passes, a dashed {@code line.threshold}, and vertical {@code line.detected}
 * and {@code line.rollback} marks; failing points are red and crossed out. Every text is
 * HTML-escaped.
 */
final class HtmlReport {

    private static final String STYLE = """
            :root{--pass:#2e7d32;--fail:#c62828;--inconclusive:#b26a00;--error:#6a1b9a;--rollback:#1565c0;--ink:#1f2328;--muted:#59636e}
            *{box-sizing:border-box}
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f6f8fa}
            main{max-width:820px;margin:0 auto;padding:24px 16px 48px}
            header.verdict{border-radius:8px;padding:16px 20px;color:#fff;margin-bottom:20px}
            header.verdict h1{margin:0 0 4px;font-size:28px;letter-spacing:.02em}
            header.verdict p{margin:0}
            .HEALTHY{background:var(--pass)}.UNHEALTHY{background:var(--fail)}.INCONCLUSIVE{background:var(--inconclusive)}.ABORTED{background:#57606a}
            section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 20px;margin-bottom:16px}
            h2{font-size:18px;margin:8px 0 10px}h3{font-size:16px;margin:14px 0 6px}
            table{border-collapse:collapse;width:100%;font-size:14px}
            th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
            th{color:var(--muted);font-weight:600;white-space:nowrap}
            code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
            pre{background:#f6f8fa;border:1px solid #eaeef2;border-radius:6px;padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-word}
            .status{font-weight:700}.s-PASSED,.o-PASS{color:var(--pass)}.s-FAILED,.o-FAIL{color:var(--fail)}
            .s-INCONCLUSIVE,.o-INCONCLUSIVE{color:var(--inconclusive)}.s-NOT_DECIDED{color:var(--muted)}.o-ERROR{color:var(--error)}
            .r-FAILED{color:var(--fail);font-weight:700}.r-ROLLED_BACK{color:var(--rollback);font-weight:700}
            .legend{font-size:12px;color:var(--muted)}
            details summary{cursor:pointer;color:var(--muted);font-size:13px}
            tr.pass-run td{background:#f6f8fa;color:var(--muted)}
            footer{color:var(--muted);font-size:12px;text-align:center}
            """;

    private HtmlReport() {
    }

    static String render(VerificationReport report, List<String> notes) {
        StringBuilder h = new StringBuilder(16_384);
        Deployment d = report.deployment();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc("Vigil: " + d.service() + " " + d.version() + " " + report.verdict()))
                .append("</title>\n<style>\n").append(STYLE).append(TimelineSvg.STYLE).append("</style>\n</head>\n<body>\n<main>\n");

        h.append("<header class=\"verdict ").append(report.verdict().name()).append("\" id=\"verdict\">\n")
                .append("<h1>").append(esc((report.watch() ? "Watch after the bake: " : "") + Format.status(report))).append("</h1>\n")
                .append("<p class=\"reason\">").append(esc(report.reason())).append("</p>\n")
                .append("<p>").append(esc(Format.deployment(report))).append("</p>\n</header>\n");

        deployment(h, report);
        confirmations(h, report);
        rollback(h, report);
        h.append("<section id=\"probes\">\n<h2>Probes</h2>\n")
                .append("<p class=\"legend\">Each dot is one measurement: <span class=\"o-PASS\">pass</span>, ")
                .append("<span class=\"o-FAIL\">fail (crossed)</span>, <span class=\"o-INCONCLUSIVE\">inconclusive</span>, ")
                .append("<span class=\"o-ERROR\">error (hollow)</span>. The dashed red line is the threshold, the solid red ")
                .append("line the moment of detection, the dotted blue line the rollback; blue rings are the re-check after it. ")
                .append("Shaded bands span the least to the greatest value of passes kept as a summary (and, in a long run, ")
                .append("of the passes in each pixel column). Hover a dot or a band for its details.</p>\n");
        for (ProbeReport p : report.probes()) {
            probe(h, report, p);
        }
        h.append("</section>\n");
        String judged = Format.recheck(report);
        if (judged != null || !report.recheck().isEmpty()) {
            h.append("<section id=\"recheck\">\n<h2>Re-check after the rollback</h2>\n");
            if (judged != null) {
                h.append("<p class=\"recheck\">").append(esc(judged)).append("</p>\n");
            }
            String only = Format.recheckOnly(report);
            if (only != null) {
                h.append("<p class=\"recheck-only\">").append(esc(only)).append(" (no timeline above).</p>\n");
            }
            measurementTable(h, report.recheck(), true);
            h.append("</section>\n");
        }
        if (!notes.isEmpty()) {
            h.append("<section id=\"notes\">\n<h2>Release history</h2>\n");
            for (String note : notes) {
                h.append("<p class=\"note\">").append(esc(note)).append("</p>\n");
            }
            h.append("</section>\n");
        }
        h.append("<footer>Vigil verification report, finished ").append(esc(Format.instant(report.finishedAt())))
                .append("</footer>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void deployment(StringBuilder h, VerificationReport report) {
        Deployment d = report.deployment();
        VerificationPlan plan = report.plan();
        h.append("<section id=\"deployment\">\n<h2>Deployment</h2>\n<table>\n");
        row(h, "Service", d.service());
        row(h, "Version", d.version());
        row(h, "Previous version", d.previousVersion() == null ? "unknown" : d.previousVersion());
        if (d.environment() != null) {
            row(h, "Environment", d.environment());
        }
        row(h, "Kind", d.kind().name().toLowerCase(Locale.ROOT)
                + (d.fixes().isEmpty() ? "" : " fixing " + String.join(", ", d.fixes())));
        if (!d.labels().isEmpty()) {
            StringBuilder labels = new StringBuilder();
            d.labels().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> labels.append(labels.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue()));
            row(h, "Labels", labels.toString());
        }
        row(h, "Plan", "a round every " + Format.duration(plan.interval()) + " for " + Format.duration(plan.duration())
                + " (" + plan.rounds() + " rounds)"
                + (plan.initialDelay().isZero() ? "" : " after " + Format.duration(plan.initialDelay()) + " of warm-up")
                + ", on-inconclusive=" + plan.onInconclusive().name().toLowerCase(Locale.ROOT)
                + (plan.dryRun() ? ", dry-run" : "")
                + (Format.watchLimits(report).isEmpty() ? "" : "; " + Format.watchLimits(report)));
        row(h, "Rounds run", Integer.toString(report.rounds()) + Format.scheduleNote(report));
        row(h, "Started", Format.instant(report.startedAt()));
        if (report.detectedAt() != null) {
            row(h, "Detected", Format.instant(report.detectedAt()) + " (after "
                    + Format.duration(report.timeToDetect().orElse(Duration.ZERO)) + ")");
        }
        row(h, "Finished", Format.instant(report.finishedAt()) + " (" + Format.duration(Format.elapsed(report)) + " in all)");
        h.append("</table>\n</section>\n");
    }

    /**
     * One row per fix and confirming probe: issue, probe, tests, outcome; in a watch's report, that
     * the fixes were confirmed in the bake.
     */
    private static void confirmations(StringBuilder h, VerificationReport report) {
        String inTheBake = Format.confirmedInTheBake(report);
        if (inTheBake != null) {
            h.append("<section id=\"confirmations\">\n<h2>Confirmations</h2>\n<p>").append(esc(inTheBake))
                    .append("</p>\n</section>\n");
        }
        if (report.confirmations().isEmpty()) {
            return;
        }
        h.append("<section id=\"confirmations\">\n<h2>Confirmations</h2>\n<table>\n")
                .append("<tr><th>Issue</th><th>Probe</th><th>Tests</th><th>Outcome</th></tr>\n");
        for (dev.vigil.Confirmation c : report.confirmations()) {
            h.append("<tr><td>").append(esc(c.issue() + (c.regression() ? " (earlier fix)" : ""))).append("</td><td>").append(esc(c.probe())).append("</td><td>")
                    .append(esc(c.tests().isEmpty() ? "the whole probe" : String.join(", ", c.tests())))
                    .append("</td><td class=\"c-").append(c.status().name()).append("\">").append(esc(c.status().name()))
                    .append(c.explanation().isBlank() ? "" : ": " + esc(c.explanation())).append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void rollback(StringBuilder h, VerificationReport report) {
        RollbackReport r = report.rollback();
        h.append("<section id=\"rollback\">\n<h2>Rollback</h2>\n<table>\n");
        h.append("<tr><th>Outcome</th><td class=\"r-").append(r.outcome().name()).append("\">")
                .append(esc(r.outcome().name())).append("</td></tr>\n");
        if (!r.trigger().isBlank()) {
            row(h, "Trigger", r.trigger());
        }
        if (r.attempts() > 0) {
            row(h, "Attempts", Integer.toString(r.attempts()));
        }
        if (r.startedAt() != null) {
            row(h, "Started", Format.instant(r.startedAt()));
        }
        if (r.finishedAt() != null) {
            row(h, "Finished", Format.instant(r.finishedAt()));
        }
        if (r.error() != null) {
            row(h, "Error", r.error());
        }
        String reopens = Format.reopens(report);
        if (reopens != null) {
            row(h, "Re-opens", reopens);
        }
        h.append("</table>\n");
        if (!r.output().isBlank()) {
            h.append("<h3>Output</h3>\n<pre class=\"rollback-output\">").append(esc(r.output())).append("</pre>\n");
        }
        h.append("</section>\n");
    }

    private static void probe(StringBuilder h, VerificationReport report, ProbeReport p) {
        h.append("<article class=\"probe\" id=\"probe-").append(esc(p.name())).append("\">\n")
                .append("<h3>").append(esc(p.name())).append(" <span class=\"status s-").append(p.status().name())
                .append("\">").append(esc(p.status().name())).append("</span></h3>\n<table>\n");
        row(h, "Measures", p.description());
        if (p.passWhen() != null) {
            rowCode(h, "pass-when", p.passWhen());
        }
        if (p.failWhen() != null) {
            rowCode(h, "fail-when", p.failWhen());
        }
        row(h, "Counts", p.passes() + " pass, " + p.failures() + " fail, " + p.inconclusive() + " inconclusive, "
                + p.errors() + " error");
        if (p.limits() != null) {
            row(h, "Limits", p.limits().describe());
        }
        if (p.brokenLimit() != null) {
            row(h, "Broke", p.brokenLimit());
        }
        h.append("</table>\n");
        svg(h, report, p);
        items(h, p);
        int summarised = p.passRuns().stream().mapToInt(dev.vigil.PassRun::count).sum();
        h.append("<details><summary>");
        if (summarised == 0) {
            h.append(p.measurements().size()).append(" measurements");
        } else {
            h.append(String.format(Locale.ROOT, "%,d measurements: %,d kept whole, %,d PASS summarised in runs",
                    p.measurements().size() + summarised, p.measurements().size(), summarised));
        }
        h.append("</summary>\n");
        if (summarised == 0) {
            measurementTable(h, p.measurements(), false);
        } else {
            entryTable(h, p);
        }
        h.append("</details>\n</article>\n");
    }

    /**
     * The measurements kept whole, each stretch of summarised {@code PASS} measurements between them
     * as one row {@code tr.pass-run}: rounds, time span, count, and each value's range and mean (the
     * row's title says it in one sentence).
     */
    private static void entryTable(StringBuilder h, ProbeReport p) {
        h.append("<table class=\"measurements\">\n<tr>")
                .append("<th>Round</th><th>Time</th><th>Outcome</th><th>Values</th><th>Explanation</th></tr>\n");
        for (Object entry : Format.entries(p)) {
            if (entry instanceof Measurement m) {
                measurementRow(h, m, false);
            } else {
                dev.vigil.PassRun run = (dev.vigil.PassRun) entry;
                String ranges = Format.ranges(run);
                h.append("<tr class=\"pass-run\" title=\"").append(esc(Format.passRun(run))).append("\"><td>")
                        .append(run.firstRound()).append("\u2013").append(run.lastRound())
                        .append("</td><td>").append(esc(Format.span(run.from(), run.to())))
                        .append("</td><td class=\"o-PASS\">").append(String.format(Locale.ROOT, "%,d PASS", run.count()))
                        .append("</td><td colspan=\"2\">summarised").append(ranges.isEmpty() ? "" : ": " + esc(ranges))
                        .append("</td></tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static void measurementTable(StringBuilder h, List<Measurement> measurements, boolean withProbe) {
        h.append("<table class=\"measurements\">\n<tr>").append(withProbe ? "<th>Probe</th>" : "")
                .append("<th>Round</th><th>Time</th><th>Outcome</th><th>Values</th><th>Explanation</th></tr>\n");
        for (Measurement m : measurements) {
            measurementRow(h, m, withProbe);
        }
        h.append("</table>\n");
    }

    private static void measurementRow(StringBuilder h, Measurement m, boolean withProbe) {
        h.append("<tr>");
        if (withProbe) {
            h.append("<td>").append(esc(m.probe())).append("</td>");
        }
        h.append("<td>").append(m.round()).append("</td><td>").append(esc(Format.instant(m.time())))
                .append("</td><td class=\"o-").append(m.outcome().name()).append("\">").append(m.outcome().name())
                .append("</td><td><code>").append(esc(Format.values(m.values()))).append("</code></td><td>")
                .append(esc(explanation(m))).append("</td></tr>\n");
    }

    /**
     * The items of the probe's latest measurement that has any (one per test of a JUnit probe):
     * those that failed, threw or did not finish first with their messages, then the aborted and
     * skipped ones, then the passed ones.
     */
    private static void items(StringBuilder h, ProbeReport p) {
        List<ItemResult> items = Format.latestItems(p);
        if (items.isEmpty()) {
            return;
        }
        List<ItemResult> ordered = items.stream().sorted(java.util.Comparator.comparingInt(HtmlReport::rank)).toList();
        long problems = items.stream().filter(i -> i.status().problem()).count();
        h.append("<h3>Tests</h3>\n<p class=\"legend\">").append(items.size()).append(" in the latest run, ")
                .append(problems).append(" not passed; failures first.</p>\n")
                .append("<table class=\"items\">\n<tr><th>Status</th><th>Test</th><th>Duration</th><th>Message</th></tr>\n");
        for (ItemResult item : ordered) {
            h.append("<tr class=\"item i-").append(item.status().name()).append("\"><td class=\"")
                    .append(item.status().problem() ? "o-FAIL" : item.status() == ItemResult.Status.PASSED ? "o-PASS" : "o-INCONCLUSIVE")
                    .append("\">").append(item.status().name()).append("</td><td>")
                    .append(esc(item.group() == null ? item.name() : simpleName(item.group()) + " > " + item.name()))
                    .append("</td><td>").append(esc(Format.duration(item.duration()))).append("</td><td>");
            if (!item.message().isEmpty()) {
                h.append("<pre>").append(esc(item.message())).append("</pre>");
            }
            h.append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static int rank(ItemResult item) {
        return item.status().problem() ? 0 : item.status() == ItemResult.Status.PASSED ? 2 : 1;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static String explanation(Measurement m) {
        String text = m.outcome() == Outcome.ERROR && m.error() != null ? m.error() : m.explanation();
        return m.attempts() > 1 ? text + " (" + m.attempts() + " attempts)" : text;
    }

    // ---- the timeline plot ----

    private static void svg(StringBuilder h, VerificationReport report, ProbeReport p) {
        TimelineSvg.render(h, report, p);
    }

    private static void row(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static void rowCode(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td><code>").append(esc(value)).append("</code></td></tr>\n");
    }

    /** Escapes text for HTML and SVG content and attribute values. */
    static String esc(String text) {
        if (text == null) {
            return "";
        }
        String printable = Reports.printable(text);
        StringBuilder out = new StringBuilder(printable.length() + 16);
        for (int i = 0; i < printable.length(); i++) {
            char c = printable.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
