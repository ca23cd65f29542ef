package dev.vigil.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads values the way Spring Boot does: durations, sizes, booleans. Stateless. */
final class Values {

    /** What a duration may look like, for messages. */
    static final String DURATION_FORMS = "use a number with a unit (500ms, 30s, 5m, 1h, 2d), an ISO-8601 duration (PT30S) or bare milliseconds";
    /** What a size may look like, for messages. */
    static final String SIZE_FORMS = "use a number with a unit (512B, 512KB, 1MB, 1GB) or bare bytes";

    private static final Pattern SIMPLE = Pattern.compile("([+-]?\\d+)([a-zA-Z]{0,2})");

    /** The longest duration a key may give: what {@link Duration#toMillis()} holds. */
    static final Duration LONGEST_DURATION = Duration.ofMillis(Long.MAX_VALUE);

    private Values() {
    }

    /**
     * A duration as Spring Boot's {@code DurationStyle} reads it: {@code 500ms}, {@code 30s},
     * {@code 5m}, {@code 1h}, {@code 2d}, {@code 10us}, {@code 10ns}, ISO-8601 ({@code PT30S}),
     * a bare number in milliseconds.
     */
    static Optional<Duration> duration(String text) {
        String value = text.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        if (value.matches("[+-]?[pP].*")) {
            try {
                return Optional.of(Duration.parse(value));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        Matcher m = SIMPLE.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount;
        try {
            amount = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        try {
            switch (m.group(2).toLowerCase(Locale.ROOT)) {
                case "":
                case "ms":
                    return Optional.of(Duration.ofMillis(amount));
                case "ns":
                    return Optional.of(Duration.ofNanos(amount));
                case "us":
                    return Optional.of(Duration.ofNanos(Math.multiplyExact(amount, 1000L)));
                case "s":
                    return Optional.of(Duration.ofSeconds(amount));
                case "m":
                    return Optional.of(Duration.ofMinutes(amount));
                case "h":
                    return Optional.of(Duration.ofHours(amount));
                case "d":
                    return Optional.of(Duration.ofDays(amount));
                default:
                    return Optional.empty();
            }
        } catch (ArithmeticException e) {
            return Optional.empty();
        }
    }

    /** A size in bytes as Spring Boot's {@code DataSize} reads it, binary units: {@code 1KB} is 1024 bytes. */
    static Optional<Long> size(String text) {
        Matcher m = SIMPLE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long factor;
        switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "":
            case "B":
                factor = 1L;
                break;
            case "KB":
                factor = 1L << 10;
                break;
            case "MB":
                factor = 1L << 20;
                break;
            case "GB":
                factor = 1L << 30;
                break;
            case "TB":
                factor = 1L << 40;
                break;
            default:
                return Optional.empty();
        }
        try {
            return Optional.of(Math.multiplyExact(Long.parseLong(m.group(1)), factor));
        } catch (ArithmeticException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code true}, {@code false} and Spring's aliases ({@code yes}/{@code no}, {@code on}/{@code off}, {@code 1}/{@code 0}). */
    static Optional<Boolean> bool(String text) {
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true":
            case "yes":
            case "on":
            case "1":
                return Optional.of(Boolean.TRUE);
            case "false":
            case "no":
            case "off":
            case "0":
                return Optional.of(Boolean.FALSE);
            default:
                return Optional.empty();
        }
    }

    /** A whole number. */
    static Optional<Integer> integer(String text) {
        try {
            return Optional.of(Integer.parseInt(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A decimal number (not NaN, not infinite). */
    static Optional<Double> number(String text) {
        try {
            double d = Double.parseDouble(text.trim());
            return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** A duration the way a user writes it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m}. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.isNegative() || d.getNano() % 1_000_000 != 0) {
            return d.toString();
        }
        long ms;
        try {
            ms = d.toMillis();
        } catch (ArithmeticException e) {
            // Longer than 292 million years: no friendlier form is worth it.
            return d.toString();
        }
        if (ms < 1000 || ms % 1000 != 0) {
            return ms + "ms";
        }
        long s = ms / 1000;
        StringBuilder out = new StringBuilder();
        long[] units = {86_400, 3_600, 60, 1};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (s >= units[i]) {
                out.append(s / units[i]).append(names[i]);
                s %= units[i];
            }
        }
        return out.toString();
    }
}
