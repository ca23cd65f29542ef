package dev.vigil;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the timeline of a probe plots in the HTML report: the values the probe's decision rests
 * on, and where the line that decides lies. A probe says it through {@link Probe#plot()}; the
 * report carries it as {@link ProbeReport#plot()}. Immutable and thread-safe.
 *
 * <p>Each {@link Series} names a value of the probe's measurements ({@link Measurement#values()});
 * numbers are plotted as they are and durations in milliseconds. A value that is missing, not a
 * number, or (on a {@link Scale#LOG log scale}) not above zero is left out of the line. The
 * {@link Threshold} is in the same unit as the series ({@code latency < 500ms} gives 500).
 *
 * <p>{@link #automatic()} (no series) leaves the choice to the report, as for a probe that says
 * nothing: it plots {@code value}, else {@code latency}, else {@code status}, else the first numeric
 * value a measurement holds, against the number that {@code fail-when}, else {@code pass-when},
 * compares it with; with no number at all, the outcome of each measurement.
 *
 * <pre>{@code
 * Plot.of("value").withThreshold(0.01, "fail-when: value > 0.01")
 * Plot.of(new Plot.Series("canary", "canary"), new Plot.Series("baseline", "baseline"))
 * Plot.of("e-value").withThreshold(20, "1/(1 - confidence)").withScale(Plot.Scale.LOG)
 * }</pre>
 *
 * @param series the values plotted, each as one line, in the order of the legend; empty for
 *     {@link #automatic()}
 * @param threshold the line that decides, or {@code null} when there is none
 * @param scale how the vertical axis is drawn; {@link Scale#LINEAR} unless set
 */
public record Plot(List<Series> series, Threshold threshold, Scale scale) {

    private static final Plot AUTOMATIC = new Plot(List.of(), null, Scale.LINEAR);
    private static final String NUMBER = "(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)\\s*(ms|s|m|h|%)?(?![\\w.])";
    private static final String OPERATOR = "(==|!=|<=|>=|<|>)";

    /** How the vertical axis is drawn. */
    public enum Scale {
        /** Equal steps for equal differences. The default. */
        LINEAR,
        /**
         * Equal steps for equal ratios (powers of ten), for evidence that grows or shrinks by
         * factors, such as an e-value or a p-value; values at or below zero are left out.
         */
        LOG
    }

    /**
     * One plotted value. Immutable.
     *
     * @param key the name of the value in the measurements ({@code latency}, {@code e-value})
     * @param label what the legend calls it; the key when {@code null} or blank
     */
    public record Series(String key, String label) {

        /**
         * Validates.
         *
         * @param key the name of the value in the measurements; not blank
         * @param label what the legend calls it; {@code null} or blank for the key
         * @throws IllegalArgumentException when the key is {@code null} or blank
         */
        public Series {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("a plotted series needs the key of a value, not '" + key + "'");
            }
            label = label == null || label.isBlank() ? key : label;
        }
    }

    /**
     * The line that decides, drawn dashed across the plot. Immutable.
     *
     * @param value where it lies, in the unit of the series (durations in milliseconds)
     * @param source where it comes from, for the reader: the condition
     *     ({@code fail-when: value > 0.01}) or the setting ({@code require 90%: 9 of 10 instances})
     */
    public record Threshold(double value, String source) {

        /**
         * Validates.
         *
         * @param value where it lies; a finite number
         * @param source where it comes from; {@code null} reads as empty
         * @throws IllegalArgumentException when the value is not finite
         */
        public Threshold {
            if (!Double.isFinite(value)) {
                throw new IllegalArgumentException("a threshold must be a finite number, not " + value);
            }
            source = source == null ? "" : source;
        }
    }

    /**
     * Validates and copies.
     *
     * @param series the values plotted; copied; no key twice
     * @param threshold the line that decides, or {@code null}
     * @param scale the vertical axis; {@code null} reads as {@link Scale#LINEAR}
     * @throws NullPointerException when the series list or one of its entries is {@code null}
     * @throws IllegalArgumentException when a key is given twice, when a threshold is given without
     *     any series, or when a log scale has a threshold at or below zero
     */
    public Plot {
        series = List.copyOf(series);
        scale = scale == null ? Scale.LINEAR : scale;
        if (series.stream().map(Series::key).distinct().count() < series.size()) {
            throw new IllegalArgumentException("a plot names each value once: " + series.stream().map(Series::key).toList());
        }
        if (series.isEmpty() && threshold != null) {
            throw new IllegalArgumentException("a threshold needs a plotted series: " + threshold);
        }
        if (scale == Scale.LOG && threshold != null && !(threshold.value() > 0)) {
            throw new IllegalArgumentException("a log scale cannot show the threshold " + threshold.value()
                    + ": it must be above zero");
        }
    }

    /**
     * The report's own choice, for a probe that says nothing (the default of {@link Probe#plot()});
     * see the class comment.
     *
     * @return the automatic plot
     */
    public static Plot automatic() {
        return AUTOMATIC;
    }

    /**
     * One value, labelled by its key, without threshold, on a linear scale.
     *
     * @param key the name of the value in the measurements
     * @return the plot
     * @throws IllegalArgumentException when the key is blank
     */
    public static Plot of(String key) {
        return new Plot(List.of(new Series(key, key)), null, Scale.LINEAR);
    }

    /**
     * Several values, each as a line, without threshold, on a linear scale.
     *
     * @param series the values, at least one
     * @return the plot
     * @throws IllegalArgumentException when there is no series or a key is given twice
     */
    public static Plot of(Series... series) {
        if (series.length == 0) {
            throw new IllegalArgumentException("a plot needs at least one series; Plot.automatic() lets the report choose");
        }
        return new Plot(List.of(series), null, Scale.LINEAR);
    }

    /**
     * The value that the conditions test, against the number they compare it with: the first of
     * {@code keys} that {@code failWhen}, else {@code passWhen}, compares with a number
     * ({@code value > 0.01} gives 0.01, {@code latency < 2s} gives 2000, {@code value < 1%} gives
     * 0.01, {@code 0.5 < value} gives 0.5; of a range, {@code status >= 200 && status < 400}, the last
     * number, 400); when neither does, the first key without threshold.
     * A name that merely contains a key ({@code body.value}, {@code max_value}, {@code len(value)})
     * does not count.
     *
     * @param passWhen the pass condition as written, or {@code null}
     * @param failWhen the fail condition as written, or {@code null}
     * @param keys the values worth plotting, most telling first; at least one
     * @return the plot, on a linear scale
     * @throws IllegalArgumentException when no key is given, or one is blank
     */
    public static Plot fromConditions(String passWhen, String failWhen, String... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException("fromConditions needs at least one key");
        }
        Optional<Plot> tested = tested(passWhen, failWhen, keys);
        return tested.orElseGet(() -> of(keys[0]));
    }

    /**
     * The value that the conditions test and its threshold, as {@link #fromConditions} finds them,
     * or nothing when the conditions compare none of {@code keys} with a number.
     *
     * @param passWhen the pass condition as written, or {@code null}
     * @param failWhen the fail condition as written, or {@code null}
     * @param keys the values worth plotting, most telling first
     * @return the plot, or empty
     * @throws IllegalArgumentException when a key is blank
     */
    public static Optional<Plot> tested(String passWhen, String failWhen, String... keys) {
        String[][] conditions = {{"fail-when", failWhen}, {"pass-when", passWhen}};
        for (String[] condition : conditions) {
            for (String key : keys) {
                Double t = threshold(condition[1], key);
                if (t != null) {
                    return Optional.of(of(key).withThreshold(t, condition[0] + ": " + condition[1]));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A copy with this threshold.
     *
     * @param value where the line lies, in the unit of the series
     * @param source where it comes from, for the reader
     * @return the copy
     * @throws IllegalArgumentException when the value is not finite, when this plot has no series,
     *     or when its log scale cannot show the value
     */
    public Plot withThreshold(double value, String source) {
        return new Plot(series, new Threshold(value, source), scale);
    }

    /**
     * A copy on this scale.
     *
     * @param value the scale of the vertical axis
     * @return the copy
     * @throws NullPointerException when the scale is {@code null}
     * @throws IllegalArgumentException when a log scale cannot show the threshold
     */
    public Plot withScale(Scale value) {
        return new Plot(series, threshold, Objects.requireNonNull(value, "scale"));
    }

    /**
     * Whether the report chooses what to plot ({@link #automatic()}).
     *
     * @return {@code true} when no series is named
     */
    public boolean isAutomatic() {
        return series.isEmpty();
    }

    /**
     * The keys of the series, in order.
     *
     * @return the keys; empty for {@link #automatic()}
     */
    public List<String> keys() {
        List<String> keys = new ArrayList<>(series.size());
        series.forEach(s -> keys.add(s.key()));
        return List.copyOf(keys);
    }

    /** The number compared with {@code key} in a condition, durations in milliseconds, or {@code null}. */
    private static Double threshold(String condition, String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a plotted series needs the key of a value, not '" + key + "'");
        }
        if (condition == null || condition.isBlank()) {
            return null;
        }
        // The last comparison wins: a range ("status >= 200 && status < 400") is usually written up to the bound that fails.
        String quoted = Pattern.quote(key);
        Double found = null;
        int at = -1;
        Matcher after = Pattern.compile("(?<![\\w.\\]-])" + quoted + "\\s*" + OPERATOR + "\\s*" + NUMBER).matcher(condition);
        while (after.find()) {
            found = convert(after.group(2), after.group(3));
            at = after.start();
        }
        Matcher before = Pattern.compile("(?<![\\w.])" + NUMBER + "\\s*" + OPERATOR + "\\s*" + quoted + "(?![\\w.\\[(-])")
                .matcher(condition);
        while (before.find()) {
            if (before.start() > at) {
                found = convert(before.group(1), before.group(2));
                at = before.start();
            }
        }
        return found;
    }

    private static double convert(String number, String unit) {
        double n = Double.parseDouble(number);
        if (unit == null) {
            return n;
        }
        return switch (unit) {
            case "%" -> n / 100.0;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n;
        };
    }
}
