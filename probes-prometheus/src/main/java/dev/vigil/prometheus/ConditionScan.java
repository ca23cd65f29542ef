package dev.vigil.prometheus;

import dev.vigil.condition.Criteria;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What a probe's conditions refer to, read from their source text: the root names outside string
 * literals, and whether a condition calls {@code isNaN}, {@code isInf} or {@code isFinite}. Used by
 * the rule on NaN and infinite values: such a value makes a measurement inconclusive, unless the
 * condition itself tests for it.
 */
final class ConditionScan {

    /** The functions that, when a condition calls one, hand NaN and infinities to it unchanged. */
    static final Set<String> NON_FINITE_FUNCTIONS = Set.of("isNaN", "isInf", "isInfinite", "isFinite");

    private final Set<String> names;
    private final boolean testsNonFinite;

    private ConditionScan(Set<String> names, boolean testsNonFinite) {
        this.names = names;
        this.testsNonFinite = testsNonFinite;
    }

    static ConditionScan of(Criteria criteria) {
        Set<String> identifiers = new LinkedHashSet<>();
        if (criteria != null) {
            scan(criteria.passWhen(), identifiers);
            scan(criteria.failWhen(), identifiers);
        }
        boolean tests = identifiers.stream().anyMatch(NON_FINITE_FUNCTIONS::contains);
        return new ConditionScan(Set.copyOf(identifiers), tests);
    }

    /** Whether the conditions refer to this root name. */
    boolean uses(String name) {
        return names.contains(name);
    }

    /** Whether a condition calls {@code isNaN}, {@code isInf}, {@code isInfinite} or {@code isFinite}. */
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
