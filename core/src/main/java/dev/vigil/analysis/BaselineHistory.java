package dev.vigil.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The baseline's own rounds from before the canary started: what a sequential judge learns the
 * service's noise from before its first round. A service's errors may come in bursts and its
 * latency may wobble from round to round; a judge that does not know how much must discount its
 * first rounds as if the service were as noisy as any it is meant for, and then it decides slowly
 * on a calm one. The baseline ran before the canary, usually for hours, and the same queries asked
 * of its past (one value per round-long step) show how its counts spread from round to round.
 *
 * <p>The count test ({@code canary-errors-query} and the like) takes the baseline's errors and
 * requests per past round and pools their spread with the rounds' own when it estimates the
 * dispersion; the histogram tests take the baseline's requests per latency band and learn the
 * baseline's share of the round-to-round wobble of the distribution (the shift test; the canary's
 * share is learnt from the bake, since one canary pod wobbles more than many baseline pods) and the
 * dispersion of its slow requests (the share test, which also chooses its {@code p90} or
 * {@code p99} band from it). What this assumes, and the docs say: the canary's errors are no
 * burstier than the baseline's were over the past window, and the baseline wobbles as it did then;
 * the rounds of the bake still count, so a spread that grows during the bake still raises the
 * discount.
 *
 * <p>Rounds in which the baseline served no request are left out. Fewer than {@link #MIN_ROUNDS}
 * rounds with requests are not used at all (the judge then starts from its cautious prior, as
 * without a history), and {@link #usable()} says so. Immutable.
 */
public final class BaselineHistory {

    /** The fewest past rounds with requests that a judge learns from. */
    public static final int MIN_ROUNDS = 10;

    private static final BaselineHistory NONE = new BaselineHistory(new long[0], new long[0], null, List.of(), "none");

    private final long[] events;
    private final long[] trials;
    private final double[] upperBounds;
    private final List<long[]> bands;
    private final String source;

    private BaselineHistory(long[] events, long[] trials, double[] upperBounds, List<long[]> bands, String source) {
        this.events = events;
        this.trials = trials;
        this.upperBounds = upperBounds;
        this.bands = bands;
        this.source = source;
    }

    /**
     * No history: the judge starts from its cautious prior.
     *
     * @return the empty history
     */
    public static BaselineHistory none() {
        return NONE;
    }

    /**
     * The baseline's events (errors) and trials (requests) per past round, oldest first.
     *
     * @param events the events per round, each {@code >= 0}; copied
     * @param trials the trials per round, each {@code >= events}; copied; rounds with none are left out
     * @param source where the rounds come from, for reports: {@code the baseline's last 30m}
     * @return the history
     * @throws IllegalArgumentException naming the round when the arrays differ in length, a count is
     *     negative or a round has more events than trials; or when the trials add up to more than
     *     {@code Long.MAX_VALUE}
     */
    public static BaselineHistory ofCounts(long[] events, long[] trials, String source) {
        Objects.requireNonNull(events, "events");
        Objects.requireNonNull(trials, "trials");
        Objects.requireNonNull(source, "source");
        if (events.length != trials.length) {
            throw new IllegalArgumentException("a count history needs as many rounds of events as of trials, had "
                    + events.length + " and " + trials.length);
        }
        long[] e = new long[events.length];
        long[] t = new long[trials.length];
        int kept = 0;
        long total = 0;
        for (int r = 0; r < events.length; r++) {
            if (events[r] < 0 || trials[r] < 0 || events[r] > trials[r]) {
                throw new IllegalArgumentException("round " + r + " of the baseline's history has " + events[r]
                        + " events of " + trials[r] + " trials; counts must be >= 0 and events <= trials");
            }
            total = checkedTotal(total, trials[r], r);
            if (trials[r] > 0) {
                e[kept] = events[r];
                t[kept] = trials[r];
                kept++;
            }
        }
        return new BaselineHistory(java.util.Arrays.copyOf(e, kept), java.util.Arrays.copyOf(t, kept), null, List.of(),
                source);
    }

    /**
     * The baseline's requests per latency band per past round, oldest first, with the bands of the
     * histogram the canary probe reads.
     *
     * @param upperBounds the bands' upper bounds, strictly increasing, the last {@code +Inf}; copied
     * @param rounds the requests per band of each round, one count per bound; copied; rounds with
     *     none are left out
     * @param source where the rounds come from, for reports
     * @return the history
     * @throws IllegalArgumentException when the bounds or a round's counts are invalid, as for
     *     {@link CanaryRound.Histogram}, or the rounds' requests add up to more than
     *     {@code Long.MAX_VALUE}; the message names the round
     */
    public static BaselineHistory ofHistograms(double[] upperBounds, List<long[]> rounds, String source) {
        Objects.requireNonNull(upperBounds, "upperBounds");
        Objects.requireNonNull(rounds, "rounds");
        Objects.requireNonNull(source, "source");
        List<long[]> kept = new ArrayList<>();
        long total = 0;
        double[] bounds = upperBounds.clone();
        // The histogram's own checks: the bounds first, then each round's counts (lengths, no negative count).
        new CanaryRound.Histogram(bounds, new long[bounds.length], new long[bounds.length]);
        for (int r = 0; r < rounds.size(); r++) {
            long[] round = rounds.get(r);
            try {
                new CanaryRound.Histogram(bounds, round, round);
            } catch (IllegalArgumentException e) {
                String why = e.getMessage().replaceFirst("^canary ", "");
                throw new IllegalArgumentException("round " + r + " of the baseline's history"
                        + (why.startsWith("has ") ? " " : ": ") + why, e);
            }
            long requests = java.util.Arrays.stream(round).sum();
            total = checkedTotal(total, requests, r);
            if (requests > 0) {
                kept.add(round.clone());
            }
        }
        return new BaselineHistory(new long[0], new long[0], bounds, List.copyOf(kept), source);
    }

    /** {@code total + requests}, refused when it passes {@code Long.MAX_VALUE}: counts that large are no counts of requests. */
    private static long checkedTotal(long total, long requests, int round) {
        if (requests > Long.MAX_VALUE - total) {
            throw new IllegalArgumentException("the baseline's history counts more than " + Long.MAX_VALUE
                    + " requests up to round " + round + ", the most a count can hold: these are no counts of requests");
        }
        return total + requests;
    }

    /**
     * The rounds with requests.
     *
     * @return how many past rounds the judge can learn from
     */
    public int rounds() {
        return upperBounds != null ? bands.size() : trials.length;
    }

    /**
     * Whether there are enough rounds to learn from: at least {@link #MIN_ROUNDS}.
     *
     * @return {@code true} when a judge uses this history
     */
    public boolean usable() {
        return rounds() >= MIN_ROUNDS;
    }

    /**
     * Where the rounds come from, as given.
     *
     * @return the source, {@code none} for {@link #none()}
     */
    public String source() {
        return source;
    }

    /** Whether these are histograms (else counts). */
    boolean histograms() {
        return upperBounds != null;
    }

    long[] eventsView() {
        return events;
    }

    long[] trialsView() {
        return trials;
    }

    double[] boundsView() {
        return upperBounds;
    }

    List<long[]> bandsView() {
        return bands;
    }

    /** {@code 180 rounds of the baseline's last 30m}, for explanations. */
    String describe() {
        return Fmt.count(rounds(), "round") + " of " + source;
    }

    @Override
    public String toString() {
        return "BaselineHistory[" + (histograms() ? "histograms" : "counts") + ", " + rounds() + " rounds, " + source + "]";
    }
}
