package dev.vigil.spi;

import dev.vigil.Measurement;

/**
 * Takes one {@link Measurement} of the deployed system when asked. This is what probe modules
 * implement.
 *
 * <p>Contract, checked for every probe by the compatibility kit in core's test jar:
 * <ul>
 *   <li>{@link #measure} may be called from several threads, and again while an earlier call that
 *       timed out has not yet returned: implementations must be thread-safe.</li>
 *   <li>A measurement that could not be taken is returned as {@link Measurement#error} or thrown;
 *       the engine turns anything thrown into an {@code ERROR} measurement. A transient failure
 *       worth another attempt within the round (a refused connection) is thrown as
 *       {@link RetryableProbeException}.</li>
 *   <li>It returns by {@link ProbeContext#deadline()} and reacts to interruption; the engine gives
 *       up on it at the deadline anyway.</li>
 *   <li>No secret (token, password, {@code Authorization} header) ever appears in a measurement,
 *       a message or {@link #toString()}.</li>
 *   <li>A probe that holds resources across measurements (a connection pool, I/O threads) frees
 *       them in {@link #close()}; {@link dev.vigil.DeployVerifier#close()} closes every probe it
 *       was built with.</li>
 * </ul>
 */
@FunctionalInterface
public interface Probe extends AutoCloseable {

    /**
     * Takes one measurement.
     *
     * @param context the deployment, the round, the time and the deadline
     * @return the measurement; never {@code null}
     * @throws RetryableProbeException for a transient failure worth retrying within the round
     * @throws Exception for any other failure, which becomes an {@code ERROR} measurement
     */
    Measurement measure(ProbeContext context) throws Exception;

    /** What this probe measures, for reports ({@code GET http://host/actuator/health}). No secrets. */
    default String description() {
        return getClass().getSimpleName();
    }

    /** The pass condition as written, for reports; {@code null} when the probe has none. */
    default String passWhen() {
        return null;
    }

    /** The fail condition as written, for reports; {@code null} when the probe has none. */
    default String failWhen() {
        return null;
    }

    /**
     * Frees what the probe keeps between measurements (connections, threads). Called once the probe
     * is no longer used; a probe that is measured again after it was closed opens what it needs
     * again. Idempotent; the default does nothing. Must not throw.
     */
    @Override
    default void close() {
    }
}
