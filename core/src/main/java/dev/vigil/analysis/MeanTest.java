package dev.vigil.analysis;

/**
 * Sequential test of a continuous metric's mean on the rounds' paired differences.
 *
 * <p>Each round gives one paired difference {@code d = mean(canary) - (1 + tolerance) mean(baseline)}
 * (for {@code decrease}, {@code 1 - tolerance}). With the differences modelled as independent
 * normal with unknown mean and unknown variance, the Bayes factor for "mean != 0" with a normal
 * prior of variance {@link #G} on the standardised effect and the right-Haar prior {@code 1/sigma}
 * on the scale is the sequential t-test: a test martingale for the scale-invariant filtration, so
 * Ville's inequality bounds the probability that it ever reaches {@code 1/alpha} by {@code alpha}
 * (Pérez-Ortiz, Lardy, de Heide and Grünwald, 2024). In closed form, with {@code n} rounds,
 * {@code nu = n - 1} and the t statistic {@code t}:
 * <pre>
 *   BF = (1 + n g)^(-1/2) * [(1 + t^2/nu) / (1 + t^2/((1 + n g) nu))]^((nu + 1)/2)
 * </pre>
 * A regression needs the Bayes factor over the threshold and the mean on the bad side. Not
 * thread-safe.
 */
final class MeanTest {

    /** Prior variance of the standardised effect per round (a unit-information prior). */
    static final double G = 1.0;

    private final Direction direction;
    private final double tolerance;
    private final Welford up = new Welford();
    private final Welford down = new Welford();
    private double sumCanary;
    private double sumBaseline;
    private int rounds;
    private double maxE = 1;

    MeanTest(Direction direction, double tolerance) {
        this.direction = direction;
        this.tolerance = tolerance;
    }

    void add(CanaryRound.Samples s) {
        if (!s.complete()) {
            return;
        }
        double c = mean(s.canaryView());
        double b = mean(s.baselineView());
        rounds++;
        sumCanary += c;
        sumBaseline += b;
        up.add(c - (1 + tolerance) * b);
        down.add(c - (1 - tolerance) * b);
        maxE = Math.max(maxE, eValue());
    }

    /** The e-value: the Bayes factor when the mean lies on the bad side, at most 1 otherwise. */
    double eValue() {
        return switch (direction) {
            case INCREASE -> signed(up, 1);
            case DECREASE -> signed(down, -1);
            case EITHER -> (signed(up, 1) + signed(down, -1)) / 2;
        };
    }

    double maxEValue() {
        return maxE;
    }

    int rounds() {
        return rounds;
    }

    /** The t statistic of the differences tested (against {@code 1 + tolerance} for increase and either). */
    double tStatistic() {
        return direction == Direction.DECREASE ? down.t() : up.t();
    }

    double canaryMean() {
        return sumCanary / rounds;
    }

    double baselineMean() {
        return sumBaseline / rounds;
    }

    double meanDifference() {
        return canaryMean() - baselineMean();
    }

    double relativeDifference() {
        return baselineMean() == 0 ? Double.NaN : meanDifference() / Math.abs(baselineMean());
    }

    private static double signed(Welford w, int badSign) {
        double bf = Math.exp(logBayesFactor(w.n(), w.mean(), w.variance()));
        return Math.signum(w.mean()) == badSign ? bf : Math.min(bf, 1);
    }

    /**
     * The log of the sequential t-test's Bayes factor for {@code n} observations with sample mean
     * {@code mean} and sample variance {@code variance}; 0 (a factor of 1) below two observations.
     */
    static double logBayesFactor(int n, double mean, double variance) {
        if (n < 2) {
            return 0;
        }
        double nu = n - 1;
        double shrink = 1 + n * G;
        if (!(variance > 0)) {
            // All differences equal: t is infinite unless they are all 0; take the limits.
            return mean == 0 ? -0.5 * Math.log(shrink) : 0.5 * nu * Math.log(shrink);
        }
        double t2 = mean * mean * n / variance;
        return -0.5 * Math.log(shrink) + 0.5 * (nu + 1) * (Math.log1p(t2 / nu) - Math.log1p(t2 / (shrink * nu)));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Running mean and variance (Welford). */
    static final class Welford {
        private int n;
        private double mean;
        private double m2;

        void add(double x) {
            n++;
            double delta = x - mean;
            mean += delta / n;
            m2 += delta * (x - mean);
        }

        int n() {
            return n;
        }

        double mean() {
            return mean;
        }

        double variance() {
            return n < 2 ? Double.NaN : m2 / (n - 1);
        }

        double t() {
            if (n < 2) {
                return Double.NaN;
            }
            double v = variance();
            if (!(v > 0)) {
                return mean == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, mean);
            }
            return mean / Math.sqrt(v / n);
        }
    }
}
