package dev.vigil.prometheus;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How this module's enums are written in configuration: the constant's name in lower case
 * ({@code on-no-data=inconclusive}, {@code bucket-unit=milliseconds}), read in any case. Stateless.
 */
final class ConfigValues {

    private ConfigValues() {
    }

    /**
     * The constant written as {@code text}.
     *
     * @param text the configured value; surrounding blanks and case are ignored
     * @throws IllegalArgumentException naming the accepted values, also for {@code null}
     */
    static <E extends Enum<E>> E parse(Class<E> type, String text) {
        String value = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
        for (E candidate : type.getEnumConstants()) {
            if (candidate.name().equals(value)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + names(type));
    }

    /** The constant as written in configuration: its name in lower case. */
    static String of(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Every constant as written in configuration, comma-separated: {@code inconclusive, fail, pass}. */
    static String names(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(ConfigValues::of).collect(Collectors.joining(", "));
    }
}
