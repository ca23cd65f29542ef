package dev.vigil.analysis;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The histogram judge's share test: the requests above one bucket bound against all requests, per
 * version and round, fed to the {@link CountTest} (the test that is fast on errors, with the
 * dispersion it learns). The bound is the first one at or above a fixed latency, or the lower bound
 * of the band that holds a quantile of the first rounds' requests of both versions together: the
 * rounds before that choice are kept and replayed once it is made. Choosing from the pooled counts
 * keeps the guarantee, because under the null the split of each band between the versions does not
 * depend on the pooled counts; the baseline's own counts would not. Not thread-safe.
 */
final class ShareTest {

    private final SlowerThan slowerThan;
    private final Direction direction;
    private final double tolerance;
    private CountTest counts;
    /** The bands of the baseline's past rounds the bound was chosen from, or null. */
    private double[] historyBounds;
    private final Bands bands = new Bands();
    private final List<CanaryRound.Histogram> waiting = new ArrayList<>();
    private long pooled;
    /** The bound above which requests count as slow; -1 before it is chosen, -2 when none fits. */
    private int bound = -1;

    ShareTest(Direction direction, double tolerance, SlowerThan slowerThan) {
        this.slowerThan = slowerThan;
        this.direction = direction;
        this.tolerance = tolerance;
        this.counts = new CountTest(direction, tolerance, "slow requests");
    }

    /**
     * Learns from the baseline's rounds before the canary: the {@code p90} or {@code p99} band is
     * chosen from them (they are not the bake's, so the choice does not depend on how the bake's
     * requests split between the versions), and their slow requests per round join the count test's
     * estimate of the dispersion. Without enough requests to choose from, the bound waits for the
     * bake's rounds as before. Call before the first round.
     */
    void learn(double[] bounds, List<long[]> past) {
        if (unsplittable(bounds) != null) {
            // The bake's rounds have the same bounds and are refused, saying why.
            return;
        }
        long[] total = new long[bounds.length];
        for (long[] round : past) {
            for (int i = 0; i < total.length; i++) {
                total[i] += round[i];
            }
        }
        int chosen = choose(bounds, total);
        if (chosen < 0) {
            return;
        }
        long[] slow = new long[past.size()];
        long[] all = new long[past.size()];
        for (int r = 0; r < past.size(); r++) {
            slow[r] = Bands.above(past.get(r), chosen);
            all[r] = sum(past.get(r));
        }
        counts.learn(slow, all);
        bound = chosen;
        historyBounds = bounds;
    }

    /**
     * Adds a round.
     *
     * @throws IllegalArgumentException when a fixed {@code slower-than} cannot split requests at
     *     these bounds ({@link #unsplittable}), before anything is added
     */
    void add(CanaryRound.Histogram h) {
        String unsplittable = unsplittable(h.boundsView());
        if (unsplittable != null) {
            throw new IllegalArgumentException(unsplittable);
        }
        if (historyBounds != null && !bands.known() && !Arrays.equals(historyBounds, h.boundsView())) {
            // The past had other buckets: choose and learn from the bake alone.
            historyBounds = null;
            bound = -1;
            counts = new CountTest(direction, tolerance, "slow requests");
        }
        bands.add(h);
        if (!h.complete()) {
            return;
        }
        if (bound == -1) {
            bound = choose(h);
            if (bound == -1) {
                return;
            }
            for (CanaryRound.Histogram earlier : waiting) {
                feed(earlier);
            }
            waiting.clear();
            return;
        }
        feed(h);
    }

    private void feed(CanaryRound.Histogram h) {
        if (bound < 0) {
            return;
        }
        long[] c = h.canaryView();
        long[] b = h.baselineView();
        counts.add(new CanaryRound.Counts(Bands.above(c, bound), sum(c), Bands.above(b, bound), sum(b)));
    }

    /** The bound index, -1 to wait for more requests (the round is kept), -2 when no bound fits. */
    private int choose(CanaryRound.Histogram h) {
        waiting.add(h);
        if (!slowerThan.byQuantile()) {
            return choose(h.boundsView(), null);
        }
        pooled += sum(h.canaryView()) + sum(h.baselineView());
        long[] total = new long[h.boundsView().length];
        for (CanaryRound.Histogram w : waiting) {
            for (int i = 0; i < total.length; i++) {
                total[i] += w.canaryView()[i] + w.baselineView()[i];
            }
        }
        return choose(h.boundsView(), total);
    }

