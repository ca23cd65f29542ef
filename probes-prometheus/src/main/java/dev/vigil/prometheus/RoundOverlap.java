package dev.vigil.prometheus;

import dev.vigil.Durations;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a canary judge from seeing the same requests twice. A canary judge treats its rounds as
 * independent increments; queries whose window is longer than the time between two rounds
 * ({@code increase(x[1m])} every 10 s) count each request in several rounds, and the judge would
 * take six rounds of the same requests for six times the evidence, rolling healthy canaries back far
 * more often than {@code 1 - confidence}. A round whose window overlaps the last round fed to the
 * judge by more than a tenth of the window is therefore not fed ({@code INCONCLUSIVE}, saying why);
 * the rounds that are fed count each request once. Stateless; the time of the last round fed is
 * kept in the verification's {@link ProbeContext#state}.
 */
final class RoundOverlap {

    /** Where the time of the last round fed to the judge is kept. */
    static final String STATE_KEY = "dev.vigil.prometheus.last-judged-round";

    private RoundOverlap() {
    }

    /**
     * The time one round's data spans: the longest range selector of the queries ({@code [1m]}), or
     * the {@code range} of a range query when that is longer (its points are averaged, each point
     * the increment of a step).
     *
     * @param queries the queries of one round
     * @param range the range of a range query, or {@code null}
     * @return the span, or {@code null} when the queries have no range selector and no range (a gauge: unknown)
     */
    static Duration window(List<String> queries, Duration range) {
        Duration longest = null;
        for (String query : queries) {
            Duration selector = QueryReach.longestRange(query);
            if (selector != null && (longest == null || selector.compareTo(longest) > 0)) {
                longest = selector;
            }
        }
        return range != null && (longest == null || range.compareTo(longest) > 0) ? range : longest;
    }

    /**
     * Decides whether a round may be fed to the judge, and records it when it may.
     *
     * @param context the round; its time and the verification's state
     * @param window the span of the round's data ({@link #window}), or {@code null} when unknown
     * @param keys the configuration keys of the queries, for the explanation
     * @return {@code null} when the round may be fed (now recorded as the last round fed), else the
     *     {@code INCONCLUSIVE} measurement that says why it is not
     */
    static ProbeResult check(ProbeContext context, Duration window, List<String> keys) {
        if (window == null || window.isZero() || window.isNegative()) {
            return null;
        }
        AtomicReference<Rounds> last = context.state(STATE_KEY, AtomicReference::new);
        Instant time = context.time();
        synchronized (last) {
            Rounds rounds = last.get();
            Instant previous = rounds == null ? null : rounds.fed();
            // The same time is the same round (another attempt of it), whose counts are fed as they always were.
            if (previous == null || previous.equals(time) || !overlaps(Duration.between(previous, time), window)) {
                last.set(new Rounds(time, time));
                return null;
            }
            last.set(new Rounds(previous, time));
            Duration since = rounded(Duration.between(previous, time));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("window", Durations.format(window));
            String what = String.join(", ", keys) + " count over " + Durations.format(window) + ", but ";
            if (since.isNegative()) {
                return ProbeResult.inconclusive(values, what + "the last round fed to the judge was later (at "
                        + previous.truncatedTo(ChronoUnit.SECONDS) + "; the clock stepped back " + Durations.format(since.negated())
                        + "): this round's requests were counted then already; not fed to the judge: no data for this round");
            }
            Duration interval = rounded(Duration.between(rounds.seen(), time));
            values.put("since-last-judged-round", Durations.format(since));
            return ProbeResult.inconclusive(values, what + "the last round fed to the judge was " + Durations.format(since)
                    + " before this one (at " + previous.truncatedTo(ChronoUnit.SECONDS) + "): " + Durations.format(window.minus(since))
                    + " of this round's window was counted then already, and requests counted twice would make the judge"
                    + " see more evidence than there is; not fed to the judge: no data for this round. " + remedy(interval));
        }
    }

    /**
     * What {@link #check} would find of a plan before it runs: whether rounds {@code interval} apart
     * overlap by more than a tenth of the window, so that every other round (or more) would be
     * {@code INCONCLUSIVE}, said in {@link #check}'s words with the range to use.
     *
     * @param window the span of a round's data ({@link #window}), or {@code null} when unknown
     * @param interval the plan's interval
     * @param keys the configuration keys of the queries
     * @return the warning, or none
     */
    static List<String> warnings(Duration window, Duration interval, List<String> keys) {
        if (window == null || window.isZero() || window.isNegative() || interval == null || !overlaps(interval, window)) {
            return List.of();
        }
        return List.of(String.join(", ", keys) + " count over " + Durations.format(window) + ", but the plan's interval is "
                + Durations.format(interval) + ": each round's window would overlap the last round fed to the judge by "
                + Durations.format(window.minus(interval)) + ", and requests counted twice would make the judge see more"
                + " evidence than there is, so such rounds are not fed to the judge (INCONCLUSIVE). " + remedy(interval));
    }

    /** The way out: the range to give the queries, the interval's. */
    private static String remedy(Duration interval) {
        String range = interval.isNegative() || interval.isZero() ? "" : " ([" + Durations.format(interval)
                + "] for rounds " + Durations.format(interval) + " apart)";
        return "Make the range of the queries the plan's interval" + range + ", so that each request counts in one round";
    }

    /** The time of the last round fed to the judge and of the last round seen. */
    private record Rounds(Instant fed, Instant seen) {
    }

    /** To whole seconds from a second on: the rounds' start times jitter by milliseconds. */
    private static Duration rounded(Duration since) {
        return since.compareTo(Duration.ofSeconds(1)) < 0 ? since : Duration.ofSeconds(Math.round(since.toMillis() / 1000.0));
    }

    /**
     * More than a tenth of the window overlaps (or the clock stepped back): the rounds' start times
     * jitter by far less.
     */
    private static boolean overlaps(Duration since, Duration window) {
        return since.multipliedBy(10).compareTo(window.multipliedBy(9)) < 0;
    }
}
