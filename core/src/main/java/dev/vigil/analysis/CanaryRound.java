package dev.vigil.analysis;

import java.util.Arrays;

/**
 * What a {@link CanaryJudge} sees of the canary and the baseline in one round: either samples of a
 * continuous metric (latency, CPU) or counts of events against trials (errors against requests).
 * Immutable.
 */
public sealed interface CanaryRound permits CanaryRound.Samples, CanaryRound.Counts {

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
}
