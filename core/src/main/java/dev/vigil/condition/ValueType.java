package dev.vigil.condition;

/**
 * The type of a name a probe supplies to conditions. Declared types let a condition be
 * type-checked when it is parsed, so that {@code status == "200"} is a configuration error rather
 * than a failed measurement.
 */
public enum ValueType {
    /** A number: a status code, a ratio, a count. Percent literals ({@code 1%}) compare with it. */
    NUMBER,
    /** Text. */
    STRING,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A {@link java.time.Duration}: a latency. Duration literals ({@code 500ms}) compare with it. */
    DURATION,
    /** A list of values. */
    LIST,
    /** Known only when measured (a JSON body and the paths into it, headers): checked at evaluation. */
    ANY
}
