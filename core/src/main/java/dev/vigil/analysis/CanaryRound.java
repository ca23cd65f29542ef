package dev.vigil.analysis;

import java.util.Arrays;

/**
 * What a {@link CanaryJudge} sees of the canary and the baseline in one round: samples of a
 * continuous metric (latency, CPU), counts of events against trials (errors against requests), or
 * each version's requests counted per latency band (a histogram's bucket increments). Immutable.
 */
public sealed interface CanaryRound permits CanaryRound.Samples, CanaryRound.Counts, CanaryRound.Histogram {

    /**
     * Whether both versions had data this round, so that a judge can compare them; a round that is
     * not complete is no evidence of health.
     *
     * @return {@code true} when neither version is without data
     */
    boolean complete();

    /**
     * Values of a continuous metric observed during the round, for each version: one value per
     * instance (its mean over the round), or one value each (the version's mean). The sequential
     * judge takes several values of one version as independent replicates and learns the noise
     * from their spread, so they must not share a disturbance that the other version does not see;
     * successive points of one time series are not replicates (average them first). The
     * Mann-Whitney judge pools every value.
     *
     * @param canary the canary's values; copied; may be empty when it had no data this round
     * @param baseline the baseline's values; copied; may be empty when it had no data this round
     */
    record Samples(double[] canary, double[] baseline) implements CanaryRound {
        /**
         * Validates and copies.
         *
         * @param canary the canary's values; copied; may be empty
         * @param baseline the baseline's values; copied; may be empty
         * @throws IllegalArgumentException when an array is {@code null} or holds a NaN or an infinity
         */
        public Samples {
            canary = checked(canary, "canary");
            baseline = checked(baseline, "baseline");
        }

        /**
         * The canary's values.
         *
         * @return a copy, which the caller may change; empty when the canary had no data
         */
        @Override
        public double[] canary() {
            return canary.clone();
        }

        /**
         * The baseline's values.
         *
         * @return a copy, which the caller may change; empty when the baseline had no data
         */
        @Override
        public double[] baseline() {
            return baseline.clone();
        }

        /**
         * Whether both versions have at least one value, so that a judge can compare them.
         *
         * @return {@code true} when neither array is empty
         */
        public boolean complete() {
            return canary.length > 0 && baseline.length > 0;
        }

        double[] canaryView() {
            return canary;
        }

        double[] baselineView() {
            return baseline;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Samples s && Arrays.equals(canary, s.canary) && Arrays.equals(baseline, s.baseline);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(canary) + Arrays.hashCode(baseline);
        }

        @Override
        public String toString() {
            return "Samples[canary=" + Arrays.toString(canary) + ", baseline=" + Arrays.toString(baseline) + "]";
        }

