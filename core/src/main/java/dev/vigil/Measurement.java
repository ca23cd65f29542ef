package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement of a deployed system, taken by a probe in one round. Immutable.
 *
 * <p>Probes create measurements with the factories ({@link #pass}, {@link #fail},
 * {@link #inconclusive}, {@link #error}, {@link #of}); the engine completes them with the probe
 * name, round, time, attempts and duration through {@link #completed}.
 *
 * @param probe the name of the probe that took it ({@code null} until the engine completes it)
 * @param round the round it belongs to, starting at 1; 0 for the re-check after a rollback
 * @param outcome what the measurement says
 * @param values the observed values by name ({@code status=503}, {@code latency=PT0.812S},
 *     {@code value=0.031}), in the order the probe gave them; numbers, strings, booleans and
 *     {@link Duration}s. Never holds secrets.
 * @param explanation the condition with the observed values filled in, or why the outcome was
 *     reached ({@code status(503) == 200}); never {@code null}
 * @param error what prevented the measurement when the outcome is {@link Outcome#ERROR}, else {@code null}
 * @param time when it was taken ({@code null} until completed)
 * @param attempts how many attempts it took (retries of transient errors count), at least 1
 * @param duration how long it took, retries included ({@code null} until completed)
 * @param items the results of the items the measurement is made of (one per test of a JUnit suite),
 *     in the order the probe gave them; empty for a probe that measures one thing. Never holds secrets.
 */
public record Measurement(
        String probe,
        int round,
        Outcome outcome,
        Map<String, Object> values,
        String explanation,
        String error,
        Instant time,
        int attempts,
        Duration duration,
        List<ItemResult> items) {

    /** Validates and copies. */
    public Measurement {
        Objects.requireNonNull(outcome, "outcome");
        items = items == null ? List.of() : List.copyOf(items);
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        explanation = explanation == null ? "" : explanation;
        if (outcome == Outcome.ERROR && (error == null || error.isBlank())) {
            error = explanation.isBlank() ? "unknown error" : explanation;
        }
        attempts = Math.max(1, attempts);
    }

    /** A measurement without items: the form every probe used before items existed. */
    public Measurement(String probe, int round, Outcome outcome, Map<String, Object> values, String explanation,
            String error, Instant time, int attempts, Duration duration) {
        this(probe, round, outcome, values, explanation, error, time, attempts, duration, List.of());
    }

    /** A measurement with the given outcome, values and explanation. */
    public static Measurement of(Outcome outcome, Map<String, ?> values, String explanation) {
        return new Measurement(null, 0, outcome, copy(values), explanation, null, null, 1, null);
    }

    /** A passing measurement. */
    public static Measurement pass(Map<String, ?> values, String explanation) {
        return of(Outcome.PASS, values, explanation);
    }

    /** A failing measurement. */
    public static Measurement fail(Map<String, ?> values, String explanation) {
        return of(Outcome.FAIL, values, explanation);
    }

    /** An inconclusive measurement: taken, but proving nothing either way. */
    public static Measurement inconclusive(Map<String, ?> values, String explanation) {
        return of(Outcome.INCONCLUSIVE, values, explanation);
    }

    /** A measurement that could not be taken, with what prevented it. */
    public static Measurement error(String message) {
        return new Measurement(null, 0, Outcome.ERROR, Map.of(), message, message, null, 1, null);
    }

    /** A measurement that could not be taken, with the values seen before it failed. */
    public static Measurement error(String message, Map<String, ?> values) {
        return new Measurement(null, 0, Outcome.ERROR, copy(values), message, message, null, 1, null);
    }

    /** A copy completed by the engine with the facts the probe does not know. */
    public Measurement completed(String probeName, int roundNumber, Instant takenAt, int attemptCount, Duration took) {
        return new Measurement(probeName, roundNumber, outcome, values, explanation, error, takenAt, attemptCount, took,
                items);
    }

    /** A copy with another explanation (used to prefix context such as the attempt count). */
    public Measurement withExplanation(String newExplanation) {
        return new Measurement(probe, round, outcome, values, newExplanation,
                outcome == Outcome.ERROR ? newExplanation : error, time, attempts, duration, items);
    }

    /**
     * A copy with the results of the items this measurement is made of (one per test); the
     * outcome stays the probe's to decide.
     *
     * @param newItems the items, in order; {@code null} means none
     */
    public Measurement withItems(List<ItemResult> newItems) {
        return new Measurement(probe, round, outcome, values, explanation, error, time, attempts, duration, newItems);
    }

    /** Whether this measurement is evidence of health. */
    public boolean passed() {
        return outcome == Outcome.PASS;
    }

    private static Map<String, Object> copy(Map<String, ?> values) {
        return values == null ? Map.of() : new LinkedHashMap<>(values);
    }
}
