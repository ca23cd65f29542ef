package dev.vigil.analysis;

/**
 * Sequential test of a continuous metric's mean: the scale-invariant sequential t-test on the
 * rounds' differences of means, with the spread of each round's values as extra evidence of the
 * noise.
 *
 * <p>A round brings {@code k} canary values and {@code m} baseline values: one per instance (or one
 * each, the versions' means). For {@code increase} the baseline's values are first multiplied by
 * {@code s = 1 + tolerance} (for {@code decrease} by {@code 1 - tolerance}, and the sign of the
 * difference is turned so that bad is positive); for a round whose baseline mean is negative the two
 * factors swap, so that the level allowed is {@code mean + tolerance |mean|} (for {@code decrease}
 * {@code mean - tolerance |mean|}), beyond the baseline on the bad side whatever its sign; the values are modelled as independent normal with
 * one unknown standard deviation {@code sigma} for both versions, around a mean of each version in
 * that round (the round's traffic may move both). A round then gives:
 * <ul>
 *   <li>the difference of means {@code d = mean(canary) - s mean(baseline)}, normal with mean
 *       {@code Delta} and variance {@code sigma^2 c}, {@code c = 1/k + 1/m};</li>
 *   <li>{@code (k - 1) + (m - 1)} residual degrees of freedom with sum of squares
 *       {@code S = sum (x - mean(canary))^2 + s^2 sum (y - mean(baseline))^2}: pure noise, whatever the
 *       round's means were. With one value per version a round gives none, and the noise is learnt
 *       only from how the differences vary between rounds.</li>
 * </ul>
 * The effect is measured in standard deviations of the difference between one canary value and one
 * baseline value, {@code delta = Delta / (sigma sqrt(2))}: a unit fixed before any data, so that the
 * prior does not depend on how many instances reported first. With the right-Haar prior
 * {@code 1/sigma} on the scale, the Bayes factor of {@code delta} against {@code delta = 0} after
 * {@code R} rounds with {@code nu} residual degrees of freedom in all is
 * <pre>
 *   BF(delta) = exp(-delta^2 E / 2) J_{R+nu-1}(delta w) / J_{R+nu-1}(0),
 *   E = sum 2 / c_r,   w = sqrt(2) sum(d_r / c_r) / sqrt(sum(d_r^2 / c_r) + sum S_r),
 *   J_k(a) = integral over v &gt; 0 of v^k exp(-v^2/2 + a v) dv
 * </pre>
 * ({@code E} is the number of rounds with one value per version, and {@code delta} the effect in
 * standard deviations of a round's difference). It depends
 * on the data only through the direction of the vector of standardised differences and residuals, so
 * it is the likelihood ratio of the maximal invariant under rescaling, hence a test martingale under
 * {@code delta = 0} for the scale-invariant filtration, and Ville's inequality bounds the probability
 * that it ever reaches {@code 1/alpha} by {@code alpha} (Pérez-Ortiz, Lardy, de Heide and Grünwald,
 * 2024). The judge mixes it over a one-sided grid of effects, {@code delta = 2^(k/2)} for
 * {@code k = -2 ... 6} (0.5 to 8 of those standard deviations) with equal weights:
 * the effects a canary analysis must catch within minutes are large per round, and a one-sided grid
 * spends no prior mass on improvements or on effects too small to matter within a bake. A mixture of
 * test martingales with fixed weights is a test martingale, so no minimum number of rounds is needed
 * for validity.
 *
 * <p>With one value per version the noise must be learnt from the rounds themselves, so the factor is
 * below 2 after one round and at most 10.4 after two: no decision before the third round at
 * confidence 0.95. With several values per version (instances), the residuals measure the noise from
 * the first round on. This is only valid when the values of one version within a round are
 * independent replicates: a disturbance shared by all instances of one version but not by the other
 * version (and not by the next round) is not seen in the within-round spread, which is why
 * {@link CanaryAnalysis#independentInstances()} is off unless asked for. Values are divided by the
 * largest magnitude of the first round before any sum is taken (the test is scale-invariant), so
 * that no square overflows or underflows. Not thread-safe.
 */
