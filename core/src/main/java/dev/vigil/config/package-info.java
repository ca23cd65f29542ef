/**
 * Binding of application properties and YAML to a verifier, with Spring Boot's conventions.
 *
 * <p>{@link dev.vigil.config.VigilConfig} loads and checks a configuration into a
 * {@link dev.vigil.config.BoundConfig}; every problem is collected into one
 * {@link dev.vigil.config.ConfigurationException}; {@link dev.vigil.config.VigilConfig#validate}
 * checks without running anything. Probe types come from {@link dev.vigil.spi.ProbeFactory}
 * implementations, rollback triggers other than a command from
 * {@link dev.vigil.spi.RollbackTriggerFactory} implementations. The keys are documented in
 * {@code docs/configuration.md}.
 */
package dev.vigil.config;
