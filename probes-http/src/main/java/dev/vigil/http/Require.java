package dev.vigil.http;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.Objects;

/**
 * How many instances of a fleet must pass for the fleet's measurement to pass: {@code all},
 * {@code any} or a percentage ({@code 90%}). Immutable and thread-safe.
 */
public final class Require {

    private static final Require ALL = new Require("all", 100.0);
    private static final Require ANY = new Require("any", 0.0);

    private final String text;
    private final double percent;

    private Require(String text, double percent) {
        this.text = text;
        this.percent = percent;
    }

    /** {@return the requirement that every instance pass}; the default. */
    public static Require all() {
        return ALL;
    }

    /**
     * At least one instance must pass.
     *
     * @return the requirement
     */
    public static Require any() {
        return ANY;
    }

    /**
     * At least this share of the instances must pass, rounded up ({@code 90%} of 50 is 45).
     *
     * @param percent greater than 0 and at most 100
     * @return the requirement
     * @throws IllegalArgumentException when out of range
     */
    public static Require percent(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("require must be a percentage above 0% and at most 100%: " + percent + "%");
        }
        String number = percent == Math.rint(percent) ? Long.toString((long) percent) : Double.toString(percent);
        return new Require(number + "%", percent);
    }

    /**
     * Reads {@code all}, {@code any} or {@code N%} (case-insensitive).
     *
     * @param value {@code all}, {@code any} or {@code N%}
     * @return the requirement
     * @throws IllegalArgumentException naming the value when it is none of those
     */
    public static Require parse(String value) {
        Objects.requireNonNull(value, "require");
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.equals("all")) {
            return ALL;
        }
        if (v.equals("any")) {
            return ANY;
        }
        if (v.endsWith("%")) {
            try {
                return percent(Double.parseDouble(v.substring(0, v.length() - 1).strip()));
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        throw new IllegalArgumentException("require must be all, any or a percentage such as 90%: '" + value + "'");
    }

    /**
     * The number of passing instances needed out of {@code total}; at least 1 when the fleet is not
     * empty. Counted in decimal, as the share is written: {@code 66.6666666667%} of 3 is 3, since 2 of
     * 3 is less than that share.
     *
     * @param total the number of instances
     * @return how many must pass
     */
    public int needed(int total) {
        if (this == ANY) {
            return Math.min(1, total);
        }
        // At least one: a share so small that it rounds to none would pass a fleet where nothing passed.
        // Exact: 1e-9 taken off a double to absorb its rounding made a share just above a whole number of
        // instances (66.6666666667% of 3) need one instance fewer than written.
        int share = BigDecimal.valueOf(total).multiply(BigDecimal.valueOf(percent)).movePointLeft(2)
                .setScale(0, RoundingMode.CEILING).intValueExact();
        return Math.max(Math.min(1, total), share);
    }

    /**
     * Whether {@code passed} out of {@code total} instances meet this requirement.
     *
     * @param passed the number of instances that passed
     * @param total the number of instances
     * @return whether enough passed
     */
    public boolean isMet(int passed, int total) {
        return total > 0 && passed >= needed(total);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Require r && r.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /** As written: {@code all}, {@code any}, {@code 90%}. */
    @Override
    public String toString() {
        return text;
    }
}
