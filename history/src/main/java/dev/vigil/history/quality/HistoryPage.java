package dev.vigil.history.quality;

import dev.vigil.history.ReleaseRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The HTML page of a {@link HistoryReport}: self-contained (inline CSS and SVG, no script, a
 * Content-Security-Policy that forbids loading anything), in the style of the verification report.
 *
 * <p>Per service, a {@code section.service[data-service]} holding the figures, an
 * {@code svg.chart.quarters} (one {@code rect.bar} per quarter with deployments, its failed changes
 * in {@code rect.failed}), an {@code svg.chart.streak} (one {@code rect.deployment} per deployment,
 * quiet ones {@code .quiet}) and an {@code svg.chart.times} (one {@code circle.detect} and one
 * {@code rect.restore} per rollback, over time), then the quarter-on-quarter table.
 */
final class HistoryPage {

    private static final int WIDTH = 760;
    private static final int HEIGHT = 200;
    private static final int LEFT = 56;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 30;
    /** The streak strip shows at most this many of the latest deployments. */
    private static final int STREAK_CELLS = 60;
    private static final int STREAK_HEIGHT = 74;

    private static final String STYLE = """
            :root{--pass:#2e7d32;--fail:#c62828;--other:#b26a00;--restore:#1565c0;--ink:#1f2328;--muted:#59636e}
            *{box-sizing:border-box}
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#f6f8fa}
            main{max-width:820px;margin:0 auto;padding:24px 16px 48px}
            header.title{border-radius:8px;padding:16px 20px;color:#fff;background:#24292f;margin-bottom:20px}
            header.title h1{margin:0 0 4px;font-size:26px}header.title p{margin:0}
            section{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:12px 20px;margin-bottom:16px}
            h2{font-size:20px;margin:8px 0 10px}h3{font-size:16px;margin:14px 0 6px}
            .streak{font-size:18px;font-weight:700;color:var(--pass)}
            dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px;margin:0}
            dl.figures dt{color:var(--muted)}dl.figures dd{margin:0;font-weight:600}
            table{border-collapse:collapse;width:100%;font-size:14px}
            th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eaeef2}
            th{color:var(--muted);font-weight:600}
            .BETTER{color:var(--pass)}.WORSE{color:var(--fail)}.SAME{color:var(--muted)}
            svg.chart{width:100%;height:auto;display:block;margin:6px 0}
            svg .axis{stroke:#8c959f;stroke-width:1}svg .grid{stroke:#eaeef2;stroke-width:1}
            svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
            svg .bar{fill:#8c959f}svg .failed{fill:var(--fail)}
            svg .deployment{fill:var(--other)}svg .deployment.quiet{fill:var(--pass)}svg .deployment.rolled-back{fill:var(--fail)}
            svg .detect{fill:var(--fail)}svg .restore{fill:var(--restore)}
            .legend{font-size:12px;color:var(--muted)}
            footer{color:var(--muted);font-size:12px;text-align:center}
            """;

    private HistoryPage() {
    }

