package dev.vigil.analysis;

/**
 * Sequential test of two event rates (errors per request) as two counting processes.
 *
 * <p>Given a round's events from both versions, each event is the canary's with probability
 * {@code q(rho) = n_c rho / (n_c rho + n_b)}, where {@code rho} is the ratio of the canary's rate
 * to the baseline's and {@code n_c}, {@code n_b} are the round's trials. For an alternative
 * {@code rho1 > rho0 = 1 + tolerance} the product over rounds of the conditional binomial likelihood
 * ratios {@code L(rho1) / L(rho0)} is a non-negative supermartingale whenever {@code rho <= rho0}.
 * Their average over a fixed grid of alternatives is the e-process (a mixture of SPRTs, as in
 * Lindon and Malek's test for counting processes). For {@code decrease} the grid lies below
 * {@code rho0 = 1 - tolerance}; for {@code either}, half the weight is on each side.
 *
 * <p>Exact for Poisson counts; for binomial counts it is exact at {@code tolerance = 0} (the
 * hypergeometric law of the canary's share is dominated in convex order by the binomial, Hoeffding
 * 1963) and a close approximation for rare events otherwise. Not thread-safe.
 */
final class CountTest {

    /** Alternatives: {@code rho0} times (or divided by) {@code 2^(k/3)}, {@code k = 1..9}: 1.26 up to 8. */
    static final double[] GRID = grid();

    private final double[] logWeights;
    private final double[] rho1;
    private final double[] rho0;
    private final double[] logLr;
    private long canaryEvents;
    private long canaryTrials;
    private long baselineEvents;
    private long baselineTrials;
    private int rounds;
    private double e = 1;
    private double maxE = 1;

    CountTest(Direction direction, double tolerance) {
        int k = GRID.length;
        int size = direction == Direction.EITHER ? 2 * k : k;
        rho1 = new double[size];
        rho0 = new double[size];
        logWeights = new double[size];
        logLr = new double[size];
        for (int i = 0; i < size; i++) {
            boolean up = direction == Direction.INCREASE || (direction == Direction.EITHER && i < k);
            double null0 = up ? 1 + tolerance : 1 - tolerance;
            rho0[i] = null0;
            rho1[i] = up ? null0 * GRID[i % k] : null0 / GRID[i % k];
            logWeights[i] = -Math.log(size);
        }
    }

    void add(CanaryRound.Counts c) {
        if (!c.complete()) {
            return;
        }
        rounds++;
        canaryEvents += c.canaryEvents();
        canaryTrials += c.canaryTrials();
        baselineEvents += c.baselineEvents();
        baselineTrials += c.baselineTrials();
        if (c.canaryEvents() + c.baselineEvents() == 0) {
            return;
        }
        double nc = c.canaryTrials();
        double nb = c.baselineTrials();
        for (int i = 0; i < logLr.length; i++) {
            double q0 = nc * rho0[i] / (nc * rho0[i] + nb);
            double q1 = nc * rho1[i] / (nc * rho1[i] + nb);
            logLr[i] += c.canaryEvents() * Math.log(q1 / q0) + c.baselineEvents() * Math.log((1 - q1) / (1 - q0));
        }
        e = mixture();
        maxE = Math.max(maxE, e);
    }

    /** The mixture of likelihood ratios: the current e-value. */
    double eValue() {
        return e;
    }

    private double mixture() {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logLr.length; i++) {
            max = Math.max(max, logWeights[i] + logLr[i]);
        }
        double sum = 0;
        for (int i = 0; i < logLr.length; i++) {
            sum += Math.exp(logWeights[i] + logLr[i] - max);
        }
        return Math.exp(max + Math.log(sum));
    }

    double maxEValue() {
        return maxE;
    }

    /** The canary's rate over the baseline's, over all rounds; NaN before the baseline has an event. */
    double rateRatio() {
        if (baselineEvents == 0 || canaryTrials == 0) {
            return canaryEvents == 0 ? Double.NaN : Double.POSITIVE_INFINITY;
        }
        return ((double) canaryEvents / canaryTrials) / ((double) baselineEvents / baselineTrials);
    }

    int rounds() {
        return rounds;
    }

    long canaryEvents() {
        return canaryEvents;
    }

    long canaryTrials() {
        return canaryTrials;
    }

    long baselineEvents() {
        return baselineEvents;
    }

    long baselineTrials() {
        return baselineTrials;
    }

    private static double[] grid() {
        double[] g = new double[9];
        for (int k = 1; k <= g.length; k++) {
            g[k - 1] = Math.pow(2, k / 3.0);
        }
        return g;
    }
}
