package dev.vigil.prometheus;

import dev.vigil.condition.Condition;
import dev.vigil.condition.Criteria;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a probe's conditions refer to: their root names (from {@link Condition#names()}) and
 * whether a condition calls {@code isNaN} or {@code isInf} (read from the source outside string
 * literals, as the language has no API for the functions a condition calls). Used by the rule on
 * NaN and infinite values: such a value makes a measurement inconclusive, unless the condition
 * itself tests for it.
 */
final class ConditionScan {

    /** The functions that, when a condition calls one, hand NaN and infinities to it unchanged. */
    static final Set<String> NON_FINITE_FUNCTIONS = Set.of("isNaN", "isInf");

    private final Set<String> names;
    private final boolean testsNonFinite;

    private ConditionScan(Set<String> names, boolean testsNonFinite) {
        this.names = names;
        this.testsNonFinite = testsNonFinite;
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
        boolean tests = identifiers.stream().anyMatch(NON_FINITE_FUNCTIONS::contains);
        return new ConditionScan(Set.copyOf(roots), tests);
    }

    /** Whether the conditions refer to this root name. */
    boolean uses(String name) {
        return names.contains(name);
    }

    /** Whether a condition calls {@code isNaN} or {@code isInf}. */
    boolean testsNonFinite() {
        return testsNonFinite;
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
