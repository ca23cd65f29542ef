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
 * @param missing the names the condition looked for and did not find, as written
 *     ({@code body.status is missing}); when not empty, a {@link Result#FALSE} means "could not
 *     be decided" rather than "does not hold"
 */
public record Evaluation(Result result, String explanation, Map<String, Object> observed, java.util.List<String> missing) {

    /** Whether a condition held. */
    public enum Result {
        /** The condition held. */
        TRUE,
        /** The condition did not hold (a missing name makes a comparison false). */
        FALSE,
        /** The condition could not be evaluated: a type mismatch, an unknown name, a bad regex. */
        ERROR
    }

    /**
     * Copies the observed values.
     *
     * @param result whether the condition held, did not hold, or could not be evaluated
     * @param explanation the condition with the observed values filled in
     *         ({@code status(503) == 200}); for {@code &&} and {@code ||} it names the clause that
     *         decided; for {@link Result#ERROR} it says what went wrong (which name had which type)
     * @param observed the values the condition looked at, by the name used in the condition
     *         ({@code body.status -> "DOWN"}); a missing name is absent from this map
     * @param missing the names the condition looked for and did not find, as written
     *         ({@code body.status is missing}); when not empty, a {@link Result#FALSE} means "could not
     *         be decided" rather than "does not hold"
     */
    public Evaluation {
        Objects.requireNonNull(result, "result");
        explanation = explanation == null ? "" : explanation;
        observed = observed == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(observed));
        missing = missing == null ? java.util.List.of() : java.util.List.copyOf(missing);
    }

    /**
     * An evaluation in which no name was missing.
     *
     * @param result whether the condition held, did not hold, or could not be evaluated
     * @param explanation the condition with the observed values filled in
     *         ({@code status(503) == 200}); for {@code &&} and {@code ||} it names the clause that
     *         decided; for {@link Result#ERROR} it says what went wrong (which name had which type)
     * @param observed the values the condition looked at, by the name used in the condition
     *         ({@code body.status -> "DOWN"}); a missing name is absent from this map
     */
    public Evaluation(Result result, String explanation, Map<String, Object> observed) {
        this(result, explanation, observed, java.util.List.of());
    }

    /**
     * Whether the result could not be decided from the values: a name was missing, or a number
     * looked at was NaN. Such a {@link Result#FALSE} is not evidence that the condition does not hold.
     *
     * @return whether the result is undecided
     */
    public boolean undecided() {
        return result == Result.FALSE && (!missing.isEmpty()
                || observed.values().stream().anyMatch(v -> v instanceof Double d && d.isNaN()
                        || v instanceof Float f && f.isNaN()));
    }

    /** {@return whether the condition held} */
    public boolean isTrue() {
        return result == Result.TRUE;
    }
}
