package dev.vigil.history.quality;

/** How a figure moved from one quarter to the next, judged by what is better for that figure. */
public enum Direction {
    /** Better than the quarter before (a lower change-failure rate, a shorter time to restore). */
    BETTER,
    /** Worse than the quarter before. */
    WORSE,
    /** The same. */
    SAME,
    /** No comparison: this quarter or the one before has no value. */
    NONE;

    /** The direction of a figure where lower is better; {@link #NONE} when either value is missing. */
    static Direction lowerIsBetter(Double previous, Double current) {
        if (previous == null || current == null) {
            return NONE;
        }
        int c = Double.compare(current, previous);
        return c < 0 ? BETTER : c > 0 ? WORSE : SAME;
    }
}
