package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a probe found in one measurement: an outcome, the values it observed and the explanation.
 * This is what {@link Probe#measure} returns; the engine records it in a {@link Measurement}
 * together with what only it knows (the probe's name, the round, the time, the attempts, the
 * duration). Immutable.
 *
 * <p>Probes create results with the factories: {@link #pass}, {@link #fail}, {@link #inconclusive},
 * {@link #error(String)} and {@link #of}.
 *
 * <p>The engine keeps at most the first 16,384 characters of the explanation, of the error and of
 * each text value, followed by how many were left out: a probe returning megabytes every round
 * would otherwise fill the heap over a long bake or watch.
 *
 * @param outcome what the measurement says
 * @param values the observed values by name ({@code status=503}, {@code latency=PT0.812S},
 *     {@code value=0.031}), in the order the probe gave them; numbers, strings, booleans and
 *     {@link Duration}s. Never holds secrets.
 * @param explanation the condition with the observed values filled in, or why the outcome was
 *     reached ({@code status(503) == 200}); never {@code null}
 * @param error what prevented the measurement when the outcome is {@link Outcome#ERROR}, else {@code null}
 * @param items the results of the items the measurement is made of (one per test of a JUnit suite),
 *     in the order the probe gave them; empty for a probe that measures one thing. Never holds secrets.
 */
public record ProbeResult(
        Outcome outcome,
        Map<String, Object> values,
        String explanation,
        String error,
        List<ItemResult> items) {

    /**
     * The value ({@code true}) that an {@link Outcome#INCONCLUSIVE} result carries when it is a
     * failure seen but not counted against the new version: a hotfix's query that failed on data
     * from before the verification started, the incident the hotfix fixes (docs/hotfixes.md). It is
     * not evidence of health either, so {@code on-inconclusive=pass} does not accept an end whose
     * latest measurement of some probe carries it.
     */
    public static final String FAILURE_NOT_COUNTED = "failure-not-counted";

    /**
     * Validates and copies: {@code null} values and items become empty, a {@code null}
     * explanation an empty one, and an {@code ERROR} without an error message takes the
     * explanation (or "unknown error"); any other outcome drops the error message.
     *
     * @param outcome what the measurement says; not {@code null}
     * @param values the observed values by name, in order; {@code null} means none
     * @param explanation the condition with the values filled in; {@code null} means empty
     * @param error what prevented the measurement, read only for {@link Outcome#ERROR}
     * @param items the results of the items, in order; {@code null} means none
     * @throws NullPointerException when the outcome is {@code null}, or an item is
     */
    public ProbeResult {
        Objects.requireNonNull(outcome, "outcome");
        items = items == null ? List.of() : List.copyOf(items);
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        explanation = explanation == null ? "" : explanation;
        if (outcome == Outcome.ERROR && (error == null || error.isBlank())) {
            error = explanation.isBlank() ? "unknown error" : explanation;
        }
        if (outcome != Outcome.ERROR) {
            error = null;
        }
    }

    /**
     * A result with the given outcome, values and explanation.
     *
     * @param outcome what the measurement says
     * @param values the observed values, in order; {@code null} means none
     * @param explanation why the outcome was reached
     * @return the result
     */
    public static ProbeResult of(Outcome outcome, Map<String, ?> values, String explanation) {
        return new ProbeResult(outcome, copy(values), explanation, null, List.of());
    }

    /**
     * A passing result.
     *
     * @param values the observed values, in order
     * @param explanation the condition with the values filled in
     * @return the result
     */
    public static ProbeResult pass(Map<String, ?> values, String explanation) {
        return of(Outcome.PASS, values, explanation);
    }

    /**
     * A failing result.
     *
     * @param values the observed values, in order
     * @param explanation the condition with the values filled in
     * @return the result
     */
    public static ProbeResult fail(Map<String, ?> values, String explanation) {
        return of(Outcome.FAIL, values, explanation);
    }

    /**
     * An inconclusive result: measured, but proving nothing either way (no data yet).
     *
     * @param values the observed values, in order
     * @param explanation why it proves nothing
     * @return the result
     */
    public static ProbeResult inconclusive(Map<String, ?> values, String explanation) {
        return of(Outcome.INCONCLUSIVE, values, explanation);
    }

    /**
     * A measurement that could not be taken.
     *
     * @param message what prevented it; never a secret
     * @return the result
     */
    public static ProbeResult error(String message) {
        return new ProbeResult(Outcome.ERROR, Map.of(), message, message, List.of());
    }

    /**
     * A measurement that could not be taken, with the values seen before it failed.
     *
     * @param message what prevented it; never a secret
     * @param values the values seen before it failed
     * @return the result
     */
    public static ProbeResult error(String message, Map<String, ?> values) {
        return new ProbeResult(Outcome.ERROR, copy(values), message, message, List.of());
    }

    /**
     * A copy with another explanation (for an {@code ERROR}, the error message too).
     *
     * @param newExplanation the explanation
     * @return the copy
     */
    public ProbeResult withExplanation(String newExplanation) {
        return new ProbeResult(outcome, values, newExplanation, outcome == Outcome.ERROR ? newExplanation : error, items);
    }

    /**
     * A copy with the results of the items this measurement is made of (one per test); the
     * outcome stays the probe's to decide.
     *
     * @param newItems the items, in order; {@code null} means none
     * @return the copy
     */
    public ProbeResult withItems(List<ItemResult> newItems) {
        return new ProbeResult(outcome, values, explanation, error, newItems);
    }

    /**
     * This result recorded as the measurement of a round, with what the engine knows; also how
     * tests and report fixtures make measurements.
     *
     * @param probe the probe's name
     * @param round the round, starting at 1; 0 for a re-check or a check before deploying
     * @param time when it was taken
     * @param attempts how many attempts it took, at least 1
     * @param duration how long it took, retries included
     * @return the measurement
     */
    public Measurement completed(String probe, int round, Instant time, int attempts, Duration duration) {
        return new Measurement(probe, round, time, attempts, duration, this);
    }

    /**
     * Whether this result is evidence of health.
     *
     * @return {@code true} for {@link Outcome#PASS}
     */
    public boolean passed() {
        return outcome == Outcome.PASS;
    }

    private static Map<String, Object> copy(Map<String, ?> values) {
        return values == null ? Map.of() : new LinkedHashMap<>(values);
    }

    /**
     * The value on one line, to be logged: the outcome and the names of the values; the explanation and error by their length and the items
     * by their number (a measured body, header or output may hold a credential).
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "ProbeResult[outcome=" + outcome + ", values=" + Unshown.keys(values) + ", explanation=" + Unshown.text(explanation)
                + ", error=" + Unshown.text(error) + ", items=" + Unshown.size(items) + "]";
    }
}
