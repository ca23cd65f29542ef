package dev.vigil.condition;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A probe's {@code pass-when} and {@code fail-when} conditions, judged with the semantics of Argo
 * Rollouts' {@code successCondition} / {@code failureCondition}:
 * <ul>
 *   <li>{@code fail-when} holds: {@link Outcome#FAIL};</li>
 *   <li>otherwise {@code pass-when} holds: {@link Outcome#PASS};</li>
 *   <li>only {@code pass-when} is given and it does not hold: {@link Outcome#FAIL};</li>
 *   <li>only {@code fail-when} is given and it does not hold: {@link Outcome#PASS};</li>
 *   <li>both are given and neither holds: {@link Outcome#INCONCLUSIVE};</li>
 *   <li>{@code fail-when} cannot be decided (a value it needs is missing, or NaN while no
 *       condition calls {@code isNaN}), whatever {@code pass-when} says:
 *       {@link Outcome#INCONCLUSIVE}, since missing data is no evidence of health;</li>
 *   <li>a condition cannot be evaluated: {@link Outcome#ERROR}.</li>
 * </ul>
 * The measurement's explanation is the deciding condition's {@link Evaluation#explanation()},
 * which already says when a condition is false ({@code latency(812ms) < 500ms is false}); an
 * inconclusive one reads {@code neither pass-when nor fail-when held: <pass>; <fail>} or
 * {@code fail-when could not be decided: <fail> (pass-when held: <pass>)}, and an
 * error is prefixed with {@code pass-when: } or {@code fail-when: }.
 * Immutable and thread-safe.
 */
public final class Criteria {

    private final Condition passWhen;
    private final Condition failWhen;

    private Criteria(Condition passWhen, Condition failWhen) {
        this.passWhen = passWhen;
        this.failWhen = failWhen;
    }

    /**
     * Parses the conditions.
     *
     * @param passWhen the pass condition, or {@code null}
     * @param failWhen the fail condition, or {@code null}
     * @param declared the names the probe supplies and their types (type-checked now)
     * @return the parsed criteria
     * @throws ConditionSyntaxException prefixed with {@code pass-when: } or {@code fail-when: }; also
     *     for a condition that reads none of the probe's values ({@code true}, {@code 1 < 2}), which
     *     would hold or not whatever the service answers
     * @throws IllegalArgumentException when both are missing
     */
    public static Criteria of(String passWhen, String failWhen, Map<String, ValueType> declared) {
        boolean hasPass = passWhen != null && !passWhen.isBlank();
        boolean hasFail = failWhen != null && !failWhen.isBlank();
        if (!hasPass && !hasFail) {
            throw new IllegalArgumentException("a probe needs pass-when or fail-when");
        }
        return new Criteria(hasPass ? parse("pass-when", passWhen, declared) : null,
                hasFail ? parse("fail-when", failWhen, declared) : null);
    }

    /**
     * Criteria with only a pass condition.
     *
     * @param passWhen the pass condition
     * @param declared the names the probe supplies and their types (type-checked now)
     * @return the parsed criteria
     * @throws ConditionSyntaxException prefixed with {@code pass-when: }
     */
    public static Criteria passWhen(String passWhen, Map<String, ValueType> declared) {
        return of(passWhen, null, declared);
    }

    private static Condition parse(String key, String source, Map<String, ValueType> declared) {
        Condition condition;
        try {
            condition = declared == null ? Condition.parse(source) : Condition.parse(source, declared);
        } catch (ConditionSyntaxException e) {
            throw new ConditionSyntaxException(key + ": " + e.getMessage(), e.column());
        }
        if (condition.names().isEmpty()) {
            // A constant (true, not false, 1 < 2) holds or not whatever the service answers: a
            // pass-when=true passes a service that answers 503, a HEALTHY nobody saw.
            throw new ConditionSyntaxException(key + ": '" + source.strip() + "' reads none of the probe's values, so it"
                    + " holds or not whatever the service answers (a probe that cannot tell a broken service from a"
                    + " healthy one); compare a value it measures" + (declared == null || declared.isEmpty() ? ""
                    : " (" + String.join(", ", new java.util.TreeSet<>(declared.keySet())) + ")"), 1);
        }
        return condition;
    }

    /**
     * Judges one set of observed values.
     *
     * @param values the probe's values by name (numbers, strings, booleans, durations, lists, maps, JSON)
     * @return a measurement carrying the outcome, the values the conditions looked at and the explanation
     */
    public ProbeResult judge(Map<String, ?> values) {
        Objects.requireNonNull(values, "values");
        Map<String, Object> observed = new LinkedHashMap<>();
        Evaluation fail = null;
        if (failWhen != null) {
            fail = failWhen.evaluate(values);
            observed.putAll(fail.observed());
            switch (fail.result()) {
                case ERROR:
                    return ProbeResult.error("fail-when: " + fail.explanation(), observed);
                case TRUE:
                    return ProbeResult.fail(observed, fail.explanation());
                default:
                    if (passWhen == null) {
                        // Missing data or NaN is no evidence of health: a fail condition that could
                        // not be decided must not turn into a pass.
                        return fail.undecided()
                                ? ProbeResult.inconclusive(observed, "fail-when could not be decided: " + fail.explanation())
                                : ProbeResult.pass(observed, fail.explanation());
                    }
            }
        }
        Evaluation pass = passWhen.evaluate(values);
        observed.putAll(pass.observed());
        switch (pass.result()) {
            case ERROR:
                return ProbeResult.error("pass-when: " + pass.explanation(), observed);
            case TRUE:
                if (fail != null && fail.undecided() && !(onlyNaN(fail) && testsNaN())) {
                    // The guard the user wrote was not evaluated (its field is missing, its value NaN):
                    // pass-when holding does not show that it would not have held.
                    return ProbeResult.inconclusive(observed, "fail-when could not be decided: " + fail.explanation()
                            + " (pass-when held: " + pass.explanation() + ")");
                }
                return ProbeResult.pass(observed, pass.explanation());
            default:
                if (fail == null) {
                    return ProbeResult.fail(observed, pass.explanation());
                }
                return ProbeResult.inconclusive(observed, "neither pass-when nor fail-when held: "
                        + pass.explanation() + "; " + fail.explanation());
        }
    }

    /**
     * Whether a condition calls {@code isNaN}: then NaN is a value the conditions decide on
     * themselves ({@code pass-when=isNaN(value) || value < 1%}), not missing data.
     */
    private boolean testsNaN() {
        return passWhen != null && passWhen.calls("isNaN") || failWhen != null && failWhen.calls("isNaN");
    }

    /** Whether an undecided evaluation is so only because of NaN: no name was missing. */
    private static boolean onlyNaN(Evaluation e) {
        return e.missing().isEmpty();
    }

    /** {@return the pass condition as written, or {@code null}} */
    public String passWhen() {
        return passWhen == null ? null : passWhen.source();
    }

    /** {@return the fail condition as written, or {@code null}} */
    public String failWhen() {
        return failWhen == null ? null : failWhen.source();
    }

    @Override
    public String toString() {
        return "Criteria[pass-when=" + passWhen() + ", fail-when=" + failWhen() + "]";
    }
}
