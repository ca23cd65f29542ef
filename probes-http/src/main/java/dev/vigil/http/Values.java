package dev.vigil.http;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** Keeps the values of a measurement small and of the types reports know. */
final class Values {

    /** Longest text kept in a measurement's values; the rest is cut and marked. */
    static final int MAX_TEXT = 256;

    private Values() {
    }

    /** Copies {@code observed} into {@code into}, keeping numbers, booleans and durations and cutting text. */
    static void putAll(Map<String, Object> into, Map<String, ?> observed) {
        observed.forEach((name, value) -> into.put(name, simple(value)));
    }

    static Object simple(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof Duration) {
            return value;
        }
        return cut(String.valueOf(value));
    }

    static String cut(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "... (" + text.length() + " chars)";
    }

    static Map<String, Object> base(Response response) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", response.status());
        values.put("latency", response.latency());
        values.put("connect-time", response.connectTime());
        if (response.redirectedTo() != null) {
            values.put("redirected-to", response.redirectedTo());
        }
        return values;
    }
}
