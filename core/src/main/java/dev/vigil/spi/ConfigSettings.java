package dev.vigil.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The values of one configured part, a probe or a rollback trigger, as its factory sees them. Keys
 * are relative to the part ({@code url} for {@code vigil.probes.health.url} or
 * {@code vigil.rollback.webhook.url}). A getter that meets a malformed value records a problem
 * naming the full key and the (redacted if secret) value and returns empty; so does a required
 * getter for a missing key. Implemented by the configuration binder; used by one thread.
 *
 * @see ProbeSettings
 * @see RollbackSettings
 */
public interface ConfigSettings {

    /**
     * The full key for messages ({@code vigil.probes.health.url}).
     *
     * @param key the key, relative to the part ({@code url})
     * @return the key prefixed with the part's section; never {@code null}
     */
    String fullKey(String key);

    /**
     * A text value.
     *
     * @param key the key, relative to the part
     * @return the value, or empty when the key is not set
     */
    Optional<String> string(String key);

    /**
     * A text value that must be there; records a problem when it is missing or blank.
     *
     * @param key the key, relative to the part
     * @return the value, or empty when it is missing or blank (a problem is then recorded)
     */
    Optional<String> requiredString(String key);

    /**
     * A whole number.
     *
     * @param key the key, relative to the part
     * @return the value, or empty when the key is not set or is not a whole number (a problem is
     *     then recorded)
     */
    Optional<Integer> integer(String key);

    /**
     * A decimal number.
     *
     * @param key the key, relative to the part
     * @return the value, or empty when the key is not set or is not a number (a problem is then
     *     recorded)
     */
    Optional<Double> number(String key);

    /**
     * {@code true} or {@code false}.
     *
     * @param key the key, relative to the part
     * @return the value, or empty when the key is not set or is neither (a problem is then
     *     recorded)
     */
    Optional<Boolean> bool(String key);

    /**
     * A duration as Spring Boot reads it ({@code 500ms}, {@code 30s}, {@code PT30S}, bare
     * milliseconds). In configuration a bare number from 1 to 999 is a problem (a unit left out:
     * {@code timeout=5} is 5 seconds meant), except for keys named {@code retry-backoff},
     * {@code backoff} and {@code slower-than}; {@code 0}, {@code 1000} and more, and any value
     * with a unit ({@code 5ms}) are read as written.
     *
     * @param key the key, relative to the part
     * @return the value, or empty when the key is not set or is not a duration (a problem is then
     *     recorded)
     */
    Optional<Duration> duration(String key);

    /**
     * A size in bytes ({@code 1MB}, {@code 512KB}, bare bytes). In configuration a bare number from
     * 1 to 1023 is a problem (a unit left out: {@code max-body-size=1} is 1 MB meant); {@code 512B}
     * says bytes.
     *
     * @param key the key, relative to the part
     * @return the number of bytes, or empty when the key is not set or is not a size (a problem is
     *     then recorded)
     */
    Optional<Long> size(String key);

    /**
     * A list ({@code a,b} or {@code [0]}, {@code [1]}).
     *
     * @param key the key, relative to the part
     * @return the elements in order; empty, never {@code null}, when the key is absent
     */
    List<String> list(String key);

    /**
     * A list each element of which stands for something (an instance to measure, an issue fixed),
     * in which an empty element ({@code a,,b}, {@code a,}, {@code a, ,b}, {@code key[1]=}) is a
     * problem of its key, rather than dropped as {@link #list(String)} drops it: {@code a,${B:}}
     * with the variable unset would otherwise lose what it stood for without a word. A value that is
     * wholly blank is still an empty list. The default, for implementations that cannot tell,
     * is {@link #list(String)}.
     *
     * @param key the key, relative to the part
     * @param emptyElement what the problem of an empty element says ({@code an empty URL in the list; ...})
     * @return the elements that are not empty, in order; empty, never {@code null}, when the key is absent
     */
    default List<String> list(String key, String emptyElement) {
        return list(key);
    }

    /**
     * The sub-keys of a map key ({@code headers.X-Name=value}).
     *
     * @param key the map key, relative to the part ({@code headers})
     * @return each sub-key to its value, in order; empty, never {@code null}, when absent
     */
    Map<String, String> map(String key);

    /**
     * Whether the value of a key is a secret that must appear in no report, log or message: because
     * of its name ({@code token}, {@code password}, {@code secret}, {@code authorization}...; for a
     * map entry such as {@code parameters.api-token}, the entry's name counts too), because the
     * factory declared it {@linkplain ConfigKey#secret secret}, or because its value came from a
     * placeholder of an environment variable named like a secret ({@code ${DB_PASSWORD}}). A probe
     * that hands values to code it does not control (a test suite) masks the secret ones in what
     * that code says. The default, for implementations that cannot tell, is {@code false}.
     *
     * @param key the key, relative to the part ({@code parameters.api-token})
     * @return whether the key's value must be kept out of every report, log and message
     */
    default boolean secret(String key) {
        return false;
    }

    /**
     * Records a problem with a key. Problems are collected, not thrown: the binder reports every
     * problem of the configuration in one exception.
     *
     * @param key the key, relative to the part; the message names its full key
     * @param message what is wrong ({@code must be a URL})
     */
    void problem(String key, String message);
}
