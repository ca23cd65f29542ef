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

    /**
     * The text, or its first {@value #MAX_TEXT} chars and how long it was. The cut falls before a
     * character that the limit would split (an emoji is two chars): half of one is no character,
     * and the reports would show it as U+FFFD.
     */
    static String cut(String text) {
        return cut(text, MAX_TEXT);
    }

    /** As {@link #cut(String)}, to {@code max} chars; {@code null} stays {@code null}. */
    static String cut(String text, int max) {
        if (text == null || text.length() <= max) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return text.substring(0, end) + "... (" + text.length() + " chars)";
    }

    static Map<String, Object> base(Response response) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", response.status());
        values.put("latency", response.latency());
        values.put("connect-time", response.connectTime());
        if (!response.redirects().isEmpty()) {
            values.put("redirects", cut(Redirects.chain(response.redirects())));
        }
        if (response.notFollowed() != null) {
            values.put("redirected-to", response.notFollowed().location());
        }
        return values;
    }
}
