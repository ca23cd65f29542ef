package dev.vigil.condition;

import java.util.Map;
import java.util.Set;

/**
 * A parsed condition: parsed once, evaluated many times. Immutable and thread-safe.
 *
 * <p>PLACEHOLDER SIGNATURES: the language itself is being built (issue 3); this file fixes the API
 * that probes and the configuration binder code against.
 */
public final class Condition {

    private final String source;

    private Condition(String source) {
        this.source = source;
    }

    /**
     * Parses a condition whose names are checked only when it is evaluated.
     *
     * @throws ConditionSyntaxException saying what was expected and at which column
     */
    public static Condition parse(String source) {
        throw new UnsupportedOperationException("condition language not built yet");
    }

    /**
     * Parses a condition and type-checks it against the names a probe declares; a name that is
     * neither declared nor a path below a declared name ({@code body.a.b[0]} below {@code body})
     * is an error listing the known names.
     *
     * @throws ConditionSyntaxException saying what was expected and at which column
     */
    public static Condition parse(String source, Map<String, ValueType> declared) {
        throw new UnsupportedOperationException("condition language not built yet");
    }

    /** The condition as written. */
    public String source() {
        return source;
    }

    /** The root names the condition refers to ({@code status}, {@code body}). */
    public Set<String> names() {
        throw new UnsupportedOperationException("condition language not built yet");
    }

    /**
     * Evaluates against one measurement's values. Never throws: a type mismatch or an unknown
     * name is an {@link Evaluation.Result#ERROR} that says which name had which type.
     *
     * @param values by root name: {@link Number}, {@link String}, {@link Boolean},
     *     {@link java.time.Duration}, {@link java.util.List}, {@link Map} (navigated by
     *     {@code .key}), Jackson {@code JsonNode}; a {@link String} navigated into with a path is
     *     parsed as JSON
     */
    public Evaluation evaluate(Map<String, ?> values) {
        throw new UnsupportedOperationException("condition language not built yet");
    }

    @Override
    public String toString() {
        return source;
    }
}
