package dev.vigil.report;

import dev.vigil.Measurement;
import dev.vigil.PassRun;
import dev.vigil.Plot;
import dev.vigil.ProbeReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * What the timeline plot of one probe shows, resolved from its {@link ProbeReport#plot()}: the
 * lines (one per {@link Plot.Series}, with each measurement's number), the threshold and the scale.
 * Immutable.
 *
 * <p>When the probe names no series ({@link Plot#automatic()}) the plotted value is {@code value},
 * else {@code latency} (in milliseconds), else {@code status}, else the first numeric value any
 * measurement or summarised run observed, against the number {@code fail-when}, else
 * {@code pass-when}, compares it with ({@link Plot#fromConditions}); a probe whose measurements hold
 * no number is plotted as outcome lanes ({@link #numeric()} false).
 *
 * @param lines the plotted values, in legend order; empty for outcome lanes
 * @param unit the unit shown on the axis ({@code ms} for durations), possibly empty
 * @param threshold the threshold, or {@code null} when there is none
 * @param log whether the vertical axis is logarithmic (values at or below zero are then left out)
 */
record Timeline(List<Line> lines, String unit, Plot.Threshold threshold, boolean log) {

    private static final List<String> PREFERRED = List.of("value", "latency", "status");

    /**
     * One plotted value.
     *
     * @param key the value's name in the measurements
     * @param label the legend's name for it
     * @param values one entry per measurement: its number, or {@code null} when it has none (or,
     *     on a log scale, none above zero); an infinite value stays infinite (drawn at the edge of the
     *     axis and labelled), since it is usually the decisive one: a sequential judge's e-value after
     *     a total outage, a ratio over a zero baseline
     */
    record Line(String key, String label, List<Double> values) {
    }

    /** Whether the plot shows numbers (else outcome lanes). */
    boolean numeric() {
        return !lines.isEmpty();
    }

    /** The keys of the lines, in order. */
    List<String> keys() {
        return lines.stream().map(Line::key).toList();
    }

    static Timeline of(ProbeReport probe) {
        Plot plot = probe.plot();
        if (plot.isAutomatic()) {
            String name = chooseName(probe);
            if (name == null) {
                return new Timeline(List.of(), "", null, false);
            }
            plot = Plot.fromConditions(probe.passWhen(), probe.failWhen(), name);
        }
        boolean log = plot.scale() == Plot.Scale.LOG;
        List<Line> lines = new ArrayList<>();
        boolean duration = false;
        for (Plot.Series series : plot.series()) {
            List<Double> values = new ArrayList<>(probe.measurements().size());
            for (Measurement m : probe.measurements()) {
                Object raw = m.values().get(series.key());
                duration |= raw instanceof Duration && lines.isEmpty();
                values.add(plottable(raw, log));
            }
            for (PassRun run : probe.passRuns()) {
                PassRun.ValueRange range = run.values().get(series.key());
                duration |= range != null && range.unit().equals("ms") && lines.isEmpty();
            }
            lines.add(new Line(series.key(), series.label(), java.util.Collections.unmodifiableList(values)));
        }
        return new Timeline(List.copyOf(lines), duration ? "ms" : "", plot.threshold(), log);
    }

    /** The number of a value on this plot's scale, or {@code null}. */
    Double plottable(Object raw) {
        return plottable(raw, log);
    }

    private static Double plottable(Object raw, boolean log) {
        double infinite = infinity(raw);
        if (!Double.isNaN(infinite)) {
            return log && infinite < 0 ? null : infinite;
        }
        OptionalDouble v = number(raw);
        if (v.isEmpty() || log && !(v.getAsDouble() > 0)) {
            return null;
        }
        return v.getAsDouble();
    }

    /** The range of a line's value over a summarised run, or {@code null} when the run has none to plot. */
    PassRun.ValueRange range(PassRun run, Line line) {
        PassRun.ValueRange r = run.values().get(line.key());
        if (r == null || !Double.isFinite(r.min()) || !Double.isFinite(r.max()) || log && !(r.max() > 0)) {
            return null;
        }
        return r;
    }

    private static String chooseName(ProbeReport probe) {
        for (String preferred : PREFERRED) {
            if (probe.measurements().stream().anyMatch(m -> number(m.values().get(preferred)).isPresent())
                    || probe.passRuns().stream().anyMatch(r -> r.values().containsKey(preferred))) {
                return preferred;
            }
        }
        for (Measurement m : probe.measurements()) {
            for (var e : m.values().entrySet()) {
                if (number(e.getValue()).isPresent()) {
                    return e.getKey();
                }
            }
        }
        for (PassRun run : probe.passRuns()) {
            for (String key : run.values().keySet()) {
                return key;
            }
        }
        return null;
    }

    /** A value as a plottable number: finite numbers, and durations in milliseconds. */
    static OptionalDouble number(Object value) {
        if (value instanceof Duration d) {
            return OptionalDouble.of(d.getSeconds() * 1e3 + d.getNano() / 1e6);
        }
        if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
            return OptionalDouble.of(n.doubleValue());
        }
        if (value instanceof com.fasterxml.jackson.databind.JsonNode node && node.isNumber()
                && Double.isFinite(node.doubleValue())) {
            return OptionalDouble.of(node.doubleValue());
        }
        return OptionalDouble.empty();
    }

    /** The infinity a value is ({@code +Inf} or {@code -Inf}), or NaN when it is none. */
    private static double infinity(Object value) {
        double v = value instanceof Number n ? n.doubleValue()
                : value instanceof com.fasterxml.jackson.databind.JsonNode node && node.isNumber() ? node.doubleValue()
                : Double.NaN;
        return Double.isInfinite(v) ? v : Double.NaN;
    }

    /** A number as short as it can be written: {@code 500}, {@code 0.031}, {@code 1.235e+06}. */
    static String format(double n) {
        if (!Double.isFinite(n)) {
            return Double.isNaN(n) ? "NaN" : n > 0 ? "inf" : "-inf";
        }
        if (n == Math.rint(n) && Math.abs(n) < 1e15) {
            return Long.toString((long) n);
        }
        BigDecimal d = new BigDecimal(n).round(new MathContext(4));
        if (Math.abs(n) >= 1e7 || Math.abs(n) < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", n);
        }
        return d.stripTrailingZeros().toPlainString();
    }
}
