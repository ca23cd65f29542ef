package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.BoundProbe;
import dev.vigil.config.ValidationResult;
import dev.vigil.config.VigilConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The configuration files shipped as examples bind, and say what they claim to. */
class ExampleConfigurationTest {

    /** How long the smoke suite's round may take, the first run of the launcher on a loaded machine included. */
    private static final String SUITE_TIMEOUT = "20s";

    private static final VigilConfig VIGIL = VigilConfig.builder()
            .environment(Map.of("PROMETHEUS_TOKEN", "not-a-real-token"))
            .build();

    @ParameterizedTest
    @ValueSource(strings = {"application.properties", "application.yml"})
    void applicationExamplesAreValid(String name) {
        ValidationResult result = VIGIL.validate(Path.of("config", name));

        assertThat(result.valid()).as(result.report()).isTrue();
        BoundConfig config = result.bound().orElseThrow();
        assertThat(config.probes()).extracting(BoundProbe::name).containsExactly("health", "cart", "error-rate", "latency-p99");
        assertThat(config.plan().duration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.deployment().toDeployment().service()).isEqualTo("checkout");
        assertThat(config.rollback()).isPresent();
        assertThat(result.report()).doesNotContain("not-a-real-token");
    }

    @Test
    void propertiesAndYamlSayTheSame() {
        BoundConfig properties = VIGIL.load(Path.of("config", "application.properties"));
        BoundConfig yaml = VIGIL.load(Path.of("config", "application.yml"));

        assertThat(yaml.properties()).isEqualTo(properties.properties());
    }

    @Test
    void applicationExampleWithoutItsTokenNamesTheMissingVariable() {
        ValidationResult result = VigilConfig.builder().environment(Map.of()).build()
                .validate(Path.of("config", "application.properties"));

        assertThat(result.valid()).isFalse();
        assertThat(result.report()).contains("vigil.probes.error-rate.bearer-token").contains("PROMETHEUS_TOKEN");
    }

    @Test
    void pipelineExampleIsValid() {
        ValidationResult result = VigilConfig.builder().environment(Map.of("SERVICE_URL", "http://127.0.0.1:8080")).build()
                .validate(Path.of("config", "pipeline.properties"));

        assertThat(result.valid()).as(result.report()).isTrue();
    }

    @Test
    void demoConfigurationsAreValidTogether(@TempDir Path dir) throws IOException {
        Path demo = copy(Demo.CONFIG, dir);
        Path prometheus = copy(Demo.PROMETHEUS_CONFIG, dir);
        VigilConfig vigil = VigilConfig.builder().environment(Map.of(
                "SAMPLE_URL", "http://127.0.0.1:8080",
                "PROMETHEUS_URL", "http://127.0.0.1:9090",
                "DEPLOY_VERSION", "2.0.0",
                "PREVIOUS_VERSION", "1.0.0")).build();

        BoundConfig config = vigil.load(java.util.List.of(demo, prometheus));

        assertThat(config.probes()).extracting(BoundProbe::name).containsExactly("health", "orders", "smoke", "rolled-back", "error-rate");
        assertThat(config.probes()).extracting(BoundProbe::type).containsExactly("actuator", "http", "junit", "http", "prometheus");
        assertThat(config.recheck().only()).as("measured after a rollback only").containsExactly("rolled-back");
        assertThat(config.plan().interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.deployment().toDeployment().fixes()).isEmpty();
        assertThat(config.deployment().toDeployment().version()).isEqualTo("2.0.0");
    }

    @Test
    void smokeExampleRunsTheSuiteFromItsOwnClassPathAgainstTheService() throws IOException {
        try (SampleService service = SampleService.start("3.0.0")) {
            // One round; the suite's classes come from the build's output folder instead of the jar. Its
            // first run starts the JUnit launcher in this JVM, which took more than 5 s on a loaded
            // machine (an ERROR round: no tests.passed): the round may take SUITE_TIMEOUT, which the
            // interval and the bake must then allow (a timeout longer than the interval is refused).
            VigilConfig vigil = VigilConfig.builder().environment(Map.of(
                    "SERVICE_URL", service.baseUri().toString(),
                    "SMOKE_TESTS", "target/classes",
                    "VIGIL_PLAN_INTERVAL", SUITE_TIMEOUT, "VIGIL_PLAN_DURATION", SUITE_TIMEOUT,
                    "VIGIL_PROBES_SMOKE_TIMEOUT", SUITE_TIMEOUT)).build();
            BoundConfig config = vigil.load(Path.of("config", "smoke.properties"));

            VerificationReport fixed = config.verifier().verifyAfterDeploy(
                    config.deployment().withVersion("3.0.0").withPreviousVersion("1.0.0").toDeployment());
            service.deploy(SampleService.BAD_VERSION);
            // Nothing is rolled back, so there is nothing to re-check: without it the test waits no re-check delay and rounds.
            VerificationReport regressed = config.toBuilder().rollback(event -> "not rolled back in this test")
                    .recheck(dev.vigil.RecheckPlan.off()).build()
                    .verifyAfterDeploy(config.deployment().withVersion("2.0.0").withPreviousVersion("3.0.0").toDeployment());

            assertThat(fixed.verdict()).as(fixed.reason()).isEqualTo(Verdict.HEALTHY);
            assertThat(fixed.probes().get(0).measurements().get(0).values()).as(fixed.probes().get(0).measurements().toString())
                    .containsEntry("tests.passed", 3L);
            assertThat(regressed.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(regressed.reason()).contains("OrdersSmokeTest > healthIsUp(URI): GET /actuator/health",
                    "OrdersSmokeTest > ordersAnswerWithinTheirLatencyBudget(URI)");
        }
    }

    private static Path copy(String resource, Path dir) throws IOException {
        Path file = dir.resolve(resource);
        try (InputStream in = Demo.class.getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            Files.copy(in, file);
        }
        return file;
    }
}
