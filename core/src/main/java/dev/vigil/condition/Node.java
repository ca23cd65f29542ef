package dev.vigil.condition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.condition.Values.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The immutable syntax tree of a condition, and how each node evaluates and explains itself. */
interface Node {

    /** Precedence of what a {@link Val} shows, to put parentheses only where they are needed. */
    int OR = 1;
    int AND = 2;
    int NOT = 3;
    int COMPARISON = 4;
    int VALUE = 5;

    /** The node as written. */
    String text();

    /** Offset of the node in the source. */
    int start();

    /** What the node yields, as far as it is known before evaluation. */
    Kind kind();

    /** Evaluates; throws {@link EvalException} for a type error or an unknown name. */
    Val eval(Scope scope);

    /**
     * What a node yielded.
     *
     * @param value a normalized value, or {@link Values#MISSING}
     * @param shown the node with values filled in; for {@code &&}/{@code ||} the deciding clause
     * @param precedence of what {@code shown} shows
     * @param missing phrases such as {@code body.status is missing}, in the order met
     */
    record Val(Object value, String shown, int precedence, List<String> missing) {
        static Val of(Object value, String shown, int precedence) {
            return new Val(value, shown, precedence, List.of());
        }

        boolean isMissing() {
            return value == Values.MISSING;
        }

        String shownAbove(int parentPrecedence) {
            return precedence < parentPrecedence ? "(" + shown + ")" : shown;
        }

        static List<String> merge(Val... vals) {
            List<String> all = new ArrayList<>();
            for (Val val : vals) {
                for (String phrase : val.missing()) {
                    if (!all.contains(phrase)) {
                        all.add(phrase);
                    }
                }
            }
            return List.copyOf(all);
        }
    }

