package dev.vigil.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/** The extension reads the target from the configuration parameters of each run, and names what it cannot read. */
class VigilExtensionTest {

    /** What the tests below saw, by run. */
    static final Map<String, Object> SEEN = new ConcurrentHashMap<>();

    @BeforeEach
    void clear() {
        SEEN.clear();
    }

    @Test
    void parametersAreInjectedWithTheirTypes() {
        List<String> failures = run(Typed.class, Map.of(
                "vigil.parameters.base-url", "http://orders.internal:8080",
                "vigil.parameters.attempts", "3",
                "vigil.parameters.patience", "250ms",
                "vigil.parameters.strict", "true"));

        assertThat(failures).isEmpty();
        assertThat(SEEN).containsEntry("base-url", URI.create("http://orders.internal:8080"))
                .containsEntry("attempts", 3).containsEntry("patience", Duration.ofMillis(250))
                .containsEntry("strict", true).containsEntry("region", "eu");
    }

    @Test
    void theTargetCarriesDeploymentAndRound() {
        List<String> failures = run(Targeted.class, Map.of(
                "vigil.service", "orders", "vigil.version", "3.0.0", "vigil.previous-version", "2.0.0",
                "vigil.kind", "HOTFIX", "vigil.fixes", "ORD-17, ORD-18", "vigil.round", "2",
                "vigil.parameters.base-url", "http://b"));

        assertThat(failures).isEmpty();
        VigilTarget target = (VigilTarget) SEEN.get("target");
        assertThat(target.service()).contains("orders");
        assertThat(target.version()).contains("3.0.0");
        assertThat(target.previousVersion()).contains("2.0.0");
        assertThat(target.environment()).isEmpty();
        assertThat(target.kind()).contains("HOTFIX");
        assertThat(target.fixes()).containsExactly("ORD-17", "ORD-18");
        assertThat(target.round()).isEqualTo(2);
        assertThat(target.parameter("base-url")).contains("http://b");
    }

    @Test
    void underVigilOnlyTheProbesParametersCountNotTheDefaultsForRunsOutsideIt() {
        // A developer's defaults, as junit-platform.properties or -D would give them outside Vigil.
        System.setProperty("vigil.parameters.base-url", "http://localhost:8080");
        System.setProperty("vigil.previous-version", "0.0.1-local");
        try {
            List<String> outside = run(NeedsBaseUrl.class, Map.of(), true);
            assertThat(outside).isEmpty();
            assertThat(SEEN).containsEntry("base-url", "http://localhost:8080");
            assertThat(((VigilTarget) SEEN.get("target")).previousVersion()).contains("0.0.1-local");

            SEEN.clear();
            // Under Vigil: the probe names its parameters (none here) and gives every key, empty when unknown.
            List<String> under = run(NeedsBaseUrl.class, Map.of(VigilTarget.PARAMETER_NAMES, "",
                    "vigil.service", "orders", "vigil.version", "3.0.0", "vigil.previous-version", ""), true);
            assertThat(under).singleElement().asString().contains("'base-url' is not set");

            SEEN.clear();
            List<String> given = run(NeedsBaseUrl.class, Map.of(VigilTarget.PARAMETER_NAMES, "base-url",
                    "vigil.parameters.base-url", "http://orders.internal", "vigil.previous-version", ""), true);
            assertThat(given).isEmpty();
            assertThat(SEEN).containsEntry("base-url", "http://orders.internal");
            assertThat(((VigilTarget) SEEN.get("target")).previousVersion()).isEmpty();
        } finally {
            System.clearProperty("vigil.parameters.base-url");
            System.clearProperty("vigil.previous-version");
        }
    }

    @Test
    void aMissingParameterFailsTheTestNamingItAndHowToSetIt() {
        List<String> failures = run(Typed.class, Map.of("vigil.parameters.attempts", "3"));

        assertThat(failures).singleElement().asString()
                .contains("'base-url' is not set", "parameters.base-url=", "vigil.parameters.base-url");
    }

    @Test
    void aValueOfTheWrongTypeIsNamedButNotShown() {
        List<String> failures = run(Typed.class, Map.of(
                "vigil.parameters.base-url", "http://b", "vigil.parameters.attempts", "s3cr3t-not-a-number",
                "vigil.parameters.patience", "1s", "vigil.parameters.strict", "false"));

        assertThat(failures).singleElement().asString()
                .contains("'attempts' cannot be read as int: it must be a whole number").doesNotContain("s3cr3t-not-a-number");
    }

    /** Runs one class with the given configuration parameters; the messages of the failed tests. */
    private static List<String> run(Class<?> testClass, Map<String, String> parameters) {
        return run(testClass, parameters, false);
    }

    /** As {@link #run(Class, Map)}; {@code implicit}: system properties and junit-platform.properties are read too, as by default. */
    private static List<String> run(Class<?> testClass, Map<String, String> parameters, boolean implicit) {
        List<String> failures = new CopyOnWriteArrayList<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameters(parameters)
                .enableImplicitConfigurationParameters(implicit)
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
                            failures.add(result.getThrowable().map(Throwable::getMessage).orElse("no message"));
                        }
                    }
                });
        return failures;
    }

    static class Typed {
        @Test
        void reads(@VigilParameter("base-url") URI baseUrl, @VigilParameter("attempts") int attempts,
                @VigilParameter("patience") Duration patience, @VigilParameter("strict") boolean strict,
                @VigilParameter(value = "region", defaultValue = "eu") String region) {
            SEEN.put("base-url", baseUrl);
            SEEN.put("attempts", attempts);
            SEEN.put("patience", patience);
            SEEN.put("strict", strict);
            SEEN.put("region", region);
        }
    }

    @ExtendWith(VigilExtension.class)
    static class Targeted {
        @Test
        void reads(VigilTarget target) {
            SEEN.put("target", target);
        }
    }

    @ExtendWith(VigilExtension.class)
    static class NeedsBaseUrl {
        @Test
        void reads(@VigilParameter("base-url") String baseUrl, VigilTarget target) {
            SEEN.put("base-url", baseUrl);
            SEEN.put("target", target);
        }
    }
}