final class MeanTest {

    private static final int GRID_FROM = -2;
    private static final int GRID_TO = 6;
    /** The grid of standardised effects mixed over, with equal weights. */
    static final double[] EFFECTS = effects();
    /** Trapezoidal step when the range reaches {@code v = 0}, where the integrand may have a kink's worth of curvature. */
    private static final double QUADRATURE_STEP_AT_ZERO = 0.1;
    /** Trapezoidal step away from 0, where the integrand is smooth and the rule converges geometrically. */
    private static final double QUADRATURE_STEP = 0.35;
    /** Half-width of the integration range around the mode: the log-integrand is 1-strongly concave. */
    private static final double QUADRATURE_HALF_WIDTH = 8;
    /**
     * How many times the first round's largest magnitude a value may be: {@code 1e100}, far beyond any
     * change of one metric, and far enough below the square root of the largest double that no sum of
     * squares overflows (an overflowing sum made the direction statistic 0 or NaN, no evidence).
     */
    static final double LARGEST_RATIO = 1e100;
    /** {@code c} of a round with one value per version: the unit of the effect. */
    private static final double REFERENCE_VARIANCE = 2;

    private final Direction direction;
    private final Side up;
    private final Side down;
    private double sumCanary;
    private double sumBaseline;
    private int rounds;
    private int canaryValues;
    private int baselineValues;
    /** The largest magnitude of the first round with a non-zero value; 0 until then. */
    private double scale;
    private double e = 1;
    private double maxE = 1;
    /** The last e-value of each side this direction looks at (0 for a side it does not). */
    private double upE;
    private double downE;

    MeanTest(Direction direction, double tolerance) {
        this.direction = direction;
        this.up = new Side(tolerance, 1);
        this.down = new Side(tolerance, -1);
    }

    private static double[] effects() {
        double[] effects = new double[GRID_TO - GRID_FROM + 1];
        for (int k = GRID_FROM; k <= GRID_TO; k++) {
            effects[k - GRID_FROM] = Math.pow(2, k / 2.0);
        }
        return effects;
    }

    /**
     * Adds a round with values of both versions; a round in which a version has none adds nothing.
     *
     * @throws IllegalArgumentException with the test as it was, when a value is more than
     *     {@link #LARGEST_RATIO} times the largest magnitude of the first round (its square would
     *     overflow the test's sums, and the evidence would come out as none at all), when the round's
     *     values are not all 0 but all less than {@code 1 / LARGEST_RATIO} times it (their squares
     *     would underflow to 0: no spread, and no evidence either), or a version's values add up
     *     beyond the largest double
     */
    void add(CanaryRound.Samples s) {
        if (!s.complete()) {
            return;
        }
        double[] canary = s.canaryView();
        double[] baseline = s.baselineView();
        double largest = Math.max(largestMagnitude(canary), largestMagnitude(baseline));
        double roundScale = scale == 0 ? largest : scale;
        double canaryMean = mean(canary);
        double baselineMean = mean(baseline);
        if (!Double.isFinite(canaryMean) || !Double.isFinite(baselineMean)) {
            throw new IllegalArgumentException("values of " + Fmt.num(largest) + " add up beyond the largest number:"
                    + " no measurement of a metric, and too large for the mean test to weigh; the round is not judged");
        }
        if (roundScale > 0 && !(largest / roundScale <= LARGEST_RATIO)) {
            throw new IllegalArgumentException("a value of " + Fmt.num(largest) + " is more than " + Fmt.num(LARGEST_RATIO)
                    + " times the largest of the first round (" + Fmt.num(roundScale) + "): no measurement of the same"
                    + " metric, and too large for the mean test to weigh; the round is not judged");
        }
        if (largest > 0 && !(largest / roundScale >= 1 / LARGEST_RATIO)) {
            // Divided by the first round's magnitude, their squares would vanish below the smallest
            // double: the differences would weigh as none, every value as equal, and a pass follow.
            throw new IllegalArgumentException("values of at most " + Fmt.num(largest) + " are less than 1/"
                    + Fmt.num(LARGEST_RATIO) + " of the largest of the first round (" + Fmt.num(roundScale) + "): no"
                    + " measurement of the same metric, and too small for the mean test to weigh; the round is not judged");
        }
        rounds++;
        canaryValues += canary.length;
        baselineValues += baseline.length;
        sumCanary += canaryMean;
        sumBaseline += baselineMean;
        scale = roundScale;
        double[] scaledCanary = scaled(canary);
        double[] scaledBaseline = scaled(baseline);
        up.add(scaledCanary, scaledBaseline);
        down.add(scaledCanary, scaledBaseline);
        e = compute();
        maxE = Math.max(maxE, e);
    }

