package dev.vigil.junit;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test run by a Vigil {@code junit} probe knows about the deployment it verifies: the
 * service and versions, the round, and the probe's {@code parameters.<name>}. Injected by
 * {@link VigilExtension} into a parameter of this type ({@code @ExtendWith(VigilExtension.class)}
 * on the class), or read with {@link #of(ExtensionContext)} in an extension of one's own.
 *
 * <p>Everything comes from the JUnit configuration parameters of the run, named by the constants
 * of this class; they belong to one test run, so two verifications in one JVM never see each
 * other's values. Under Vigil ({@link #PARAMETER_NAMES} set) only what the probe gives counts: a
 * value that system properties or {@code junit-platform.properties} hold for runs outside Vigil is
 * not read in its place. Immutable and thread-safe.
 */
public final class VigilTarget {

    /** The configuration parameter holding the service's name. */
    public static final String SERVICE = "vigil.service";
    /** The configuration parameter holding the version deployed. */
    public static final String VERSION = "vigil.version";
    /** The configuration parameter holding the version it replaced; absent when unknown. */
    public static final String PREVIOUS_VERSION = "vigil.previous-version";
    /** The configuration parameter holding the environment; absent when not given. */
    public static final String ENVIRONMENT = "vigil.environment";
    /** The configuration parameter holding the kind of deployment: {@code RELEASE} or {@code HOTFIX}. */
    public static final String KIND = "vigil.kind";
    /** The configuration parameter holding the issue ids the deployment fixes, comma-separated. */
    public static final String FIXES = "vigil.fixes";
    /** The configuration parameter holding the round of the verification: from 1; 0 for the re-check after a rollback. */
    public static final String ROUND = "vigil.round";
    /** The prefix of the configuration parameters holding the probe's {@code parameters.<name>}. */
    public static final String PARAMETER_PREFIX = "vigil.parameters.";
    /**
     * The configuration parameter naming the probe's parameters, comma-separated (empty when it has
     * none). A Vigil probe always sets it, and then a parameter it does not name is not set, although
     * a system property or {@code junit-platform.properties} meant for runs outside Vigil
     * ({@code vigil.parameters.base-url=http://localhost:8080}) has it: the tests must verify the
     * deployment, never a developer's default.
     */
    public static final String PARAMETER_NAMES = "vigil.parameter-names";

    private final Function<String, Optional<String>> source;

    private VigilTarget(Function<String, Optional<String>> source) {
        this.source = source;
    }

    /**
     * The target as the configuration parameters of the test run holding {@code context} say.
     *
     * @param context the extension context of the running test
     * @return the target; its parts are empty outside Vigil
     * @throws NullPointerException when {@code context} is {@code null}
     */
    public static VigilTarget of(ExtensionContext context) {
        Objects.requireNonNull(context, "context");
        Function<String, Optional<String>> raw = context::getConfigurationParameter;
        Optional<List<String>> given = raw.apply(PARAMETER_NAMES).map(VigilTarget::split);
        return new VigilTarget(key -> {
            if (given.isPresent() && key.startsWith(PARAMETER_PREFIX)
                    && !given.get().contains(key.substring(PARAMETER_PREFIX.length()))) {
                return Optional.empty();
            }
            return raw.apply(key).filter(v -> !v.isBlank());
        });
    }

    private static List<String> split(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** {@return the service's name, or empty when the tests do not run under Vigil} */
    public Optional<String> service() {
        return source.apply(SERVICE);
    }

    /** {@return the version deployed, or empty when the tests do not run under Vigil} */
    public Optional<String> version() {
        return source.apply(VERSION);
    }

    /** {@return the version it replaced, or empty when unknown} */
    public Optional<String> previousVersion() {
        return source.apply(PREVIOUS_VERSION);
    }

    /** {@return the environment, or empty when not given} */
    public Optional<String> environment() {
        return source.apply(ENVIRONMENT);
    }

    /**
     * {@code RELEASE} or {@code HOTFIX}, or empty when the tests do not run under Vigil.
     *
     * @return the kind of deployment, or empty
     */
    public Optional<String> kind() {
        return source.apply(KIND);
    }

    /** {@return the issue ids the deployment fixes; empty when none} */
    public List<String> fixes() {
        return source.apply(FIXES).map(VigilTarget::split).orElse(List.of());
    }

    /** {@return the round: from 1; 0 for the re-check of the previous version after a rollback; -1 outside Vigil} */
    public int round() {
        return source.apply(ROUND).map(v -> {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }).orElse(-1);
    }

    /**
     * The probe's {@code parameters.<name>}, or empty when it is not set.
     *
     * @param name the parameter's name ({@code base-url})
     * @return its value, or empty
     */
    public Optional<String> parameter(String name) {
        return source.apply(PARAMETER_PREFIX + Objects.requireNonNull(name, "name"));
    }

    /** Names the service and version only: parameters may hold secrets. */
    @Override
    public String toString() {
        return "VigilTarget[" + service().orElse("?") + " " + version().orElse("?") + "]";
    }
}
