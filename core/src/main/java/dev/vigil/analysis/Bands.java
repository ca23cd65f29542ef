package dev.vigil.analysis;

import java.util.Arrays;

/**
 * The bands of a verification's histograms and each version's requests per band so far. The bands
 * are those of the first round; a round with other bands is refused (the judge counts a round with
 * more bounds onto these first: {@link #onto}). Not thread-safe.
 */
final class Bands {

    private double[] bounds;
    private long[] canary;
    private long[] baseline;

    /** Adds a round's counts; the first round fixes the bands. */
    void add(CanaryRound.Histogram h) {
        double[] b = h.boundsView();
        if (bounds == null) {
            bounds = b.clone();
            canary = new long[b.length];
            baseline = new long[b.length];
        } else if (!Arrays.equals(bounds, b)) {
            throw new IllegalArgumentException("the histogram's bands changed between rounds: " + describe(bounds)
                    + " then " + describe(b) + "; a verification needs the same buckets in every round");
        }
        for (int i = 0; i < b.length; i++) {
            canary[i] += h.canaryView()[i];
            baseline[i] += h.baselineView()[i];
        }
    }

    /** The bands' upper bounds (a view: not to be changed), or {@code null} before the first round. */
    double[] boundsView() {
        return bounds;
    }

    /**
     * The round on {@code coarser} bounds, each of them one of the round's, the last {@code +Inf}: a
     * band of {@code coarser} holds the round's bands between its lower and its upper bound. Exact,
     * as cumulative buckets count every request at most as slow as their bound.
     */
    static CanaryRound.Histogram onto(CanaryRound.Histogram h, double[] coarser) {
        double[] bounds = h.boundsView();
        long[] canary = new long[coarser.length];
        long[] baseline = new long[coarser.length];
        int j = 0;
        for (int i = 0; i < bounds.length; i++) {
            while (bounds[i] > coarser[j]) {
                j++;
            }
            canary[j] += h.canaryView()[i];
            baseline[j] += h.baselineView()[i];
        }
        return CanaryRound.histogram(coarser, canary, baseline);
    }

    /** The bounds of {@code a} that {@code b} does not have, in order. */
    static double[] missing(double[] a, double[] b) {
        return Arrays.stream(a).filter(x -> Arrays.stream(b).noneMatch(y -> y == x)).toArray();
    }

    boolean known() {
        return bounds != null;
    }

    double bound(int i) {
        return bounds[i];
    }

    int size() {
        return bounds == null ? 0 : bounds.length;
    }

    /** Requests of the version above upper bound {@code i} (in bands {@code i + 1} and later). */
    static long above(long[] counts, int i) {
        long sum = 0;
        for (int j = i + 1; j < counts.length; j++) {
            sum += counts[j];
        }
        return sum;
    }

    long canaryAbove(int i) {
        return above(canary, i);
    }

    long baselineAbove(int i) {
        return above(baseline, i);
    }

    long canaryTotal() {
        return Arrays.stream(canary).sum();
    }

    long baselineTotal() {
        return Arrays.stream(baseline).sum();
    }

    /** {@code 250–500ms}: band {@code i + 1}, the one just above bound {@code i}. */
    String bandAbove(int i) {
        double low = bounds[i];
        double high = bounds[i + 1];
        if (high == Double.POSITIVE_INFINITY) {
            return "above " + Fmt.latency(low);
        }
        String lowText = Fmt.latency(low);
        String highText = Fmt.latency(high);
        boolean sameUnit = lowText.endsWith("ms") == highText.endsWith("ms");
        return (sameUnit ? lowText.substring(0, lowText.length() - (lowText.endsWith("ms") ? 2 : 1)) : lowText)
                + "–" + highText;
    }

    /** {@code canary 4.1% vs baseline 0.9%}: the shares above bound {@code i} so far. */
    String shares(int i) {
        return "canary " + percent(canaryAbove(i), canaryTotal()) + " vs baseline " + percent(baselineAbove(i), baselineTotal());
    }

    private static String percent(long part, long total) {
        if (total == 0) {
            return "-";
        }
        double p = 100.0 * part / total;
        return (p >= 10 ? Fmt.num(Math.round(p * 10) / 10.0) : Fmt.num(Math.round(p * 100) / 100.0)) + "%";
    }

    static String describe(double[] bounds) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < bounds.length; i++) {
            out.append(i == 0 ? "" : ", ").append(Fmt.latency(bounds[i]));
            if (bounds.length > 12 && i == 4) {
                out.append(", ... (").append(bounds.length - 8).append(" more)");
                i = bounds.length - 4;
            }
        }
        return out.append(']').toString();
    }
}
