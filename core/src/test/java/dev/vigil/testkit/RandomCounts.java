package dev.vigil.testkit;

import java.util.SplittableRandom;

/** Random counts for simulated traffic in tests, from a seeded {@link SplittableRandom}. */
public final class RandomCounts {

    private RandomCounts() {
    }

    /**
     * A Poisson count by Knuth's method: exact, and fine for the few dozen events a round of a test
     * has (its cost grows with the mean).
     *
     * @param random the seeded source
     * @param mean the expected count, at least 0
     * @return the count
     */
    public static long poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        long k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }
}
