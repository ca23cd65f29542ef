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
 * A credential given as an argument of a rollback command ({@code curl -u admin:<password>},
 * {@code --token <token>}) is blanked out of what the configuration shows, for every case of the
 * shared table, as a credential in a URL is ({@link UrlCredentialsTest}).
 */
class CommandLineCredentialsTest {

    private static ValidationResult validate(String rollbackCommand) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", "true");
        p.put("vigil.probes.smoke.pass-when", "exit-code == 0");
        p.put("vigil.rollback.command", rollbackCommand);
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).build().validate(p);
    }

    @ParameterizedTest
    @FieldSource({"dev.vigil.testkit.CredentialCommandLines#WITH_CREDENTIALS",
        "dev.vigil.testkit.CredentialAssignments#WITH_CREDENTIALS"})
    void everyCredentialOfARollbackCommandIsBlankedOutOfWhatTheConfigurationShows(CredentialUrls.Case c) {
        ValidationResult result = validate(c.text());
        assertThat(result.valid()).as(result.report()).isTrue();
        RollbackTrigger rollback = result.config().rollback().orElseThrow();

        List<String> shown = List.of(result.report(), result.config().describe(), result.config().properties().toString(),
                rollback.description(), rollback.preflight().message());

        assertThat(rollback.description()).contains(Keys.REDACTED);
        shown.forEach(text -> c.secrets().forEach(secret -> assertThat(text).doesNotContain(secret)));
    }

    @ParameterizedTest
    @FieldSource({"dev.vigil.testkit.CredentialCommandLines#PLAIN", "dev.vigil.testkit.CredentialAssignments#PLAIN"})
    void aRollbackCommandWithoutCredentialsIsShownAsItIs(String command) {
        ValidationResult result = validate(command);

        assertThat(result.config().describe()).contains("rollback: command: " + command + " (");
        assertThat(result.config().rollback().orElseThrow().description()).isEqualTo("command: " + command);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"DB_PASSWORD=hunter2-c0ffee ./rollback.sh",
        "PGPASSWORD='hunter2-c0ffee' psql -h db -c 'select 1'", "docker run --rm -e API_TOKEN=hunter2-c0ffee undo:1",
        "export DEPLOY_SECRET=\"hunter2-c0ffee\"; ./undo.sh", "helm rollback checkout --set db.password=hunter2-c0ffee"})
    void aSecretGivenAsAVariableOfARollbackCommandIsBlankedOutOfWhatTheConfigurationShows(String command) {
        // The reports masked DB_PASSWORD=... (Redaction); describe(), properties() and validate showed it.
        ValidationResult result = validate(command);
        assertThat(result.valid()).as(result.report()).isTrue();
        RollbackTrigger rollback = result.config().rollback().orElseThrow();

        List<String> shown = List.of(result.report(), result.config().describe(), result.config().properties().toString(),
                rollback.description());

        assertThat(rollback.description()).contains(Keys.REDACTED);
        shown.forEach(text -> assertThat(text).doesNotContain("hunter2-c0ffee"));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"MAX_TOKENS=4096 ./undo.sh", "TOKEN_FILE=/run/token ./undo.sh",
        "RELEASE=2.4.0 ./undo.sh"})
    void aVariableNotNamedLikeASecretIsShownAsItIs(String command) {
        ValidationResult result = validate(command);

        assertThat(result.config().rollback().orElseThrow().description()).isEqualTo("command: " + command);
    }
}
