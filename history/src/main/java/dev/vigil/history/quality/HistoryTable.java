package dev.vigil.history.quality;

import java.util.Locale;

/** The text table of a {@link HistoryReport}. */
final class HistoryTable {

    private HistoryTable() {
    }

    static String render(HistoryReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Release history").append(scope(report)).append('\n');
        if (report.services().isEmpty()) {
            out.append("no deployments recorded").append(report.query().since() == null ? "" : " in this period").append('\n');
            return out.toString();
        }
        for (ServiceQuality q : report.services()) {
            // One line whatever the shared database holds (a name written by hand, by an older Vigil).
            out.append('\n').append(dev.vigil.report.Reports.oneLine(q.service())).append('\n');
            row(out, "deployments", Integer.toString(q.deployments()));
            row(out, "rollbacks", Integer.toString(q.rollbacks()));
            row(out, "change-failure rate", Figures.percent(q.changeFailureRate()) + " (" + q.failedChanges() + " of "
                    + q.deployments() + "; DORA band " + Figures.band(q.changeFailureBand()) + ")");
            row(out, "time to detect", "median " + Figures.duration(q.timeToDetectMedian()) + ", p90 "
                    + Figures.duration(q.timeToDetectP90()));
            row(out, "time to restore", "median " + Figures.duration(q.timeToRestoreMedian())
                    + (q.restoreBand().isPresent() ? " (DORA band " + Figures.band(q.restoreBand()) + ")" : ""));
            row(out, "hotfix share", Figures.percent(q.hotfixShare()) + " (" + q.hotfixes() + ")");
            row(out, "quiet releases", q.streak().current() + " in a row now, longest " + q.streak().longest());
            if (q.rehearsals() > 0) {
                row(out, "rehearsals", q.rehearsalSummary());
            }
            if (!q.quarters().isEmpty()) {
                out.append(String.format(Locale.ROOT, "  %-9s %11s %14s %8s %16s%n", "quarter", "deployments",
                        "change-failure", "hotfixes", "time to restore"));
                for (QuarterRow r : q.quarters()) {
                    out.append(String.format(Locale.ROOT, "  %-9s %11d %14s %8d %16s%n", r.quarter(), r.deployments(),
                            Figures.percent(r.changeFailureRate()) + mark(r.changeFailureDirection()), r.hotfixes(),
                            Figures.duration(r.timeToRestore()) + mark(r.restoreDirection())));
                }
            }
        }
        out.append("\nChange-failure rate: UNHEALTHY deployments and those followed by a hotfix within ")
                .append(Figures.duration(report.hotfixWindow())).append(". DORA bands: ").append(DoraBand.SOURCE).append('\n');
        return out.toString();
    }

    private static String mark(Direction d) {
        return switch (d) {
            case BETTER -> " v";
            case WORSE -> " ^";
            case SAME -> " =";
            case NONE -> "  ";
        };
    }

    private static void row(StringBuilder out, String name, String value) {
        out.append(String.format(Locale.ROOT, "  %-20s %s%n", name, value));
    }

    static String scope(HistoryReport report) {
        StringBuilder s = new StringBuilder();
        if (report.query().service() != null) {
            s.append(" of ").append(dev.vigil.report.Reports.oneLine(report.query().service()));
        }
        if (report.query().environment() != null) {
            s.append(" in ").append(dev.vigil.report.Reports.oneLine(report.query().environment()));
        }
        if (report.query().since() != null) {
            // To the second: "since 365d" taken from a clock of nanoseconds is no more precise than that.
            s.append(" since ").append(report.query().since().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        }
        return s.toString();
    }
}
