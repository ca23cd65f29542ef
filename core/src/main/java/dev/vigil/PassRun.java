package dev.vigil;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A run of consecutive {@link Outcome#PASS} measurements of one probe that a long verification or
 * watch kept as a summary instead of whole, so that memory and reports stay bounded however long it
 * runs. Only runs of {@code PASS} are ever summarised: every other measurement, and the
 * measurements around it, stay whole in {@link ProbeReport#measurements()}. Immutable.
 *
 * @param firstRound the round of the first measurement summarised
 * @param lastRound the round of the last measurement summarised
 * @param from when the first measurement summarised was taken
 * @param to when the last measurement summarised was taken
 * @param count how many measurements it summarises, at least 1
 * @param values for each numeric value the measurements observed (durations in milliseconds), its
 *     range over the run, in the order first seen
 */
public record PassRun(int firstRound, int lastRound, Instant from, Instant to, int count, Map<String, ValueRange> values) {

    /**
     * Validates and copies.
     *
     * @param firstRound the round of the first measurement summarised
     * @param lastRound the round of the last measurement summarised, not before {@code firstRound}
     * @param from when the first measurement summarised was taken
     * @param to when the last measurement summarised was taken
     * @param count how many measurements it summarises, at least 1
     * @param values the ranges of the numeric values, by name
     * @throws NullPointerException when a time or the values are {@code null}
     * @throws IllegalArgumentException when the count is below 1 or the rounds are out of order
     */
    public PassRun {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (count < 1) {
            throw new IllegalArgumentException("a pass run summarises at least one measurement, not " + count);
        }
        if (lastRound < firstRound) {
            throw new IllegalArgumentException("a pass run's last round " + lastRound + " is before its first " + firstRound);
        }
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The range of one numeric value over a run of measurements. Immutable.
     *
     * @param min the smallest value seen
     * @param mean the mean of the values seen
     * @param max the largest value seen
     * @param count how many of the run's measurements had this value
     * @param unit {@code ms} for durations (given in milliseconds), else empty
     */
    public record ValueRange(double min, double mean, double max, int count, String unit) {

        /**
         * Validates.
         *
         * @param min the smallest value seen
         * @param mean the mean of the values seen
         * @param max the largest value seen
         * @param count how many measurements had the value, at least 1
         * @param unit {@code ms} for durations, else empty; {@code null} reads as empty
         * @throws IllegalArgumentException when the count is below 1 or min exceeds max
         */
        public ValueRange {
            if (count < 1) {
                throw new IllegalArgumentException("a value range covers at least one value, not " + count);
            }
            if (min > max) {
                throw new IllegalArgumentException("a value range's min " + min + " exceeds its max " + max);
            }
            unit = unit == null ? "" : unit;
        }
    }
}
