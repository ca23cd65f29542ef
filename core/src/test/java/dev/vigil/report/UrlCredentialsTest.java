package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.CredentialUrls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The reports mask every credential of the shared tables, of URLs, of command lines and of values
 * given to a credential's name, and leave texts without one alone.
 */
class UrlCredentialsTest {

    @ParameterizedTest
    @FieldSource({"dev.vigil.testkit.CredentialUrls#WITH_CREDENTIALS", "dev.vigil.testkit.CredentialCommandLines#WITH_CREDENTIALS",
        "dev.vigil.testkit.CredentialAssignments#WITH_CREDENTIALS"})
    void everyCredentialOfAUrlOrACommandLineIsMasked(CredentialUrls.Case c) {
        String masked = Reports.redact(c.text());

        assertThat(masked).contains(Redaction.MASK);
        c.secrets().forEach(secret -> assertThat(masked).doesNotContain(secret));
    }

    @Test
    void aUrlInJsonWithEscapedSlashesHasItsCredentialsMasked() {
        String echoed = "{\"error\":\"cannot fetch https:\\/\\/ci:s3cr3t-pw@repo.example\\/x\","
                + "\"from\":\"https:\\/\\/ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com\\/org\\/repo.git\","
                + "\"see\":\"https:\\/\\/host.example:8443\\/users\\/ann@example.com\"}";

        assertThat(Reports.redact(echoed))
                .isEqualTo("{\"error\":\"cannot fetch https:\\/\\/ci:[REDACTED]@repo.example\\/x\","
                        + "\"from\":\"https:\\/\\/[REDACTED]@github.com\\/org\\/repo.git\","
                        + "\"see\":\"https:\\/\\/host.example:8443\\/users\\/ann@example.com\"}");
    }

    @Test
    void aProbesMaskAfterACredentialsNameIsWrittenAgainAsTheReportsAndAMaskAloneStays() {
        // As docs/reports.md ("Which mask you see where") shows it.
        assertThat(Reports.redact("GET https://api/health?api_key=****&sv=1: no answer; redirected-to=https://sso/login?****"))
                .isEqualTo("GET https://api/health?api_key=[REDACTED]&sv=1: no answer; redirected-to=https://sso/login?****");
    }

    @Test
    void aShortUserWithoutAPasswordIsAUserNameAndStays() {
        assertThat(Reports.redact("git clone ssh://git@github.com/org/repo.git"))
                .isEqualTo("git clone ssh://git@github.com/org/repo.git");
    }

    @ParameterizedTest
    @FieldSource({"dev.vigil.testkit.CredentialUrls#PLAIN", "dev.vigil.testkit.CredentialCommandLines#PLAIN",
        "dev.vigil.testkit.CredentialAssignments#PLAIN"})
    void aUrlOrACommandLineWithoutCredentialsStaysAsItIs(String url) {
        assertThat(Reports.redact(url)).isEqualTo(url);
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#READABLE_PARAMETERS")
    void aUrlWhoseParametersAreNoCredentialsStaysAsItIs(String url) {
        assertThat(Reports.redact(url)).isEqualTo(url);
    }
}
