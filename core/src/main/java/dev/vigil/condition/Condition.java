package dev.vigil.condition;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A parsed condition such as {@code status == 200 && latency < 500ms}: parsed once into an
 * immutable tree, evaluated many times. The language is described in {@code docs/conditions.md}:
 * literals (numbers, strings, booleans, {@code null}, durations such as {@code 500ms}, percentages
 * such as {@code 1%}), comparisons, {@code && || !}, {@code in [...]}, {@code =~ "regex"},
 * parentheses, names supplied by the probe ({@code status}, {@code header.Content-Type},
 * {@code body.items[0].id}) and a few functions ({@code len}, {@code isNaN}, {@code has}...).
 * Nothing in a condition can reach Java objects: there is no reflection and no scripting engine.
 *
 * <p>Immutable and thread-safe: one instance may be evaluated concurrently.
 */
public final class Condition {

    private final String source;
    private final Node root;
    private final Set<String> names;
    private final Set<String> calls;

    private Condition(String source, Parser.Parsed parsed) {
        this.source = source;
        this.root = parsed.root();
        this.names = parsed.names();
        this.calls = parsed.calls();
    }

    /**
     * Parses a condition whose names are checked only when it is evaluated. Literals are
     * type-checked now ({@code "a" < 1} is an error); regular expressions are compiled now.
     *
     * @param source the condition as written
     * @return the parsed condition
     * @throws ConditionSyntaxException saying what was expected and at which column, for example
     *     {@code expected a value after '<' at column 18}
     */
    public static Condition parse(String source) {
        return new Condition(source, Parser.parse(source, null));
    }

    /**
     * Parses a condition and type-checks it against the names a probe declares; a name that is
     * neither declared nor a path below a declared name ({@code body.a.b[0]} below {@code body})
     * is an error listing the known names. A path is matched against the longest declared name it
     * starts with, so {@code header.Content-Type} may be declared on its own.
     *
     * @param source the condition as written
     * @param declared the names the probe supplies and their types; {@link ValueType#ANY} for
     *     those known only when measured
     * @return the parsed condition
     * @throws ConditionSyntaxException saying what was expected and at which column, or which name
     *     had which type ({@code status is a number, cannot compare with a string (at column 8)})
     */
    public static Condition parse(String source, Map<String, ValueType> declared) {
        Objects.requireNonNull(declared, "declared");
        return new Condition(source, Parser.parse(source, Map.copyOf(declared)));
    }

    /** {@return the condition as written} */
    public String source() {
        return source;
    }

    /**
     * The root names the condition refers to ({@code status}, {@code body}): the first segment of
     * every path, or the declared name a path starts with when parsed with declared names.
     *
     * @return the root names, in the order they first appear
     */
    public Set<String> names() {
        return names;
    }

    /**
     * Whether the condition calls this function ({@code isNaN}, {@code len}, ...), as written.
     *
     * @param function the function's name
     * @return whether a call of it is part of the condition
     */
    public boolean calls(String function) {
        return calls.contains(function);
    }

    /**
     * Evaluates against one measurement's values. Never throws: a type mismatch, an unknown name
     * or a body that is not JSON is an {@link Evaluation.Result#ERROR} that says which name had
     * which type ({@code body.count is a string ("12"), cannot compare with a number}).
     *
     * <p>A name absent from the measurement (a JSON field not there, a header not sent) makes the
     * comparisons it takes part in unknown, which counts as false; the explanation then ends with
     * {@code : body.status is missing}. The explanation is the deciding part of the condition with
     * the observed values filled in, {@code status(503) == 200 is false}; see
     * {@code docs/conditions.md} for its exact format.
     *
     * @param values by root name: {@link Number} (compared as a double), {@link String},
     *     {@link Boolean}, {@link java.time.Duration}, {@link java.util.List} or another
     *     {@link java.util.Collection} (navigated by {@code [index]}), {@link Map} (navigated by
     *     {@code .key} and {@code ["key"]}; a case-insensitive {@link java.util.TreeMap} makes
     *     header names case-insensitive), Jackson {@code JsonNode} (numbers, strings, booleans,
     *     arrays, objects and {@code null} become the language's values), {@code null} (equal to
     *     the {@code null} literal; paths below it are missing). A {@link String} navigated into
     *     with a path ({@code body.status} when {@code body} is the response text) is parsed as
     *     JSON once per evaluation; text that is not JSON gives an ERROR saying so. Values of any
     *     other type are never reached into: using one is an ERROR naming its type. A key may
     *     also be a dotted name ({@code header.Content-Type}); the longest supplied name a path
     *     starts with is used. {@code null} counts as an empty map.
     * @return the truth, the explanation and the values looked at (by the path as written, as
     *     plain Java values)
     */
    public Evaluation evaluate(Map<String, ?> values) {
        Node.Scope scope = new Node.Scope(values == null ? Map.of() : values);
        try {
            Node.Val val = root.eval(scope);
            Object truth = Node.Logic.truth(root, val);
            StringBuilder explanation = new StringBuilder(val.shown());
            boolean holds = Boolean.TRUE.equals(truth);
            if (!holds) {
                explanation.append(" is false");
            }
            if (!val.missing().isEmpty()) {
                explanation.append(": ").append(String.join(", ", val.missing()));
            }
            return new Evaluation(holds ? Evaluation.Result.TRUE : Evaluation.Result.FALSE,
                    explanation.toString(), scope.observed, val.missing());
        } catch (Node.EvalException e) {
            return new Evaluation(Evaluation.Result.ERROR, e.getMessage(), scope.observed);
        } catch (RuntimeException | StackOverflowError e) {
            return new Evaluation(Evaluation.Result.ERROR, "cannot evaluate " + source + ": " + e, scope.observed);
        }
    }

    @Override
    public String toString() {
        return source;
    }
}