        private static double[] checked(double[] values, String name) {
            if (values == null) {
                throw new IllegalArgumentException(name + " samples must not be null");
            }
            for (double v : values) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + " samples must be finite numbers: " + v);
                }
            }
            return values.clone();
        }
    }

    /**
     * Events against trials during the round (not since the start: increments), for each version.
     *
     * @param canaryEvents the canary's events this round (errors), {@code >= 0}
     * @param canaryTrials the canary's trials this round (requests), {@code >= canaryEvents}
     * @param baselineEvents the baseline's events this round, {@code >= 0}
     * @param baselineTrials the baseline's trials this round, {@code >= baselineEvents}
     */
    record Counts(long canaryEvents, long canaryTrials, long baselineEvents, long baselineTrials)
            implements CanaryRound {
        /**
         * Validates.
         *
         * @param canaryEvents the canary's events this round, {@code >= 0}
         * @param canaryTrials the canary's trials this round, {@code >= canaryEvents}
         * @param baselineEvents the baseline's events this round, {@code >= 0}
         * @param baselineTrials the baseline's trials this round, {@code >= baselineEvents}
         * @throws IllegalArgumentException when a count is negative or events exceed trials; the
         *     message names the version and the counts
         */
        public Counts {
            check(canaryEvents, canaryTrials, "canary");
            check(baselineEvents, baselineTrials, "baseline");
        }

        /**
         * Whether both versions served trials this round, so that a judge can compare them.
         *
         * @return {@code true} when both trial counts are positive
         */
        public boolean complete() {
            return canaryTrials > 0 && baselineTrials > 0;
        }

        private static void check(long events, long trials, String name) {
            if (events < 0 || trials < 0) {
                throw new IllegalArgumentException(name + " counts must not be negative: " + events + "/" + trials);
            }
            if (events > trials) {
                throw new IllegalArgumentException(name + " events (" + events + ") exceed its trials (" + trials + ")");
            }
        }
    }

    /**
     * Samples of a continuous metric; see {@link Samples}.
     *
     * @param canary the canary's values; copied; may be empty when it had no data this round
     * @param baseline the baseline's values; copied; may be empty when it had no data this round
     * @return the round
     * @throws IllegalArgumentException when an array is {@code null} or holds a NaN or an infinity
     */
    static Samples samples(double[] canary, double[] baseline) {
        return new Samples(canary, baseline);
    }

    /**
     * Counts of events against trials during the round; see {@link Counts}.
     *
     * @param canaryEvents the canary's events this round (errors), {@code >= 0}
     * @param canaryTrials the canary's trials this round (requests), {@code >= canaryEvents}
     * @param baselineEvents the baseline's events this round, {@code >= 0}
     * @param baselineTrials the baseline's trials this round, {@code >= baselineEvents}
     * @return the round
     * @throws IllegalArgumentException when a count is negative or events exceed trials
     */
    static Counts counts(long canaryEvents, long canaryTrials, long baselineEvents, long baselineTrials) {
        return new Counts(canaryEvents, canaryTrials, baselineEvents, baselineTrials);
    }

    /**
     * Requests counted per latency band during the round (not since the start: increments), for
     * each version: a Prometheus histogram's bucket increments made per band. Band {@code i} holds
     * the requests above {@code upperBounds[i - 1]} (0 for the first band) and at most
     * {@code upperBounds[i]}; the last bound is {@code +Inf}. Both versions have the same bands.
     * Only the sequential judge takes histograms.
     *
     * @param upperBounds the bands' upper bounds (in seconds for Prometheus' {@code _seconds_bucket}
     *     series), strictly increasing, finite and {@code >= 0} except the last, which is
     *     {@code +Inf}; at least two bands; copied
     * @param canary the canary's requests per band, each {@code >= 0}; copied
     * @param baseline the baseline's requests per band, each {@code >= 0}; copied
     */
    record Histogram(double[] upperBounds, long[] canary, long[] baseline) implements CanaryRound {
        /**
         * Validates and copies.
         *
         * @param upperBounds the bands' upper bounds, strictly increasing, the last {@code +Inf}
         * @param canary the canary's requests per band, one per bound, each {@code >= 0}
         * @param baseline the baseline's requests per band, one per bound, each {@code >= 0}
         * @throws IllegalArgumentException naming what is wrong: a {@code null} array, fewer than two
         *     bands, bounds that are not strictly increasing or not finite and {@code >= 0}, a last
         *     bound that is not {@code +Inf}, counts of another length, a negative count, or a
         *     version's counts adding up to more than {@code Long.MAX_VALUE}
         */
        public Histogram {
            if (upperBounds == null || canary == null || baseline == null) {
                throw new IllegalArgumentException("histogram bounds and counts must not be null");
            }
            upperBounds = upperBounds.clone();
            canary = canary.clone();
            baseline = baseline.clone();
            if (upperBounds.length < 2) {
                throw new IllegalArgumentException("a histogram needs at least two bands (a finite bound and +Inf), had "
                        + upperBounds.length);
            }
            if (upperBounds[upperBounds.length - 1] != Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("a histogram's last bound must be +Inf, was "
                        + upperBounds[upperBounds.length - 1]);
            }
            for (int i = 0; i < upperBounds.length - 1; i++) {
                double b = upperBounds[i];
                if (!Double.isFinite(b) || b < 0 || (i > 0 && b <= upperBounds[i - 1])) {
                    throw new IllegalArgumentException("histogram bounds must be finite, >= 0 and strictly increasing "
                            + "before +Inf: " + Arrays.toString(upperBounds));
                }
            }
            checkCounts(canary, upperBounds.length, "canary");
            checkCounts(baseline, upperBounds.length, "baseline");
        }

        /**
         * The bands' upper bounds.
         *
         * @return a copy; the last is {@code +Inf}
         */
        @Override
        public double[] upperBounds() {
            return upperBounds.clone();
        }

        /**
         * The canary's requests per band.
         *
         * @return a copy, one count per band
         */
        @Override
        public long[] canary() {
            return canary.clone();
        }

        /**
         * The baseline's requests per band.
         *
         * @return a copy, one count per band
         */
        @Override
        public long[] baseline() {
            return baseline.clone();
        }

        /**
         * Whether both versions served requests this round, so that a judge can compare them.
         *
         * @return {@code true} when both versions counted at least one request
         */
        public boolean complete() {
            return Arrays.stream(canary).sum() > 0 && Arrays.stream(baseline).sum() > 0;
        }

        double[] boundsView() {
            return upperBounds;
        }

        long[] canaryView() {
            return canary;
        }

        long[] baselineView() {
            return baseline;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Histogram h && Arrays.equals(upperBounds, h.upperBounds) && Arrays.equals(canary, h.canary)
                    && Arrays.equals(baseline, h.baseline);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * Arrays.hashCode(upperBounds) + Arrays.hashCode(canary)) + Arrays.hashCode(baseline);
        }

        @Override
        public String toString() {
            return "Histogram[upperBounds=" + Arrays.toString(upperBounds) + ", canary=" + Arrays.toString(canary)
                    + ", baseline=" + Arrays.toString(baseline) + "]";
        }

        private static void checkCounts(long[] counts, int bands, String name) {
            if (counts.length != bands) {
                throw new IllegalArgumentException(name + " has " + counts.length + " band counts for " + bands + " bands");
            }
            for (long c : counts) {
                if (c < 0) {
                    throw new IllegalArgumentException(name + " band counts must not be negative: " + Arrays.toString(counts));
                }
            }
            long total = 0;
            for (long c : counts) {
                if (c > Long.MAX_VALUE - total) {
                    throw new IllegalArgumentException(name + " band counts add up to more than " + Long.MAX_VALUE
                            + " requests, the most a count can hold: " + Arrays.toString(counts)
                            + "; these are no counts of requests");
                }
                total += c;
            }
        }
    }

    /**
     * Requests per latency band during the round; see {@link Histogram}.
     *
     * @param upperBounds the bands' upper bounds, strictly increasing, the last {@code +Inf}
     * @param canary the canary's requests per band
     * @param baseline the baseline's requests per band
     * @return the round
     * @throws IllegalArgumentException when the bands or counts are invalid (see {@link Histogram})
     */
    static Histogram histogram(double[] upperBounds, long[] canary, long[] baseline) {
        return new Histogram(upperBounds, canary, baseline);
    }
}
