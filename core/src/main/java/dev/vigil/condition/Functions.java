package dev.vigil.condition;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.condition.Node.Call;
import dev.vigil.condition.Node.EvalException;
import dev.vigil.condition.Node.Scope;
import dev.vigil.condition.Node.Val;
import dev.vigil.condition.Values.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The functions conditions may call. None reaches beyond the values it is given. */
final class Functions {

    private Functions() {
    }

    /** Every function by name. */
    static final Map<String, Function> BY_NAME;

    static {
        Map<String, Function> byName = new TreeMap<>();
        for (Function function : Function.values()) {
            byName.put(function.spelling, function);
        }
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    /** A function: its name, how many arguments it takes, what it yields. */
    enum Function {
        IS_NAN("isNaN", 1, 1, true),
        IS_INF("isInf", 1, 1, true),
        LEN("len", 1, 1, false),
        HAS("has", 1, 1, true),
        EXISTS("exists", 1, 1, true),
        LOWER("lower", 1, 1, false),
        UPPER("upper", 1, 1, false),
        CONTAINS("contains", 2, 2, true),
        STARTS_WITH("startsWith", 2, 2, true),
        ENDS_WITH("endsWith", 2, 2, true),
        MATCHES("matches", 2, 2, true),
        ABS("abs", 1, 1, false),
        MIN("min", 1, Integer.MAX_VALUE, false),
        MAX("max", 1, Integer.MAX_VALUE, false),
        ALL("all", 1, 1, true),
        ANY("any", 1, 1, true);

        final String spelling;
        final int minArgs;
        final int maxArgs;
        /** Yields true or false; shown with its arguments' values rather than with its own. */
        final boolean predicate;

        Function(String spelling, int minArgs, int maxArgs, boolean predicate) {
            this.spelling = spelling;
            this.minArgs = minArgs;
            this.maxArgs = maxArgs;
            this.predicate = predicate;
        }

        String arity() {
            if (maxArgs == Integer.MAX_VALUE) {
                return minArgs + " or more arguments";
            }
            return minArgs + (minArgs == 1 ? " argument" : " arguments");
        }

        Kind resultKind(List<Node> args) {
            if (predicate) {
                return Kind.BOOLEAN;
            }
            switch (this) {
                case LEN: return Kind.NUMBER;
                case LOWER: case UPPER: return Kind.STRING;
                case ABS: return args.get(0).kind();
                default:
                    return args.size() == 1 ? Kind.ANY : args.get(0).kind();
            }
        }

        /** The kinds each argument may have, for the parse-time check and the messages. */
        Kind[] accepts(int index, int count) {
            switch (this) {
                case IS_NAN: case IS_INF: return new Kind[] {Kind.NUMBER};
                case LEN: return new Kind[] {Kind.STRING, Kind.LIST, Kind.OBJECT};
                case HAS: case EXISTS: return new Kind[] {Kind.ANY};
                case CONTAINS: return index == 0 ? new Kind[] {Kind.STRING, Kind.LIST} : new Kind[] {Kind.ANY};
                case ABS: return new Kind[] {Kind.NUMBER, Kind.DURATION};
                case MIN: case MAX:
                    return count == 1 ? new Kind[] {Kind.LIST} : new Kind[] {Kind.NUMBER, Kind.DURATION, Kind.STRING};
                case ALL: case ANY: return new Kind[] {Kind.LIST};
                default: return new Kind[] {Kind.STRING};
            }
        }

        static String describe(Kind[] kinds) {
            List<String> names = new ArrayList<>();
            for (Kind kind : kinds) {
                names.add(kind.described);
            }
            if (names.size() == 1) {
                return names.get(0);
            }
            return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
        }

        Val apply(Call call, Scope scope) {
            List<Node> argNodes = call.args();
            List<Val> args = new ArrayList<>(argNodes.size());
            List<String> shownArgs = new ArrayList<>(argNodes.size());
            boolean missing = false;
            for (Node argNode : argNodes) {
                Val arg = argNode.eval(scope);
                args.add(arg);
                shownArgs.add(arg.shown());
                missing |= arg.isMissing();
            }
            if (this == HAS || this == EXISTS) {
                return Val.of(!missing, call.text(), Node.VALUE);
            }
            String argsShown = spelling + "(" + String.join(", ", shownArgs) + ")";
            if (missing) {
                return new Val(Values.MISSING, predicate ? argsShown : call.text(), Node.VALUE,
                        Val.merge(args.toArray(new Val[0])));
            }
            for (int i = 0; i < args.size(); i++) {
                Kind[] accepted = accepts(i, args.size());
                Kind kind = Values.kindOf(args.get(i).value());
                if (!kind.isOneOf(accepted)) {
                    throw new EvalException(spelling + " needs " + describe(accepted) + ", but " + argNodes.get(i).text()
                            + " is " + Values.describe(args.get(i).value()));
                }
            }
            Object result = compute(call, args);
            if (result == Values.MISSING) {
                return new Val(Values.MISSING, call.text(), Node.VALUE,
                        List.of(call.text() + " has no value: the list is empty"));
            }
            return Val.of(result, predicate ? argsShown : call.text() + "(" + Values.format(result) + ")", Node.VALUE);
        }

        private Object compute(Call call, List<Val> args) {
            Object first = args.get(0).value();
            Object second = args.size() > 1 ? args.get(1).value() : null;
            switch (this) {
                case IS_NAN: return ((Double) first).isNaN();
                case IS_INF: return ((Double) first).isInfinite();
                case LEN:
                    if (first instanceof String) {
                        return (double) ((String) first).codePointCount(0, ((String) first).length());
                    }
                    if (first instanceof List) {
                        return (double) ((List<?>) first).size();
                    }
                    return (double) (first instanceof Map ? ((Map<?, ?>) first).size() : ((JsonNode) first).size());
                case LOWER: return ((String) first).toLowerCase(Locale.ROOT);
                case UPPER: return ((String) first).toUpperCase(Locale.ROOT);
                case CONTAINS:
                    if (first instanceof List) {
                        for (Object item : (List<?>) first) {
                            if (Compare.equal(Values.normalize(item), second)) {
                                return true;
                            }
                        }
                        return false;
                    }
                    if (!(second instanceof String)) {
                        throw new EvalException("contains on a string needs a string to look for, but "
                                + call.args().get(1).text() + " is " + Values.describe(second));
                    }
                    return ((String) first).contains((String) second);
                case STARTS_WITH: return ((String) first).startsWith((String) second);
                case ENDS_WITH: return ((String) first).endsWith((String) second);
                case MATCHES: return call.pattern().matcher((String) first).find();
                case ABS:
                    return first instanceof Duration ? ((Duration) first).abs() : (Object) Math.abs((Double) first);
                case MIN: case MAX: return extreme(call, args);
                default: return allOrAny(call, (List<?>) first);
            }
        }

        private Object extreme(Call call, List<Val> args) {
            List<Object> items = new ArrayList<>();
            Node source = call.args().get(0);
            if (args.size() == 1) {
                for (Object item : (List<?>) args.get(0).value()) {
                    items.add(Values.normalize(item));
                }
            } else {
                args.forEach(arg -> items.add(arg.value()));
            }
            Object best = Values.MISSING;
            for (Object item : items) {
                Kind kind = Values.kindOf(item);
                if (!kind.isOneOf(Kind.NUMBER, Kind.DURATION, Kind.STRING) || kind == Kind.ANY) {
                    throw new EvalException(spelling + " needs numbers, durations or strings, but " + source.text()
                            + " holds " + Values.describe(item));
                }
                if (best == Values.MISSING) {
                    best = item;
                    continue;
                }
                if (Values.kindOf(best) != kind) {
                    throw new EvalException(spelling + " needs values of one kind, but " + source.text() + " holds "
                            + Values.describe(best) + " and " + Values.describe(item));
                }
                if (Compare.isNaN(item) || Compare.isNaN(best)) {
                    best = Double.NaN;
                    continue;
                }
                boolean less = Compare.compare("<", source, item, source, best);
                if (less == (this == MIN)) {
                    best = item;
                }
            }
            return best;
        }

        private Object allOrAny(Call call, List<?> items) {
            boolean all = this == ALL;
            for (Object item : items) {
                Object value = Values.normalize(item);
                if (!(value instanceof Boolean)) {
                    throw new EvalException(spelling + " needs a list of true or false, but " + call.args().get(0).text()
                            + " holds " + Values.describe(value));
                }
                if ((Boolean) value != all) {
                    return !all;
                }
            }
            return all;
        }
    }
}
