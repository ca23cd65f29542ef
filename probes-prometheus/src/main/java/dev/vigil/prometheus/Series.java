package dev.vigil.prometheus;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One series of a Prometheus result: its labels and its points in time order. A scalar result is
 * one series without labels and with one point; an instant vector gives one point per series; a
 * range query gives many. Immutable.
 *
 * @param labels the label names and values, sorted by name; {@code __name__} is the metric name
 *     when the query kept it
 * @param samples the points, oldest first; never empty for a series Prometheus returned
 */
public record Series(Map<String, String> labels, List<Sample> samples) {

    /**
     * Copies the labels (sorted by name) and the samples.
     *
     * @param labels the label names and values; {@code null} means none
     * @param samples the points, oldest first; not {@code null}
     * @throws NullPointerException when {@code samples} is {@code null} or holds {@code null}
     */
    public Series {
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels));
        samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
    }

    /**
     * The series as Prometheus writes it: {@code up{instance="a:9100",job="node"}}, or
     * {@code {instance="a",job="x"}} without a metric name, or {@code {}} without labels. Quotes,
     * backslashes and line breaks in values are escaped.
     *
     * @return the selector text
     */
    public String selector() {
        StringBuilder out = new StringBuilder();
        String name = labels.get("__name__");
        if (name != null) {
            out.append(name);
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().equals("__name__")) {
                continue;
            }
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(label.getKey()).append("=\"").append(escape(label.getValue())).append('"');
        }
        return out.append('}').toString();
    }

    /**
     * The value of the newest point.
     *
     * @return the last point's value, or {@link Double#NaN} when there is no point
     */
    public double lastValue() {
        return samples.isEmpty() ? Double.NaN : samples.get(samples.size() - 1).value();
    }

    /** The point with the latest time, or empty when there is none. */
    Optional<Sample> newest() {
        return samples.stream().max(Comparator.comparing(Sample::time));
    }

    /**
     * Whether the series has no point from {@code fresh} on: in a range, it stopped before the
     * round's time, as the series of a service that stopped reporting does.
     */
    boolean stoppedBefore(Instant fresh) {
        return newest().map(p -> p.time().isBefore(fresh)).orElse(true);
    }

    @Override
    public String toString() {
        return selector() + " " + samples.size() + (samples.size() == 1 ? " point" : " points");
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
