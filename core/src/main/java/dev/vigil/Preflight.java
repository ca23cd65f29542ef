package dev.vigil;

import java.util.Objects;

/**
 * What a check before the deployment found about one probe or rollback trigger: whether the thing
 * it depends on answers, touched once without changing anything. Immutable.
 *
 * @param status how it went
 * @param message what was found, with the values filled in and, for a warning or an error, what to
 *     do; never a secret
 */
public record Preflight(Status status, String message) {

    /** How a check went. */
    public enum Status {
        /** It answers as expected. */
        OK,
        /** It answers, but something is likely to block the verification (no data now, a condition that fails now). */
        WARNING,
        /** It cannot be used as configured (unreachable, rejected, missing): the verification would fail. */
        ERROR
    }

    /**
     * Validates.
     *
     * @param status how it went; not {@code null}
     * @param message what was found; not {@code null}
     * @throws NullPointerException when either is {@code null}
     */
    public Preflight {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(message, "message");
    }

    /**
     * It answers as expected.
     *
     * @param message what was found; not {@code null}
     * @return a check with status {@link Status#OK}
     */
    public static Preflight ok(String message) {
        return new Preflight(Status.OK, message);
    }

    /**
     * It answers, but something is likely to block the verification.
     *
     * @param message what was found and what to do; not {@code null}
     * @return a check with status {@link Status#WARNING}
     */
    public static Preflight warning(String message) {
        return new Preflight(Status.WARNING, message);
    }

    /**
     * It cannot be used as configured.
     *
     * @param message what was found and what to do; not {@code null}
     * @return a check with status {@link Status#ERROR}
     */
    public static Preflight error(String message) {
        return new Preflight(Status.ERROR, message);
    }
}
