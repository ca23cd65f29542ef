package dev.vigil;

/** The decision of one verification. */
public enum Verdict {
    /** The bake time ended, every probe stayed within its limits and each gave at least one pass. */
    HEALTHY,
    /** A probe broke one of its limits; decided in the round where it happened. */
    UNHEALTHY,
    /** The bake ended without enough evidence either way. */
    INCONCLUSIVE,
    /** The caller cancelled the verification (the calling thread was interrupted). */
    ABORTED
}
