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
 * <p>Real error streams are overdispersed: retries, a dependency blip or one bad client put several
 * errors into one version at once, and the conditional binomial then overstates the evidence (a
 * burst of 15 errors in the canary alone would be a factor of about 1,500). Each likelihood ratio is
 * therefore raised to {@code 1 / phi}, the quasi-likelihood of Wedderburn (1974) and McCullagh and
 * Nelder: for errors in bursts whose size has mean {@code m1} and mean square {@code m2}, each burst
 * wholly in one version, {@code LR^(1/phi)} has expectation at most 1 under the null when
 * {@code phi >= m2 / m1}, the counts' variance-to-mean ratio (to second order in the log ratio; a
 * Poisson stream has {@code phi = 1} and the test is the exact one above). The dispersion
 * {@code phi} is learnt every round from the spread of each version's events around its own
 * constant rate across the rounds (Pearson's statistic, pooled over both versions and over the
 * baseline's rounds before the canary when a {@link BaselineHistory} gives them), combined with a
 * conservative prior ({@link #PRIOR_DISPERSION}) that dominates until the spread has a few degrees
 * of freedom; it is never below 1. The same {@code phi} tempers every round's ratio, the earlier
 * ones included. With an estimated {@code phi} this is no longer an exact test martingale: the
 * bound holds in the simulations (bursts of mean size up to 10.5, negative-binomial counts,
 * drifting rates; see docs/canary-analysis.md), not by proof.
 *
 * <p>Exact for Poisson counts when the dispersion is 1; for binomial counts it is exact at
 * {@code tolerance = 0} (the hypergeometric law of the canary's share is dominated in convex order by
 * the binomial, Hoeffding 1963) and a close approximation for rare events otherwise. Not thread-safe.
 */
final class CountTest {

    /** Alternatives: {@code rho0} times (or divided by) {@code 2^(k/3)}, {@code k = 1..9}: 1.26 up to 8. */
    static final double[] GRID = grid();
    /**
     * The dispersion assumed before the data show it: 14, the variance-to-mean ratio of errors that
     * come in bursts of 1 to 20 (mean 10.5), the burstiest stream the judge is meant to stay
     * calibrated on.
     */
    static final double PRIOR_DISPERSION = 14;
    /** The prior's weight, in degrees of freedom of the spread: half of one. */
    static final double PRIOR_WEIGHT = 0.5;
    /**
     * Degrees of freedom taken off the data's before they are weighed against the prior: a spread
     * estimated from a few rounds of bursty counts is skewed (usually too small, now and then far too
     * large), and the test must not trust a small one early. Chosen by simulation (see
     * docs/canary-analysis.md).
     */
    static final double DF_DISCOUNT = 5;
    /**
     * The level of the check that the baseline's errors in the bake still follow its past: a round
     * whose count is that unlikely under the past's rate and dispersion, or rounds whose spread
     * around it is, set the past aside.
     */
    static final double PAST_CHECK_LEVEL = 1e-2;

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
    private final Spread canarySpread = new Spread();
    private final Spread baselineSpread = new Spread();
    private Spread historySpread = new Spread();
    private int historyRounds;
    /** The bake's baseline rounds checked against the past's rate and dispersion ({@link Spread#rate}, {@link Spread#dispersion}). */
    private double pastChiSquare;
    private int pastChecked;
    /** Why the past was set aside, or null while it is used. */
    private String pastSetAside;
    /** What the events are, in those reasons. */
    private final String eventsName;
    private double dispersion = PRIOR_DISPERSION;
    private double dispersionDf;

    CountTest(Direction direction, double tolerance) {
        this(direction, tolerance, "errors");
    }

    /**
     * @param events what the events are, for the reasons a past is set aside: {@code errors}, or
     *     {@code slow requests} for the share test
     */
    CountTest(Direction direction, double tolerance, String events) {
        this.eventsName = events;
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

    /**
     * Learns from the baseline's rounds before the canary: their spread around their own constant
     * rate joins the rounds' own in every estimate of the dispersion. A past without a single event
     * has no spread to learn from and is not used (nor reported as learnt from). Call before the
     * first round.
     */
    void learn(long[] events, long[] trials) {
        Spread past = new Spread();
        for (int r = 0; r < events.length; r++) {
            past.add(events[r], trials[r]);
        }
        if (past.events == 0) {
            // Rounds without an event show no spread: nothing to learn, nothing to claim.
            return;
        }
        historySpread = past;
        historyRounds = events.length;
        dispersion = estimateDispersion();
    }

    /**
     * Whether the baseline's round still fits its past: the baseline is the version that ran before
     * the canary, so errors far burstier than its past showed mean the past no longer describes the
     * bake (a dependency failing in bursts since the deployment), and the dispersion is learnt
     * without it, from the cautious prior and the bake's rounds. Either of two checks at
     * {@link #PAST_CHECK_LEVEL} sets it aside: this round's count in the upper tail of the past's law
     * (Poisson in units of the past's dispersion), or the bake's squared deviations from the past's
     * rate, over the dispersion, beyond the chi-square quantile with one degree of freedom per round.
     */
    private void checkPast(long x, long n) {
        if (historyRounds == 0 || pastSetAside != null || historySpread.rate() <= 0 || n == 0) {
            return;
        }
        double mu = historySpread.rate() * n;
        double pastDispersion = historySpread.dispersion();
        pastChecked++;
        pastChiSquare += (x - mu) * (x - mu) / (pastDispersion * mu);
        boolean tail = x > mu && org.apache.commons.numbers.gamma.RegularizedGamma.P.value(x / pastDispersion,
                mu / pastDispersion) < PAST_CHECK_LEVEL;
        boolean spread = pastChiSquare > org.apache.commons.statistics.distribution.ChiSquaredDistribution.of(pastChecked)
                .inverseSurvivalProbability(PAST_CHECK_LEVEL);
        if (tail || spread) {
            setPastAside(tail
                    ? "round " + rounds + " had " + x + " baseline " + eventsName + " where its past gives " + Fmt.num(mu)
                    : "the baseline's " + eventsName + " over " + Fmt.count(pastChecked, "round")
                            + " spread far more than in its past");
        }
    }

    /**
     * The third check, after the round has joined the spreads: both versions' spread around their
     * own constant rates in the bake, Pearson's statistic over the past's dispersion, beyond the
     * chi-square quantile with its degrees of freedom. A regression moves the canary's rate, not its
     * spread around it, so this check is blind to regressions and sees bursts in either version.
     */
    private void checkBakeSpread() {
        if (historyRounds == 0 || pastSetAside != null) {
            return;
        }
        double df = canarySpread.df() + baselineSpread.df();
        if (df < 1) {
            return;
        }
        double pearson = canarySpread.pearson() + baselineSpread.pearson();
        if (pearson / historySpread.dispersion() > org.apache.commons.statistics.distribution.ChiSquaredDistribution.of(df)
                .inverseSurvivalProbability(PAST_CHECK_LEVEL)) {
            setPastAside("both versions' " + eventsName + " over the bake's " + Fmt.count(rounds, "round")
                    + " spread far more than the baseline's did in its past");
        }
    }

    private void setPastAside(String why) {
        pastSetAside = why;
        historySpread = new Spread();
    }

    /** Why the baseline's past rounds were set aside (its errors in the bake do not fit them), or null. */
    String pastSetAside() {
        return pastSetAside;
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
        checkPast(c.baselineEvents(), c.baselineTrials());
        canarySpread.add(c.canaryEvents(), c.canaryTrials());
        baselineSpread.add(c.baselineEvents(), c.baselineTrials());
        checkBakeSpread();
        dispersion = estimateDispersion();
        if (c.canaryEvents() + c.baselineEvents() == 0) {
            e = mixture(dispersion);
            maxE = Math.max(maxE, e);
            return;
        }
        double nc = c.canaryTrials();
        double nb = c.baselineTrials();
        for (int i = 0; i < logLr.length; i++) {
            // log((1 - q1) / (1 - q0)) and log(q1 / q0) for q(rho) = nc rho / (nc rho + nb), without
            // forming 1 - q: with far more canary than baseline trials q rounds to 1, and 0 / 0 made
            // the e-value NaN, which no threshold reaches (a pass after min-samples).
            double shared = Math.log((nc * rho0[i] + nb) / (nc * rho1[i] + nb));
            logLr[i] += c.canaryEvents() * (Math.log(rho1[i] / rho0[i]) + shared) + c.baselineEvents() * shared;
        }
        e = mixture(dispersion);
        maxE = Math.max(maxE, e);
    }

    /** The mixture of tempered likelihood ratios: the current e-value. */
    double eValue() {
        return e;
    }

    /** The mixture with every likelihood ratio raised to {@code 1 / dispersion}. */
    double mixture(double dispersion) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < logLr.length; i++) {
            max = Math.max(max, logWeights[i] + logLr[i] / dispersion);
        }
        double sum = 0;
        for (int i = 0; i < logLr.length; i++) {
            sum += Math.exp(logWeights[i] + logLr[i] / dispersion - max);
        }
        return Math.exp(max + Math.log(sum));
    }

    /**
     * {@code max(1, (w0 phi0 + d phi) / (w0 + max(0, d - 5)))}: the prior {@link #PRIOR_DISPERSION}
     * with weight {@link #PRIOR_WEIGHT}, and Pearson's estimate {@code phi} from the spread of both
     * versions' events around their own constant rates, with {@code d} degrees of freedom.
     */
    private double estimateDispersion() {
        double squares = canarySpread.squares() + baselineSpread.squares() + historySpread.squares();
        double expected = canarySpread.expected() + baselineSpread.expected() + historySpread.expected();
        // A past with fewer errors than rounds tells the spread by its errors, not its rounds:
        // three errors in 180 rounds are three chances to see a burst, not 179.
        dispersionDf = canarySpread.df() + baselineSpread.df() + Math.min(historySpread.df(), historySpread.events);
        double estimate = expected > 0 ? squares / expected : 1;
        return Math.max(1, (PRIOR_WEIGHT * PRIOR_DISPERSION + dispersionDf * estimate)
                / (PRIOR_WEIGHT + Math.max(0, dispersionDf - DF_DISCOUNT)));
    }

    /** The dispersion that tempers the likelihood ratios now: 1 for Poisson counts, more for bursts. */
    double dispersion() {
        return dispersion;
    }

    /** The baseline's past rounds learnt from before the first round; 0 without a history. */
    int historyRounds() {
        return historyRounds;
    }

    /** The degrees of freedom of the spread behind {@link #dispersion()}: about twice the rounds, less two. */
    double dispersionDf() {
        return dispersionDf;
    }

    /** One version's events per round around a constant rate: Pearson's sums, kept in O(1). */
    private static final class Spread {
        private double events;
        private double trials;
        private double eventSquares;
        private double eventsTimesTrials;
        private double trialSquares;
        private double squaresOverTrials;

        void add(long x, long n) {
            squaresOverTrials += (double) x * x / n;
            events += x;
            trials += n;
            eventSquares += (double) x * x;
            eventsTimesTrials += (double) x * n;
            trialSquares += (double) n * n;
        }

        /** The rounds' trials as a number of equal rounds (Kish): what the fitted rate leaves of them is {@code this - 1}. */
        private double rounds() {
            return trials * trials / trialSquares;
        }

        double df() {
            return events == 0 ? 0 : rounds() - 1;
        }

        /** {@code sum (x_r - n_r rate)^2} with the fitted rate. */
        double squares() {
            if (events == 0) {
                return 0;
            }
            double rate = events / trials;
            return Math.max(0, eventSquares - 2 * rate * eventsTimesTrials + rate * rate * trialSquares);
        }

        /** The fitted constant rate: events over trials; 0 before any trial. */
        double rate() {
            return trials == 0 ? 0 : events / trials;
        }

        /** This spread's own variance-to-mean ratio, {@link #squares} over {@link #expected}, at least 1. */
        double dispersion() {
            double expected = expected();
            return expected > 0 ? Math.max(1, squares() / expected) : 1;
        }

        /** Pearson's statistic {@code sum (x_r - n_r rate)^2 / (n_r rate)}, with the fitted rate. */
        double pearson() {
            if (events == 0) {
                return 0;
            }
            return Math.max(0, squaresOverTrials * trials / events - events);
        }

        /** What {@link #squares} is expected to be for Poisson counts: the events times {@code 1 - 1/rounds}. */
        double expected() {
            return events == 0 ? 0 : events * (1 - 1 / rounds());
        }
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
