package dev.vigil.report;

import dev.vigil.Measurement;
import dev.vigil.ProbeReport;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the timeline plot of one probe shows: which observed value is plotted, each measurement's
 * number, and the threshold read from the probe's conditions. Immutable.
 *
 * <p>The plotted value is {@code value}, else {@code latency} (in milliseconds), else
 * {@code status}, else the first numeric value any measurement observed; a probe whose
 * measurements hold no number is plotted as outcome lanes ({@link #numeric()} false). The
 * threshold is the number compared with that name in {@code fail-when}, else in
 * {@code pass-when} ({@code value > 0.01} gives 0.01, {@code latency < 500ms} gives 500,
 * {@code value < 1%} gives 0.01).
 *
 * @param name the plotted value's name, or {@code null} for outcome lanes
 * @param unit the unit shown on the axis ({@code ms} for durations), possibly empty
 * @param values one entry per measurement: its number, or {@code null} when it has none
 * @param threshold the threshold, or {@code null} when none was found
 * @param thresholdSource the condition the threshold was read from ({@code fail-when: value > 0.01})
 */
record Timeline(String name, String unit, List<Double> values, Double threshold, String thresholdSource) {

    private static final List<String> PREFERRED = List.of("value", "latency", "status");
    private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)\\s*(ms|s|m|h|%)?";
    private static final String OPERATOR = "(==|!=|<=|>=|<|>)";

    /** Whether the plot shows numbers (else outcome lanes). */
    boolean numeric() {
        return name != null;
    }

    static Timeline of(ProbeReport probe) {
        String name = chooseName(probe.measurements());
        if (name == null) {
            return new Timeline(null, "", List.of(), null, null);
        }
        boolean duration = probe.measurements().stream()
                .anyMatch(m -> m.values().get(name) instanceof Duration);
        List<Double> values = new ArrayList<>();
        for (Measurement m : probe.measurements()) {
            OptionalDouble v = number(m.values().get(name));
            values.add(v.isPresent() ? v.getAsDouble() : null);
        }
        Double threshold = null;
        String source = null;
        for (String[] condition : new String[][] {{"fail-when", probe.failWhen()}, {"pass-when", probe.passWhen()}}) {
            OptionalDouble t = threshold(condition[1], name, duration);
            if (t.isPresent()) {
                threshold = t.getAsDouble();
                source = condition[0] + ": " + condition[1];
                break;
            }
        }
        return new Timeline(name, duration ? "ms" : "", values, threshold, source);
    }

    private static String chooseName(List<Measurement> measurements) {
        for (String preferred : PREFERRED) {
            if (measurements.stream().anyMatch(m -> number(m.values().get(preferred)).isPresent())) {
                return preferred;
            }
        }
        for (Measurement m : measurements) {
            for (var e : m.values().entrySet()) {
                if (number(e.getValue()).isPresent()) {
                    return e.getKey();
                }
            }
        }
        return null;
    }

    /** A value as a plottable number: finite numbers, and durations in milliseconds. */
    static OptionalDouble number(Object value) {
        if (value instanceof Duration d) {
            return OptionalDouble.of(d.toNanos() / 1e6);
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

    /** The number compared with {@code name} in a condition, in the plot's unit. */
    static OptionalDouble threshold(String condition, String name, boolean inMillis) {
        if (condition == null || condition.isBlank()) {
            return OptionalDouble.empty();
        }
        String quoted = Pattern.quote(name);
        Matcher after = Pattern.compile("(?<![\\w.\\]])" + quoted + "\\s*" + OPERATOR + "\\s*" + NUMBER).matcher(condition);
        if (after.find()) {
            return OptionalDouble.of(convert(after.group(2), after.group(3), inMillis));
        }
        Matcher before = Pattern.compile(NUMBER + "\\s*" + OPERATOR + "\\s*" + quoted + "(?![\\w.\\[(])").matcher(condition);
        if (before.find()) {
            return OptionalDouble.of(convert(before.group(1), before.group(2), inMillis));
        }
        return OptionalDouble.empty();
    }

    private static double convert(String number, String unit, boolean inMillis) {
        double n = Double.parseDouble(number);
        if (unit == null) {
            return n;
        }
        return switch (unit) {
            case "%" -> n / 100.0;
            case "ms" -> n;
            case "s" -> inMillis ? n * 1000 : n;
            case "m" -> inMillis ? n * 60_000 : n;
            case "h" -> inMillis ? n * 3_600_000 : n;
            default -> n;
        };
    }

    /** A number as short as it can be written: {@code 500}, {@code 0.031}, {@code 1.235e+06}. */
    static String format(double n) {
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
