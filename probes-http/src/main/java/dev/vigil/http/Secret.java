package dev.vigil.http;

import java.util.Objects;

/** A credential that never shows itself: {@link #toString()} is redacted. Immutable. */
final class Secret {

    static final String REDACTED = "****";

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    static Secret of(String value) {
        Objects.requireNonNull(value, "secret");
        return new Secret(value);
    }

    /** The value, for the one place that sends it. */
    String reveal() {
        return value;
    }

    @Override
    public String toString() {
        return REDACTED;
    }
}