    /** The e-value: the mixture of Bayes factors for a regression on the bad side. */
    double eValue() {
        return e;
    }

    private double compute() {
        upE = direction == Direction.DECREASE ? 0 : up.eValue();
        downE = direction == Direction.INCREASE ? 0 : down.eValue();
        return switch (direction) {
            case INCREASE -> upE;
            case DECREASE -> downE;
            case EITHER -> (upE + downE) / 2;
        };
    }

    double maxEValue() {
        return maxE;
    }

    int rounds() {
        return rounds;
    }

    int canaryValues() {
        return canaryValues;
    }

    int baselineValues() {
        return baselineValues;
    }

    /**
     * The t statistic of the side tested, signed as canary minus baseline: against
     * {@code 1 + tolerance} for increase, {@code 1 - tolerance} for decrease, and for either the side
     * with the larger e-value.
     */
    double tStatistic() {
        boolean upward = switch (direction) {
            case INCREASE -> true;
            case DECREASE -> false;
            case EITHER -> upE >= downE;
        };
        return upward ? up.t() : -down.t();
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

    /**
     * The log of the mixture over {@link #EFFECTS} (equal weights) of the Bayes factors
     * {@code BF(delta)} (see the class comment); 0 (a factor of 1) when there is no difference yet.
     *
     * @param dimensions {@code R + nu}: rounds plus residual degrees of freedom
     * @param effectiveRounds {@code E = sum 2 / c_r}
     * @param w the direction statistic, in {@code [-sqrt(E), sqrt(E)]}
     */
    static double logGridBayesFactor(int dimensions, double effectiveRounds, double w) {
        if (dimensions < 1) {
            return 0;
        }
        double[] logs = new double[EFFECTS.length];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < EFFECTS.length; i++) {
            logs[i] = logPointBayesFactor(dimensions, effectiveRounds, w, EFFECTS[i]);
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        for (double l : logs) {
            sum += Math.exp(l - max);
        }
        return max + Math.log(sum / EFFECTS.length);
    }

    /** The log of {@code BF(delta)}; arguments as for {@link #logGridBayesFactor}. */
    static double logPointBayesFactor(int dimensions, double effectiveRounds, double w, double delta) {
        return -effectiveRounds * delta * delta / 2 + logJ(dimensions - 1, delta * w) - logJ0(dimensions - 1);
    }

    /**
     * The log of {@code J_k(a)}, by the trapezoidal rule around the integrand's mode. The log of the
     * integrand has second derivative {@code -(1 + k/v^2) <= -1}, so beyond 8 of the mode it is
     * below {@code exp(-32)} of the peak. For {@code a >= 0} its width is at least
     * {@code 1/sqrt(2)}: when the range stays clear of {@code v = 0} the integrand is smooth there
     * and the rule with a step of 0.35 converges geometrically (error below 1e-30); when it reaches
     * 0, a step of 0.1 with the end correction at {@code v = 0} keeps the error near 1e-7 (checked
     * against a step of 0.0005 for k up to 1000 and a up to 120). For {@code a} far below 0 (a mean far on the good side) the integrand is squeezed
     * against {@code v = 0} and the relative error grows (about 3e-4 at {@code a = -15}), but such
     * factors are below {@code exp(-50)} and decide nothing.
     */
    static double logJ(int k, double a) {
        double mode = k == 0 ? Math.max(a, 0) : (a + Math.sqrt(a * a + 4.0 * k)) / 2;
        double peak = logIntegrand(k, a, mode);
        double lo = Math.max(0, mode - QUADRATURE_HALF_WIDTH);
        double hi = mode + QUADRATURE_HALF_WIDTH;
        int steps = (int) Math.ceil((hi - lo) / (lo > 0 ? QUADRATURE_STEP : QUADRATURE_STEP_AT_ZERO));
        double h = (hi - lo) / steps;
        double sum = 0;
        for (int i = 0; i <= steps; i++) {
            double v = lo + i * h;
            double weight = i == 0 || i == steps ? 0.5 : 1;
            sum += weight * Math.exp(logIntegrand(k, a, v) - peak);
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

    private static double largestMagnitude(double[] values) {
        double largest = 0;
        for (double v : values) {
            largest = Math.max(largest, Math.abs(v));
        }
        return largest;
    }

    private double[] scaled(double[] values) {
        if (scale == 0) {
            return values;
        }
        double[] result = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = values[i] / scale;
        }
        return result;
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sum of squared deviations from the mean, of the values multiplied by {@code scale}. */
    private static double squaredDeviations(double[] values, double scale) {
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            double deviation = scale * (v - m);
            sum += deviation * deviation;
        }
        return sum;
    }

    /**
     * The evidence for one side: {@code canary > s baseline} ({@code sign 1}) or {@code canary < s baseline}
     * ({@code -1}), where {@code s baseline} is the level the tolerance allows, beyond the baseline's
     * mean on the bad side whatever its sign: {@code mean + tolerance |mean|} for {@code sign 1},
     * {@code mean - tolerance |mean|} for {@code -1}, so {@code s = 1 + sign tolerance signum(mean)}.
     */
    private static final class Side {
        private final double tolerance;
        private final int sign;
        private int rounds;
        private int residualDf;
        private double residualSquares;
        /** {@code sum d_r / c_r}, {@code sum d_r^2 / c_r}, {@code sum 1 / c_r}. */
        private double weightedSum;
        private double weightedSquares;
        private double precision;

        Side(double tolerance, int sign) {
            this.tolerance = tolerance;
            this.sign = sign;
        }

        void add(double[] canary, double[] baseline) {
            // (1 + tolerance) * mean would tighten the test for a negative mean (-100 allows -110):
            // the allowed level lies beyond the mean on the bad side, whatever its sign.
            double scale = 1 + sign * tolerance * Math.signum(mean(baseline));
            double d = sign * (mean(canary) - scale * mean(baseline));
            double c = 1.0 / canary.length + 1.0 / baseline.length;
            rounds++;
            residualDf += canary.length - 1 + baseline.length - 1;
            residualSquares += squaredDeviations(canary, 1) + squaredDeviations(baseline, scale);
            weightedSum += d / c;
            weightedSquares += d * d / c;
            precision += 1 / c;
        }

        double eValue() {
            return Math.exp(logGridBayesFactor(rounds + residualDf, REFERENCE_VARIANCE * precision, direction()));
        }

        /** {@code w}, clamped to {@code [-sqrt(E), sqrt(E)]} against rounding; 0 when every value is equal. */
        private double direction() {
            double norm = weightedSquares + residualSquares;
            if (!(norm > 0)) {
                return 0;
            }
            double limit = Math.sqrt(REFERENCE_VARIANCE * precision);
            return Math.max(-limit, Math.min(limit, Math.sqrt(REFERENCE_VARIANCE) * weightedSum / Math.sqrt(norm)));
        }

        /**
         * The t statistic of the precision-weighted mean difference, with the noise estimated from the
         * differences' spread around it and the rounds' residuals; NaN without a degree of freedom,
         * infinite when there is no spread at all.
         */
        double t() {
            int df = rounds - 1 + residualDf;
            if (rounds == 0 || df < 1) {
                return Double.NaN;
            }
            double estimate = weightedSum / precision;
            double spread = weightedSquares - weightedSum * estimate + residualSquares;
            if (!(spread > 0)) {
                return estimate == 0 ? 0 : Math.copySign(Double.POSITIVE_INFINITY, estimate);
            }
            return estimate * Math.sqrt(precision) / Math.sqrt(spread / df);
        }
    }
}
