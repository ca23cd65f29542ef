package dev.vigil.spi;

import dev.vigil.RollbackTrigger;
import java.util.List;

/**
 * Makes a rollback trigger of one kind from the keys under {@code vigil.rollback.<name>}. Found
 * with {@link java.util.ServiceLoader}: a module lists its factories in
 * {@code META-INF/services/dev.vigil.spi.RollbackTriggerFactory}, so that adding its jar makes its
 * trigger available.
 *
 * <p>The keys of the rollback policy ({@code timeout}, {@code max-attempts}, {@code backoff}) are
 * bound by the core and apply to every trigger; a factory declares only its own in
 * {@link #keys()}. A deployment has one trigger: the built-in {@code vigil.rollback.command} or
 * one factory's. Implementations must be stateless and thread-safe.
 */
public interface RollbackTriggerFactory {

    /**
     * The sub-section this factory answers to ({@code webhook} for {@code vigil.rollback.webhook.*});
     * lower case, and none of the policy keys' names.
     *
     * @return the sub-section's name
     */
    String name();

    /**
     * One sentence on what triggers of this kind do, for documentation and error messages.
     *
     * @return the sentence; the default is {@link #name()}
     */
    default String description() {
        return name();
    }

    /**
     * The trigger's own keys. A key under the sub-section not listed here is an error.
     *
     * @return the keys, in the order they are documented; never {@code null}
     */
    List<ConfigKey> keys();

    /**
     * Creates a trigger. Problems are reported through {@link RollbackSettings#problem} (all of
     * them, not only the first), then {@link InvalidSettingsException} is thrown; the binder
     * throws one exception listing every problem of the configuration. Never returns {@code null}.
     *
     * @param settings the trigger's values, read by key
     * @return the trigger
     * @throws InvalidSettingsException when the settings have problems (reported before)
     */
    RollbackTrigger create(RollbackSettings settings);
}
