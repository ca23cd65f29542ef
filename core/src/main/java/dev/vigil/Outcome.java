package dev.vigil;

/**
 * The outcome of one {@link Measurement}.
 *
 * <p>{@link #ERROR} means "could not measure" (a timeout, a refused connection, a response that
 * could not be read); it is never counted as a pass.
 */
public enum Outcome {
    /** The condition held: evidence that the deployment is healthy. */
    PASS,
    /** The condition did not hold: evidence that the deployment is unhealthy. */
    FAIL,
    /** The measurement was taken but proves neither (no data, NaN, neither condition matched). */
    INCONCLUSIVE,
    /** The measurement could not be taken. */
    ERROR
}
