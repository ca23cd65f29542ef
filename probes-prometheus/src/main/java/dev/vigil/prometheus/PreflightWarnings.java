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

    /**
     * The check's result with {@code message} and the measurement's own status, where the check found
     * nothing to warn of but has something to add (what it could not check): {@code measured} itself
     * when the message is the measurement's.
     */
    static Preflight noted(Preflight measured, String message) {
        return message.equals(measured.message()) ? measured : new Preflight(measured.status(), message);
    }
}
