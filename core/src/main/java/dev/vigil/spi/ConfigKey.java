package dev.vigil.spi;

import java.util.Objects;

/**
 * One configuration key a {@link ProbeFactory} accepts, relative to the probe
 * ({@code url} for {@code vigil.probes.health.url}). Used to validate, to suggest a fix for a
 * misspelt key, to redact secrets and to document every key.
 *
 * @param name the kebab-case name ({@code follow-redirects}); a {@link Kind#MAP} key takes
 *     sub-keys ({@code headers.X-Scope-OrgID})
 * @param kind how the value is read
 * @param defaultValue the default as a user would write it, or {@code null} when there is none
 * @param secret whether the value is redacted in messages, logs, reports and {@code toString()}
 * @param description one sentence for the documentation
 */
public record ConfigKey(String name, Kind kind, String defaultValue, boolean secret, String description) {

    /** How a key's value is read. */
    public enum Kind {
        /** Text. */
        STRING,
        /** A whole number. */
        INTEGER,
        /** A decimal number. */
        NUMBER,
        /** {@code true} or {@code false}. */
        BOOLEAN,
        /** A duration as Spring Boot reads it: {@code 500ms}, {@code 30s}, {@code 5m}, {@code PT30S}, bare milliseconds. */
        DURATION,
        /** A size: {@code 1MB}, {@code 512KB}, bare bytes. */
        SIZE,
        /** A list: {@code a,b} or indexed keys {@code [0]}, {@code [1]}. */
        LIST,
        /** Sub-keys to values: {@code headers.X-Name=value}. */
        MAP,
        /** A condition in Vigil's condition language. */
        CONDITION
    }

    /**
     * Validates the components and replaces a {@code null} description with an empty one.
     *
     * @param name the kebab-case name; not {@code null}
     * @param kind how the value is read; not {@code null}
     * @param defaultValue the default as a user would write it, or {@code null} when there is none
     * @param secret whether the value is redacted
     * @param description one sentence for the documentation; {@code null} reads as empty
     * @throws NullPointerException when {@code name} or {@code kind} is {@code null}
     */
    public ConfigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        description = description == null ? "" : description;
    }

    /**
     * A key that is not secret.
     *
     * @param name the kebab-case name ({@code follow-redirects})
     * @param kind how the value is read
     * @param defaultValue the default as a user would write it, or {@code null} when there is none
     * @param description one sentence for the documentation
     * @return the key
     * @throws NullPointerException when {@code name} or {@code kind} is {@code null}
     */
    public static ConfigKey of(String name, Kind kind, String defaultValue, String description) {
        return new ConfigKey(name, kind, defaultValue, false, description);
    }

    /**
     * A secret key: its value is redacted everywhere. A secret has no default.
     *
     * @param name the kebab-case name ({@code token})
     * @param kind how the value is read
     * @param description one sentence for the documentation
     * @return the key
     * @throws NullPointerException when {@code name} or {@code kind} is {@code null}
     */
    public static ConfigKey secret(String name, Kind kind, String description) {
        return new ConfigKey(name, kind, null, true, description);
    }
}