    /**
     * The bound index for these bands: the first at or above a fixed latency, or the lower bound of
     * the band holding the quantile of {@code total} requests per band; -1 when {@code total} has too
     * few requests to choose from, -2 when no bound fits.
     */
    private int choose(double[] bounds, long[] total) {
        if (!slowerThan.byQuantile()) {
            return atOrAbove(bounds);
        }
        long all = sum(total);
        if (all < SlowerThan.REQUESTS_TO_CHOOSE / (1 - slowerThan.quantile())) {
            return -1;
        }
        long cumulative = 0;
        for (int j = 0; j < total.length; j++) {
            cumulative += total[j];
            if (cumulative >= slowerThan.quantile() * all) {
                // The band j holds the quantile: count the requests above its lower bound.
                return Math.min(Math.max(j - 1, 0), bounds.length - 2);
            }
        }
        return bounds.length - 2;
    }

    /** The first finite bound at or above the fixed latency, or -2 when there is none. */
    private int atOrAbove(double[] bounds) {
        for (int i = 0; i < bounds.length - 1; i++) {
            if (bounds[i] >= slowerThan.seconds() * (1 - 1e-9)) {
                return i;
            }
        }
        return -2;
    }

    /**
     * Why a fixed {@code slower-than} cannot split the requests at these bounds, or {@code null} when
     * it can (or it is a quantile, whose band the requests choose): the first bound at or above it is
     * more than {@link SlowerThan#MAX_BOUND_RATIO} times it, so every request between the two would
     * count as fast. Seen on a histogram in milliseconds read as seconds ({@code 250ms} against
     * {@code le="5"}: 5 s, though it is 5 ms, and every request is slower than it), or on buckets
     * too coarse around the latency. Neighbouring bounds of the usual layouts are at most 2.5 times
     * apart, so a latency at or above the smallest bound is never refused with them.
     */
    private String unsplittable(double[] bounds) {
        if (slowerThan.byQuantile()) {
            return null;
        }
        int i = atOrAbove(bounds);
        if (i < 0 || bounds[i] <= slowerThan.seconds() * SlowerThan.MAX_BOUND_RATIO * (1 + 1e-9)) {
            return null;
        }
        return "slower-than " + slowerThan.label() + " cannot split the requests: the first bucket bound at or above it is "
                + Fmt.latency(bounds[i]) + (i == 0 ? " (the smallest)" : "") + ", " + Fmt.num(Math.round(bounds[i]
                / slowerThan.seconds())) + " times as much (at most " + Fmt.num(SlowerThan.MAX_BOUND_RATIO)
                + "), so every request up to " + Fmt.latency(bounds[i]) + " would count as fast; likely cause: bounds in"
                + " another unit than seconds (a histogram in milliseconds read as seconds: " + Bands.describe(bounds)
                + "), else buckets too coarse: add a bound near " + slowerThan.label() + " or set slower-than near one";
    }

    private static long sum(long[] counts) {
        long s = 0;
        for (long c : counts) {
            s += c;
        }
        return s;
    }

    CountTest counts() {
        return counts;
    }

    Bands bands() {
        return bands;
    }

    /** Whether the bound is chosen (and usable). */
    boolean ready() {
        return bound >= 0;
    }

    /** Why there is no bound yet, for the explanation. */
    String waitingText() {
        if (bound == -2) {
            return "slower-than " + slowerThan.label() + " is above the largest finite bucket bound "
                    + Fmt.latency(bands.bound(bands.size() - 2)) + ": no requests can be counted as slower";
        }
        return "choosing the band of " + slowerThan.label() + " from the first rounds (" + pooled + " of "
                + (long) Math.ceil(SlowerThan.REQUESTS_TO_CHOOSE / (1 - slowerThan.quantile())) + " requests)";
    }

    boolean unusable() {
        return bound == -2;
    }

    /** {@code p99 band 250–500ms} or {@code slower than 250ms}. */
    String bandText() {
        return slowerThan.byQuantile() ? slowerThan.label() + " band " + bands.bandAbove(bound)
                : "slower than " + Fmt.latency(bands.bound(bound));
    }

    int bound() {
        return bound;
    }
}
