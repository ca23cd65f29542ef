package dev.vigil.config;

import dev.vigil.command.CommandProbeFactory;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.RollbackTriggerFactory;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds application properties or YAML to a verifier, with Spring Boot's conventions: keys under
 * a prefix (default {@value #DEFAULT_PREFIX}), kebab-case canonical with camelCase and
 * {@code VIGIL_PROBES_HEALTH_URL} environment variables binding too, the environment overriding
 * files and {@linkplain Builder#overrides overrides} (the command line's options) overriding both,
 * Spring's duration and size formats, {@code ${NAME}} and {@code ${NAME:default}}
 * placeholders. Every key is in {@code docs/configuration.md}.
 *
 * <pre>{@code
 * BoundConfig config = VigilConfig.defaults().load(Path.of("application.yml"));
 * VerificationReport report = config.verifier().verifyAfterDeploy(config.deployment().toDeployment());
 * }</pre>
 *
 * <p>Probe types come from the {@link ProbeFactory}s found with {@link ServiceLoader}, those
 * registered with {@link Builder#probeFactory}, and the built-in {@code command} type. Rollback
 * triggers other than the built-in {@code vigil.rollback.command} ({@code vigil.rollback.webhook.*})
 * come from the {@link RollbackTriggerFactory}s found the same way or registered with
 * {@link Builder#rollbackTriggerFactory}. Every problem is collected into one
 * {@link ConfigurationException}. Immutable and thread-safe.
 */
public final class VigilConfig {

    /** The default prefix of every key. */
    public static final String DEFAULT_PREFIX = "vigil";
    /** The classpath resources {@link #loadClasspath()} reads, lowest precedence first. */
    public static final List<String> CLASSPATH_RESOURCES = List.of("application.yaml", "application.yml", "application.properties");

    private static final Logger LOG = LoggerFactory.getLogger(VigilConfig.class);

    private final String prefix;
    private final Map<String, String> environment;
    private final Map<String, String> overrides;
    private final Map<String, ProbeFactory> factories;
    private final Map<String, RollbackTriggerFactory> triggerFactories;
    private final ClassLoader classLoader;

    private VigilConfig(Builder b) {
        this.prefix = b.prefix;
        this.environment = b.environment == null ? System.getenv() : Collections.unmodifiableMap(new LinkedHashMap<>(b.environment));
        for (String key : b.overrides.keySet()) {
            if (!Key.canonical(key).startsWith(b.prefix + ".")) {
                throw new IllegalArgumentException("override '" + key + "' is not under the prefix " + b.prefix);
            }
        }
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(b.overrides));
        this.classLoader = b.classLoader != null ? b.classLoader
                : Thread.currentThread().getContextClassLoader() != null ? Thread.currentThread().getContextClassLoader()
                : VigilConfig.class.getClassLoader();
        Map<String, ProbeFactory> found = new TreeMap<>();
        found.put(CommandProbeFactory.TYPE, new CommandProbeFactory());
        Map<String, RollbackTriggerFactory> triggers = new TreeMap<>();
        if (b.serviceLoader) {
            discover(ProbeFactory.class, VigilConfig::typeOf, found, f -> f instanceof CommandProbeFactory, "probe type");
            discover(RollbackTriggerFactory.class, VigilConfig::nameOf, triggers, f -> false, "rollback trigger");
        }
        for (ProbeFactory f : b.factories) {
            found.put(typeOf(f), f);
        }
        for (RollbackTriggerFactory f : b.triggerFactories) {
            triggers.put(nameOf(f), f);
        }
        this.factories = Collections.unmodifiableMap(found);
        this.triggerFactories = Collections.unmodifiableMap(triggers);
    }

    /**
     * Adds the factories {@link ServiceLoader} finds to {@code found}, by name. Of two with one
     * name the first wins, except over a built-in one, which a module may replace.
     */
    private <F> void discover(Class<F> spi, Function<F, String> nameOf, Map<String, F> found, Predicate<F> builtIn,
            String what) {
        try {
            for (F f : ServiceLoader.load(spi, classLoader)) {
                String name = nameOf.apply(f);
                F earlier = found.putIfAbsent(name, f);
                if (earlier != null && builtIn.test(earlier)) {
                    found.put(name, f);
                } else if (earlier != null) {
                    LOG.warn("{} {} is provided by {} and {}; using the first", what, name,
                            earlier.getClass().getName(), f.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            LOG.warn("a {} factory could not be loaded: {}", what, e.getMessage());
        }
    }

    private static String typeOf(ProbeFactory f) {
        return Objects.requireNonNull(f.type(), () -> f.getClass().getName() + ".type()").trim().toLowerCase(Locale.ROOT);
    }

    private static String nameOf(RollbackTriggerFactory f) {
        return Objects.requireNonNull(f.name(), () -> f.getClass().getName() + ".name()").trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The default binding: the prefix {@value #DEFAULT_PREFIX}, the process environment, no
     * overrides, the probe and rollback trigger factories {@link ServiceLoader} finds with the
     * context class loader.
     *
     * @return a new instance
     */
    public static VigilConfig defaults() {
        return builder().build();
    }

    /**
     * A builder starting from {@link #defaults()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The probe types available, sorted: the built-in {@code command}, those found with
     * {@link ServiceLoader} and those registered with {@link Builder#probeFactory}.
     *
     * @return an unmodifiable list of lower-case type names
     */
    public List<String> probeTypes() {
        return List.copyOf(factories.keySet());
    }

    /**
     * The probe factories available, by type, sorted by type.
     *
     * @return an unmodifiable map from lower-case type name to factory
     */
    public Map<String, ProbeFactory> probeFactories() {
        return factories;
    }

    /**
     * The rollback trigger factories available, by name ({@code webhook} for
     * {@code vigil.rollback.webhook.*}), sorted by name; the built-in command is not among them.
     *
     * @return an unmodifiable map from lower-case name to factory; empty when none was found
     */
    public Map<String, RollbackTriggerFactory> rollbackTriggerFactories() {
        return triggerFactories;
    }

    /**
     * Reads a file: YAML when its name ends in {@code .yml} or {@code .yaml}, properties otherwise.
     *
     * @param file the file
     * @return the bound configuration
     * @throws NullPointerException when {@code file} is {@code null}
     * @throws ConfigurationException listing every problem, the file's own (missing, unreadable,
     *     malformed) included
     */
    public BoundConfig load(Path file) {
        return bind(List.of(Layer.read(Objects.requireNonNull(file, "file"))));
    }

    /**
     * Reads several files, each overriding the ones before it; each is YAML or properties by its
     * name, as in {@link #load(Path)}.
     *
     * @param files the files, lowest precedence first
     * @return the bound configuration
     * @throws ConfigurationException listing every problem, the files' own included
     */
    public BoundConfig load(List<Path> files) {
        List<Layer> layers = new ArrayList<>();
        for (Path file : files) {
            layers.add(Layer.read(file));
        }
        return bind(layers);
    }

    /**
     * Reads a properties file whatever its name.
     *
     * @param file the file
     * @return the bound configuration
     * @throws ConfigurationException listing every problem, the file's own included
     * @throws NullPointerException when {@code file} is {@code null}
     */
    public BoundConfig loadProperties(Path file) {
        Objects.requireNonNull(file, "file");
        return bind(List.of(Layer.read(file, false)));
    }

    /**
     * Reads a YAML file whatever its name.
     *
     * @param file the file
     * @return the bound configuration
     * @throws ConfigurationException listing every problem, the file's own included
     * @throws NullPointerException when {@code file} is {@code null}
     */
    public BoundConfig loadYaml(Path file) {
        Objects.requireNonNull(file, "file");
        return bind(List.of(Layer.read(file, true)));
    }

    /**
     * Binds properties (keys sorted, since {@link Properties} keeps no order).
     *
     * @param properties full keys under the prefix to values
     * @return the bound configuration
     * @throws ConfigurationException listing every problem
     * @throws NullPointerException when {@code properties} is {@code null}
     */
    public BoundConfig load(Properties properties) {
        return bind(List.of(Layer.of("properties", Objects.requireNonNull(properties, "properties"))));
    }

    /**
     * Binds a map of keys to values, probes in the map's order.
     *
     * @param properties full keys under the prefix to values
     * @return the bound configuration
     * @throws ConfigurationException listing every problem
     * @throws NullPointerException when {@code properties} is {@code null}
     */
    public BoundConfig load(Map<String, String> properties) {
        return bind(List.of(Layer.of("properties", Objects.requireNonNull(properties, "properties"))));
    }

    /**
     * Reads {@code application.yaml}, {@code application.yml} and {@code application.properties}
     * from the classpath, the later overriding the earlier, as Spring Boot does.
     *
     * @return the bound configuration
     * @throws ConfigurationException when none is found, or listing every problem
     */
    public BoundConfig loadClasspath() {
        List<Layer> layers = new ArrayList<>();
        for (String name : CLASSPATH_RESOURCES) {
            InputStream in = classLoader.getResourceAsStream(name);
            if (in != null) {
                layers.add(Layer.read(name, in));
            }
        }
        if (layers.isEmpty()) {
            throw ConfigurationException.single("classpath", "none of " + String.join(", ", CLASSPATH_RESOURCES) + " was found");
        }
        return bind(layers);
    }

    /**
     * Checks a file without running anything: every problem, or what would run. Unlike
     * {@link #load(Path)}, a configuration without any probe is a problem here, because it cannot
     * verify anything. This is what {@code vigil validate --config FILE} calls. The verifier built
     * for the check is closed, and with it the probes of the result, which open what they need
     * again when they are measured; the probes of a configuration with problems are closed too.
     *
     * @param file the file, YAML or properties by its name as in {@link #load(Path)}
     * @return the problems, or the bound configuration; never throws {@link ConfigurationException}
     */
    public ValidationResult validate(Path file) {
        return validate(() -> load(file));
    }

    /**
     * Like {@link #validate(Path)} for a map of keys to values.
     *
     * @param properties full keys under the prefix to values
     * @return the problems, or the bound configuration; never throws {@link ConfigurationException}
     */
    public ValidationResult validate(Map<String, String> properties) {
        return validate(() -> load(properties));
    }

    private static ValidationResult validate(java.util.function.Supplier<BoundConfig> loader) {
        try {
            BoundConfig config = loader.get();
            // Built only to find what building refuses: closed, so that what its probes opened (clients,
            // threads) ends here; a probe of the result measured later opens what it needs again.
            config.verifier().close();
            return new ValidationResult(List.of(), config);
        } catch (ConfigurationException e) {
            return new ValidationResult(e.problems(), null);
        }
    }

    private BoundConfig bind(List<Layer> layers) {
        return new Binder(prefix, environment, factories, triggerFactories).bind(layers, Layer.of("overrides", overrides));
    }

    @Override
    public String toString() {
        return "VigilConfig[prefix=" + prefix + ", types=" + factories.keySet() + ", rollback triggers="
                + triggerFactories.keySet() + "]";
    }

    /** Builds a {@link VigilConfig}. Not thread-safe. */
    public static final class Builder {
        private String prefix = DEFAULT_PREFIX;
        private Map<String, String> environment;
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private final List<ProbeFactory> factories = new ArrayList<>();
        private final List<RollbackTriggerFactory> triggerFactories = new ArrayList<>();
        private boolean serviceLoader = true;
        private ClassLoader classLoader;

        private Builder() {
        }

        /**
         * The prefix of every key. Default {@value #DEFAULT_PREFIX}; environment variables use its
         * upper-case form ({@code VIGIL_}).
         *
         * @param value dot-separated names such as {@code vigil} or {@code app.vigil}
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         * @throws IllegalArgumentException when blank or not made of dot-separated names
         */
        public Builder prefix(String value) {
            Objects.requireNonNull(value, "prefix");
            if (!value.matches("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9][A-Za-z0-9_-]*)*")) {
                throw new IllegalArgumentException("prefix '" + value + "' must be dot-separated names such as vigil or app.vigil");
            }
            this.prefix = Key.canonical(value);
            return this;
        }

        /**
         * The environment variables that override files and fill placeholders. Default
         * {@link System#getenv()}.
         *
         * @param value variable names to values; copied when {@link #build()} runs
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder environment(Map<String, String> value) {
            this.environment = Objects.requireNonNull(value, "environment");
            return this;
        }

        /**
         * Properties that override every file and the environment: the top layer, bound before
         * {@code ${...}} placeholders are resolved, so that a placeholder anywhere
         * ({@code ${vigil.deployment.service}} in the rollback command, a probe's URL or query)
         * sees them. The command line's {@code --service}, {@code --version} and the other
         * deployment options arrive here. Keys are full keys under the prefix
         * ({@code vigil.deployment.service}); calling again adds to or replaces earlier ones.
         * Default: none.
         *
         * @param values full keys to values; copied
         * @return this builder
         * @throws NullPointerException when {@code values}, a key or a value is null
         * @throws IllegalArgumentException from {@link #build()} when a key is not under the prefix
         */
        public Builder overrides(Map<String, String> values) {
            values.forEach((k, v) -> overrides.put(Objects.requireNonNull(k, "override key"),
                    Objects.requireNonNull(v, () -> "override " + k)));
            return this;
        }

        /**
         * Adds a probe factory; it wins over a factory of the same type found on the classpath, and
         * over one added earlier with the same type.
         *
         * @param factory the factory; its {@code type()} names the type, ignoring case
         * @return this builder
         * @throws NullPointerException when {@code factory} or its type is {@code null}
         */
        public Builder probeFactory(ProbeFactory factory) {
            Objects.requireNonNull(factory, "factory");
            typeOf(factory);
            factories.add(factory);
            return this;
        }

        /**
         * Adds a rollback trigger factory; it wins over a factory of the same name found on the
         * classpath, and over one added earlier with the same name.
         *
         * @param factory the factory; its {@code name()} names the trigger, ignoring case
         * @return this builder
         * @throws NullPointerException when {@code factory} or its name is {@code null}
         */
        public Builder rollbackTriggerFactory(RollbackTriggerFactory factory) {
            Objects.requireNonNull(factory, "factory");
            nameOf(factory);
            triggerFactories.add(factory);
            return this;
        }

        /**
         * Whether to look for probe and rollback trigger factories with {@link ServiceLoader}.
         * Default {@code true}. The built-in {@code command} probe type is there either way.
         *
         * @param value {@code false} to use only the factories added to this builder
         * @return this builder
         */
        public Builder serviceLoader(boolean value) {
            this.serviceLoader = value;
            return this;
        }

        /**
         * Where to look for factories and classpath resources. Default the context class loader of
         * the thread that calls {@link #build()}, or the one that loaded Vigil when it has none.
         *
         * @param value the class loader
         * @return this builder
         * @throws NullPointerException when {@code value} is {@code null}
         */
        public Builder classLoader(ClassLoader value) {
            this.classLoader = Objects.requireNonNull(value, "classLoader");
            return this;
        }

        /**
         * Builds; looks the factories up now. A factory that {@link ServiceLoader} cannot load is
         * logged and skipped; of two found with one name the first wins.
         *
         * @return the configuration binder; the builder may be reused
         * @throws IllegalArgumentException when an override's key is not under the prefix
         * @throws NullPointerException when a factory found on the classpath names no type
         */
        public VigilConfig build() {
            return new VigilConfig(this);
        }
    }
}
