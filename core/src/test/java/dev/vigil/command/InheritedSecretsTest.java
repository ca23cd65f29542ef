package dev.vigil.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * What a command prints of the credentials in its environment that the configuration never
 * names: a pipeline's {@code DEPLOY_KEY_PASSWORD}, echoed by a script run with {@code set -x}, went
 * into the reports and the history as it was.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class InheritedSecretsTest {

    @Test
    void aCredentialOfTheEnvironmentACommandPrintsIsBlankedOutAndOrdinaryValuesAreNot() throws Exception {
        String secret = "s3cr3t-deploy-key-4471";
        ProcessRunner.Result run = ProcessRunner.run(
                List.of("/bin/sh", "-c", "echo \"key=$DEPLOY_KEY_PASSWORD type=$TOKEN_TYPE dir=$PWD shared=$SHARED\""),
                Map.of("DEPLOY_KEY_PASSWORD", secret, "TOKEN_TYPE", "bearer", "SHARED", "not-a-credential-value"),
                Duration.ofSeconds(10), 10_000, "test-output");

        assertThat(run.output()).doesNotContain(secret).contains("key=******")
                // A short value may be an ordinary word; PWD is the working folder; other names are no credentials.
                .contains("type=bearer").contains("dir=" + System.getProperty("user.dir"))
                .contains("shared=not-a-credential-value");
    }

    @Test
    void theMaskTakesTheLongestValueFirstAndLeavesTextWithoutCredentialsAlone() {
        Map<String, String> env = Map.of("API_TOKEN", "abcdefgh", "GITHUB_TOKEN", "abcdefgh-and-more", "PWD", "/work/abcdefgh");
        assertThat(InheritedSecrets.mask("t=abcdefgh-and-more u=abcdefgh", env)).isEqualTo("t=****** u=******");
        assertThat(InheritedSecrets.mask("nothing here", env)).isEqualTo("nothing here");
        assertThat(InheritedSecrets.mask(null, env)).isNull();
    }
}
