package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PipelineExample run against the sample service, with examples/config/pipeline.properties. */
class PipelineExampleTest {

    private static final Path CONFIG = Path.of("config", "pipeline.properties");

    @TempDir
    Path reports;

    private SampleService service;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    @BeforeEach
    void start() throws Exception {
        service = SampleService.start("1.0.0");
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void healthyDeploymentContinuesThePipeline() {
        service.deploy("3.0.0");

        int exit = run("3.0.0", "1.0.0", environment());

        assertThat(exit).as(text()).isEqualTo(PipelineExample.EXIT_HEALTHY);
        assertThat(text()).contains("pipeline: promote orders 3.0.0");
        assertThat(service.version()).isEqualTo("3.0.0");
        assertThat(reports.resolve("report.xml")).isRegularFile();
    }

    @Test
    void aReleaseToolThatRunsItAgainAndAgainKeepsNoConnectionOrThreadOfTheVerifications() throws Exception {
        java.util.Set<Thread> before = java.util.Set.copyOf(Thread.getAllStackTraces().keySet());
        service.deploy("3.0.0");

        int exit = run("3.0.0", "1.0.0", environment());

        assertThat(exit).as(text()).isEqualTo(PipelineExample.EXIT_HEALTHY);
        // The probes' HTTP clients end with the verifier: a deploy server running one verification after
        // another in one JVM would otherwise keep each one's I/O threads and idle connections.
        java.util.List<String> left = java.util.List.of();
        for (long until = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5); System.nanoTime() < until; Thread.sleep(50)) {
            left = Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t) && t.isAlive())
                    .map(Thread::getName).filter(name -> name.startsWith("vigil-")).sorted().toList();
            if (left.isEmpty()) {
                break;
            }
        }
        assertThat(left).isEmpty();
    }

    @Test
    void regressionIsRolledBackThroughTheWebhookAndFailsTheJob() {
        service.deploy("2.0.0");

        int exit = run("2.0.0", "1.0.0", environment());

        assertThat(exit).as(text()).isEqualTo(PipelineExample.EXIT_ROLLED_BACK);
        assertThat(service.version()).isEqualTo("1.0.0");
        assertThat(text()).contains("pipeline: 2.0.0 was rolled back to 1.0.0");
        assertThat(reports.resolve("summary.md")).isRegularFile();
    }

    @Test
    void regressionWithoutAWayToRollBackPagesSomeone() {
        service.deploy("2.0.0");
        Map<String, String> environment = Map.of("SERVICE_URL", service.baseUri().toString());

        int exit = run("2.0.0", "1.0.0", environment);

        assertThat(exit).as(text()).isEqualTo(PipelineExample.EXIT_ROLLBACK_FAILED);
        assertThat(service.version()).isEqualTo("2.0.0");
        assertThat(text()).contains("ROLLBACK FAILED");
    }

    @Test
    void aRollbackToAVersionThatIsUnhealthyTooPagesSomeone() {
        service.deploy("2.0.0");
        // The version before was as bad: the rollback returns to the regression, and the re-check sees it.
        service.deploy("2.0.0");

        int exit = run("2.0.0", "1.0.0", environment());

        assertThat(exit).as(text()).isEqualTo(PipelineExample.EXIT_PREVIOUS_VERSION_UNHEALTHY).isEqualTo(5);
        assertThat(text()).contains("page the on-call engineer").doesNotContain("was rolled back to 1.0.0; failing the job");
    }

    @Test
    void dryRunFromTheEnvironmentRollsNothingBack() {
        service.deploy("2.0.0");
        Map<String, String> environment = Map.of(
                "SERVICE_URL", service.baseUri().toString(),
                PipelineExample.ROLLBACK_WEBHOOK, service.baseUri().resolve("/admin/rollback").toString(),
                "VIGIL_PLAN_DRY_RUN", "true");

        int exit = run("2.0.0", "1.0.0", environment);

        assertThat(exit).as(text()).isEqualTo(PipelineExample.EXIT_ROLLED_BACK);
        assertThat(service.version()).as("a dry-run leaves the deployment alone").isEqualTo("2.0.0");
        assertThat(text()).contains("dry-run");
    }

    @Test
    void missingServiceUrlIsAConfigurationError() {
        int exit = run("3.0.0", "1.0.0", Map.of());

        assertThat(exit).isEqualTo(PipelineExample.EXIT_CONFIG_ERROR);
        assertThat(text()).contains("vigil.probes.health.url").contains("SERVICE_URL");
    }

    private Map<String, String> environment() {
        return Map.of(
                "SERVICE_URL", service.baseUri().toString(),
                PipelineExample.ROLLBACK_WEBHOOK, service.baseUri().resolve("/admin/rollback").toString(),
                "VIGIL_PLAN_DURATION", "3s");
    }

    private int run(String version, String previous, Map<String, String> environment) {
        return PipelineExample.run(CONFIG, version, previous, environment, reports,
                new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private String text() {
        return console.toString(StandardCharsets.UTF_8);
    }
}
