package dev.vigil.spi;

import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import java.util.List;

/**
 * Makes probes of one {@code type} from configuration. Found with {@link java.util.ServiceLoader}:
 * a probe module lists its factories in {@code META-INF/services/dev.vigil.spi.ProbeFactory}, so
 * that adding its jar makes its type available.
 *
 * <p>The keys every probe has ({@code type}, {@code pass-when}, {@code fail-when},
 * {@code max-failures}, {@code max-consecutive-errors}, {@code max-inconclusive}, {@code timeout},
 * {@code max-attempts}, {@code retry-backoff}) are bound by the core; a factory declares only its
 * own in {@link #keys()}. Implementations must be stateless and thread-safe.
 */
public interface ProbeFactory {

    /**
     * The {@code type} value this factory answers to.
     *
     * @return the type, lower case ({@code http}); unique among the factories found
     */
    String type();

    /**
     * One sentence on what probes of this type measure, for documentation and error messages.
     *
     * @return the sentence; the default is {@link #type()}
     */
    default String description() {
        return type();
    }

    /**
     * The type's own keys. A key not listed here nor common to all probes is an error.
     *
     * @return the keys, in the order they are documented; never {@code null}
     */
    List<ConfigKey> keys();

    /**
     * The limits a probe of this type gets for the common keys the user did not set. A type whose
     * measurements are inconclusive while evidence accumulates (a canary judge before
     * {@code min-samples}) raises {@code max-inconclusive} here. Default {@link ProbeLimits#defaults()}.
     *
     * @param settings the probe's values, to decide by (read only; problems are reported by {@link #create})
     * @return the limits for this probe
     */
    default ProbeLimits defaultLimits(ProbeSettings settings) {
        return ProbeLimits.defaults();
    }

    /**
     * How a probe of this type is measured when the user set none of {@code timeout},
     * {@code max-attempts}, {@code retry-backoff}: a type whose measurement takes long (a test
     * suite) raises the timeout here. The configuration shortens a default timeout to the plan's
     * interval. Default {@link MeasurementPolicy#defaults()}.
     *
     * @param settings the probe's values, to decide by (read only; problems are reported by {@link #create})
     * @return the defaults for this probe
     */
    default MeasurementPolicy defaultMeasurementPolicy(ProbeSettings settings) {
        return MeasurementPolicy.defaults();
    }

    /**
     * Whether the re-check of the previous version after a rollback measures this probe unless its
     * {@code recheck} key says otherwise. A probe that compares a canary with a baseline returns
     * {@code false}: once the canary is rolled back there is nothing to compare, and its
     * measurements would make every re-check {@code INCONCLUSIVE}. Default {@code true}.
     *
     * @param settings this probe's settings
     * @return the default of the probe's {@code recheck} key
     */
    default boolean defaultRecheck(ProbeSettings settings) {
        return true;
    }

    /**
     * Creates a probe. Problems are reported through {@link ProbeSettings#problem} (all of them,
     * not only the first), then {@link InvalidSettingsException} is thrown; the binder throws one
     * exception listing every problem of every probe. Never returns {@code null}.
     *
     * @param settings the probe's values, read by key
     * @return the probe
     * @throws InvalidSettingsException when the settings have problems (reported before)
     */
    Probe create(ProbeSettings settings);
}
