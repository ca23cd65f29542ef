package dev.vigil.prometheus;

import dev.vigil.Preflight;

/** What the online checks that look at the queries themselves share. */
final class PreflightWarnings {

    private PreflightWarnings() {
    }

    /**
     * The check's result with {@code message}: a {@code WARNING} where the measurement was {@code OK},
     * and the measurement's own status where it was worse already.
     */
    static Preflight raised(Preflight measured, String message) {
        return new Preflight(measured.status() == Preflight.Status.OK ? Preflight.Status.WARNING : measured.status(), message);
    }
}
