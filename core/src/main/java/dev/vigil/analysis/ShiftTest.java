package dev.vigil.analysis;

import java.util.Arrays;
import java.util.List;

/**
 * The histogram judge's shift test: has the canary's whole latency distribution moved to slower (or
 * faster) bands? Each round's bands are read as a life table: in band {@code j} the requests of
 * each version still "at risk" (not finished in an earlier band) either finish there or go on. Given
 * how many of both versions finish in a band, the canary's share of them is hypergeometric when
 * both versions have the same distribution, whatever that distribution is; the log-rank score
 * {@code U} (expected minus observed canary finishes, summed over the bands) and its variance
 * {@code V} turn the round into an estimate {@code b = U / V} of the log hazard ratio (positive:
 * the canary finishes later, it is slower) with variance {@code 1 / V}.
 *
 * <p>Requests of one round are not independent: each version's latency wobbles from round to round
 * (garbage collection, caches, noisy neighbours), which moves all its requests at once and which a
 * test that counts every request as independent evidence takes for a regression (in the bench
 * simulation, this test with the wobble fixed at zero rolls back about half the healthy canaries at
 * 500 requests a second). The rounds' estimates are therefore
 * treated as a random-effects model: {@code b_r ~ N(beta, 1 / V_r + tau^2)}, with {@code tau^2} the
 * variance of the difference of the two versions' wobbles, learnt from the spread of the rounds'
 * estimates (DerSimonian and Laird's moment estimate) and combined with a conservative prior
 * ({@link #PRIOR_TAU}), as the count test learns its dispersion. The e-value is a mixture, with
 * equal weights over a grid of effects {@code beta1}, of the normal likelihood ratios of
 * {@code beta1} against the null's edge {@code beta0 = log(1 + tolerance)} ({@code log(1 - tolerance)} for
 * {@code decrease}, half the weight on each side for {@code either}), with every round weighed
 * by {@code 1 / (1 / V_r + tau^2)} for the current {@code tau^2}. With {@code tau^2} known this is
 * a test martingale under the normal model; estimated, the bound is shown by simulation (the bench,
 * BENCHMARKS.md), not by proof. Not thread-safe.
 */
final class ShiftTest {

    /** Alternatives: {@code beta0} plus (or minus) {@code 0.05 * 2^(k/2)}, {@code k = 0..10}: 0.05 to 1.6. */
    static final double[] GRID = grid();
    /**
     * The standard deviation of the per-round difference of the two versions' log hazard ratios
     * assumed before the rounds show it: 0.2, about what a wobble of 4% of each version's mean
     * latency from round to round gives for a log-normal latency with a shape of 0.5 (the log hazard
     * ratio of a shift by {@code s} standard deviations of log latency is about {@code 1.7 s}).
     * Chosen by simulation (docs/canary-analysis.md).
     */
    static final double PRIOR_TAU = 0.2;
    /** The prior's weight, in degrees of freedom: one round's worth. */
    static final double PRIOR_WEIGHT = 1;
    /** Degrees of freedom of the rounds' spread discounted before it is weighed against the prior: none. */
    static final double DF_DISCOUNT = 0;

    /** The null's edge for each alternative: {@code log(1 + tolerance)}, or {@code log(1 - tolerance)} below. */
    private final double[] nulls;
    private final double[] alternatives;
    private final Bands bands = new Bands();
    private double[] estimates = new double[16];
    private double[] variances = new double[16];
    private int rounds;
    private double tau2 = PRIOR_TAU * PRIOR_TAU;
    private double tauDf;
    /** The baseline's own wobble from its past rounds (half their pairs' spread), and the degrees of freedom behind it. */
    private double historyTau2;
    private double historyDf;
    private int historyRounds;
    /** The bands of the past rounds the wobble was learnt from, until the first round shows the bake's; or null. */
    private double[] historyBounds;
    private boolean pastSetAside;
    private double e = 1;
    private double maxE = 1;
    private double pooledEstimate = Double.NaN;