    static String render(HistoryReport report) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc("Vigil release history" + HistoryTable.scope(report))).append("</title>\n")
                .append("<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
                .append("<header class=\"title\"><h1>Release history</h1><p>")
                .append(esc(HistoryTable.scope(report).isEmpty() ? "every service" : HistoryTable.scope(report).strip()))
                .append("</p></header>\n");
        if (report.services().isEmpty()) {
            h.append("<section><p>No deployments recorded in this period.</p></section>\n");
        }
        for (ServiceQuality q : report.services()) {
            service(h, q, report.records().stream().filter(r -> r.service().equals(q.service())).toList());
        }
        h.append("<section class=\"definitions\"><h2>How to read this page</h2><p class=\"legend\">")
                .append("A <b>quiet release</b> ended HEALTHY without a rollback. The <b>change-failure rate</b> counts the ")
                .append("deployments that ended UNHEALTHY or were followed by a hotfix within ")
                .append(esc(Figures.duration(report.hotfixWindow())))
                .append(", over all deployments. <b>Time to detect</b> runs from the start of a verification to its ")
                .append("UNHEALTHY verdict, <b>time to restore</b> from that verdict to the healthy re-check of the previous ")
                .append("version. Bands: ").append(esc(DoraBand.SOURCE)).append(".</p></section>\n");
        h.append("<footer>Vigil release history, generated ").append(esc(report.generatedAt().toString()))
                .append("</footer>\n</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void service(StringBuilder h, ServiceQuality q, List<ReleaseRecord> records) {
        h.append("<section class=\"service\" data-service=\"").append(esc(q.service())).append("\">\n<h2>")
                .append(esc(q.service())).append("</h2>\n");
        h.append("<p class=\"streak\">").append(q.streak().current()).append(q.streak().current() == 1 ? " quiet release" : " quiet releases")
                .append(" in a row (longest ").append(q.streak().longest()).append(")</p>\n");
        h.append("<dl class=\"figures\">\n");
        dd(h, "deployments", q.deployments() + " (" + q.rollbacks() + " rolled back)");
        dd(h, "change-failure rate", Figures.percent(q.changeFailureRate()) + " (" + q.failedChanges() + " of " + q.deployments()
                + "), DORA band " + Figures.band(q.changeFailureBand()));
        dd(h, "time to detect", "median " + Figures.duration(q.timeToDetectMedian()) + ", p90 " + Figures.duration(q.timeToDetectP90()));
        dd(h, "time to restore", "median " + Figures.duration(q.timeToRestoreMedian())
                + (q.restoreBand().isPresent() ? ", DORA band " + Figures.band(q.restoreBand()) : ""));
        dd(h, "hotfix share", Figures.percent(q.hotfixShare()) + " (" + q.hotfixes() + ")");
        if (q.rehearsals() > 0) {
            dd(h, "rollback rehearsals", q.rehearsalSummary());
        }
        h.append("</dl>\n");
        h.append("<h3>Quarter on quarter</h3>\n");
        quarterChart(h, q);
        h.append("<h3>Quiet-release streak</h3>\n");
        streakChart(h, records);
        h.append("<h3>Time to detect and restore</h3>\n");
        timesChart(h, records);
        h.append("<table class=\"quarters\">\n<tr><th>quarter</th><th>deployments</th><th>change-failure rate</th>")
                .append("<th>hotfixes</th><th>time to restore</th></tr>\n");
        for (QuarterRow r : q.quarters()) {
            h.append("<tr><td>").append(esc(r.quarter())).append("</td><td>").append(r.deployments()).append("</td><td class=\"")
                    .append(r.changeFailureDirection().name()).append("\">").append(esc(Figures.percent(r.changeFailureRate())))
                    .append(' ').append(Figures.arrow(r.changeFailureDirection())).append("</td><td>").append(r.hotfixes())
                    .append("</td><td class=\"").append(r.restoreDirection().name()).append("\">")
                    .append(esc(Figures.duration(r.timeToRestore()))).append(' ').append(Figures.arrow(r.restoreDirection()))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n</section>\n");
    }

    private static void dd(StringBuilder h, String name, String value) {
        h.append("<dt>").append(esc(name)).append("</dt><dd>").append(esc(value)).append("</dd>\n");
    }

    private static void open(StringBuilder h, String kind, String label) {
        open(h, kind, label, HEIGHT);
    }

    private static void open(StringBuilder h, String kind, String label, int height) {
        h.append("<svg class=\"chart ").append(kind).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(label)).append("\">\n");
        int bottom = height - BOTTOM;
        h.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(bottom).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(bottom).append("\"/>\n");
        h.append("<line class=\"axis\" x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT)
                .append("\" y2=\"").append(bottom).append("\"/>\n");
    }

    private static void quarterChart(StringBuilder h, ServiceQuality q) {
        open(h, "quarters", "deployments and failed changes per quarter");
        List<QuarterRow> rows = q.quarters();
        int max = Math.max(1, rows.stream().mapToInt(QuarterRow::deployments).max().orElse(1));
        double plot = HEIGHT - TOP - BOTTOM;
        double slot = rows.isEmpty() ? 0 : (WIDTH - LEFT - RIGHT) / (double) rows.size();
        label(h, LEFT - 6, TOP + 4, "end", Integer.toString(max));
        label(h, LEFT - 6, HEIGHT - BOTTOM, "end", "0");
        for (int i = 0; i < rows.size(); i++) {
            QuarterRow r = rows.get(i);
            double x = LEFT + i * slot + slot * 0.15;
            double w = slot * 0.7;
            double barH = plot * r.deployments() / max;
            double failH = plot * r.failedChanges() / max;
            double base = HEIGHT - BOTTOM;
            h.append(String.format(Locale.ROOT, "<rect class=\"bar\" data-quarter=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                    + "<title>%s: %d deployments, %d failed (%s)</title></rect>%n", esc(r.quarter()), x, base - barH, w, barH,
                    esc(r.quarter()), r.deployments(), r.failedChanges(), esc(Figures.percent(r.changeFailureRate()))));
            if (r.failedChanges() > 0) {
                h.append(String.format(Locale.ROOT, "<rect class=\"failed\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"/>%n",
                        x, base - failH, w, failH));
            }
            label(h, x + w / 2, HEIGHT - BOTTOM + 16, "middle", r.quarter());
        }
        h.append("</svg>\n<p class=\"legend\">Grey: deployments in the quarter; red: the failed changes among them.</p>\n");
    }

    private static void streakChart(StringBuilder h, List<ReleaseRecord> records) {
        List<ReleaseRecord> counted = records.stream().filter(r -> r.verdict() != dev.vigil.Verdict.ABORTED).toList();
        List<ReleaseRecord> shown = counted.subList(Math.max(0, counted.size() - STREAK_CELLS), counted.size());
        java.util.Set<String> quiet = dev.vigil.history.Streak.quiet(counted);
        open(h, "streak", "the latest deployments, quiet ones green", STREAK_HEIGHT);
        double cell = (WIDTH - LEFT - RIGHT) / (double) STREAK_CELLS;
        double y = TOP + (STREAK_HEIGHT - TOP - BOTTOM) / 2.0 - cell / 2;
        for (int i = 0; i < shown.size(); i++) {
            ReleaseRecord r = shown.get(i);
            String kind = quiet.contains(r.id()) ? "quiet" : r.rolledBack() ? "rolled-back" : "other";
            h.append(String.format(Locale.ROOT, "<rect class=\"deployment %s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\">"
                    + "<title>%s %s: %s</title></rect>%n", kind, LEFT + i * cell + 1, y, cell - 2, cell - 2,
                    esc(r.deployment().version()), esc(r.finishedAt().toString()), esc(r.verdict() + (r.rolledBack() ? ", rolled back" : ""))));
        }
        label(h, LEFT, STREAK_HEIGHT - BOTTOM + 16, "start", "older");
        label(h, WIDTH - RIGHT, STREAK_HEIGHT - BOTTOM + 16, "end", "latest");
        h.append("</svg>\n<p class=\"legend\">One square per deployment (the latest ").append(STREAK_CELLS)
                .append("): green quiet, red rolled back, amber anything else.</p>\n");
    }

    private static void timesChart(StringBuilder h, List<ReleaseRecord> records) {
        List<ReleaseRecord> detected = records.stream().filter(r -> r.timeToDetect().isPresent()).toList();
        open(h, "times", "time to detect and to restore of each rollback");
        if (detected.isEmpty()) {
            label(h, WIDTH / 2.0, HEIGHT / 2.0, "middle", "no deployment was found unhealthy in this period");
            h.append("</svg>\n");
            return;
        }
        Instant first = records.get(0).finishedAt();
        Instant last = records.get(records.size() - 1).finishedAt();
        double span = Math.max(1, Duration.between(first, last).toSeconds());
        double max = 1;
        for (ReleaseRecord r : detected) {
            max = Math.max(max, r.timeToDetect().get().toSeconds());
            max = Math.max(max, r.timeToRestore().map(Duration::toSeconds).orElse(0L));
        }
        double plot = HEIGHT - TOP - BOTTOM;
        label(h, LEFT - 6, TOP + 4, "end", Figures.duration(Duration.ofSeconds((long) max)));
        label(h, LEFT - 6, HEIGHT - BOTTOM, "end", "0");
        for (ReleaseRecord r : detected) {
            double x = LEFT + (WIDTH - LEFT - RIGHT) * Duration.between(first, r.finishedAt()).toSeconds() / span;
            Duration detect = r.timeToDetect().get();
            double y = HEIGHT - BOTTOM - plot * detect.toSeconds() / max;
            h.append(String.format(Locale.ROOT, "<circle class=\"detect\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>%s %s: detected after %s</title></circle>%n",
                    x, y, esc(r.deployment().version()), esc(r.finishedAt().toString()), esc(Figures.duration(detect))));
            if (r.timeToRestore().isPresent()) {
                Duration restore = r.timeToRestore().get();
                double ry = HEIGHT - BOTTOM - plot * restore.toSeconds() / max;
                h.append(String.format(Locale.ROOT, "<rect class=\"restore\" x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\"><title>%s: restored %s after detection</title></rect>%n",
                        x - 4, ry - 4, esc(r.deployment().version()), esc(Figures.duration(restore))));
            }
        }
        label(h, LEFT, HEIGHT - BOTTOM + 16, "start", first.toString().substring(0, 10));
        label(h, WIDTH - RIGHT, HEIGHT - BOTTOM + 16, "end", last.toString().substring(0, 10));
        h.append("</svg>\n<p class=\"legend\">Red dots: time to detect; blue squares: time to restore; over the period.</p>\n");
    }

    private static void label(StringBuilder h, double x, double y, String anchor, String text) {
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n", x, y, anchor, esc(text)));
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
