package dev.vigil.prometheus;

import dev.vigil.Outcome;
import dev.vigil.Preflight;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.VigilException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * fails ends the check, which the message then says was not done.
 *
 * <p>The verification itself applies the same counts to every round that would pass
 * ({@link #guard}), so that such a query cannot end a bake {@code HEALTHY} when nobody ran the
 * online check. The counts are kept in the verification's state; stateless otherwise; thread-safe.
 */
final class SampleCheck {

    /**
     * The key of the counts in a verification's state ({@link ProbeContext#state}): each selector's
     * count, kept for the rest of the verification once it shows two samples or more.
     */
    static final String STATE_KEY = "prometheus.sample-counts";

    /** How the last count of one range selector came out: its most samples, or {@code null} without series. */
    private record Count(Instant at, Double most) {
    }

    /**
     * What the counts showed.
     *
     * @param tooShort each range that holds at most one sample, said with the query's key, the
     *     function, the selector and its range
     * @param notChecked why the counting stopped, or {@code null} when every range was counted
     */
    private record Counted(List<String> tooShort, String notChecked) {

        /** {@code "; but query: rate(x[1s]) answers nothing: ...; make the range ..."}, or empty when every range holds two samples. */
        String tooShortText() {
            return tooShort.isEmpty() ? "" : "; but " + String.join("; ", tooShort) + ": the query is empty in every round,"
                    + " which 'or vector(0)' reads as 0, a pass; make the range at least two scrape intervals (four to be safe)";
        }
    }

    private SampleCheck() {
    }

    /**
     * Adds what the sample counts show to the check of one measurement. A range the measurement
     * already named (as {@link #guard} does for a pass) is not named again.
     *
     * @param measured what the measurement (and the label check) found; not an {@code ERROR}
     * @param queries each query of the probe by its configuration key, in order
     * @param runner what sends the requests
     * @param context the context of the check: its time is the time of the counts, its deadline bounds the requests
     * @return {@code measured}, or a {@code WARNING} naming each range too short to hold two samples,
     *     or {@code measured} saying that the ranges were not checked
     */
    static Preflight check(Preflight measured, Map<String, String> queries, QueryRunner runner, ProbeContext context) {
        Counted counted = count(queries, runner, context);
        String message = measured.message();
        String tooShort = counted.tooShortText();
        boolean warn = !tooShort.isEmpty();
        if (warn && !message.contains(tooShort)) {
            message += tooShort;
        }
        if (counted.notChecked() != null) {
            message += "; samples in the ranges not checked: " + counted.notChecked();
        }
        if (!warn) {
            return PreflightWarnings.noted(measured, message);
        }
        return PreflightWarnings.raised(measured, message);
    }

    /**
     * Keeps a round from passing on a query that cannot answer: when {@code measured} passes and a
     * range selector of {@code rate} or the other functions needing two samples holds at most one
     * sample at the round's time, the round is {@code INCONCLUSIVE} with the words of the online check
     * ({@link #check}); {@code or vector(0)} read its empty answer as 0. Anything but a {@code PASS} is
     * returned as it is, and so is a pass whose counts could not be asked for (a failed or timed-out
     * request): the counts never make a round worse than its own answers. A count of two samples or
     * more is kept in the verification's state ({@link #STATE_KEY}) and not asked for again; a range
     * with fewer, or without series yet, is counted again in the next round that passes (a series
     * that has just appeared holds one sample for a moment).
     *
     * @param measured the round's measurement
     * @param queries each query of the probe by its configuration key, in order
     * @param runner what sends the requests
     * @param context the round: its time is the time of the counts, its deadline bounds the requests, its state keeps them
     * @return {@code measured}, or an {@code INCONCLUSIVE} naming each range too short to hold two samples
     */
    static ProbeResult guard(ProbeResult measured, Map<String, String> queries, QueryRunner runner, ProbeContext context) {
        if (measured.outcome() != Outcome.PASS) {
            return measured;
        }
        String tooShort = count(queries, runner, context).tooShortText();
        if (tooShort.isEmpty()) {
            return measured;
        }
        return ProbeResult.inconclusive(measured.values(), measured.explanation() + tooShort
                + " (was PASS; a pass read from an empty range proves nothing)");
    }

    /**
     * Counts the samples in each distinct range selector's range at the context's time, reusing the
     * counts of two samples or more, and those of this very time, that its state keeps.
     */
    private static Counted count(Map<String, String> queries, QueryRunner runner, ProbeContext context) {
        Map<String, Count> counts = context.state(STATE_KEY, ConcurrentHashMap::new);
        List<String> tooShort = new ArrayList<>();
        String notChecked = null;
        for (Map.Entry<String, String> query : queries.entrySet()) {
            for (QueryReach.RangeSelector s : QueryReach.of(query.getValue()).rangeSelectors()) {
                if (notChecked != null) {
                    break;
                }
                Count known = counts.get(s.text());
                if (known == null || !known.at().equals(context.time()) && (known.most() == null || known.most() < 2)) {
                    try {
                        known = new Count(context.time(), mostSamples(s, runner, context));
                    } catch (VigilException e) {
                        notChecked = e.getMessage();
                        break;
                    }
                    counts.put(s.text(), known);
                }
                Double most = known.most();
                if (most != null && most < 2) {
                    tooShort.add(query.getKey() + ": " + s.function() + "(" + s.text() + ") answers nothing: the series of "
                            + s.selector() + " have at most " + Texts.number(most) + " sample in " + s.range()
                            + " (Prometheus scrapes them less often), and " + s.function() + " needs two");
                }
            }
        }
        return new Counted(tooShort, notChecked);
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
