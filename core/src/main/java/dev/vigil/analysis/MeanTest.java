package dev.vigil.analysis;

/**
 * Sequential test of a continuous metric's mean on the rounds' paired differences.
 *
 * <p>Each round gives one paired difference {@code d = mean(canary) - (1 + tolerance) mean(baseline)}
 * (for {@code decrease}, {@code 1 - tolerance}, with the sign turned so that bad is positive). With
 * the differences modelled as independent normal {@code N(delta sigma, sigma^2)} with unknown
 * {@code sigma}, the Bayes factor for a standardised effect {@code delta} against {@code delta = 0},
 * with the right-Haar prior {@code 1/sigma} on the scale, depends on the data only through the
 * direction of the vector of differences, {@code r = sum(d) / sqrt(sum(d^2))}:
 * <pre>
 *   BF_n(delta) = exp(-n delta^2 / 2) J_{n-1}(delta r) / J_{n-1}(0),
 *   J_k(a) = integral over v &gt; 0 of v^k exp(-v^2/2 + a v) dv
 * </pre>
 * It is the likelihood ratio of the maximal invariant under rescaling, hence a test martingale under
 * {@code delta = 0} for the scale-invariant filtration, and Ville's inequality bounds the
 * probability that it ever reaches {@code 1/alpha} by {@code alpha} (Pérez-Ortiz, Lardy, de Heide
 * and Grünwald, 2024). The judge mixes it over a one-sided grid of effects,
 * {@code delta = 2^(k/2)} for {@code k = -2 ... 6} (0.5 to 8 standard deviations of a round's
 * difference) with equal weights: the effects a canary analysis must catch within minutes are large
 * per round, and a one-sided grid spends no prior mass on improvements or on effects too small to
 * matter within a bake. A mixture of test martingales with fixed weights is a test martingale, so no
 * minimum number of rounds is needed for validity; with one round the factor is below 2 (only the
 * sign is informative), with two at most 10.4, so the test cannot fire before the third round at
 * confidence 0.95 or more. Not thread-safe.
 */
final class MeanTest {

    /** The grid of standardised effects mixed over, with equal weights. */
    static final double[] EFFECTS = effects();
    private static final double QUADRATURE_STEP = 0.1;
    /** Half-width of the integration range around the mode: the log-integrand is 1-strongly concave. */
    private static final double QUADRATURE_HALF_WIDTH = 10;

    private final Direction direction;
    private final double tolerance;
    private final Sums up = new Sums();
    private final Sums down = new Sums();
    private double sumCanary;
    private double sumBaseline;
    private int rounds;
    private double e = 1;
    private double maxE = 1;

    MeanTest(Direction direction, double tolerance) {
        this.direction = direction;
        this.tolerance = tolerance;
    }

    private static double[] effects() {
        double[] effects = new double[9];
        for (int k = -2; k <= 6; k++) {
            effects[k + 2] = Math.pow(2, k / 2.0);
        }
        return effects;
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
        down.add(-(c - (1 - tolerance) * b));
        e = compute();
        maxE = Math.max(maxE, e);
    }

    /** The e-value: the mixture of Bayes factors for a regression on the bad side. */
    double eValue() {
        return e;
    }

    private double compute() {
        return switch (direction) {
            case INCREASE -> oneSided(up);
            case DECREASE -> oneSided(down);
            case EITHER -> (oneSided(up) + oneSided(down)) / 2;
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
        return direction == Direction.DECREASE ? -down.t() : up.t();
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

    private static double oneSided(Sums s) {
        return Math.exp(logGridBayesFactor(s.n(), s.direction()));
    }

    /**
     * The log of the mixture over {@link #EFFECTS} (equal weights) of the scale-invariant Bayes
     * factors {@code BF_n(delta)}, for {@code n} differences whose direction statistic is
     * {@code r = sum(d) / sqrt(sum(d^2))} (0 when all are 0); 0 (a factor of 1) for no differences.
     */
    static double logGridBayesFactor(int n, double r) {
        if (n < 1) {
            return 0;
        }
        double[] logs = new double[EFFECTS.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < EFFECTS.length; i++) {
            logs[i] = logPointBayesFactor(n, r, EFFECTS[i]);
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        for (double l : logs) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum / EFFECTS.length);
    }

    /** The log of {@code BF_n(delta)} for the direction statistic {@code r}. */
    static double logPointBayesFactor(int n, double r, double delta) {
        return -n * delta * delta / 2 + logJ(n - 1, delta * r) - logJ0(n - 1);
    }

    /**
     * The log of {@code J_k(a)}, by the trapezoidal rule around the integrand's mode. The log of the
     * integrand has second derivative {@code -(1 + k/v^2) <= -1}, so beyond 10 of the mode it is
     * below {@code exp(-50)} of the peak, and a step of 0.1 is far finer than its width (at least
     * {@code 1/sqrt(2)}); the end correction at {@code v = 0} keeps the error near 1e-7.
     */
    static double logJ(int k, double a) {
        double mode = k == 0 ? Math.max(a, 0) : (a + Math.sqrt(a * a + 4.0 * k)) / 2;
        double peak = logIntegrand(k, a, mode);
        double lo = Math.max(0, mode - QUADRATURE_HALF_WIDTH);
        double hi = mode + QUADRATURE_HALF_WIDTH;
        int steps = (int) Math.ceil((hi - lo) / QUADRATURE_STEP);
        double h = (hi - lo) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double v = lo + i * h;
            double w = i == 0 || i == steps ? 0.5 : 1;
            sum += w * Math.exp(logIntegrand(k, a, v) - peak);
        }
        // Euler-Maclaurin: the integrand vanishes at the upper end; at v = 0 its slope is a for k = 0
        // and 1 for k = 1 (0 beyond), which the trapezoidal rule would otherwise miss by h^2/12 of it.
        double slopeAtZero = lo > 0 || k > 1 ? 0 : k == 0 ? a : 1;
        return peak + Math.log(sum * h + h * h / 12 * slopeAtZero * Math.exp(-peak));
    }

    private static double logIntegrand(int k, double a, double v) {
        if (k > 0 && v <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        return (k == 0 ? 0 : k * Math.log(v)) - v * v / 2 + a * v;
    }

    /** {@code log J_k(0) = log(2^((k-1)/2) Gamma((k+1)/2))}. */
    static double logJ0(int k) {
        return (k - 1) / 2.0 * Math.log(2) + logGamma((k + 1) / 2.0);
    }

    /** Log Gamma of a positive multiple of 1/2, exactly by recursion from Gamma(1/2) and Gamma(1). */
    private static double logGamma(double x) {
        double result = 0;
        double y = x;
        while (y > 1) {
            y -= 1;
            result += Math.log(y);
        }
        return result + (y == 0.5 ? 0.5 * Math.log(Math.PI) : 0);
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** The count, sum and sum of squares of the differences, with their running mean and variance. */
    static final class Sums {
        private final Welford moments = new Welford();
        private double sum;
        private double sumSquares;

        void add(double x) {
            moments.add(x);
            sum += x;
            sumSquares += x * x;
        }

        int n() {
            return moments.n();
        }

        /** {@code sum(d) / sqrt(sum(d^2))}, in {@code [-sqrt(n), sqrt(n)]}; 0 when every difference is 0. */
        double direction() {
            if (!(sumSquares > 0)) {
                return 0;
            }
            double n = moments.n();
            return Math.max(-Math.sqrt(n), Math.min(Math.sqrt(n), sum / Math.sqrt(sumSquares)));
        }

        double t() {
            return moments.t();
        }
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