    ShiftTest(Direction direction, double tolerance) {
        int k = GRID.length;
        boolean either = direction == Direction.EITHER;
        alternatives = new double[either ? 2 * k : k];
        nulls = new double[alternatives.length];
        double up = Math.log(1 + tolerance);
        double down = tolerance < 1 ? Math.log(1 - tolerance) : Double.NEGATIVE_INFINITY;
        for (int i = 0; i < alternatives.length; i++) {
            boolean increase = direction == Direction.INCREASE || (either && i < k);
            nulls[i] = increase ? up : down;
            alternatives[i] = increase ? up + GRID[i % k] : down - GRID[i % k];
        }
    }

    /**
     * Learns the baseline's share of the wobble from its rounds before the canary: each round of the
     * older half is compared with the round half the window later, as if one were the canary, and
     * the spread of those comparisons beyond their sampling error is the variance of the difference
     * of two of the baseline's rounds, twice the baseline's own wobble. Pairs far apart in time also
     * carry slow drift and the disturbances both versions share, so they overstate it rather than
     * understate it. The past says nothing of the canary's own wobble, which may be larger (one
     * canary pod against many baseline pods averages fewer instances' wobble): the canary's half
     * starts from the prior's half, {@link #CANARY_PRIOR_TAU2}, or from the baseline's own scaled by
     * the versions' traffic when that is larger (see {@link #canaryPrior()}), and is learnt from the
     * bake's rounds (see {@link #estimateTau2()}). A past read with other buckets than the bake's first
     * round is dropped then, as the share test drops it: its wobble is not the bake's. Call before
     * the first round.
     */
    void learn(double[] bounds, List<long[]> past) {
        int half = past.size() / 2;
        double[] b = new double[half];
        double[] v = new double[half];
        int k = 0;
        for (int i = 0; i < half; i++) {
            double[] score = logRank(past.get(i + half), past.get(i));
            if (score[1] > 0) {
                b[k] = score[0] / score[1];
                v[k] = 1 / score[1];
                k++;
            }
        }
        if (k >= 2) {
            historyTau2 = moment(b, v, k) / 2;
            historyDf = k - 1;
            historyRounds = past.size();
            historyBounds = bounds;
            tau2 = estimateTau2();
        }
    }

    void add(CanaryRound.Histogram h) {
        if (historyBounds != null && !bands.known() && !Arrays.equals(historyBounds, h.boundsView())) {
            // The past had other buckets: learn the wobble from the prior and the bake alone.
            historyBounds = null;
            historyDf = 0;
            historyTau2 = 0;
            historyRounds = 0;
            tau2 = estimateTau2();
        }
        bands.add(h);
        if (!h.complete()) {
            return;
        }
        double[] score = logRank(h.canaryView(), h.baselineView());
        if (!(score[1] > 0)) {
            return;
        }
        if (rounds == estimates.length) {
            estimates = Arrays.copyOf(estimates, 2 * rounds);
            variances = Arrays.copyOf(variances, 2 * rounds);
        }
        estimates[rounds] = score[0] / score[1];
        variances[rounds] = 1 / score[1];
        rounds++;
        checkPast();
        tau2 = estimateTau2();
        e = mixture();
        maxE = Math.max(maxE, e);
    }

    /**
     * {@code {U, V}}: the log-rank score (expected minus observed canary finishes over the bands but
     * the last, where every request left finishes) and its hypergeometric variance.
     */
    static double[] logRank(long[] canary, long[] baseline) {
        double atRiskC = 0;
        double atRiskB = 0;
        for (int j = 0; j < canary.length; j++) {
            atRiskC += canary[j];
            atRiskB += baseline[j];
        }
        double u = 0;
        double v = 0;
        for (int j = 0; j < canary.length - 1; j++) {
            double d = canary[j] + baseline[j];
            double r = atRiskC + atRiskB;
            if (d > 0 && atRiskC > 0 && atRiskB > 0 && r > 1) {
                u += d * atRiskC / r - canary[j];
                v += d * (atRiskC / r) * (atRiskB / r) * (r - d) / (r - 1);
            }
            atRiskC -= canary[j];
            atRiskB -= baseline[j];
        }
        return new double[] {u, v};
    }

