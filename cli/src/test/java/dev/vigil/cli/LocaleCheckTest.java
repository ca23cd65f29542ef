package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigProblem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Under {@code LANG=C} the JVM reads the command line and hands commands their text and
 * environment in ASCII: a service {@code kassé} reached the rollback command as
 * {@code VIGIL_SERVICE=kass?}, and {@code --service kassé} was reported and recorded as
 * {@code kass\uFFFD\uFFFD}.
 */
class LocaleCheckTest {

    private static final Map<String, String> COMMAND = Map.of(
            "vigil.deployment.service", "kassé",
            "vigil.deployment.version", "2.0.0",
            "vigil.rollback.command", "kubectl rollout undo deployment/kassé");

    @Test
    void aNameTheRollbackCommandWouldGetMangledIsAConfigurationErrorNamingTheKeyAndWhatTheCommandWouldGet() {
        List<ConfigProblem> problems = LocaleCheck.problems(COMMAND, StandardCharsets.US_ASCII);

        assertThat(problems).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("vigil.deployment.service", "vigil.rollback.command");
        assertThat(problems).allSatisfy(p -> assertThat(p.message()).contains("US-ASCII").contains("LANG=C.UTF-8"));
        assertThat(problems.stream().filter(p -> p.key().equals("vigil.deployment.service")).findFirst().orElseThrow().message())
                .contains("the command would get 'kass?'");
    }

    @Test
    void aNameLostInReadingTheCommandLineIsAnErrorEvenWithoutACommand() {
        List<ConfigProblem> problems = LocaleCheck.problems(
                Map.of("vigil.deployment.service", "kass\uFFFD\uFFFD", "vigil.probes.health.url", "http://h/x"),
                StandardCharsets.US_ASCII);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("vigil.deployment.service");
            assertThat(p.message()).contains("characters were lost when the command line was read");
        });
    }

    /**
     * Under a UTF-8 locale, {@code --service "$NAME"} with ISO-8859-1 bytes in the variable arrived as
     * {@code ka\uFFFDs} and was verified, reported and recorded under that name (exit 0).
     */
    @Test
    void aNameWithBytesThatAreNotUtf8IsAnErrorUnderAUtf8LocaleToo() {
        List<ConfigProblem> problems = LocaleCheck.problems(
                Map.of("vigil.deployment.service", "ka\uFFFDs", "vigil.deployment.version", "2.0.0"), StandardCharsets.UTF_8);

        assertThat(problems).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("vigil.deployment.service");
            assertThat(p.message()).contains("characters were lost in reading").contains("not UTF-8");
        });
    }

    @Test
    void aUtf8LocaleOrANameWithoutACommandToHandItToIsFine() {
        assertThat(LocaleCheck.problems(COMMAND, StandardCharsets.UTF_8)).isEmpty();
        assertThat(LocaleCheck.problems(Map.of("vigil.deployment.service", "kassé", "vigil.rollback.webhook.url", "http://h/r"),
                StandardCharsets.US_ASCII)).isEmpty();
        assertThat(LocaleCheck.problems(Map.of("vigil.deployment.service", "checkout",
                "vigil.rollback.command", "kubectl rollout undo deployment/checkout"), StandardCharsets.US_ASCII)).isEmpty();
    }
}
