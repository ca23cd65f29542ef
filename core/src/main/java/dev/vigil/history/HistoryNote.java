package dev.vigil.history;

import java.util.Objects;

/**
 * One line about the release history for a verification's console summary and reports: the
 * quiet-release streak, or the warning that the history could not be written. Immutable.
 *
 * @param text the line ({@code quiet release #14 in a row for checkout (longest 31); its rollback was
 *     never rehearsed successfully (vigil rehearse in staging proves it works)})
 * @param warning whether it says the history could not be written or read
 */
public record HistoryNote(String text, boolean warning) {

    /**
     * Validates.
     *
     * @param text the line ({@code quiet release #14 in a row for checkout (longest 31); its rollback was
     *     never rehearsed successfully (vigil rehearse in staging proves it works)})
     * @param warning whether it says the history could not be written or read
     */
    public HistoryNote {
        Objects.requireNonNull(text, "text");
    }
}
