package dev.vigil.analysis;

import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * How to compare a canary with its baseline: the judge and its knobs. Immutable and thread-safe;
 * one instance serves every verification, each of which gets its own {@link CanaryJudge}.
 * Made by {@link CanaryJudges}.
 *
 * @param method the judge: {@link Method#MANN_WHITNEY} or {@link Method#SEQUENTIAL}
 * @param direction which change is a regression
 * @param tolerance the relative change tolerated before it counts as a regression ({@code 0.1}:
 *     the canary may be 10% worse than the baseline); {@code >= 0}, and {@code < 1} when
 *     {@code direction} is {@code decrease} or {@code either}
 * @param confidence the confidence of a {@link CanaryDecision#REGRESSION}: a healthy canary is
 *     declared a regression with probability at most {@code 1 - confidence} (for the sequential judge
 *     however many rounds it is checked); in {@code (0, 1)}, typically 0.95 or 0.99
 * @param minSamples observations per version before the judge may say
 *     {@link CanaryDecision#NO_REGRESSION} (and, for Mann-Whitney, the fixed horizon at which it
 *     tests); {@code >= 1}, and {@code >= 2} for the sequential judge
 * @param independentInstances whether the several values a version may have in one round (one per
 *     instance) are independent measurements. {@code false} (the default): each round gives one
 *     value per version, the mean of its values, which keeps the guarantee whatever the instances
 *     share. {@code true}: the judges use every value, and the sequential judge learns the noise
 *     from the spread between instances from the first round on; only valid when the instances of
 *     a version do not share disturbances that the other version does not see
 * @param slowerThan histograms only ({@link CanaryRound.Histogram}): which requests count as slow for
 *     the share test (the requests above a latency, or above the band of a quantile), or {@code null}
 *     for the shift test of the whole distribution (the default); see docs/canary-analysis.md
 */
public record CanaryAnalysis(Method method, Direction direction, double tolerance, double confidence, int minSamples,
        boolean independentInstances, SlowerThan slowerThan) {

    /** The name under which {@link #measure} keeps the judge in the probe's per-verification state. */
    public static final String STATE_KEY = "dev.vigil.analysis.judge";

    /** The judges. */
    public enum Method {
        /**
         * Kayenta's style: a Mann-Whitney U test over a fixed horizon ({@code min-samples} per version),
         * taken once when the horizon is reached; undecided before it.
         */
        MANN_WHITNEY,
        /**
         * Anytime-valid sequential tests checked every round: a mixture likelihood ratio on the
         * conditional binomial for counts, a scale-invariant Bayes factor (sequential t-test) on the
         * rounds' paired differences for samples, which with several values per version and round
         * (one per instance) also learns the noise from the spread between them.
         */
        SEQUENTIAL;

        /**
         * The value as written in configuration.
         *
         * @return the lower-case name with hyphens: {@code mann-whitney} or {@code sequential}
         */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /**
         * Reads a judge as written in configuration, ignoring case and surrounding blanks.
         *
         * @param text {@code mann-whitney} or {@code sequential}
         * @return the judge
         * @throws IllegalArgumentException when {@code text} names no judge; the message lists them
         */
        public static Method parse(String text) {
            if (text != null) {
                for (Method m : values()) {
                    if (m.key().equalsIgnoreCase(text.trim())) {
                        return m;
                    }
                }
            }
            throw new IllegalArgumentException("unknown judge '" + text + "'; known: "
                    + Arrays.stream(values()).map(Method::key).collect(Collectors.joining(", ")));
        }
    }

    /**
     * Validates.
     *
     * @param method the judge
     * @param direction which change is a regression
     * @param tolerance the relative change tolerated, {@code >= 0}; {@code < 1} unless
     *     {@code direction} is {@link Direction#INCREASE}
     * @param confidence the confidence of a regression, in {@code (0, 1)}
     * @param minSamples observations per version before a pass, {@code >= 1}; {@code >= 2} for the
     *     sequential judge
     * @param independentInstances whether a version's values within a round are independent
     *     measurements; see the class comment
     * @param slowerThan histograms only: the slow requests of the share test, or {@code null} for
     *     the shift test
     * @throws IllegalArgumentException naming the setting and the value when one is out of range
     * @throws NullPointerException when {@code method} or {@code direction} is {@code null}
     */
    public CanaryAnalysis {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(direction, "direction");
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("tolerance must be a number >= 0: " + tolerance);
        }
        if (direction != Direction.INCREASE && tolerance >= 1) {
            throw new IllegalArgumentException("tolerance must be < 1 when direction is " + direction.key()
                    + ": " + tolerance);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be between 0 and 1 (exclusive): " + confidence);
        }
        int least = method == Method.SEQUENTIAL ? 2 : 1;
        if (minSamples < least) {
            throw new IllegalArgumentException("min-samples must be >= " + least + " for the " + method.key()
                    + " judge: " + minSamples);
        }
    }

    /**
     * Settings that average each version's values per round ({@code independentInstances = false}).
     *
     * @param method the judge
     * @param direction which change is a regression
     * @param tolerance the relative change tolerated, {@code >= 0}; {@code < 1} unless
     *     {@code direction} is {@link Direction#INCREASE}
     * @param confidence the confidence of a regression, in {@code (0, 1)}
     * @param minSamples observations per version before a pass, {@code >= 1}; {@code >= 2} for the
     *     sequential judge
     * @throws IllegalArgumentException naming the setting and the value when one is out of range
     * @throws NullPointerException when {@code method} or {@code direction} is {@code null}
     */
    public CanaryAnalysis(Method method, Direction direction, double tolerance, double confidence, int minSamples) {
        this(method, direction, tolerance, confidence, minSamples, false, null);
    }

    /**
     * Settings for samples and counts, with the shift test for histograms ({@code slowerThan = null}).
     *
     * @param method the judge
     * @param direction which change is a regression
     * @param tolerance the relative change tolerated, {@code >= 0}; {@code < 1} unless
     *     {@code direction} is {@link Direction#INCREASE}
     * @param confidence the confidence of a regression, in {@code (0, 1)}
     * @param minSamples observations per version before a pass, {@code >= 1}; {@code >= 2} for the
     *     sequential judge
     * @param independentInstances whether a version's values within a round are independent
     *     measurements; see the class comment
     * @throws IllegalArgumentException naming the setting and the value when one is out of range
     * @throws NullPointerException when {@code method} or {@code direction} is {@code null}
     */
    public CanaryAnalysis(Method method, Direction direction, double tolerance, double confidence, int minSamples,
            boolean independentInstances) {
        this(method, direction, tolerance, confidence, minSamples, independentInstances, null);
    }

    /**
     * A copy with {@link #independentInstances()} set as given.
     *
     * @param independent whether a version's values within a round are independent measurements
     * @return the copy; this one is unchanged
     */
    public CanaryAnalysis withIndependentInstances(boolean independent) {
        return new CanaryAnalysis(method, direction, tolerance, confidence, minSamples, independent, slowerThan);
    }

    /**
     * A copy whose histogram judge runs the share test on the requests slower than this
     * ({@code slower-than}), or the shift test of the whole distribution with {@code null}.
     *
     * @param slow which requests count as slow, or {@code null}
     * @return the copy; this one is unchanged
     */
    public CanaryAnalysis withSlowerThan(SlowerThan slow) {
        return new CanaryAnalysis(method, direction, tolerance, confidence, minSamples, independentInstances, slow);
    }

    /**
     * The significance level: the bound on the probability that a healthy canary is declared a
     * regression.
     *
     * @return {@code 1 - confidence}, worked out in decimal: exactly {@code 0.05} for a confidence of
     *     {@code 0.95} (binary arithmetic gives {@code 0.05000000000000004}, which reports would show and
     *     which would make a p-value of exactly 0.05 a regression "below" 0.05)
     */
    public double alpha() {
        return java.math.BigDecimal.ONE.subtract(java.math.BigDecimal.valueOf(confidence)).doubleValue();
    }

    /**
     * A new judge with empty state, for one verification. Unless {@link #independentInstances()} is
     * set, the judge reduces each version's samples in a round to their mean before it judges them.
     *
     * @return a new judge on each call; not thread-safe (see {@link CanaryJudge})
     */
    public CanaryJudge newJudge() {
        return newJudge(BaselineHistory.none());
    }

    /**
     * A new judge with empty state that first learns the service's noise from the baseline's rounds
     * before the canary (see {@link BaselineHistory}): the sequential judge then knows from its first
     * round how bursty the errors are and how much the latency wobbles, where without it it discounts
     * its first rounds as for the noisiest service. Mann-Whitney does not use it.
     *
     * @param history the baseline's past rounds; {@link BaselineHistory#none()} for none
     * @return a new judge on each call; not thread-safe (see {@link CanaryJudge})
     */
    public CanaryJudge newJudge(BaselineHistory history) {
        java.util.Objects.requireNonNull(history, "history");
        CanaryJudge judge = switch (method) {
            case MANN_WHITNEY -> new MannWhitneyJudge(this);
            case SEQUENTIAL -> new SequentialJudge(this, history);
        };
        return independentInstances ? judge : round -> judge.observe(perVersion(round));
    }

    /** Samples reduced to one value per version, the mean of its values; counts unchanged. */
    private static CanaryRound perVersion(CanaryRound round) {
        if (round instanceof CanaryRound.Samples s && (s.canaryView().length > 1 || s.baselineView().length > 1)) {
            return new CanaryRound.Samples(mean(s.canaryView()), mean(s.baselineView()));
        }
        return round;
    }

    private static double[] mean(double[] values) {
        return values.length == 0 ? values : new double[] {java.util.Arrays.stream(values).average().orElseThrow()};
    }

    /**
     * Judges one round within a probe and returns it as a measurement: the hook a probe that fetches
     * canary and baseline data calls once per round. The judge lives in the probe's per-verification
     * state under {@link #STATE_KEY}, so sequential evidence accumulates across the rounds of one
     * verification and never leaks into another. Safe to call concurrently for different
     * verifications; calls for one verification are serialised on its judge.
     *
     * @param context the probe's context (its state holds the judge)
     * @param round this round's canary and baseline samples or counts
     * @return {@code FAIL} for a regression, {@code PASS} when none was found with enough data,
     *     {@code INCONCLUSIVE} otherwise; with the statistic, p- or e-value, effect and counts
     * @throws IllegalArgumentException when a verification mixes samples and counts, or the judge
     *     refuses the round ({@link CanaryJudge#observe}: counts beyond a long)
     */
    public ProbeResult measure(ProbeContext context, CanaryRound round) {
        return measure(context, round, BaselineHistory::none);
    }

    /**
     * As {@link #measure(ProbeContext, CanaryRound)}, with the baseline's past rounds to learn from:
     * {@code history} is asked once per verification, when its judge is made (the first round), and
     * not at all for Mann-Whitney.
     *
     * @param context the probe's context (its state holds the judge)
     * @param round this round's canary and baseline samples, counts or histograms
     * @param history the baseline's rounds before the canary, asked for at most once; a
     *     {@code null} answer counts as {@link BaselineHistory#none()}
     * @return as {@link #measure(ProbeContext, CanaryRound)}
     * @throws IllegalArgumentException when a verification mixes kinds of rounds
     */
    public ProbeResult measure(ProbeContext context, CanaryRound round, java.util.function.Supplier<BaselineHistory> history) {
        CanaryJudge judge = context.state(STATE_KEY,
                () -> newJudge(method == Method.SEQUENTIAL ? java.util.Objects.requireNonNullElse(history.get(),
                        BaselineHistory.none()) : BaselineHistory.none()));
        synchronized (judge) {
            return judge.observe(round).toMeasurement();
        }
    }

    /**
     * What the timeline of a probe judged by this analysis plots: the judge's evidence against the
     * line at which it declares a regression, on a log scale (the evidence grows and shrinks by
     * factors). The sequential judge plots {@code e-value} against {@code 1/(1 - confidence)} (20 for
     * a confidence of 0.95): a regression when it reaches the line. Mann-Whitney plots
     * {@code p-value} against {@code 1 - confidence}: a regression when it falls below the line; it
     * has a p-value only from the round that reaches {@code min-samples} on.
     *
     * @return the plot; a probe that judges with this analysis returns it from
     *     {@link dev.vigil.Probe#plot()}
     */
    public dev.vigil.Plot plot() {
        return switch (method) {
            case SEQUENTIAL -> dev.vigil.Plot.of(new dev.vigil.Plot.Series("e-value", "e-value (evidence of a regression)"))
                    .withThreshold(1 / alpha(), "1/(1 - confidence) = " + Fmt.num(1 / alpha())
                            + ": a regression when the e-value reaches it")
                    .withScale(dev.vigil.Plot.Scale.LOG);
            case MANN_WHITNEY -> dev.vigil.Plot.of(new dev.vigil.Plot.Series("p-value", "p-value (Mann-Whitney)"))
                    .withThreshold(alpha(), "1 - confidence = " + Fmt.num(alpha()) + ": a regression when the p-value is below it")
                    .withScale(dev.vigil.Plot.Scale.LOG);
        };
    }

    /**
     * A short description for reports: {@code sequential (increase, tolerance 0.1, confidence 0.95, min-samples 20)},
     * with {@code , independent instances} before the parenthesis closes when they are and
     * {@code , slower-than p99} when set.
     *
     * @return the description
     */
    public String describe() {
        return method.key() + " (" + direction.key() + ", tolerance " + Fmt.num(tolerance) + ", confidence "
                + Fmt.num(confidence) + ", min-samples " + minSamples
                + (independentInstances ? ", independent instances" : "")
                + (slowerThan != null ? ", slower-than " + slowerThan.label() : "") + ")";
    }
}