    /**
     * Without a past: {@code (w0 tau0^2 + d tau_hat^2) / (w0 + max(0, d - discount))}, the prior
     * {@link #PRIOR_TAU} with weight {@link #PRIOR_WEIGHT} and DerSimonian and Laird's estimate from
     * the bake's {@code d = rounds - 1} degrees of freedom. With one: {@code tau_b^2 + (w0 c0 + d c) /
     * (w0 + max(0, d - discount))}, the baseline's half from its past, and the canary's half from
     * {@code c0} ({@link #canaryPrior()}) and what the bake shows beyond the baseline's, {@code c = max(0,
     * tau_hat^2 - tau_b^2)}.
     */
    private double estimateTau2() {
        tauDf = Math.max(0, rounds - 1);
        double moment = rounds >= 2 ? moment(estimates, variances, rounds) : 0;
        if (historyDf > 0) {
            // The baseline's half from its past; the canary's from canaryPrior() and what the bake's
            // rounds show beyond the baseline's.
            double canary = Math.max(0, moment - historyTau2);
            return historyTau2 + (PRIOR_WEIGHT * canaryPrior() + tauDf * canary)
                    / (PRIOR_WEIGHT + Math.max(0, tauDf - DF_DISCOUNT));
        }
        return (PRIOR_WEIGHT * PRIOR_TAU * PRIOR_TAU + tauDf * moment)
                / (PRIOR_WEIGHT + Math.max(0, tauDf - DF_DISCOUNT));
    }

    /**
     * The canary's half of the wobble assumed before the bake's rounds show it, when the baseline's
     * past is known: {@link #CANARY_PRIOR_TAU2}, or {@link #CANARY_PAST_FACTOR} times the baseline's
     * own wobble from its past times the ratio of the baseline's requests to the canary's in the bake
     * so far, whichever is larger. A version's wobble is the average of its instances', so it grows
     * as the version has fewer of them; when every instance of both versions takes about the same
     * traffic, the requests' ratio is the instances' ratio, and one canary pod beside ten baseline
     * pods wobbles about ten times as much (in variance) as the baseline. The factor leaves room for
     * fresh instances that wobble more than settled ones.
     */
    private double canaryPrior() {
        long canary = bands.known() ? bands.canaryTotal() : 0;
        long baseline = bands.known() ? bands.baselineTotal() : 0;
        double ratio = canary > 0 && baseline > 0 ? Math.max(1, (double) baseline / canary) : 1;
        return Math.max(CANARY_PRIOR_TAU2, CANARY_PAST_FACTOR * historyTau2 * ratio);
    }

    /**
     * The canary's half of the wobble assumed before the bake shows it is at least this many times
     * the baseline's, scaled by the versions' traffic: 2 (chosen by simulation, docs/canary-analysis.md).
     */
    static final double CANARY_PAST_FACTOR = 2;

    /** The canary's share of the prior's wobble, {@code PRIOR_TAU^2 / 2}: what a past of the baseline cannot tell. */
    static final double CANARY_PRIOR_TAU2 = PRIOR_TAU * PRIOR_TAU / 2;

    /** DerSimonian and Laird's moment estimate of the between-round variance of the first {@code n} estimates. */
    private static double moment(double[] estimates, double[] variances, int n) {
        Pooled fixed = Pooled.of(estimates, variances, n, 0);
        return Math.max(0, (fixed.q(estimates, variances, n) - (n - 1)) / (fixed.sw() - fixed.sww() / fixed.sw()));
    }

    /**
     * The first {@code n} estimates pooled with weights {@code w_r = 1 / (v_r + tau2)}: the sums
     * {@code sum w}, {@code sum w b} and {@code sum w^2}.
     */
    private record Pooled(double sw, double swb, double sww, double tau2) {

        static Pooled of(double[] estimates, double[] variances, int n, double tau2) {
            double sw = 0;
            double swb = 0;
            double sww = 0;
            for (int r = 0; r < n; r++) {
                double w = 1 / (variances[r] + tau2);
                sw += w;
                swb += w * estimates[r];
                sww += w * w;
            }
            return new Pooled(sw, swb, sww, tau2);
        }

        double mean() {
            return swb / sw;
        }

        /** Cochran's {@code Q = sum w (b - mean)^2} of the same estimates around their weighted mean. */
        double q(double[] estimates, double[] variances, int n) {
            double mean = mean();
            double q = 0;
            for (int r = 0; r < n; r++) {
                double dev = estimates[r] - mean;
                q += dev * dev / (variances[r] + tau2);
            }
            return q;
        }
    }

