package dev.vigil.condition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The language's values and how they read. At evaluation a value is one of: {@link Double},
 * {@link String}, {@link Boolean}, {@link Duration}, {@link List}, {@link Map} or an object
 * {@link JsonNode} (both navigated by key), {@link #NULL}, or {@link #MISSING}.
 */
final class Values {

    /** JSON {@code null}, and the {@code null} literal. */
    static final Object NULL = new Marker("null");
    /** A name absent from the measurement; also the truth of a comparison that involves one. */
    static final Object MISSING = new Marker("missing");

    /** Converts JSON read from bodies ({@link JsonBodies}) to the language's values; thread-safe. */
    static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final int MAX_SHOWN_CHARS = 80;
    private static final int MAX_SHOWN_ITEMS = 10;

    private Values() {
    }

    private record Marker(String name) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** The kinds of values, used both at parse time (with {@link #ANY}) and at evaluation. */
    enum Kind {
        NUMBER("a number"), STRING("a string"), BOOLEAN("a boolean"), DURATION("a duration"),
        LIST("a list"), OBJECT("an object"), NULL("null"), ANY("a value");

        final String described;

        Kind(String described) {
            this.described = described;
        }

        static Kind of(ValueType type) {
            switch (type) {
                case NUMBER: return NUMBER;
                case STRING: return STRING;
                case BOOLEAN: return BOOLEAN;
                case DURATION: return DURATION;
                case LIST: return LIST;
                default: return ANY;
            }
        }

        boolean isOneOf(Kind... kinds) {
            if (this == ANY) {
                return true;
            }
            for (Kind kind : kinds) {
                if (kind == this || kind == ANY) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Turns a supplied or navigated value into the language's representation; {@code null} for a
     * Java type the language does not know (never reached into).
     */
    static Object normalize(Object raw) {
        if (raw == null) {
            return NULL;
        }
        if (raw instanceof Double || raw instanceof String || raw instanceof Boolean
                || raw instanceof Duration || raw == NULL || raw == MISSING) {
            return raw;
        }
        if (raw instanceof Number) {
            return ((Number) raw).doubleValue();
        }
        if (raw instanceof CharSequence || raw instanceof Character) {
            return raw.toString();
        }
        if (raw instanceof List) {
            return raw;
        }
        if (raw instanceof Collection) {
            return new ArrayList<>((Collection<?>) raw);
        }
        if (raw instanceof Map) {
            return raw;
        }
        if (raw instanceof JsonNode) {
            JsonNode node = (JsonNode) raw;
            if (node.isMissingNode()) {
                return MISSING;
            }
            if (node.isNull()) {
                return NULL;
            }
            if (node.isNumber()) {
                return node.doubleValue();
            }
            if (node.isTextual()) {
                return node.textValue();
            }
            if (node.isBoolean()) {
                return node.booleanValue();
            }
            if (node.isArray()) {
                List<Object> items = new ArrayList<>(node.size());
                node.forEach(items::add);
                return items;
            }
            if (node.isObject()) {
                return node;
            }
            return node.asText();
        }
        return null;
    }

    /** The kind of a normalized value. */
    static Kind kindOf(Object value) {
        if (value instanceof Double) {
            return Kind.NUMBER;
        }
        if (value instanceof String) {
            return Kind.STRING;
        }
        if (value instanceof Boolean) {
            return Kind.BOOLEAN;
        }
        if (value instanceof Duration) {
            return Kind.DURATION;
        }
        if (value instanceof List) {
            return Kind.LIST;
        }
        if (value instanceof Map || value instanceof JsonNode) {
            return Kind.OBJECT;
        }
        if (value == NULL) {
            return Kind.NULL;
        }
        return Kind.ANY;
    }

    /** A plain Java value for {@link Evaluation#observed()}: JSON becomes maps, lists, numbers, strings. */
    static Object observable(Object raw) {
        if (raw instanceof JsonNode) {
            JsonNode node = (JsonNode) raw;
            if (node.isIntegralNumber() && node.canConvertToLong()) {
                return node.longValue();
            }
            return JSON.convertValue(node, Object.class);
        }
        if (raw == NULL) {
            return null;
        }
        return raw;
    }

    /** How a value reads in explanations: {@code 200}, {@code 0.031}, {@code 812ms}, {@code "UP"}. */
    static String format(Object value) {
        Object v = normalize(value);
        if (v == null) {
            return value.getClass().getSimpleName();
        }
        if (v instanceof Double) {
            return formatNumber((Double) v);
        }
        if (v instanceof String) {
            return quote(shorten((String) v));
        }
        if (v instanceof Duration) {
            return formatDuration((Duration) v);
        }
        if (v instanceof List) {
            List<?> list = (List<?>) v;
            StringBuilder out = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                if (i == MAX_SHOWN_ITEMS) {
                    out.append(", ... ").append(list.size() - i).append(" more");
                    break;
                }
                out.append(i == 0 ? "" : ", ").append(format(list.get(i)));
            }
            return out.append(']').toString();
        }
        if (v instanceof JsonNode || v instanceof Map) {
            StringBuilder out = new StringBuilder("{");
            int shown = 0;
            for (Map.Entry<String, Object> entry : entries(v).entrySet()) {
                if (shown == MAX_SHOWN_ITEMS) {
                    out.append(", ...");
                    break;
                }
                out.append(shown++ == 0 ? "" : ", ").append(quote(entry.getKey())).append(": ").append(format(entry.getValue()));
            }
            return out.append('}').toString();
        }
        return String.valueOf(v);
    }

    /**
     * {@code 200}, not {@code 200.0}; {@code 0.031}; {@code NaN}; {@code Infinity}; at most
     * {@value #SIGNIFICANT_DIGITS} significant digits ({@code 0.256724}, not {@code 0.2567243993934073}).
     */
    static final int SIGNIFICANT_DIGITS = 6;

    static String formatNumber(double number) {
        if (Double.isNaN(number) || Double.isInfinite(number)) {
            return Double.toString(number);
        }
        if (number == Math.rint(number) && Math.abs(number) < 1e15) {
            return Long.toString((long) number);
        }
        BigDecimal exact = BigDecimal.valueOf(number).round(new java.math.MathContext(SIGNIFICANT_DIGITS)).stripTrailingZeros();
        if (Math.abs(number) >= 1e-6 && Math.abs(number) < 1e15) {
            return exact.toPlainString();
        }
        return exact.toString();
    }

    /** {@code 812ms}, {@code 1.5s}, {@code 90s}, {@code 250us}, {@code 40ns}, {@code 0ms}. */
    static String formatDuration(Duration duration) {
        if (duration.isZero()) {
            return "0ms";
        }
        if (duration.isNegative()) {
            return "-" + formatDuration(duration.negated());
        }
        BigDecimal nanos = new BigDecimal(duration.getSeconds()).movePointRight(9).add(BigDecimal.valueOf(duration.getNano()));
        if (nanos.compareTo(BigDecimal.valueOf(1_000)) < 0) {
            return nanos.toPlainString() + "ns";
        }
        if (nanos.compareTo(BigDecimal.valueOf(1_000_000)) < 0) {
            return nanos.movePointLeft(3).stripTrailingZeros().toPlainString() + "us";
        }
        if (nanos.compareTo(BigDecimal.valueOf(1_000_000_000)) < 0) {
            return nanos.movePointLeft(6).stripTrailingZeros().toPlainString() + "ms";
        }
        return nanos.movePointLeft(9).stripTrailingZeros().toPlainString() + "s";
    }

    /** A string in double quotes with the language's escapes. */
    static String quote(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        return out.append('"').toString();
    }

    private static String shorten(String text) {
        if (text.length() <= MAX_SHOWN_CHARS) {
            return text;
        }
        int end = MAX_SHOWN_CHARS;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "...";
    }

    /** The fields of an object value ({@link Map} or object {@link JsonNode}), in their order. */
    static Map<String, Object> entries(Object object) {
        Map<String, Object> entries = new LinkedHashMap<>();
        if (object instanceof JsonNode) {
            ((JsonNode) object).properties().forEach(field -> entries.put(field.getKey(), field.getValue()));
        } else {
            ((Map<?, ?>) object).forEach((key, value) -> entries.put(String.valueOf(key), value));
        }
        return entries;
    }

    /** {@code a string ("12")}: the kind and the value, for type errors. */
    static String describe(Object value) {
        Kind kind = kindOf(value);
        return kind == Kind.NULL ? "null" : kind.described + " (" + format(value) + ")";
    }
}
