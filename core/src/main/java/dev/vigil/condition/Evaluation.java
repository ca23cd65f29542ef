package dev.vigil.condition;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The result of evaluating a {@link Condition} against one measurement's values. Immutable.
 *
 * @param result whether the condition held, did not hold, or could not be evaluated
 * @param explanation the condition with the observed values filled in
 *     ({@code status(503) == 200}); for {@code &&} and {@code ||} it names the clause that
 *     decided; for {@link Result#ERROR} it says what went wrong (which name had which type)
 * @param observed the values the condition looked at, by the name used in the condition
 *     ({@code body.status -> "DOWN"}); a missing name is absent from this map
 */
public record Evaluation(Result result, String explanation, Map<String, Object> observed) {

    /** Whether a condition held. */
    public enum Result {
        /** The condition held. */
        TRUE,
        /** The condition did not hold (a missing name makes a comparison false). */
        FALSE,
        /** The condition could not be evaluated: a type mismatch, an unknown name, a bad regex. */
        ERROR
    }

    /** Copies the observed values. */
    public Evaluation {
        Objects.requireNonNull(result, "result");
        explanation = explanation == null ? "" : explanation;
        observed = observed == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(observed));
    }

    /** Whether the condition held. */
    public boolean isTrue() {
        return result == Result.TRUE;
    }
}
