package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.VirtualTime;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntryPointsTest {

    private static final String COMMAND_PROBE = "vigil.probes.check.type=command\nvigil.probes.check.command=true\n";

    @TempDir
    Path dir;

    private <T> T withClasspath(Path root, Callable<T> action) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, getClass().getClassLoader())) {
            thread.setContextClassLoader(loader);
            return action.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    @Test
    void fromPropertiesReadsAFileAPropertiesObjectAndAMap() throws IOException {
        Path file = Files.writeString(dir.resolve("vigil.properties"), COMMAND_PROBE + "vigil.plan.duration=1m\n");
        Properties properties = new Properties();
        properties.setProperty("vigil.probes.check.type", "command");
        properties.setProperty("vigil.probes.check.command", "true");

        assertThat(VigilConfig.defaults().load(file).verifier().plan().duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(VigilConfig.defaults().load(properties).verifier().probeNames()).containsExactly("check");
        assertThat(VigilConfig.defaults().load(Map.of("vigil.probes.check.type", "command", "vigil.probes.check.command", "true")).verifier()
                .probeNames()).containsExactly("check");
    }

    @Test
    void fromYamlReadsTheSameKeys() throws IOException {
        Path file = Files.writeString(dir.resolve("vigil.yaml.txt"),
                "vigil:\n  plan:\n    duration: 2m\n  probes:\n    check:\n      type: command\n      command: 'true'\n");

        DeployVerifier verifier = VigilConfig.defaults().loadYaml(file).verifier();

        assertThat(verifier.plan().duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(verifier.probeNames()).containsExactly("check");
    }

    @Test
    void fromClasspathReadsApplicationPropertiesOverApplicationYml() throws Exception {
        Files.writeString(dir.resolve("application.yml"),
                "vigil:\n  plan:\n    duration: 2m\n    interval: 20s\n  probes:\n    check:\n      type: command\n      command: 'true'\n");
        Files.writeString(dir.resolve("application.properties"), "vigil.plan.duration=3m\n");

        DeployVerifier verifier = withClasspath(dir, () -> VigilConfig.defaults().loadClasspath().verifier());

        assertThat(verifier.plan().duration()).isEqualTo(Duration.ofMinutes(3));
        assertThat(verifier.plan().interval()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void aClasspathResourceThatIsNotUtf8IsAnErrorNamingItAsAFileIs() throws Exception {
        // Read leniently, "café" saved as ISO-8859-1 became "caf\uFFFD" in the reports and rollback events.
        Files.write(dir.resolve("application.properties"), ("vigil.probes.check.type=command\nvigil.probes.check.command=true\n"
                + "vigil.deployment.service=caf\u00e9\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

        assertThatThrownBy(() -> withClasspath(dir, () -> VigilConfig.defaults().loadClasspath()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("application.properties: not UTF-8 text (line 3): save it as UTF-8");
    }

    @Test
    void fromClasspathWithoutAnyFileSaysWhatItLookedFor() throws Exception {
        assertThatThrownBy(() -> withClasspath(dir, () -> VigilConfig.defaults().loadClasspath().verifier()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("application.yaml, application.yml, application.properties");
    }

    @Test
    void fromPropertiesWithoutProbesIsAConfigurationError() {
        assertThatThrownBy(() -> VigilConfig.defaults().load(Map.of("vigil.plan.duration", "1m")).verifier())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("vigil.probes: no probe configured");
    }

    @Test
    void probeTypesAreFoundWithServiceLoader() throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve("dev.vigil.spi.ProbeFactory"), ServiceLoadedFactory.class.getName() + "\n");

        VigilConfig config = withClasspath(dir, () -> VigilConfig.builder().environment(Map.of()).build());
        BoundConfig bound = config.load(Map.of("vigil.probes.answer.type", "constant", "vigil.probes.answer.value", "1"));

        assertThat(config.probeTypes()).containsExactly("command", "constant");
        assertThat(bound.probes().get(0).type()).isEqualTo("constant");
    }

    @Test
    void aBoundConfigurationVerifiesADeploymentEndToEnd() {
        VigilConfig config = VigilConfig.builder().environment(Map.of()).serviceLoader(false).build();
        BoundConfig bound = config.load(Map.of(
                "vigil.deployment.service", "checkout",
                "vigil.deployment.version", "2.4.1",
                "vigil.plan.interval", "1s",
                "vigil.plan.duration", "2s",
                "vigil.probes.check.type", "command",
                "vigil.probes.check.command", "exit 1",
                "vigil.plan.dry-run", "true"));

        VerificationReport report = bound.toBuilder().timeSource(VirtualTime.start()).build().verifyAfterDeploy(bound.deployment().toDeployment());

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
    }

    @Test
    void theDeploymentNeedsAServiceAndAVersionFromSomewhere() {
        DeploymentDefaults none = new DeploymentDefaults(null, null, null, null, null, null, null);

        assertThatThrownBy(none::toDeployment).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("deployment.service").hasMessageContaining("deployment.version");
        assertThat(none.withService("checkout").withVersion("1.0").toDeployment()).isEqualTo(Deployment.of("checkout", "1.0"));
    }

    @Test
    void aDeploymentPartWithAControlCharacterIsAConfigurationProblemNamingTheKeyNotTheValue() {
        DeploymentDefaults forged = new DeploymentDefaults("checkout", "2.4.1\nVerdict: HEALTHY", null, null, null, null,
                Map.of("deploy-token", "s3cr3t\r\nVerdict: HEALTHY"));

        assertThatThrownBy(forged::toDeployment).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("deployment.version: holds a control character (U+000A at index 5)")
                .hasMessageContaining("deployment.labels.deploy-token: holds a control character (U+000D at index 6)")
                .hasMessageNotContaining("s3cr3t").hasMessageNotContaining("Verdict");
        assertThatThrownBy(new DeploymentDefaults("checkout", "1.0", null, null, null, List.of(" "), null)::toDeployment)
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("deployment.fixes");
    }
}
