package dev.vigil.condition;

import dev.vigil.condition.Node.EvalException;
import dev.vigil.condition.Values.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The comparison rules, shared by the parse-time type check and the evaluation. */
final class Compare {

    private Compare() {
    }

    static boolean isOrdering(String operator) {
        return !operator.equals("==") && !operator.equals("!=");
    }

    static boolean isNaN(Object value) {
        return value instanceof Double && ((Double) value).isNaN();
    }

    /**
     * Why two kinds cannot be compared with the operator, or {@code null} when they can (or may,
     * when a kind is {@link Kind#ANY}).
     *
     * @param leftShown how the left side reads in the message: its kind, or its kind and value
     */
    static String mismatch(String operator, Node left, Kind leftKind, String leftShown,
            Node right, Kind rightKind, String rightShown) {
        if (isOrdering(operator)) {
            for (int side = 0; side < 2; side++) {
                Kind kind = side == 0 ? leftKind : rightKind;
                if (!kind.isOneOf(Kind.NUMBER, Kind.DURATION, Kind.STRING)) {
                    Node node = side == 0 ? left : right;
                    return "'" + operator + "' compares numbers, durations or strings, but " + node.text() + " is "
                            + (side == 0 ? leftShown : rightShown);
                }
            }
        }
        if (leftKind == Kind.ANY || rightKind == Kind.ANY || leftKind == rightKind
                || (!isOrdering(operator) && (leftKind == Kind.NULL || rightKind == Kind.NULL))) {
            return null;
        }
        boolean subjectIsLeft = !(left instanceof Node.Literal) || right instanceof Node.Literal;
        Node subject = subjectIsLeft ? left : right;
        Node other = subjectIsLeft ? right : left;
        Kind otherKind = subjectIsLeft ? rightKind : leftKind;
        String message = subject.text() + " is " + (subjectIsLeft ? leftShown : rightShown) + ", cannot compare with "
                + (other instanceof Node.Literal ? otherKind.described : other.text() + ", " + (subjectIsLeft ? rightShown : leftShown));
        if (other instanceof Node.Literal && otherKind == Kind.NUMBER && (subjectIsLeft ? leftKind : rightKind) == Kind.DURATION) {
            // "5%" with a unit would be "5%ms", which is no duration either.
            message += other.text().endsWith("%") ? "; a percentage is no duration: write a duration, such as 500ms"
                    : "; write " + other.text() + " with a unit, such as " + other.text() + "ms";
        }
        return message;
    }

    /** Compares two normalized, present values. */
    static boolean compare(String operator, Node left, Object l, Node right, Object r) {
        Kind lk = Values.kindOf(l);
        Kind rk = Values.kindOf(r);
        String problem = mismatch(operator, left, lk, Values.describe(l), right, rk, Values.describe(r));
        if (problem != null) {
            throw new EvalException(problem);
        }
        if (isNaN(l) || isNaN(r)) {
            return false;
        }
        switch (operator) {
            case "==":
                return equal(l, r);
            case "!=":
                return !equal(l, r);
            default:
                int order = order(l, r);
                switch (operator) {
                    case "<": return order < 0;
                    case "<=": return order <= 0;
                    case ">": return order > 0;
                    default: return order >= 0;
                }
        }
    }

    private static int order(Object l, Object r) {
        if (l instanceof Double) {
            return Double.compare((Double) l, (Double) r);
        }
        if (l instanceof Duration) {
            return ((Duration) l).compareTo((Duration) r);
        }
        return ((String) l).compareTo((String) r);
    }

    /** Equality of normalized values; values of different kinds are not equal. */
    static boolean equal(Object l, Object r) {
        if (l instanceof Double && r instanceof Double) {
            return ((Double) l).doubleValue() == (Double) r;
        }
        if (l instanceof Duration && r instanceof Duration) {
            return ((Duration) l).compareTo((Duration) r) == 0;
        }
        if (l instanceof List && r instanceof List) {
            List<?> a = (List<?>) l;
            List<?> b = (List<?>) r;
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(Values.normalize(a.get(i)), Values.normalize(b.get(i)))) {
                    return false;
                }
            }
            return true;
        }
        if (Values.kindOf(l) == Kind.OBJECT && Values.kindOf(r) == Kind.OBJECT) {
            Map<String, Object> a = Values.entries(l);
            Map<String, Object> b = Values.entries(r);
            if (!a.keySet().equals(b.keySet())) {
                return false;
            }
            for (Map.Entry<String, Object> entry : a.entrySet()) {
                if (!equal(Values.normalize(entry.getValue()), Values.normalize(b.get(entry.getKey())))) {
                    return false;
                }
            }
            return true;
        }
        return l != null && l.equals(r);
    }
}
