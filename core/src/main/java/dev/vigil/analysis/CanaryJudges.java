package dev.vigil.analysis;

import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes {@link CanaryAnalysis} settings from code or from a probe's configuration, and lists the
 * configuration keys a probe factory adds to its own to offer canary analysis.
 *
 * <p>Wiring in a probe factory that can fetch canary and baseline data (a PromQL probe, an HTTP
 * probe of both versions): add {@link #KEYS} to {@code keys()}; in {@code create(settings)} call
 * {@link #fromSettings(ProbeSettings)}; when it is present, the probe fetches both versions' data
 * each round and returns {@link CanaryAnalysis#measure(dev.vigil.ProbeContext, CanaryRound)}.
 *
 * <p>Stateless and thread-safe.
 */
public final class CanaryJudges {

    /** Key naming the judge: {@code mann-whitney} or {@code sequential}. No default: absent means no canary analysis. */
    public static final String KEY_JUDGE = "judge";
    /** Key for the direction that is a regression. */
    public static final String KEY_DIRECTION = "direction";
    /** Key for the relative change tolerated. */
    public static final String KEY_TOLERANCE = "tolerance";
    /** Key for the confidence of a regression. */
    public static final String KEY_CONFIDENCE = "confidence";
    /** Key for the observations per version needed before a pass (Mann-Whitney: the horizon). */
    public static final String KEY_MIN_SAMPLES = "min-samples";
    /** Key for whether a version's values within a round (one per instance) are independent measurements. */
    public static final String KEY_INDEPENDENT_INSTANCES = "independent-instances";

    /**
     * Key, for probes that read histograms, naming the requests that count as slow: a latency
     * ({@code 250ms}) or the band of a quantile ({@code p90}, {@code p99}); absent, the histogram
     * judge tests for a shift of the whole distribution instead.
     */
    public static final String KEY_SLOWER_THAN = "slower-than";

    /** Default direction: a higher value in the canary is a regression. */
    public static final Direction DEFAULT_DIRECTION = Direction.INCREASE;
    /** Default tolerance: none; any change in the bad direction counts once it is significant. */
    public static final double DEFAULT_TOLERANCE = 0.0;
    /** Default confidence: a healthy canary is rolled back with probability at most 5%. */
    public static final double DEFAULT_CONFIDENCE = 0.95;
    /** Default minimum observations per version before a pass: 20 (200 s of 10-s rounds). */
    public static final int DEFAULT_MIN_SAMPLES = 20;

    /** The keys, relative to the probe, that a probe factory adds to its own to offer canary analysis. */
    public static final List<ConfigKey> KEYS = List.of(
            ConfigKey.of(KEY_JUDGE, ConfigKey.Kind.STRING, null,
                    "Compares the canary with the baseline each round: mann-whitney (fixed horizon, Kayenta's style) "
                            + "or sequential (anytime-valid, checked every round); absent means no canary analysis."),
            ConfigKey.of(KEY_DIRECTION, ConfigKey.Kind.STRING, DEFAULT_DIRECTION.key(),
                    "Which change of the canary is a regression: increase, decrease or either."),
            ConfigKey.of(KEY_TOLERANCE, ConfigKey.Kind.NUMBER, "0",
                    "Relative change tolerated before it counts as a regression: a fraction (0.1) or a percentage (10%), "
                            + "10% worse than the baseline; a bare number of 1 or more is refused (write 100%)."),
            ConfigKey.of(KEY_CONFIDENCE, ConfigKey.Kind.NUMBER, "0.95",
                    "Confidence of a regression, a fraction (0.95) or a percentage (95%): a healthy canary is rolled back with "
                            + "probability at most 1 - confidence; below 0.5 is refused (a significance level such as 0.05)."),
            ConfigKey.of(KEY_MIN_SAMPLES, ConfigKey.Kind.INTEGER, String.valueOf(DEFAULT_MIN_SAMPLES),
                    "Observations per version before the judge may pass; for mann-whitney also the horizon it tests at"
                            + " (later if so few could not reach 1 - confidence: 4 at 0.95, 5 at 0.99)."),
            ConfigKey.of(KEY_INDEPENDENT_INSTANCES, ConfigKey.Kind.BOOLEAN, "false",
                    "Whether each instance's value is an independent measurement (true: every value counts and the "
                            + "sequential judge learns the noise from the spread between instances; only when a "
                            + "version's instances share no disturbance the other version does not see) or each round "
                            + "gives one value per version, the mean (false)."));

    /**
     * The keys, relative to the probe, that a probe factory that reads histograms adds to
     * {@link #KEYS}: {@code slower-than}.
     */
    public static final List<ConfigKey> HISTOGRAM_KEYS = List.of(
            ConfigKey.of(KEY_SLOWER_THAN, ConfigKey.Kind.STRING, null,
                    "Histograms: the share test on the requests slower than a latency (250ms) or than the band of a "
                            + "quantile of the first rounds (p90, p99); absent, the shift test of the whole distribution."));

    private CanaryJudges() {
    }

    /**
     * The sequential judge: anytime-valid, checked every round. Each round's values are averaged per
     * version ({@link CanaryAnalysis#withIndependentInstances(boolean)} changes that).
     *
     * @param direction which change is a regression
     * @param tolerance the relative change tolerated, {@code >= 0}; {@code < 1} unless
     *     {@code direction} is {@link Direction#INCREASE}
     * @param confidence the confidence of a regression, in {@code (0, 1)}
     * @param minSamples observations per version before a pass, {@code >= 1}; {@code >= 2} for the
     *     sequential judge
     * @return the settings
     * @throws IllegalArgumentException when a value is out of range (see {@link CanaryAnalysis})
     * @throws NullPointerException when {@code direction} is {@code null}
     */
    public static CanaryAnalysis sequential(Direction direction, double tolerance, double confidence, int minSamples) {
        return new CanaryAnalysis(CanaryAnalysis.Method.SEQUENTIAL, direction, tolerance, confidence, minSamples);
    }

    /**
     * The fixed-horizon Mann-Whitney judge (Kayenta's style), testing once at {@code minSamples} per version,
     * or later when so few values could not give a p-value below {@code 1 - confidence} (at 0.95 three
     * values per version give at best 1/20: the judge waits for a fourth; at 0.99 for a fifth).
     * Each round's values are averaged per version
     * ({@link CanaryAnalysis#withIndependentInstances(boolean)} changes that).
     *
     * @param direction which change is a regression
     * @param tolerance the relative change tolerated, {@code >= 0}; {@code < 1} unless
     *     {@code direction} is {@link Direction#INCREASE}
     * @param confidence the confidence of a regression, in {@code (0, 1)}
     * @param minSamples the horizon: observations per version at which the test is taken, {@code >= 1}
     * @return the settings
     * @throws IllegalArgumentException when a value is out of range (see {@link CanaryAnalysis})
     * @throws NullPointerException when {@code direction} is {@code null}
     */
    public static CanaryAnalysis mannWhitney(Direction direction, double tolerance, double confidence, int minSamples) {
        return new CanaryAnalysis(CanaryAnalysis.Method.MANN_WHITNEY, direction, tolerance, confidence, minSamples);
    }

    /**
     * Settings from configuration values; {@code null} means the default (except {@code judge}).
     *
     * @param judge {@code mann-whitney} or {@code sequential}; required
     * @param direction {@code increase} (default), {@code decrease} or {@code either}
     * @param tolerance relative change tolerated, default 0
     * @param confidence in (0, 1), default 0.95
     * @param minSamples default 20
     * @return the settings
     * @throws IllegalArgumentException listing every bad value with its key
     */
    public static CanaryAnalysis fromSettings(String judge, String direction, Double tolerance, Double confidence,
            Integer minSamples) {
        List<String> problems = new ArrayList<>();
        CanaryAnalysis.Method method = null;
        if (judge == null || judge.isBlank()) {
            problems.add(KEY_JUDGE + ": is required (mann-whitney or sequential)");
        } else {
            try {
                method = CanaryAnalysis.Method.parse(judge);
            } catch (IllegalArgumentException e) {
                problems.add(KEY_JUDGE + ": " + e.getMessage());
            }
        }
        Direction dir = DEFAULT_DIRECTION;
        if (direction != null) {
            try {
                dir = Direction.parse(direction);
            } catch (IllegalArgumentException e) {
                problems.add(KEY_DIRECTION + ": " + e.getMessage());
            }
        }
        double tol = tolerance == null ? DEFAULT_TOLERANCE : tolerance;
        double conf = confidence == null ? DEFAULT_CONFIDENCE : confidence;
        int min = minSamples == null ? DEFAULT_MIN_SAMPLES : minSamples;
        String problem = rangeProblem(method, dir, tol, conf, min);
        if (problem != null) {
            problems.add(problem);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid canary analysis settings: " + String.join("; ", problems));
        }
        return new CanaryAnalysis(method, dir, tol, conf, min);
    }

    /**
     * Settings from a probe's configuration ({@link #KEYS}). Every bad value is reported through
     * {@link ProbeSettings#problem} with its key.
     *
     * @param settings the probe's configuration
     * @return the settings; empty when {@code judge} is absent (no canary analysis) or a value is out
     *     of range (recorded here). A malformed number is recorded by the settings' own getter and
     *     its default is used, so the binder still fails on it.
     */
    public static Optional<CanaryAnalysis> fromSettings(ProbeSettings settings) {
        Optional<String> judge = settings.string(KEY_JUDGE);
        if (judge.isEmpty() || judge.get().isBlank()) {
            return Optional.empty();
        }
        boolean ok = true;
        CanaryAnalysis.Method method = null;
        try {
            method = CanaryAnalysis.Method.parse(judge.get());
        } catch (IllegalArgumentException e) {
            settings.problem(KEY_JUDGE, e.getMessage());
            ok = false;
        }
        Direction direction = DEFAULT_DIRECTION;
        Optional<String> dirText = settings.string(KEY_DIRECTION);
        if (dirText.isPresent()) {
            try {
                direction = Direction.parse(dirText.get());
            } catch (IllegalArgumentException e) {
                settings.problem(KEY_DIRECTION, e.getMessage());
                ok = false;
            }
        }
        Read givenTolerance = tolerance(settings);
        Read givenConfidence = confidence(settings);
        ok &= givenTolerance.ok() && givenConfidence.ok();
        double tolerance = givenTolerance.value();
        double confidence = givenConfidence.value();
        int minSamples = settings.integer(KEY_MIN_SAMPLES).orElse(DEFAULT_MIN_SAMPLES);
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            settings.problem(KEY_TOLERANCE, "must be a number >= 0, was " + tolerance);
            ok = false;
        } else if (direction != Direction.INCREASE && tolerance >= 1) {
            settings.problem(KEY_TOLERANCE, "must be < 1 when direction is " + direction.key() + ", was " + tolerance);
            ok = false;
        }
        if (!(confidence > 0 && confidence < 1)) {
            settings.problem(KEY_CONFIDENCE, "must be between 0 and 1 (exclusive, e.g. 0.95), was " + confidence);
            ok = false;
        }
        int least = method == CanaryAnalysis.Method.SEQUENTIAL ? 2 : 1;
        if (minSamples < least) {
            settings.problem(KEY_MIN_SAMPLES, "must be >= " + least + ", was " + minSamples);
            ok = false;
        }
        boolean independent = settings.bool(KEY_INDEPENDENT_INSTANCES).orElse(false);
        SlowerThan slow = null;
        Optional<String> slowText = settings.string(KEY_SLOWER_THAN);
        if (slowText.isPresent()) {
            try {
                slow = SlowerThan.parseQuantile(slowText.get());
                if (slow == null) {
                    Optional<java.time.Duration> latency = settings.duration(KEY_SLOWER_THAN);
                    if (latency.isEmpty()) {
                        ok = false;
                    } else {
                        slow = SlowerThan.latency(latency.get());
                    }
                }
            } catch (IllegalArgumentException e) {
                settings.problem(KEY_SLOWER_THAN, e.getMessage());
                ok = false;
            }
        }
        return ok ? Optional.of(new CanaryAnalysis(method, direction, tolerance, confidence, minSamples, independent,
                slow)) : Optional.empty();
    }

    /** A setting's value (its default when not given) and whether it was acceptable; when not, a problem was recorded. */
    private record Read(double value, boolean ok) {
    }

    /**
     * {@code tolerance} as a fraction: {@code 0.1} or {@code 10%}. A bare number of 1 or more is a
     * problem: {@code tolerance=10} is 10% meant far more often than a canary eleven times worse,
     * and read as written it lets such a canary pass; a tolerance that large is written with
     * {@code %}.
     */
    private static Read tolerance(ProbeSettings settings) {
        boolean percent = settings.string(KEY_TOLERANCE).map(t -> t.strip().endsWith("%")).orElse(false);
        Read read = fraction(settings, KEY_TOLERANCE, DEFAULT_TOLERANCE);
        double value = read.value();
        if (read.ok() && !percent && value >= 1) {
            String n = Fmt.num(value);
            settings.problem(KEY_TOLERANCE, n + " (read as " + Fmt.num(value * 100) + "%: a tolerance is a fraction,"
                    + " 0.1 = 10%) would let a canary " + Fmt.num(value + 1) + " times the baseline pass; write "
                    + Fmt.num(value / 100) + " or " + n + "% (or " + Fmt.num(value * 100)
                    + "% if that much is really tolerated)");
            return new Read(DEFAULT_TOLERANCE, false);
        }
        return read;
    }

    /**
     * {@code confidence} as a fraction: {@code 0.95} or {@code 95%}. Below one half is a problem: a
     * confidence of {@code 0.05} (a significance level written in its place) rolls a healthy canary
     * back with a probability of up to 95%. The range (0, 1) is checked by the caller.
     */
    private static Read confidence(ProbeSettings settings) {
        Read read = fraction(settings, KEY_CONFIDENCE, DEFAULT_CONFIDENCE);
        double value = read.value();
        if (read.ok() && value > 0 && value < 0.5) {
            String n = Fmt.num(value);
            settings.problem(KEY_CONFIDENCE, n + " would roll a healthy canary back with a probability of up to "
                    + Fmt.num((1 - value) * 100) + "% (1 - confidence): it reads like a significance level;"
                    + " write " + Fmt.num(1 - value) + " (or " + Fmt.num((1 - value) * 100) + "%)");
            return new Read(DEFAULT_CONFIDENCE, false);
        }
        return read;
    }

    /** A number, or a percentage ({@code 10%}) as a fraction; {@code fallback} when not given or not acceptable. */
    private static Read fraction(ProbeSettings settings, String key, double fallback) {
        Optional<String> text = settings.string(key).map(String::strip);
        if (text.isPresent() && text.get().endsWith("%")) {
            String number = text.get().substring(0, text.get().length() - 1).strip();
            try {
                double percent = Double.parseDouble(number);
                if (Double.isFinite(percent) && !number.isEmpty() && Character.isDigit(number.charAt(number.length() - 1))) {
                    return new Read(percent / 100, true);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            settings.problem(key, "not a number or a percentage; write a fraction (0.1) or a percentage (10%)");
            return new Read(fallback, false);
        }
        // A malformed number is recorded by the getter, and the default is used.
        return new Read(settings.number(key).orElse(fallback), true);
    }

    private static String rangeProblem(CanaryAnalysis.Method method, Direction dir, double tol, double conf, int min) {
        List<String> problems = new ArrayList<>();
        if (!(tol >= 0) || Double.isInfinite(tol)) {
            problems.add(KEY_TOLERANCE + ": must be a number >= 0, was " + tol);
        } else if (dir != Direction.INCREASE && tol >= 1) {
            problems.add(KEY_TOLERANCE + ": must be < 1 when direction is " + dir.key() + ", was " + tol);
        }
        if (!(conf > 0 && conf < 1)) {
            problems.add(KEY_CONFIDENCE + ": must be between 0 and 1 (exclusive, e.g. 0.95), was " + conf);
        }
        int least = method == CanaryAnalysis.Method.SEQUENTIAL ? 2 : 1;
        if (min < least) {
            problems.add(KEY_MIN_SAMPLES + ": must be >= " + least + ", was " + min);
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }
}
