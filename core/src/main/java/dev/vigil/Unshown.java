package dev.vigil;

import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;

/**
 * How the values' own {@code toString()} shows what may hold a credential: a reason, a command's
 * output, a condition, a measured body or header. Such a text is shown by its length, a map by its
 * keys, a list by its size. A pipeline logs these values as they are; the reports show the texts,
 * masked ({@code dev.vigil.report.Reports.redact}), which this package may not use.
 */
final class Unshown {

    private Unshown() {
    }

    /** {@code <42 chars>}, {@code <empty>} or {@code null}. */
    static String text(String text) {
        return text == null ? "null" : text.isEmpty() ? "<empty>" : "<" + text.length() + " chars>";
    }

    /** The map's keys, sorted, without their values. */
    static String keys(Map<String, ?> map) {
        return map == null ? "null" : new TreeSet<>(map.keySet()).toString();
    }

    /** {@code <3 items>} or {@code null}. */
    static String size(Collection<?> items) {
        return items == null ? "null" : "<" + items.size() + " items>";
    }
}
