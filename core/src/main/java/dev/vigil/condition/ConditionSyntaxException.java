package dev.vigil.condition;

import dev.vigil.VigilException;

/**
 * A condition could not be parsed, or does not type-check against the names its probe declares.
 * The message says what was expected and where ({@code expected a value after '<' at column 18}).
 */
public class ConditionSyntaxException extends VigilException {
    private static final long serialVersionUID = 1L;

    /** The 1-based column where the problem is. */
    private final int column;

    /**
     * An exception for a problem at {@code column}.
     *
     * @param message what was expected, with the column
     * @param column the 1-based column of the problem
     */
    public ConditionSyntaxException(String message, int column) {
        super(message);
        this.column = column;
    }

    /** {@return the 1-based column where the problem is} */
    public int column() {
        return column;
    }
}
