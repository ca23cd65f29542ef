package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One measurement of a deployed system as the engine records it: what the probe found (a
 * {@link ProbeResult}) with the facts only the engine knows — the probe's name, the round, when,
 * how many attempts and how long. Immutable. Reports and listeners read these; probes return
 * {@link ProbeResult}s and never make a {@code Measurement}.
 *
 * @param probe the name of the probe that took it
 * @param round the round it belongs to, starting at 1; 0 for the re-check after a rollback
 * @param time when it was taken
 * @param attempts how many attempts it took (retries of transient errors count), at least 1
 * @param duration how long it took, retries included
 * @param result what the probe found
 */
public record Measurement(String probe, int round, Instant time, int attempts, Duration duration, ProbeResult result) {

    /**
     * Validates, and counts fewer than one attempt as one.
     *
     * @param probe the name of the probe that took it
     * @param round the round it belongs to
     * @param time when it was taken
     * @param attempts how many attempts it took; below 1 reads as 1
     * @param duration how long it took, retries included
     * @param result what the probe found; not {@code null}
     * @throws NullPointerException when the result is {@code null}
     */
    public Measurement {
        Objects.requireNonNull(result, "result");
        attempts = Math.max(1, attempts);
    }

    /**
     * What the measurement says.
     *
     * @return the probe's outcome
     */
    public Outcome outcome() {
        return result.outcome();
    }

    /**
     * The observed values by name, in the order the probe gave them; never secrets.
     *
     * @return the values, unmodifiable
     */
    public Map<String, Object> values() {
        return result.values();
    }

    /**
     * The condition with the observed values filled in, or why the outcome was reached.
     *
     * @return the explanation; never {@code null}
     */
    public String explanation() {
        return result.explanation();
    }

    /**
     * What prevented the measurement.
     *
     * @return the error for an {@link Outcome#ERROR}, else {@code null}
     */
    public String error() {
        return result.error();
    }

    /**
     * The results of the items the measurement is made of (one per test of a JUnit suite).
     *
     * @return the items, in order; empty for a probe that measures one thing
     */
    public List<ItemResult> items() {
        return result.items();
    }

    /**
     * Whether this measurement is evidence of health.
     *
     * @return {@code true} for {@link Outcome#PASS}
     */
    public boolean passed() {
        return result.passed();
    }

    /**
     * A copy with another explanation (used to prefix context such as the attempt count).
     *
     * @param newExplanation the explanation
     * @return the copy
     */
    public Measurement withExplanation(String newExplanation) {
        return withResult(result.withExplanation(newExplanation));
    }

    /**
     * A copy with another result and the same facts of the engine (used to redact a report).
     *
     * @param newResult the result
     * @return the copy
     */
    public Measurement withResult(ProbeResult newResult) {
        return new Measurement(probe, round, time, attempts, duration, newResult);
    }

    /**
     * The value on one line, to be logged: the probe, round, time, attempts and duration, and the result as {@link ProbeResult#toString()}
     * shows it.
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "Measurement[probe=" + probe + ", round=" + round + ", time=" + time + ", attempts=" + attempts
                + ", duration=" + duration + ", result=" + result + "]";
    }
}
