package dev.vigil.bench;

import java.util.Arrays;
import java.util.Locale;

/** Rates with Wilson intervals, and quantiles of detection times. */
final class Stats {

    private Stats() {
    }

    /** The 95% Wilson score interval of {@code k} successes in {@code n} trials, as {low, high}. */
    static double[] wilson(int k, int n) {
        double z = 1.959963984540054;
        double p = (double) k / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denom;
        return new double[] {Math.max(0, centre - half), Math.min(1, centre + half)};
    }

    /** The {@code q} quantile (nearest rank) of the values; NaN when there are none. */
    static double quantile(int[] values, int count, double q) {
        if (count == 0) {
            return Double.NaN;
        }
        int[] sorted = Arrays.copyOf(values, count);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * count);
        return sorted[Math.max(0, rank - 1)];
    }

    static String rate(int k, int n) {
        double[] ci = wilson(k, n);
        return String.format(Locale.ROOT, "%.2f%% [%.2f, %.2f]", 100.0 * k / n, 100 * ci[0], 100 * ci[1]);
    }

    /** {@code k} of {@code n} as a percentage with one decimal and its 95% Wilson interval. */
    static String share(int k, int n) {
        double[] ci = wilson(k, n);
        return String.format(Locale.ROOT, "%.1f%% [%.1f, %.1f]", 100.0 * k / n, 100 * ci[0], 100 * ci[1]);
    }

    static String seconds(double rounds, int roundSeconds) {
        return Double.isNaN(rounds) ? "-" : String.format(Locale.ROOT, "%.0f s", rounds * roundSeconds);
    }
}
