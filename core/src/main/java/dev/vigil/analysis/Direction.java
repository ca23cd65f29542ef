package dev.vigil.analysis;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which change of a metric is a regression, as in Kayenta's metric {@code direction}.
 */
public enum Direction {
    /** A higher value in the canary is a regression (error rates, latency). */
    INCREASE,
    /** A lower value in the canary is a regression (throughput, success rate). */
    DECREASE,
    /** A change either way is a regression. */
    EITHER;

    /**
     * The value as written in configuration.
     *
     * @return the lower-case name: {@code increase}, {@code decrease} or {@code either}
     */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a direction as written in configuration, ignoring case.
     *
     * @param text {@code increase}, {@code decrease} or {@code either}
     * @return the direction
     * @throws IllegalArgumentException when {@code text} is none of them; the message lists them
     */
    public static Direction parse(String text) {
        if (text != null) {
            for (Direction d : values()) {
                if (d.key().equalsIgnoreCase(text.trim())) {
                    return d;
                }
            }
        }
        throw new IllegalArgumentException("unknown direction '" + text + "'; known: "
                + Arrays.stream(values()).map(Direction::key).collect(Collectors.joining(", ")));
    }
}
