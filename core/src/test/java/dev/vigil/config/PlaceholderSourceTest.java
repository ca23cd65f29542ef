package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error about a value written in the file whose {@code ${X}} the environment resolved names the
 * variable as well as the file, never a secret's value.
 */
class PlaceholderSourceTest {

    private static ValidationResult validate(Path dir, String lines, Map<String, String> env) throws Exception {
        Path file = Files.writeString(dir.resolve("application.properties"), String.join("\n",
                "vigil.deployment.service=checkout",
                "vigil.deployment.version=2.4.1",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                "vigil.probes.p.pass-when=exit-code == 0",
                lines, ""));
        return VigilConfig.builder().environment(env).serviceLoader(false).build().validate(file);
    }

    private static ConfigProblem problem(ValidationResult result, String key) {
        return result.problems().stream().filter(p -> p.key().equals(key)).findFirst().orElseThrow();
    }

    @Test
    void aBadValueAPlaceholderTookFromTheEnvironmentNamesTheVariable(@TempDir Path dir) throws Exception {
        ValidationResult result = validate(dir, "vigil.plan.interval=${INTERVAL}\nvigil.probes.p.max-failures=${MAX}1",
                Map.of("INTERVAL", "soon", "MAX", "x"));

        assertThat(problem(result, "vigil.plan.interval").toString()).contains("not a duration")
                .contains("(written in the configuration, with ${INTERVAL} resolved from the environment variable INTERVAL)")
                .contains("(value: soon)");
        assertThat(problem(result, "vigil.probes.p.max-failures").toString())
                .contains("with ${MAX} resolved from the environment variable MAX)").contains("(value: x1)");
    }

    @Test
    void aSecretVariableIsNamedButItsValueIsNot(@TempDir Path dir) throws Exception {
        ValidationResult result = validate(dir, "vigil.probes.p.timeout=${DEPLOY_TOKEN}", Map.of("DEPLOY_TOKEN", "s3cr3t-t0k3n"));

        assertThat(problem(result, "vigil.probes.p.timeout").toString())
                .contains("${DEPLOY_TOKEN} resolved from the environment variable DEPLOY_TOKEN").contains("(value: ******)");
        assertThat(result.report()).doesNotContain("s3cr3t-t0k3n");
    }

    @Test
    void aValueTheFileGaveItselfOrTheEnvironmentGaveWholeSaysNoMoreThanBefore(@TempDir Path dir) throws Exception {
        ValidationResult own = validate(dir, "vigil.plan.interval=${INTERVAL:soon}", Map.of());
        ValidationResult whole = validate(dir, "", Map.of("VIGIL_PLAN_INTERVAL", "soon"));

        assertThat(problem(own, "vigil.plan.interval").toString()).doesNotContain("environment variable");
        assertThat(problem(whole, "vigil.plan.interval").toString()).contains("(from environment variable VIGIL_PLAN_INTERVAL)")
                .doesNotContain("written in the configuration");
    }
}
