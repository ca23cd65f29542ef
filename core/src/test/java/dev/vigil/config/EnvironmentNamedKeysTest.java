package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key written in a file as an environment variable is named ({@code VIGIL_PLAN_DURATION}) is no
 * key there: it is a problem naming the key it would mean and its line, not a value left out
 * without a word while the default applies.
 */
class EnvironmentNamedKeysTest {

    @TempDir
    Path dir;

    private static VigilConfig config(Map<String, String> env) {
        return VigilConfig.builder().environment(env).serviceLoader(false).probeFactory(TestFactories.HTTP).build();
    }

    private static ConfigurationException fail(Path file) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(file));
        assertThat(e).as("expected a configuration error").isNotNull();
        return e;
    }

    @Test
    void aPropertiesKeyInAnEnvironmentVariablesFormIsAProblemNamingTheKeyItWouldMeanAndItsLine() throws Exception {
        // Before: the key was not read and nothing said so; the plan baked for the default duration.
        Path file = Files.writeString(dir.resolve("vigil.properties"), String.join("\n",
                "# checkout",
                "vigil.probes.health.type=http",
                "vigil.probes.health.url=http://localhost:8080/health",
                "vigil.probes.health.pass-when=status == 200",
                "",
                "VIGIL_PLAN_DURATION=10m",
                "VIGIL_PROBES_HEALTH_TIMEOUT = 2s",
                "server.port=8080",
                ""));

        ConfigurationException e = fail(file);

        assertThat(e.problems()).extracting(ConfigProblem::key).containsExactly("VIGIL_PLAN_DURATION", "VIGIL_PROBES_HEALTH_TIMEOUT");
        assertThat(e.problems().get(0).message()).isEqualTo("an environment variable's name, which a file does not read"
                + " (" + file + ", line 6): write the key as vigil.plan.duration, or set the variable in the environment");
        assertThat(e.problems().get(1).message()).contains("vigil.properties, line 7): write the key as vigil.probes.health.timeout");
    }

    @Test
    void aYamlKeyInAnEnvironmentVariablesFormIsAProblemToo() throws Exception {
        Path file = Files.writeString(dir.resolve("application.yml"), String.join("\n",
                "vigil:",
                "  probes:",
                "    health:",
                "      type: http",
                "      url: http://localhost:8080/health",
                "      pass-when: status == 200",
                "VIGIL_PLAN_DURATION: 10m",
                "vigil_rollback_command: ./rollback.sh",
                ""));

        ConfigurationException e = fail(file);

        assertThat(e.problems()).extracting(ConfigProblem::message).containsExactly(
                "an environment variable's name, which a file does not read (" + file + ", line 7): write the key as"
                        + " vigil.plan.duration, or set the variable in the environment",
                "an environment variable's name, which a file does not read (" + file + ", line 8): write the key as"
                        + " vigil.rollback.command, or set the variable in the environment");
    }

    @Test
    void oneThatMeansNoKeyIsAProblemSayingSo() throws Exception {
        Path file = Files.writeString(dir.resolve("vigil.properties"), String.join("\n",
                "vigil.probes.health.type=http",
                "vigil.probes.health.url=http://localhost:8080/health",
                "vigil.probes.health.pass-when=status == 200",
                "VIGIL_PLAN_BAKE=10m"));

        assertThat(fail(file).problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("VIGIL_PLAN_BAKE");
            assertThat(p.message()).isEqualTo("an environment variable's name, which a file does not read (" + file + ", line 4),"
                    + " and no key's either; write the key as vigil.<section>.<key>");
        });
    }

    @Test
    void theEnvironmentVariableItselfIsReadAsBefore() throws Exception {
        Path file = Files.writeString(dir.resolve("vigil.properties"), String.join("\n",
                "vigil.probes.health.type=http",
                "vigil.probes.health.url=http://localhost:8080/health",
                "vigil.probes.health.pass-when=status == 200"));

        BoundConfig bound = config(Map.of("VIGIL_PLAN_DURATION", "10m")).load(file);

        assertThat(bound.plan().duration()).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void aMapGivenInCodeKeepsItsOtherKeysToItself() {
        BoundConfig bound = config(Map.of()).load(Map.of(
                "vigil.probes.health.type", "http",
                "vigil.probes.health.url", "http://localhost:8080/health",
                "vigil.probes.health.pass-when", "status == 200",
                "VIGIL_PLAN_DURATION", "10m"));

        assertThat(bound.probes()).hasSize(1);
    }

    @Test
    void aVariableNamingATypeButNoProbeIsAProblemOfItsName() throws Exception {
        // Before: VIGIL_PROBES_TYPE ended the binding with a StringIndexOutOfBoundsException.
        Path file = Files.writeString(dir.resolve("vigil.properties"), String.join("\n",
                "vigil.probes.health.type=http",
                "vigil.probes.health.url=http://localhost:8080/health",
                "vigil.probes.health.pass-when=status == 200"));

        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> config(Map.of("VIGIL_PROBES_TYPE", "http")).load(file));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("VIGIL_PROBES_TYPE");
            assertThat(p.message()).startsWith("names no configured probe (known: health)");
        });
    }
}
