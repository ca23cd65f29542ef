package dev.vigil.prometheus;

import dev.vigil.Durations;
import dev.vigil.Preflight;
import dev.vigil.ProbeContext;
import dev.vigil.VigilException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a Prometheus probe's online check that looks up label names: for each vector
 * selector with a metric name in the probe's queries ({@link QueryReach#selectors()}), whether
 * the series of that metric over the last {@link #WINDOW} carry each label its matchers name.
 * {@code http_requests_total{status=~"5.."}} on a metric whose label is {@code code} matches
 * nothing, and {@code or vector(0)}, which reads an empty error count as 0, turns that into a
 * pass: the empty-result safety net ({@code on-no-data}) never sees it.
 *
 * <p>A label that is not there is a {@link Preflight.Status#WARNING}, not an error: the check runs
 * before the deployment, and a label may rightly be missing then (one that only error series carry,
 * as OpenTelemetry's {@code error_type}; one that only the new version or the canary's pods bring).
 * A metric with no series in the window is a warning too, also one the queries read without label
 * matchers ({@link QueryReach#bareMetrics()}): {@code sum(rate(http_requests_totl[1m])) or vector(0)}
 * reads a misspelt name as 0, a pass, in every round. Matchers of {@code __name__}, selectors
 * without a metric name before their braces and {@code label=""} (a series without the label) are
 * not checked. One request per distinct metric; a request that fails ends the check, which the
 * message then says was not done. Stateless; thread-safe.
 */
final class LabelCheck {

    /** How far back the series of a metric are asked for their label names: the last hour. */
    static final Duration WINDOW = Duration.ofHours(1);

    private LabelCheck() {
    }

    /**
     * Adds what the label names show to the check of one measurement.
     *
     * @param measured what the measurement found; not an {@code ERROR}
     * @param queries each query of the probe by its configuration key, in order
     * @param runner what sends the requests
     * @param context the context of the check: its time ends the window, its deadline bounds the requests
     * @return {@code measured}, a {@code WARNING} naming each label that is not there, or
     *     {@code measured} saying that the label names were not checked
     */
    static Preflight check(Preflight measured, Map<String, String> queries, QueryRunner runner, ProbeContext context) {
        Map<String, List<QueryReach.Selector>> selectors = new LinkedHashMap<>();
        Map<String, List<String>> bare = new LinkedHashMap<>();
        Set<String> metrics = new LinkedHashSet<>();
        queries.forEach((key, promql) -> {
            QueryReach reach = QueryReach.of(promql);
            selectors.put(key, reach.selectors());
            bare.put(key, reach.bareMetrics());
            reach.selectors().forEach(s -> metrics.add(s.metric()));
            metrics.addAll(reach.bareMetrics());
        });
        Map<String, List<String>> labels = new LinkedHashMap<>();
        String notChecked = null;
        for (String metric : metrics) {
            try {
                List<String> names = new ArrayList<>(runner.labelNames(metric, context.time(), WINDOW, runner.timeLeft(context)));
                names.remove("__name__");
                labels.put(metric, names);
            } catch (PrometheusClient.NotFound e) {
                // The queries answered at this base-url, so the advice to check it would mislead.
                notChecked = e.what() + ": the server does not offer the label names (some Prometheus-compatible"
                        + " servers and proxies leave /api/v1/labels out)";
                break;
            } catch (VigilException e) {
                notChecked = e.getMessage();
                break;
            }
        }
        String window = Durations.format(WINDOW);
        Set<String> missing = new LinkedHashSet<>();
        Set<String> noSeries = new LinkedHashSet<>();
        selectors.forEach((key, found) -> {
            for (QueryReach.Selector s : found) {
                List<String> names = labels.get(s.metric());
                if (names == null) {
                    continue;
                }
                if (names.isEmpty()) {
                    noSeries.add(key + ": " + s.metric() + " has no series in the last " + window
                            + ", so the label names of " + s.text() + " were not checked (is the metric's name right?)");
                    continue;
                }
                for (QueryReach.LabelMatcher m : s.matchers()) {
                    if (m.operator().equals("=") && m.value().isEmpty() || names.contains(m.label())) {
                        continue;
                    }
                    missing.add(key + ": label " + m.label() + " is not on " + s.metric() + " (its labels: "
                            + String.join(", ", names) + "), so " + m.text() + " in " + s.text() + " matches "
                            + (m.matchesAbsent() ? "all of its series, as if it were not there"
                                    : "none of its series: the selector is always empty, which 'or vector(0)' reads as 0, a pass"));
                }
            }
        });
        bare.forEach((key, names) -> names.stream()
                .filter(metric -> labels.containsKey(metric) && labels.get(metric).isEmpty())
                .filter(metric -> selectors.get(key).stream().noneMatch(s -> s.metric().equals(metric)))
                .forEach(metric -> noSeries.add(key + ": " + metric + " has no series in the last " + window
                        + " (is the metric's name right? a name that selects nothing reads as no data, and as 0 behind"
                        + " 'or vector(0)', a pass)")));
        String message = measured.message();
        if (!missing.isEmpty()) {
            message += "; but " + String.join("; ", missing) + " (label names of the last " + window + "): correct the"
                    + " label name, unless the label comes only with the first error or with the new version";
        }
        if (!noSeries.isEmpty()) {
            message += "; but " + String.join("; ", noSeries);
        }
        if (notChecked != null) {
            List<String> unchecked = metrics.stream().filter(m -> !labels.containsKey(m)).toList();
            message += "; label names of " + String.join(", ", unchecked) + " not checked: " + notChecked;
        }
        if (missing.isEmpty() && noSeries.isEmpty()) {
            return PreflightWarnings.noted(measured, message);
        }
        return PreflightWarnings.raised(measured, message);
    }
}
