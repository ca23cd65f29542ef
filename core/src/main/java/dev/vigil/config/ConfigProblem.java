package dev.vigil.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration. Immutable.
 *
 * @param key the full key as written ({@code vigil.probes.health.pas-when}), or the file when
 *     the problem is with a whole file
 * @param value the value as given, {@code ******} when it is secret, or {@code null} when there
 *     is none (a missing key)
 * @param message what is wrong ({@code unknown key; did you mean pass-when?})
 */
public record ConfigProblem(String key, String value, String message) {

    /**
     * Validates.
     *
     * @param key the full key as written, or the file; not {@code null}
     * @param value the value as given, redacted when secret; {@code null} when there is none
     * @param message what is wrong; not {@code null}
     * @throws NullPointerException when {@code key} or {@code message} is {@code null}
     */
    public ConfigProblem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
    }

    /**
     * One line: {@code key: message (value: x)}, with any control character written as an escape
     * ({@code \n}, {@code \u001b}): a value from a file or the environment that holds a line break
     * or a terminal escape must not split the line, add one that passes for Vigil's, or reach the
     * terminal as a command.
     */
    @Override
    public String toString() {
        return dev.vigil.report.Reports.oneLine(key + ": " + message + (value == null ? "" : " (value: " + value + ")"));
    }
}
