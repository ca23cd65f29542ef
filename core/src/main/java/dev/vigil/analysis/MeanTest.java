package dev.vigil.analysis;

/**
 * Sequential test of a continuous metric's mean on the rounds' paired differences.
 *
 * <p>Each round gives one paired difference {@code d = mean(canary) - (1 + tolerance) mean(baseline)}
 * (for {@code decrease}, {@code 1 - tolerance}). With the differences modelled as independent
 * normal with unknown mean and unknown variance, the Bayes factor for "mean != 0" with a prior on
 * the standardised effect {@code delta = mean / sigma} and the right-Haar prior {@code 1/sigma} on
 * the scale is the sequential t-test: a test martingale for the scale-invariant filtration, so
 * Ville's inequality bounds the probability that it ever reaches {@code 1/alpha} by {@code alpha}
 * (Pérez-Ortiz, Lardy, de Heide and Grünwald, 2024). For a normal prior {@code delta ~ N(0, g)},
 * with {@code n} rounds, {@code nu = n - 1} and the t statistic {@code t}:
 * <pre>
 *   BF(g) = (1 + n g)^(-1/2) * [(1 + t^2/nu) / (1 + t^2/((1 + n g) nu))]^((nu + 1)/2)
 * </pre>
 * The judge mixes {@code BF(g)} over {@code g ~ InverseGamma(1/2, r^2/2)}, which makes the prior on
 * {@code delta} a Cauchy of scale {@code r = sqrt(2)/2} (the JZS default t-test of Rouder et al.,
 * 2009): its heavy tail lets a large regression be flagged after a few rounds, where a normal prior
 * caps the evidence at {@code (1 + n g)^(nu/2)}. The mixture is integrated numerically in
 * {@code log g}. A regression needs the Bayes factor over the threshold and the mean on the bad
 * side, and at least {@link #MIN_ROUNDS} rounds. Not thread-safe.
 */
final class MeanTest {

    /** Scale of the Cauchy prior on the standardised effect per round (the JZS "medium" default). */
    static final double CAUCHY_SCALE = Math.sqrt(2) / 2;
    /** Rounds before the test may fire: two differences are too few to trust their spread. */
    static final int MIN_ROUNDS = 3;
    private static final double LOG_G_STEP = 0.25;

    private final Direction direction;
    private final double tolerance;
    private final Welford up = new Welford();
    private final Welford down = new Welford();
    private double sumCanary;
    private double sumBaseline;
    private int rounds;
    private double e = 1;
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
        e = compute();
        maxE = Math.max(maxE, e);
    }

    /** The e-value: the Bayes factor when the mean lies on the bad side, at most 1 otherwise. */
    double eValue() {
        return e;
    }

    private double compute() {
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
        if (w.n() < MIN_ROUNDS) {
            return 1;
        }
        double bf = Math.exp(logCauchyBayesFactor(w.n(), w.mean(), w.variance()));
        return Math.signum(w.mean()) == badSign ? bf : Math.min(bf, 1);
    }

    /**
     * The log of the sequential t-test's Bayes factor with a normal prior of variance {@code g} on
     * the standardised effect, for {@code n} observations with sample mean {@code mean} and sample
     * variance {@code variance}; 0 (a factor of 1) below two observations.
     */
    static double logBayesFactor(int n, double mean, double variance, double g) {
        if (n < 2) {
            return 0;
        }
        return logBayesFactorT2(n, t2(n, mean, variance), g);
    }

    /**
     * The log of the sequential t-test's Bayes factor with a Cauchy prior of scale
     * {@link #CAUCHY_SCALE} on the standardised effect; 0 below two observations.
     */
    static double logCauchyBayesFactor(int n, double mean, double variance) {
        if (n < 2) {
            return 0;
        }
        double t2 = t2(n, mean, variance);
        double r2 = CAUCHY_SCALE * CAUCHY_SCALE;
        double logNorm = 0.5 * Math.log(r2 / 2) - 0.5 * Math.log(Math.PI);
        // Integrand in u = log g: BF(g) * InverseGamma(1/2, r^2/2) density(g) * g. The prior is negligible
        // below u = -5 (exp(-r^2/2g) < 1e-16); above, the integrand falls like exp(-u) once n g is well
        // past t^2, so 14 more units of u leave out less than 1e-6 of it.
        double upper = Math.max(12, Math.log1p(t2) + 14);
        double max = Double.NEGATIVE_INFINITY;
        int points = (int) Math.ceil((upper + 5) / LOG_G_STEP) + 1;
        double[] logs = new double[points];
        for (int i = 0; i < points; i++) {
            double u = -5 + i * LOG_G_STEP;
            double g = Math.exp(u);
            logs[i] = logBayesFactorT2(n, t2, g) + logNorm - 0.5 * u - r2 / (2 * g);
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        for (int i = 0; i < points; i++) {
            double w = i == 0 || i == points - 1 ? 0.5 : 1;
            sum += w * Math.exp(logs[i] - max);
        }
        return max + Math.log(sum * LOG_G_STEP);
    }

    private static double t2(int n, double mean, double variance) {
        if (!(variance > 0)) {
            // All differences equal: t is infinite unless they are all 0; a huge t stands in for it.
            return mean == 0 ? 0 : 1e12;
        }
        return Math.min(1e12, mean * mean * n / variance);
    }

    private static double logBayesFactorT2(int n, double t2, double g) {
        double nu = n - 1;
        double shrink = 1 + n * g;
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
