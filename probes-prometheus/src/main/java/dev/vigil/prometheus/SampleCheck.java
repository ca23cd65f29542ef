package dev.vigil.prometheus;

import dev.vigil.Preflight;
import dev.vigil.ProbeContext;
import dev.vigil.VigilException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The part of a Prometheus probe's online check that counts the samples in the range selectors of
 * {@code rate}, {@code increase} and the other functions that need two samples in their range
 * ({@link QueryReach#rangeSelectors()}). With a range shorter than two scrape intervals
 * ({@code rate(x[1s])} scraped every second, {@code [1m]} scraped every minute) such a function
 * answers nothing in any round, and {@code or vector(0)}, which reads an empty error count as 0,
 * turns that into a pass however many requests fail.
 *
 * <p>For each distinct range selector it asks {@code max(count_over_time(<selector>[<range>]))} at
 * the check's time; at most one sample in the range of every series is a
 * {@link Preflight.Status#WARNING} naming the query's key, the selector and its range. A selector
 * without series now is passed over (the label check names a metric without series). A request that
 * fails ends the check, which the message then says was not done. Stateless; thread-safe.
 */
final class SampleCheck {

    private SampleCheck() {
    }

    /**
     * Adds what the sample counts show to the check of one measurement.
     *
     * @param measured what the measurement (and the label check) found; not an {@code ERROR}
     * @param queries each query of the probe by its configuration key, in order
     * @param runner what sends the requests
     * @param context the context of the check: its time is the time of the counts, its deadline bounds the requests
     * @return {@code measured}, or a {@code WARNING} naming each range too short to hold two samples,
     *     or {@code measured} saying that the ranges were not checked
     */
    static Preflight check(Preflight measured, Map<String, String> queries, QueryRunner runner, ProbeContext context) {
        Map<String, Double> counts = new LinkedHashMap<>();
        List<String> tooShort = new ArrayList<>();
        String notChecked = null;
        for (Map.Entry<String, String> query : queries.entrySet()) {
            for (QueryReach.RangeSelector s : QueryReach.of(query.getValue()).rangeSelectors()) {
                if (notChecked != null) {
                    break;
                }
                if (!counts.containsKey(s.text())) {
                    try {
                        counts.put(s.text(), mostSamples(s, runner, context));
                    } catch (VigilException e) {
                        notChecked = e.getMessage();
                        break;
                    }
                }
                Double most = counts.get(s.text());
                if (most != null && most < 2) {
                    tooShort.add(query.getKey() + ": " + s.function() + "(" + s.text() + ") answers nothing: the series of "
                            + s.selector() + " have at most " + Texts.number(most) + " sample in " + s.range()
                            + " (Prometheus scrapes them less often), and " + s.function() + " needs two");
                }
            }
        }
        String message = measured.message();
        if (!tooShort.isEmpty()) {
            message += "; but " + String.join("; ", tooShort) + ": the query is empty in every round, which 'or vector(0)'"
                    + " reads as 0, a pass; make the range at least two scrape intervals (four to be safe)";
        }
        if (notChecked != null) {
            message += "; samples in the ranges not checked: " + notChecked;
        }
        if (tooShort.isEmpty()) {
            return message.equals(measured.message()) ? measured : new Preflight(measured.status(), message);
        }
        return new Preflight(measured.status() == Preflight.Status.OK ? Preflight.Status.WARNING : measured.status(), message);
    }

    /**
     * The most samples a series of the selector has in its range at the check's time, or {@code null}
     * without series (or with an answer that is no count: {@code count_over_time} never answers 0).
     */
    private static Double mostSamples(QueryReach.RangeSelector s, QueryRunner runner, ProbeContext context) {
        QueryResult counted = runner.instant("max(count_over_time(" + s.text() + "))", context.time(), runner.timeLeft(context));
        return counted.series().stream().flatMap(series -> series.samples().stream()).map(Sample::value)
                .filter(v -> v >= 1).max(Double::compare).orElse(null);
    }
}