    private double mixture() {
        Pooled pooled = Pooled.of(estimates, variances, rounds, tau2);
        double sw = pooled.sw();
        double swb = pooled.swb();
        pooledEstimate = pooled.mean();
        double max = Double.NEGATIVE_INFINITY;
        double[] logs = new double[alternatives.length];
        for (int i = 0; i < alternatives.length; i++) {
            double null0 = nulls[i];
            double delta = alternatives[i] - null0;
            logs[i] = delta * (swb - null0 * sw) - delta * delta / 2 * sw;
            max = Math.max(max, logs[i]);
        }
        double sum = 0;
        for (double l : logs) {
            sum += Math.exp(l - max);
        }
        return Math.exp(max + Math.log(sum / logs.length));
    }

    double eValue() {
        return e;
    }

    double maxEValue() {
        return maxE;
    }

    int rounds() {
        return rounds;
    }

    Bands bands() {
        return bands;
    }

    /** The round-to-round standard deviation of the difference in use now (log hazard ratio). */
    double wobble() {
        return Math.sqrt(tau2);
    }

    /** Whether the wobble is learnt from the rounds (more than the discounted degrees of freedom) or still the prior's. */
    boolean wobbleLearned() {
        return tauDf > DF_DISCOUNT || historyDf > 0;
    }

    /**
     * Sets the past's wobble aside when the bake's rounds spread far more than it allows: Cochran's
     * {@code Q} of the bake's estimates with every round weighed by {@code 1 / (1 / V_r + tauh^2)}
     * ({@code tauh^2} the baseline's half from the past plus {@link #canaryPrior()}),
     * beyond the chi-square quantile with {@code rounds - 1} degrees of freedom at
     * {@link CountTest#PAST_CHECK_LEVEL}. A canary on a noisy host wobbles more than the baseline's
     * past showed; a steady shift (a regression) does not raise {@code Q}.
     */
    private void checkPast() {
        if (historyDf == 0 || pastSetAside || rounds < 2) {
            return;
        }
        double q = Pooled.of(estimates, variances, rounds, historyTau2 + canaryPrior()).q(estimates, variances, rounds);
        if (q > org.apache.commons.statistics.distribution.ChiSquaredDistribution.of(rounds - 1)
                .inverseSurvivalProbability(CountTest.PAST_CHECK_LEVEL)) {
            pastSetAside = true;
            historyDf = 0;
            historyTau2 = 0;
        }
    }

    /** Whether the past's wobble was set aside because the bake's rounds spread far more. */
    boolean pastSetAside() {
        return pastSetAside;
    }

    /** The baseline's past rounds the wobble was learnt from before the first round; 0 without. */
    int historyRounds() {
        return historyRounds;
    }

    /** The precision-weighted log hazard ratio over the rounds (positive: canary slower); NaN before a round. */
    double pooledEstimate() {
        return pooledEstimate;
    }

    /**
     * The bound above which the canary's share differs most from the baseline's in the bad direction
     * (for {@code either}, in absolute value), or -1 before both versions have requests.
     */
    int largestShift(Direction direction) {
        if (bands.canaryTotal() == 0 || bands.baselineTotal() == 0) {
            return -1;
        }
        int best = -1;
        double bestGap = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < bands.size() - 1; i++) {
            double bad = badGap(i, direction);
            if (bad > bestGap) {
                bestGap = bad;
                best = i;
            }
        }
        return best;
    }

    /**
     * How much more of the canary's requests than of the baseline's lie above bound {@code i}, in the
     * bad direction (for {@code either}, in absolute value): positive where the canary is worse.
     * Both versions must have requests.
     */
    double badGap(int i, Direction direction) {
        double gap = (double) bands.canaryAbove(i) / bands.canaryTotal() - (double) bands.baselineAbove(i) / bands.baselineTotal();
        return switch (direction) {
            case INCREASE -> gap;
            case DECREASE -> -gap;
            case EITHER -> Math.abs(gap);
        };
    }

    private static double[] grid() {
        double[] g = new double[11];
        for (int k = 0; k < g.length; k++) {
            g[k] = 0.05 * Math.pow(2, k / 2.0);
        }
        return g;
    }
}