    /** An evaluation problem: a type error, an unknown name, a body that is not JSON. */
    final class EvalException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        EvalException(String message) {
            super(message, null, false, false);
        }
    }

    /** The values of one evaluation and what was looked at; confined to one thread. */
    final class Scope {
        final Map<String, ?> values;
        final Map<String, Object> observed = new LinkedHashMap<>();
        /** The JSON read from text, by the label of the text ({@code body}). */
        final Map<String, JsonBodies.Body> parsedJson = new HashMap<>();

        Scope(Map<String, ?> values) {
            this.values = values;
        }

        /** Refuses to read {@code key} of {@code object} when the JSON it was read from has that key twice there. */
        void refuseRepeated(JsonNode object, String key) {
            for (Map.Entry<String, JsonBodies.Body> read : parsedJson.entrySet()) {
                String twice = read.getValue().repeatedKey(object, key).orElse(null);
                if (twice != null) {
                    throw new EvalException(read.getKey() + " has the key " + twice + " twice, so which value holds"
                            + " is not defined");
                }
            }
        }
    }

    /** A number, string, boolean, duration, percentage or {@code null}, shown as written. */
    record Literal(String text, int start, Object value, Kind kind) implements Node {
        @Override
        public Val eval(Scope scope) {
            return Val.of(value, text, VALUE);
        }
    }

    /** {@code [a, b, c]}. */
    record ListLiteral(String text, int start, List<Node> items) implements Node {
        @Override
        public Kind kind() {
            return Kind.LIST;
        }

        @Override
        public Val eval(Scope scope) {
            List<Object> values = new ArrayList<>(items.size());
            List<Val> vals = new ArrayList<>(items.size());
            boolean literal = true;
            for (Node item : items) {
                Val val = item.eval(scope);
                vals.add(val);
                values.add(val.value());
                literal &= item instanceof Literal;
            }
            List<String> missing = Val.merge(vals.toArray(new Val[0]));
            String shown = text;
            if (!literal) {
                List<String> parts = new ArrayList<>();
                vals.forEach(val -> parts.add(val.shown()));
                shown = "[" + String.join(", ", parts) + "]";
            }
            boolean anyMissing = vals.stream().anyMatch(Val::isMissing);
            return new Val(anyMissing ? Values.MISSING : List.copyOf(values), shown, VALUE, missing);
        }
    }

    /**
     * One step of a path: {@code .key}, {@code ["key"]} or {@code [0]}.
     *
     * @param key the key, or {@code null} for an index
     * @param dotted written as {@code .key}
     */
    record Segment(String text, String key, int index, boolean dotted) {
    }

    /**
     * A name supplied by the probe and the path into it: {@code body.a.b[0]}.
     *
     * @param root the first name as written
     * @param declaredKind the declared kind when known at parse time, else {@link Kind#ANY}
     */
    record Path(String text, int start, String root, List<Segment> segments, Kind declaredKind) implements Node {
        @Override
        public Kind kind() {
            return declaredKind;
        }

        /** {@code root}, {@code root.a}, {@code root.a.b}... as long as the steps are dotted keys. */
        List<String> rootCandidates() {
            List<String> candidates = new ArrayList<>();
            StringBuilder name = new StringBuilder(root);
            candidates.add(name.toString());
            for (Segment segment : segments) {
                if (!segment.dotted()) {
                    break;
                }
                candidates.add(name.append('.').append(segment.key()).toString());
            }
            return candidates;
        }

        @Override
        public Val eval(Scope scope) {
            List<String> candidates = rootCandidates();
            int used = -1;
            for (int i = candidates.size() - 1; i >= 0; i--) {
                if (scope.values.containsKey(candidates.get(i))) {
                    used = i;
                    break;
                }
            }
            if (used < 0) {
                throw new EvalException("unknown name '" + root + "'; known names: "
                        + String.join(", ", new TreeSet<>(scope.values.keySet())));
            }
            String label = candidates.get(used);
            Object current = scope.values.get(label);
            for (int i = used; i < segments.size() && current != Values.MISSING; i++) {
                current = step(scope, current, label, segments.get(i));
                label += segments.get(i).text();
            }
            if (current == Values.MISSING) {
                return new Val(Values.MISSING, text, VALUE, List.of(text + " is missing"));
            }
            Object value = Values.normalize(current);
            if (value == null) {
                throw new EvalException(text + " has a type conditions cannot read: " + current.getClass().getName());
            }
            scope.observed.put(text, Values.observable(current));
            return Val.of(value, text + "(" + Values.format(value) + ")", VALUE);
        }

        private static Object step(Scope scope, Object current, String label, Segment segment) {
            Object value = Values.normalize(current);
            if (value instanceof String) {
                JsonBodies.Body json = scope.parsedJson.get(label);
                if (json == null) {
                    try {
                        json = JsonBodies.read((String) value);
                    } catch (JsonProcessingException e) {
                        json = null;
                    }
                    if (json == null || json.value().isMissingNode()) {
                        throw new EvalException(label + " is not JSON, cannot read " + label + segment.text()
                                + " (" + label + " is " + Values.format(value) + ")");
                    }
                    scope.parsedJson.put(label, json);
                }
                value = Values.normalize(json.value());
            }
            if (segment.key() != null) {
                if (value instanceof Map) {
                    Map<?, ?> map = (Map<?, ?>) value;
                    Object found = map.get(segment.key());
                    return found != null || map.containsKey(segment.key()) ? found : Values.MISSING;
                }
                if (value instanceof JsonNode) {
                    // Into or through a key given twice: which value holds is not defined. One elsewhere is no matter.
                    scope.refuseRepeated((JsonNode) value, segment.key());
                    JsonNode found = ((JsonNode) value).get(segment.key());
                    return found == null ? Values.MISSING : found;
                }
                if (value == Values.NULL) {
                    return Values.MISSING;
                }
                throw new EvalException(label + " is " + describe(value, current) + ", it has no key '" + segment.key() + "'");
            }
            if (value instanceof List) {
                List<?> list = (List<?>) value;
                int index = segment.index() < 0 ? list.size() + segment.index() : segment.index();
                return index >= 0 && index < list.size() ? list.get(index) : Values.MISSING;
            }
            if (value == Values.NULL) {
                return Values.MISSING;
            }
            throw new EvalException(label + " is " + describe(value, current) + ", it has no element [" + segment.index() + "]");
        }

        private static String describe(Object value, Object raw) {
            return value == null ? "of type " + raw.getClass().getName() : Values.describe(value);
        }
    }

    /** {@code !x} or {@code not x}. */
    record Not(String text, int start, String operator, Node operand) implements Node {
        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }

        @Override
        public Val eval(Scope scope) {
            Val val = operand.eval(scope);
            Object truth = Logic.truth(operand, val);
            String prefix = operator.equals("!") ? "!" : "not ";
            String shown = prefix + val.shownAbove(VALUE);
            Object result = truth == Values.MISSING ? Values.MISSING : !(Boolean) truth;
            return new Val(result, shown, NOT, val.missing());
        }
    }

    /** {@code a && b}, {@code a || b}, also written {@code and}, {@code or}; evaluated left to right, short-circuit. */
    record Logic(String text, int start, String operator, boolean isAnd, Node left, Node right) implements Node {
        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }

        static Object truth(Node node, Val val) {
            Object value = val.value();
            if (value instanceof Boolean || value == Values.MISSING) {
                return value;
            }
            throw new EvalException(node.text() + " is " + Values.describe(value) + ", expected true or false");
        }

        @Override
        public Val eval(Scope scope) {
            Boolean decisive = !isAnd;
            Val l = left.eval(scope);
            if (decisive.equals(truth(left, l))) {
                return l;
            }
            Val r = right.eval(scope);
            Object rightTruth = truth(right, r);
            if (decisive.equals(rightTruth)) {
                return r;
            }
            if (l.isMissing() != r.isMissing()) {
                return l.isMissing() ? l : r;
            }
            int precedence = isAnd ? AND : OR;
            String shown = l.shownAbove(precedence) + " " + operator + " " + r.shownAbove(precedence);
            return new Val(l.value(), shown, precedence, Val.merge(l, r));
        }
    }

    /** {@code a == b}, {@code !=}, {@code <}, {@code <=}, {@code >}, {@code >=}. */
    record Comparison(String text, int start, String operator, Node left, Node right) implements Node {
        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }

        @Override
        public Val eval(Scope scope) {
            Val l = left.eval(scope);
            Val r = right.eval(scope);
            String shown = l.shownAbove(VALUE) + " " + operator + " " + r.shownAbove(VALUE);
            if (l.isMissing() || r.isMissing()) {
                return new Val(Values.MISSING, shown, COMPARISON, Val.merge(l, r));
            }
            boolean result = Compare.compare(operator, left, l.value(), right, r.value());
            return Val.of(result, shown, COMPARISON);
        }
    }

    /** {@code x in list} and {@code x not in list}. */
    record In(String text, int start, String operator, boolean negated, Node left, Node right) implements Node {
        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }

        @Override
        public Val eval(Scope scope) {
            Val l = left.eval(scope);
            Val r = right.eval(scope);
            String shown = l.shownAbove(VALUE) + " " + operator + " " + r.shownAbove(VALUE);
            if (l.isMissing() || r.isMissing()) {
                return new Val(Values.MISSING, shown, COMPARISON, Val.merge(l, r));
            }
            if (!(r.value() instanceof List)) {
                throw new EvalException(right.text() + " is " + Values.describe(r.value()) + ", '" + operator + "' needs a list");
            }
            if (Compare.isNaN(l.value())) {
                return Val.of(false, shown, COMPARISON);
            }
            boolean found = false;
            List<?> items = (List<?>) r.value();
            for (int i = 0; i < items.size() && !found; i++) {
                Object value = Values.normalize(items.get(i));
                // an item of a written list is named in a type error; an item of a supplied list by its kind
                Node itemNode = right instanceof ListLiteral
                        ? ((ListLiteral) right).items().get(i)
                        : new Literal(right.text() + "[" + i + "]", right.start(), value, Values.kindOf(value));
                found = value != Values.MISSING && Compare.compare("==", left, l.value(), itemNode, value);
            }
            return Val.of(found != negated, shown, COMPARISON);
        }
    }

    /** {@code s =~ "regex"} and {@code s !~ "regex"}; the regex is compiled when parsed and found anywhere in s. */
    record Match(String text, int start, String operator, Node left, Node regex, Pattern pattern) implements Node {
        @Override
        public Kind kind() {
            return Kind.BOOLEAN;
        }

        @Override
        public Val eval(Scope scope) {
            Val l = left.eval(scope);
            String shown = l.shownAbove(VALUE) + " " + operator + " " + regex.text();
            if (l.isMissing()) {
                return new Val(Values.MISSING, shown, COMPARISON, l.missing());
            }
            if (!(l.value() instanceof String)) {
                throw new EvalException(left.text() + " is " + Values.describe(l.value()) + ", '" + operator + "' needs a string");
            }
            boolean found = pattern.matcher((String) l.value()).find();
            return Val.of(found != operator.equals("!~"), shown, COMPARISON);
        }
    }

    /** A function call: {@code len(body.items)}. */
    record Call(String text, int start, Functions.Function function, List<Node> args, Pattern pattern) implements Node {
        @Override
        public Kind kind() {
            return function.resultKind(args);
        }

        @Override
        public Val eval(Scope scope) {
            return function.apply(this, scope);
        }
    }
}
