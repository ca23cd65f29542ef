package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.RollbackTrigger;
import dev.vigil.testkit.CredentialUrls;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * What the configuration shows of a rollback command blanks out every value the shared table gives
 * a credential's name, as the reports do ({@code dev.vigil.report.CredentialAssignmentsTest}), and
 * shows the plain texts as they are.
 */
class CredentialAssignmentsTest {

    private static ValidationResult validate(String rollbackCommand) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", "true");
        p.put("vigil.probes.smoke.pass-when", "exit-code == 0");
        p.put("vigil.rollback.command", rollbackCommand);
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).build().validate(p);
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialAssignments#WITH_CREDENTIALS")
    void everyCredentialGivenToANameIsBlankedOutOfWhatTheConfigurationShows(CredentialUrls.Case c) {
        ValidationResult result = validate(c.text());
        assertThat(result.valid()).as(result.report()).isTrue();
        RollbackTrigger rollback = result.config().rollback().orElseThrow();

        List<String> shown = List.of(result.report(), result.config().describe(), result.config().properties().toString(),
                rollback.description());

        assertThat(rollback.description()).contains(Keys.REDACTED);
        shown.forEach(text -> c.secrets().forEach(secret -> assertThat(text).doesNotContain(secret)));
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialAssignments#PLAIN")
    void aTextWithoutCredentialsIsShownAsItIs(String command) {
        assertThat(validate(command).config().rollback().orElseThrow().description()).isEqualTo("command: " + command);
    }
}
