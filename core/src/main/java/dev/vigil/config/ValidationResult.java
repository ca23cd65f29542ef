package dev.vigil.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of {@link VigilConfig#validate}: every problem, or what would run. Immutable.
 *
 * @param problems every problem found; empty when the configuration is valid
 * @param config the bound configuration when it is valid, else {@code null}
 */
public record ValidationResult(List<ConfigProblem> problems, BoundConfig config) {

    /**
     * Validates and copies; a result has either problems or a configuration.
     *
     * @param problems every problem found; copied
     * @param config the bound configuration, {@code null} exactly when there are problems
     * @throws NullPointerException when {@code problems} or one of them is {@code null}
     * @throws IllegalArgumentException when there are both problems and a configuration, or neither
     */
    public ValidationResult {
        problems = List.copyOf(Objects.requireNonNull(problems, "problems"));
        if (problems.isEmpty() == (config == null)) {
            throw new IllegalArgumentException("a validation result has either problems or a configuration");
        }
    }

    /**
     * Whether the configuration can run.
     *
     * @return {@code true} when there are no problems
     */
    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * The bound configuration, when valid.
     *
     * @return the configuration, or empty when there are problems
     */
    public Optional<BoundConfig> bound() {
        return Optional.ofNullable(config);
    }

    /**
     * The problems as an exception, when there are any; not thrown.
     *
     * @return a new exception holding {@link #problems()}, or empty when valid
     */
    public Optional<ConfigurationException> exception() {
        return valid() ? Optional.empty() : Optional.of(new ConfigurationException(problems));
    }

    /**
     * A text for people: "configuration is valid" and what would run, or the list of problems as
     * {@link ConfigurationException} words it. Never shows a secret.
     *
     * @return several lines
     */
    public String report() {
        return valid() ? "configuration is valid\n" + config.describe() : exception().orElseThrow().getMessage();
    }
}
