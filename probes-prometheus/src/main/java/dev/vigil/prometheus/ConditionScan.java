package dev.vigil.prometheus;

import dev.vigil.condition.Condition;
import dev.vigil.condition.Criteria;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a probe's conditions refer to: their root names (from {@link Condition#names()}) and
 * whether a condition calls {@code isNaN} (read from the source outside string literals, as the
 * language has no API for the functions a condition calls). Used by the rule on NaN: a NaN value
 * is missing data, unless the condition itself tests for it with {@code isNaN}. Calling
 * {@code isInf} does not count: infinities are numbers to every condition, so a condition that
 * tests for them alone ({@code isInf(value) || value > 0.01}) would pass NaN.
 */
final class ConditionScan {

    /** The function that, when a condition calls it, hands NaN to it unchanged. */
    static final String NAN_FUNCTION = "isNaN";

    private final Set<String> names;
    private final boolean testsNaN;

    private ConditionScan(Set<String> names, boolean testsNaN) {
        this.names = names;
        this.testsNaN = testsNaN;
    }

    static ConditionScan of(Criteria criteria) {
        Set<String> identifiers = new LinkedHashSet<>();
        Set<String> roots = new LinkedHashSet<>();
        if (criteria != null) {
            for (String source : new String[] {criteria.passWhen(), criteria.failWhen()}) {
                if (source != null) {
                    scan(source, identifiers);
                    roots.addAll(Condition.parse(source).names());
                }
            }
        }
        boolean tests = identifiers.contains(NAN_FUNCTION);
        return new ConditionScan(Set.copyOf(roots), tests);
    }

    /** Whether the conditions refer to this root name. */
    boolean uses(String name) {
        return names.contains(name);
    }

    /** Whether a condition calls {@code isNaN}. */
    boolean testsNaN() {
        return testsNaN;
    }

    /** Collects identifiers that start a path (not those after a {@code .}), skipping string literals. */
    private static void scan(String source, Set<String> into) {
        if (source == null) {
            return;
        }
        int i = 0;
        char previous = ' ';
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                i = end + 1;
                previous = c;
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < source.length()
                        && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_')) {
                    end++;
                }
                if (previous != '.' && !(i > 0 && Character.isDigit(source.charAt(i - 1)))) {
                    into.add(source.substring(i, end));
                }
                i = end;
                previous = 'a';
            } else {
                if (!Character.isWhitespace(c)) {
                    previous = c;
                }
                i++;
            }
        }
    }
}
