package dev.vigil.report;

import static dev.vigil.report.HtmlReport.esc;

import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.PassRun;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The timeline plot of one probe in {@code report.html}: inline SVG of what {@link Timeline}
 * resolved from the probe's {@link dev.vigil.Plot}. Stateless.
 *
 * <p>What it draws, each part findable by class and data attributes:
 * <ul>
 *   <li>{@code <svg class="timeline" data-probe="NAME" data-series="KEY ..." data-scale="linear|log"
 *       data-mode="points|columns">}; {@code data-series} is {@code outcome} for outcome lanes.</li>
 *   <li>A legend, {@code g.legend}, with one {@code g.legend-series[data-series]} per line and
 *       {@code g.legend-threshold} when there is a threshold.</li>
 *   <li>The threshold, {@code line.threshold[data-threshold]}, dashed, with its source as tooltip.</li>
 *   <li>Per series, in its own colour ({@code s0}, {@code s1}, ...): its line
 *       ({@code polyline.series[data-series]}), a mark per measurement that has the value, and one
 *       {@code rect.band} per summarised run of passes
 *       ({@link ProbeReport#passRuns()}) spanning its time from its min to its max, inside
 *       {@code g.bands[data-series]}.</li>
 *   <li>When there are more measurements and runs than pixel columns ({@value #COLUMNS}): instead of a
 *       point per passing measurement and a band per run, one band per pixel column from the least
 *       to the greatest value passed or summarised in it: one vertical stroke per column, all in
 *       one {@code path.columns[data-columns]} per series (a subpath {@code M x y v height} per
 *       column), so that the plot's size does not grow with the run's length. Measurements that
 *       are not {@code PASS} are always drawn as points.</li>
 *   <li>Exactly one {@code circle.point.OUTCOME} per measurement (tooltip: round, time, outcome,
 *       explanation, values): on the first series that has a value in it ({@code data-series}), or
 *       on the x axis when none has; each further series with a value gets a smaller
 *       {@code circle.value.OUTCOME[data-series]}. An infinite value (an e-value after a total
 *       outage) is drawn at the top of the axis ({@code -Inf} at the bottom) with a
 *       {@code text.infinite[data-series]} label {@code inf}.</li>
 *   <li>Vertical {@code line.detected} and {@code line.rollback} marks, and the re-check's
 *       {@code circle.recheck} rings.</li>
 * </ul>
 */
final class TimelineSvg {

    static final int WIDTH = 760;
    static final int HEIGHT = 220;
    static final int LEFT = 64;
    static final int RIGHT = 16;
    static final int TOP = 22;
    static final int BOTTOM = 34;
    /** The pixel columns of the plot area; past this many points, passes are drawn per column. */
    static final int COLUMNS = WIDTH - LEFT - RIGHT;
    /** Distinct series colours (then repeated), none of them an outcome's colour. */
    static final int PALETTE = 4;
    private static final List<Outcome> LANES = List.of(Outcome.PASS, Outcome.INCONCLUSIVE, Outcome.FAIL, Outcome.ERROR);

    /** The style of the plot, appended to the page's style sheet. */
    static final String STYLE = """
            svg.timeline{width:100%;height:auto;background:#fff;display:block;margin:6px 0}
            svg .axis{stroke:#8c959f;stroke-width:1}svg .grid{stroke:#eaeef2;stroke-width:1}
            svg text{font:11px system-ui,sans-serif;fill:var(--muted)}
            svg .series{fill:none;stroke-width:1.5}
            svg .s0{--c:#0969da}svg .s1{--c:#bc4c00}svg .s2{--c:#1b7c83}svg .s3{--c:#8250df}
            svg .series,svg .swatch{stroke:var(--c)}svg .bands rect{fill:var(--c);fill-opacity:.28}
            svg .columns{fill:none;stroke:var(--c);stroke-opacity:.55;stroke-width:1}svg .swatch{stroke-width:3}
            svg .threshold,svg .swatch-threshold{stroke:var(--fail);stroke-width:1.5;stroke-dasharray:6 4}
            svg .detected{stroke:var(--fail);stroke-width:2}
            svg .rollback{stroke:var(--rollback);stroke-width:2;stroke-dasharray:2 3}
            svg .point,svg .value{stroke:#fff;stroke-width:1}
            svg circle.pass:not(.recheck){fill:var(--pass)}svg circle.fail:not(.recheck){fill:var(--fail);stroke:#7f0000;stroke-width:1.5}
            svg circle.inconclusive:not(.recheck){fill:var(--inconclusive)}svg circle.error:not(.recheck){fill:#fff;stroke:var(--error);stroke-width:2}
            svg .multi circle.pass,svg .multi circle.inconclusive{stroke:var(--c);stroke-width:2}
            svg .cross{stroke:#fff;stroke-width:1.6}
            svg .recheck{fill:none;stroke:var(--rollback);stroke-width:2}
            svg .label-fail{fill:var(--fail)}svg .label-rollback{fill:var(--rollback)}
            svg text.infinite{font-weight:600;fill:var(--c)}
            """;

    private TimelineSvg() {
    }

    static void render(StringBuilder h, VerificationReport report, ProbeReport p) {
        Timeline timeline = Timeline.of(p);
        List<Measurement> ms = p.measurements();
        List<Measurement> recheck = report.recheck().stream().filter(m -> p.name().equals(m.probe())).toList();
        Instant start = report.startedAt() != null ? report.startedAt()
                : ms.isEmpty() || ms.get(0).time() == null ? Instant.EPOCH : ms.get(0).time();
        for (PassRun run : p.passRuns()) {
            start = run.from().isBefore(start) ? run.from() : start;
        }
        Instant end = latest(start, report.finishedAt(), report.detectedAt(), report.rollback().finishedAt());
        for (Measurement m : ms) {
            end = latest(end, m.time());
        }
        for (Measurement m : recheck) {
            end = latest(end, m.time());
        }
        for (PassRun run : p.passRuns()) {
            end = latest(end, run.to());
        }
        if (!end.isAfter(start)) {
            end = start.plusSeconds(1);
        }
        XScale x = new XScale(start, end);
        YScale y = timeline.numeric() ? YScale.of(timeline, p.passRuns()) : null;
        boolean columns = ms.size() + p.passRuns().size() > COLUMNS;
        boolean multi = timeline.lines().size() > 1;

        h.append("<svg class=\"timeline\" data-probe=\"").append(esc(p.name())).append("\" data-series=\"")
                .append(esc(timeline.numeric() ? String.join(" ", timeline.keys()) : "outcome")).append("\" data-scale=\"")
                .append(timeline.log() ? "log" : "linear").append("\" data-mode=\"").append(columns ? "columns" : "points")
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\">\n")
                .append("<title>").append(esc(title(p, timeline))).append("</title>\n");

        axes(h, timeline, y, Duration.between(start, end));
        // One point per measurement, on the first line that has its value; the further lines get a value mark.
        boolean[] pointed = new boolean[ms.size()];
        if (y != null) {
            legend(h, timeline);
            threshold(h, report, timeline, x, y);
            for (int i = 0; i < timeline.lines().size(); i++) {
                Timeline.Line line = timeline.lines().get(i);
                h.append("<g class=\"").append(multi ? "multi " : "").append('s').append(i % PALETTE)
                        .append("\" data-series=\"").append(esc(line.key())).append("\">\n");
                if (columns) {
                    columns(h, timeline, line, ms, p.passRuns(), x, y);
                } else {
                    bands(h, timeline, line, p.passRuns(), x, y);
                    polyline(h, timeline, line, ms, p.passRuns(), x, y);
                }
                for (int k = 0; k < ms.size(); k++) {
                    Double v = line.values().get(k);
                    if (v != null && !(columns && ms.get(k).outcome() == Outcome.PASS)) {
                        point(h, pointed[k] ? "value" : "point", ms.get(k), xOf(x, ms.get(k)), y.at(v), line.key());
                        pointed[k] = true;
                    }
                    if (v != null && v.isInfinite()) {
                        infinite(h, xOf(x, ms.get(k)), y.at(v), v, line.key());
                    }
                }
                h.append("</g>\n");
            }
        }
        // A measurement without any plotted value (an error before anything was measured) still shows, at the bottom.
        for (int k = 0; k < ms.size(); k++) {
            Measurement m = ms.get(k);
            if (y == null) {
                point(h, "point", m, xOf(x, m), lane(m.outcome()), null);
            } else if (!pointed[k] && !(columns && m.outcome() == Outcome.PASS)) {
                point(h, "point", m, xOf(x, m), HEIGHT - BOTTOM, null);
            }
        }
        for (Measurement m : recheck) {
            double px = m.time() == null ? WIDTH - RIGHT : x.at(m.time());
            double py = y == null ? lane(m.outcome()) : HEIGHT - BOTTOM;
            String key = null;
            if (y != null) {
                for (Timeline.Line line : timeline.lines()) {
                    Double v = timeline.plottable(m.values().get(line.key()));
                    if (v != null) {
                        py = y.at(v);
                        key = line.key();
                        break;
                    }
                }
            }
            point(h, "recheck", m, px, py, key);
        }
        marks(h, report, x);
        h.append("</svg>\n");
    }

    private static String title(ProbeReport p, Timeline timeline) {
        if (!timeline.numeric()) {
            return p.name() + ": outcome of each measurement over time";
        }
        String names = String.join(" and ", timeline.lines().stream().map(Timeline.Line::label).toList());
        return p.name() + ": " + names + (timeline.unit().isEmpty() ? "" : " (" + timeline.unit() + ")") + " over time"
                + (timeline.threshold() == null ? "" : " against the threshold " + Timeline.format(timeline.threshold().value())
                        + (timeline.threshold().source().isEmpty() ? "" : " from " + timeline.threshold().source()))
                + (timeline.log() ? ", on a log scale" : "");
    }

    private static void axes(StringBuilder h, Timeline timeline, YScale y, Duration span) {
        int plotBottom = HEIGHT - BOTTOM;
        if (y != null) {
            for (double tick : y.ticks()) {
                double ty = y.at(tick);
                h.append(line("grid", LEFT, ty, WIDTH - RIGHT, ty))
                        .append(text(LEFT - 6, ty + 4, "end", Timeline.format(tick), null));
            }
            String name = timeline.lines().size() == 1 ? timeline.lines().get(0).label() : "";
            String unit = timeline.unit().isEmpty() ? "" : "(" + timeline.unit() + ")";
            String axis = (name + " " + unit + (timeline.log() ? " log scale" : "")).strip();
            if (!axis.isEmpty()) {
                h.append(text(4, TOP - 8, "start", axis, null));
            }
        } else {
            for (Outcome lane : LANES) {
                double ly = lane(lane);
                h.append(line("grid", LEFT, ly, WIDTH - RIGHT, ly))
                        .append(text(LEFT - 6, ly + 4, "end", lane.name().toLowerCase(Locale.ROOT), null));
            }
        }
        h.append(line("axis", LEFT, plotBottom, WIDTH - RIGHT, plotBottom)).append(line("axis", LEFT, TOP, LEFT, plotBottom));
        for (int i = 0; i <= 4; i++) {
            double tx = LEFT + (WIDTH - LEFT - RIGHT) * i / 4.0;
            h.append(text(tx, plotBottom + 16, i == 0 ? "start" : i == 4 ? "end" : "middle",
                    Format.axis(span.multipliedBy(i).dividedBy(4), span), null));
        }
    }

    /** One swatch and name per series, and the threshold's, right-aligned above the plot. */
    private static void legend(StringBuilder h, Timeline timeline) {
        List<String[]> items = new ArrayList<>();
        for (int i = 0; i < timeline.lines().size(); i++) {
            Timeline.Line line = timeline.lines().get(i);
            items.add(new String[] {"legend-series s" + (i % PALETTE), line.key(), line.label(), "swatch"});
        }
        if (timeline.threshold() != null) {
            items.add(new String[] {"legend-threshold", null, "threshold " + Timeline.format(timeline.threshold().value()),
                    "swatch-threshold"});
        }
        // An estimate of the text's width is enough to lay the items out in one row.
        double width = 0;
        for (String[] item : items) {
            width += 22 + item[2].length() * 6.2 + 12;
        }
        double at = Math.max(LEFT + 120, WIDTH - RIGHT - width);
        h.append("<g class=\"legend\">\n");
        for (String[] item : items) {
            h.append("<g class=\"").append(item[0]).append('"');
            if (item[1] != null) {
                h.append(" data-series=\"").append(esc(item[1])).append('"');
            }
            h.append('>').append(line(item[3], at, TOP - 12, at + 16, TOP - 12))
                    .append(text(at + 20, TOP - 8, "start", item[2], null)).append("</g>\n");
            at += 22 + item[2].length() * 6.2 + 12;
        }
        h.append("</g>\n");
    }

    private static void threshold(StringBuilder h, VerificationReport report, Timeline timeline, XScale x, YScale y) {
        if (timeline.threshold() == null) {
            return;
        }
        double value = timeline.threshold().value();
        double ty = y.at(value);
        // The label goes to the side away from the detection and rollback marks, which carry labels too.
        Instant mark = report.detectedAt() != null ? report.detectedAt() : report.rollback().startedAt();
        boolean right = mark != null && x.at(mark) < (LEFT + WIDTH - RIGHT) / 2.0;
        String label = "threshold " + Timeline.format(value);
        String source = timeline.threshold().source();
        h.append("<line class=\"threshold\" x1=\"").append(LEFT).append("\" y1=\"").append(n(ty)).append("\" x2=\"")
                .append(WIDTH - RIGHT).append("\" y2=\"").append(n(ty)).append("\" data-threshold=\"")
                .append(esc(Timeline.format(value))).append("\"><title>")
                .append(esc(label + (source.isEmpty() ? "" : " (" + source + ")"))).append("</title></line>\n")
                .append(right ? text(WIDTH - RIGHT - 2, ty - 4, "end", label, "label-fail")
                        : text(LEFT + 4, ty - 4, "start", label, "label-fail"));
    }

    /** One band per summarised run of passes, from the least to the greatest value over its time. */
    private static void bands(StringBuilder h, Timeline timeline, Timeline.Line line, List<PassRun> runs, XScale x, YScale y) {
        boolean any = false;
        for (PassRun run : runs) {
            PassRun.ValueRange r = timeline.range(run, line);
            if (r == null) {
                continue;
            }
            if (!any) {
                h.append("<g class=\"bands\">\n");
                any = true;
            }
            double x1 = x.at(run.from());
            double x2 = Math.max(x.at(run.to()), x1 + 1);
            double top = y.at(r.max());
            double bottom = Math.max(y.at(timeline.log() ? Math.max(r.min(), y.min()) : r.min()), top + 1);
            String unit = r.unit().isEmpty() ? "" : " " + r.unit();
            h.append("<rect class=\"band\" x=\"").append(n(x1)).append("\" y=\"").append(n(top)).append("\" width=\"")
                    .append(n(x2 - x1)).append("\" height=\"").append(n(bottom - top)).append("\"><title>")
                    .append(esc(run.count() + (run.count() == 1 ? " pass" : " passes") + " (rounds " + run.firstRound() + " to "
                            + run.lastRound() + ") from " + Format.instant(run.from()) + " to " + Format.instant(run.to())
                            + ": " + line.label() + " min " + Timeline.format(r.min()) + unit + ", mean "
                            + Timeline.format(r.mean()) + unit + ", max " + Timeline.format(r.max()) + unit))
                    .append("</title></rect>\n");
        }
        if (any) {
            h.append("</g>\n");
        }
    }

    /** The line through the measurements' values and the runs' means, in time order. */
    private static void polyline(StringBuilder h, Timeline timeline, Timeline.Line line, List<Measurement> ms,
            List<PassRun> runs, XScale x, YScale y) {
        List<double[]> points = new ArrayList<>();
        for (int k = 0; k < ms.size(); k++) {
            Double v = line.values().get(k);
            if (v != null && ms.get(k).time() != null) {
                points.add(new double[] {x.at(ms.get(k).time()), y.at(v)});
            }
        }
        for (PassRun run : runs) {
            PassRun.ValueRange r = timeline.range(run, line);
            if (r != null && (!timeline.log() || r.mean() > 0)) {
                points.add(new double[] {x.at(run.from()), y.at(r.mean())});
                points.add(new double[] {x.at(run.to()), y.at(r.mean())});
            }
        }
        if (points.isEmpty()) {
            return;
        }
        points.sort(Comparator.comparingDouble(pt -> pt[0]));
        StringBuilder s = new StringBuilder();
        for (double[] pt : points) {
            s.append(s.length() == 0 ? "" : " ").append(n(pt[0])).append(',').append(n(pt[1]));
        }
        h.append("<polyline class=\"series\" points=\"").append(s).append("\"/>\n");
    }

    /**
     * One bar per pixel column, from the least to the greatest value that the passing measurements
     * and the summarised runs in it had: the size stays the same however many rounds ran.
     */
    private static void columns(StringBuilder h, Timeline timeline, Timeline.Line line, List<Measurement> ms,
            List<PassRun> runs, XScale x, YScale y) {
        double[] low = new double[COLUMNS];
        double[] high = new double[COLUMNS];
        Arrays.fill(low, Double.NaN);
        Arrays.fill(high, Double.NaN);
        for (int k = 0; k < ms.size(); k++) {
            Double v = line.values().get(k);
            if (v != null && ms.get(k).outcome() == Outcome.PASS) {
                widen(low, high, column(xOf(x, ms.get(k))), v, v);
            }
        }
        for (PassRun run : runs) {
            PassRun.ValueRange r = timeline.range(run, line);
            if (r == null) {
                continue;
            }
            double min = timeline.log() ? Math.max(r.min(), y.min()) : r.min();
            for (int c = column(x.at(run.from())), last = column(x.at(run.to())); c <= last; c++) {
                widen(low, high, c, min, r.max());
            }
        }
        // One vertical stroke per column, all in one path: about 17 bytes a column, whatever the run's length.
        int drawn = 0;
        StringBuilder d = new StringBuilder(COLUMNS * 18);
        for (int c = 0; c < COLUMNS; c++) {
            if (Double.isNaN(low[c])) {
                continue;
            }
            double top = y.at(high[c]);
            double height = Math.max(1, y.at(low[c]) - top);
            d.append(d.length() == 0 ? "M" : " M").append(LEFT + c).append(".5 ").append(n(top)).append('v').append(n(height));
            drawn++;
        }
        if (drawn > 0) {
            h.append("<path class=\"columns\" data-columns=\"").append(drawn).append("\" d=\"").append(d).append("\"><title>")
                    .append(esc(line.label() + " of the passing measurements and summarised runs: least to greatest per pixel column"))
                    .append("</title></path>\n");
        }
    }

    private static void widen(double[] low, double[] high, int c, double min, double max) {
        low[c] = Double.isNaN(low[c]) ? min : Math.min(low[c], min);
        high[c] = Double.isNaN(high[c]) ? max : Math.max(high[c], max);
    }

    private static int column(double px) {
        return Math.max(0, Math.min(COLUMNS - 1, (int) Math.floor(px - LEFT)));
    }

    private static double xOf(XScale x, Measurement m) {
        return m.time() == null ? LEFT : x.at(m.time());
    }

    private static void marks(StringBuilder h, VerificationReport report, XScale x) {
        int plotBottom = HEIGHT - BOTTOM;
        if (report.detectedAt() != null) {
            double dx = x.at(report.detectedAt());
            h.append("<line class=\"detected\" x1=\"").append(n(dx)).append("\" y1=\"").append(TOP).append("\" x2=\"")
                    .append(n(dx)).append("\" y2=\"").append(plotBottom).append("\"><title>")
                    .append(esc("verdict " + report.verdict() + " reached at " + Format.instant(report.detectedAt())))
                    .append("</title></line>\n")
                    .append(markerLabel(dx, TOP + 10, "detected", "label-fail"));
        }
        RollbackReport r = report.rollback();
        if (r.outcome() != RollbackOutcome.NOT_NEEDED && r.startedAt() != null) {
            double rx = x.at(r.startedAt());
            h.append("<line class=\"rollback\" x1=\"").append(n(rx)).append("\" y1=\"").append(TOP).append("\" x2=\"")
                    .append(n(rx)).append("\" y2=\"").append(plotBottom).append("\"><title>")
                    .append(esc("rollback " + r.outcome() + " started at " + Format.instant(r.startedAt())))
                    .append("</title></line>\n")
                    .append(markerLabel(rx, TOP + 24, "rollback " + r.outcome().name().toLowerCase(Locale.ROOT)
                            .replace('_', ' '), "label-rollback"));
        }
    }

    /** A label beside a vertical marker: on its right, or on its left when it is near the right edge. */
    private static String markerLabel(double markerX, double y, String label, String cssClass) {
        boolean nearRightEdge = markerX > WIDTH - RIGHT - 140;
        return nearRightEdge ? text(markerX - 4, y, "end", label, cssClass) : text(markerX + 4, y, "start", label, cssClass);
    }

    private static void point(StringBuilder h, String kind, Measurement m, double px, double py, String series) {
        String outcome = m.outcome().name().toLowerCase(Locale.ROOT);
        boolean fail = m.outcome() == Outcome.FAIL;
        double radius = kind.equals("value") ? 3.5 : fail ? 6 : 4.5;
        h.append("<circle class=\"").append(kind).append(' ').append(outcome).append("\" cx=\"").append(n(px))
                .append("\" cy=\"").append(n(py)).append("\" r=\"").append(n(radius)).append('"');
        if (series != null) {
            h.append(" data-series=\"").append(esc(series)).append('"');
        }
        h.append("><title>")
                .append(esc((m.round() == 0 ? "re-check" : "round " + m.round()) + " at " + Format.instant(m.time()) + ": "
                        + m.outcome() + " " + explanation(m)
                        + (m.values().isEmpty() ? "" : " [" + Format.values(m.values()) + "]")))
                .append("</title></circle>\n");
        if (fail && kind.equals("point")) {
            h.append("<path class=\"cross\" d=\"M").append(n(px - 3)).append(',').append(n(py - 3)).append(" L")
                    .append(n(px + 3)).append(',').append(n(py + 3)).append(" M").append(n(px - 3)).append(',')
                    .append(n(py + 3)).append(" L").append(n(px + 3)).append(',').append(n(py - 3)).append("\"/>\n");
        }
    }

    /**
     * The label of an infinite value, drawn at the edge of the axis: {@code inf} (or {@code -inf}, as
     * explanations write it), so that the decisive round of a total outage is not read as a value at
     * the top of the scale.
     */
    private static void infinite(StringBuilder h, double px, double py, double value, String series) {
        String label = value > 0 ? "inf" : "-inf";
        boolean nearRightEdge = px > WIDTH - RIGHT - 40;
        h.append("<text x=\"").append(n(nearRightEdge ? px - 8 : px + 8)).append("\" y=\"").append(n(value > 0 ? py + 12 : py - 4))
                .append("\" text-anchor=\"").append(nearRightEdge ? "end" : "start")
                .append("\" class=\"infinite\" data-series=\"").append(esc(series)).append("\">").append(label).append("<title>")
                .append(esc(series + " is " + (value > 0 ? "+" : "-") + "infinite here, beyond the axis")).append("</title></text>\n");
    }

    private static String explanation(Measurement m) {
        String text = m.outcome() == Outcome.ERROR && m.error() != null ? m.error() : m.explanation();
        return m.attempts() > 1 ? text + " (" + m.attempts() + " attempts)" : text;
    }

    private static double lane(Outcome outcome) {
        int index = LANES.indexOf(outcome);
        double step = (HEIGHT - TOP - BOTTOM) / (double) LANES.size();
        return TOP + step * (index + 0.5);
    }

    private static Instant latest(Instant first, Instant... others) {
        Instant result = first;
        for (Instant i : others) {
            if (i != null && i.isAfter(result)) {
                result = i;
            }
        }
        return result;
    }

    private record XScale(Instant start, Instant end) {
        double at(Instant time) {
            double total = Duration.between(start, end).toNanos();
            double t = Duration.between(start, time).toNanos();
            double f = Math.max(0, Math.min(1, t / total));
            return LEFT + f * (WIDTH - LEFT - RIGHT);
        }
    }

    /** The vertical axis: linear with "nice" steps, or logarithmic with a tick per power of ten. */
    record YScale(double low, double high, double step, boolean log) {

        /** The largest power of ten on a log axis. */
        private static final double MAX_POWER = 308;
        /** The largest magnitude a linear axis reaches. */
        private static final double LARGEST_LINEAR = 1e300;

        static YScale of(Timeline t, List<PassRun> runs) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (Timeline.Line line : t.lines()) {
                for (Double v : line.values()) {
                    // Infinities are drawn at the edge of the axis, not scaled to.
                    if (v != null && Double.isFinite(v)) {
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                }
                for (PassRun run : runs) {
                    PassRun.ValueRange r = t.range(run, line);
                    if (r != null) {
                        min = Math.min(min, t.log() && !(r.min() > 0) ? r.max() : r.min());
                        max = Math.max(max, r.max());
                    }
                }
            }
            if (t.threshold() != null) {
                min = Math.min(min, t.threshold().value());
                max = Math.max(max, t.threshold().value());
            }
            return t.log() ? log(min, max) : linear(min, max);
        }

        private static YScale log(double min, double max) {
            if (!Double.isFinite(min)) {
                return new YScale(0, 1, 1, true);
            }
            double low = Math.floor(Math.log10(min));
            // 1e309 is no double: the axis ends at 1e308, and a larger value is drawn at its edge.
            double high = Math.min(MAX_POWER, Math.ceil(Math.log10(max)));
            if (high - low < 1) {
                low = Math.min(low, high - 1);
                high = low + 1;
            }
            // At most about eight labelled powers of ten.
            double step = Math.max(1, Math.ceil((high - low) / 8));
            return new YScale(low, high, step, true);
        }

        private static YScale linear(double min, double max) {
            if (!Double.isFinite(min)) {
                min = 0;
                max = 1;
            }
            // Beyond this the axis' steps and range overflow (a garbage 1.7e308 made them NaN and the
            // report could not be written); larger values are drawn at the edge.
            min = Math.max(-LARGEST_LINEAR, Math.min(LARGEST_LINEAR, min));
            max = Math.max(-LARGEST_LINEAR, Math.min(LARGEST_LINEAR, max));
            if (min > 0 && min <= max / 2) {
                min = 0;
            }
            if (max - min < 1e-12) {
                double pad = Math.abs(max) < 1e-12 ? 1 : Math.abs(max) * 0.1;
                min -= pad;
                max += pad;
            }
            // Round the range out to "nice" steps (1, 2 or 5 times a power of ten), leaving headroom.
            double step = nice((max - min) / 4);
            double low = Math.floor(min / step) * step;
            double high = Math.ceil(max / step) * step;
            if (high - max < step * 0.25) {
                high += step;
            }
            return new YScale(low, high, step, false);
        }

        private static double nice(double raw) {
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double f = raw / magnitude;
            double n = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
            return n * magnitude;
        }

        /** The least value the axis shows (on a log scale, the lowest power of ten). */
        double min() {
            return log ? Math.pow(10, low) : low;
        }

        double at(double value) {
            if (Double.isInfinite(value)) {
                return value > 0 ? TOP : HEIGHT - BOTTOM;
            }
            double f = log ? (Math.log10(Math.max(value, Double.MIN_NORMAL)) - low) / (high - low) : (value - low) / (high - low);
            f = Math.max(-0.05, Math.min(1.05, f));
            return HEIGHT - BOTTOM - f * (HEIGHT - TOP - BOTTOM);
        }

        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            long count = Math.round((high - low) / step);
            for (long i = 0; i <= count && i <= 12; i++) {
                double tick = low + i * step;
                if (log && tick > MAX_POWER) {
                    break;
                }
                // Rounded so that 0.1 + 0.2 is labelled 0.3.
                ticks.add(log ? Double.parseDouble("1e" + Math.round(tick))
                        : new java.math.BigDecimal(tick).round(new java.math.MathContext(10)).doubleValue());
            }
            return ticks;
        }
    }

    private static String line(String cls, double x1, double y1, double x2, double y2) {
        return "<line class=\"" + cls + "\" x1=\"" + n(x1) + "\" y1=\"" + n(y1) + "\" x2=\"" + n(x2) + "\" y2=\"" + n(y2) + "\"/>\n";
    }

    private static String text(double x, double y, String anchor, String content, String cls) {
        return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\" text-anchor=\"" + anchor + "\""
                + (cls == null ? "" : " class=\"" + cls + "\"") + ">" + esc(content) + "</text>\n";
    }

    private static String n(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
