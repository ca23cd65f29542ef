package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Secrets that say what they are by their form, or stand where a format deploy tools print keeps
 * them, masked with no {@code name=value} before them.
 */
class SecretFormsTest {

    private static final String KEY_BODY = "MIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2hX8";

    @Test
    void aPemPrivateKeyIsMaskedBetweenItsBeginAndEndLines() {
        String pem = "wrote key:\n-----BEGIN RSA PRIVATE KEY-----\n" + KEY_BODY + "\nq2Rw8rt0=\n-----END RSA PRIVATE KEY-----\ndone";

        assertThat(Reports.redact(pem)).isEqualTo(
                "wrote key:\n-----BEGIN RSA PRIVATE KEY-----[REDACTED]-----END RSA PRIVATE KEY-----\ndone");
    }

    @Test
    void aPemPrivateKeyJoinedByJsonNewLinesOrCutShortIsMasked() {
        assertThat(Reports.redact("{\"key\": \"-----BEGIN PRIVATE KEY-----\\n" + KEY_BODY + "\\n-----END PRIVATE KEY-----\\n\"}"))
                .isEqualTo("{\"key\": \"-----BEGIN PRIVATE KEY-----[REDACTED]-----END PRIVATE KEY-----\\n\"}");
        assertThat(Reports.redact("-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY))
                .isEqualTo("-----BEGIN OPENSSH PRIVATE KEY-----[REDACTED]");
        assertThat(Reports.redact("-----BEGIN ENCRYPTED PRIVATE KEY-----\r\n" + KEY_BODY)).doesNotContain(KEY_BODY);
        // a console masked line by line has the BEGIN line alone: its line break stays
        assertThat(Reports.redact("-----BEGIN RSA PRIVATE KEY-----\r\n")).isEqualTo("-----BEGIN RSA PRIVATE KEY-----[REDACTED]\r\n");
    }

    @Test
    void aTokenThatSaysWhatItIsByItsStartIsMaskedStandingAlone() {
        assertThat(Reports.redact("pushing with ghp_16C7e42F292c6912E7710c838347Ae178B4a failed"))
                .isEqualTo("pushing with ghp_[REDACTED] failed");
        assertThat(Reports.redact("token github_pat_11ABCDEFG0abcdefghijkl_abcdefghijklmnopqrstuvwxyz012345"))
                .isEqualTo("token github_pat_[REDACTED]");
        assertThat(Reports.redact("(glpat-Xy9zAbCdEfGhIjKlMnOp)")).isEqualTo("(glpat-[REDACTED])");
        assertThat(Reports.redact("slack: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"))
                .isEqualTo("slack: xoxb-[REDACTED]");
        assertThat(Reports.redact("ghs_abcdefghijklmnopqrstuvwxyz0123456789, gho_abcdefghijklmnopqrstuvwxyz0123456789"))
                .isEqualTo("ghs_[REDACTED], gho_[REDACTED]");
    }

    @Test
    void googleStripePypiAndDockerHubTokensAreMaskedByTheirStart() {
        assertThat(Reports.redact("ya29.a0AfH6SMBx3kQ9vZ-example_token_value")).isEqualTo("ya29.[REDACTED]");
        assertThat(Reports.redact("stripe: sk_live_51H8xYzAbCdEfGhIjKlMnOpQr")).isEqualTo("stripe: sk_live_[REDACTED]");
        assertThat(Reports.redact("twine upload -p pypi-AgEIcHlwaS5vcmcCJGE0ZjE2")).isEqualTo("twine upload -p pypi-AgE[REDACTED]");
        assertThat(Reports.redact("dckr_pat_2b3e36beeb386dfdaacb9b46004")).isEqualTo("dckr_pat_[REDACTED]");
        assertThat(Reports.redact("runner glrt-t3_abcdefghijklmnopqrstu")).isEqualTo("runner glrt-[REDACTED]");
    }

    @Test
    void aTokenNamedOrInAUrlIsMaskedWholeAsBefore() {
        assertThat(Reports.redact("GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a"))
                .isEqualTo("GITHUB_TOKEN=[REDACTED]");
        assertThat(Reports.redact("https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r"))
                .isEqualTo("https://[REDACTED]@github.com/o/r");
    }

    @Test
    void aRegistrysAuthInADockerConfigIsMasked() {
        // base64 of deploy:s3cret-registry
        String auth = "ZGVwbG95OnMzY3JldC1yZWdpc3RyeQ==";

        assertThat(Reports.redact("{\"auths\":{\"registry.example\":{\"auth\":\"" + auth + "\"}}}"))
                .isEqualTo("{\"auths\":{\"registry.example\":{\"auth\":\"[REDACTED]\"}}}");
        assertThat(Reports.redact("            \"auth\": \"" + auth + "\"")).isEqualTo("            \"auth\": \"[REDACTED]\"");
        assertThat(Reports.redact("{\"config\": \"{\\\"auths\\\":{\\\"r\\\":{\\\"auth\\\":\\\"" + auth + "\\\"}}}\"}"))
                .doesNotContain(auth);
    }

    @Test
    void aNetrcPasswordIsMasked() {
        assertThat(Reports.redact("machine api.example login deploy password s3cr3t-netrc"))
                .isEqualTo("machine api.example login deploy password [REDACTED]");
        assertThat(Reports.redact("machine git.example password s3cr3t-netrc\ndefault login anonymous password guest@x"))
                .isEqualTo("machine git.example password [REDACTED]\ndefault login anonymous password [REDACTED]");
    }

    @Test
    void anOraclePasswordIsMaskedInAJdbcUrlAndOnSqlPlusCommandLine() {
        assertThat(Reports.redact("url=jdbc:oracle:thin:scott/t1ger-db@//db.example:1521/orcl"))
                .isEqualTo("url=jdbc:oracle:thin:scott/[REDACTED]@//db.example:1521/orcl");
        assertThat(Reports.redact("Connecting to JDBC:ORACLE:OCI:scott/t1ger-db@orcl"))
                .isEqualTo("Connecting to JDBC:ORACLE:OCI:scott/[REDACTED]@orcl");
        assertThat(Reports.redact("+ sqlplus -s -L scott/t1ger-db@orcl @migrate.sql"))
                .isEqualTo("+ sqlplus -s -L scott/[REDACTED]@orcl @migrate.sql");
        assertThat(Reports.redact("sqlplus scott/t1ger-db")).isEqualTo("sqlplus scott/[REDACTED]");
    }

    @Test
    void anAuthorizationInJsonIsMaskedPastItsEscapedQuotes() {
        assertThat(Reports.redact("{\"Authorization\": \"Basic YWRt\\\"aW46czNj\", \"Accept\": \"*/*\"}"))
                .isEqualTo("{\"Authorization\": \"[REDACTED]\", \"Accept\": \"*/*\"}");
    }

    @Test
    void anAuthorizationInJsonInsideAJsonStringIsMasked() {
        String body = "{\"body\": \"{\\\"headers\\\": {\\\"Authorization\\\": \\\"Basic YWRtaW46czNj\\\", "
                + "\\\"Cookie\\\":\\\"sid=4f2a9c\\\"}}\"}";

        assertThat(Reports.redact(body)).isEqualTo("{\"body\": \"{\\\"headers\\\": {\\\"Authorization\\\": \\\"[REDACTED]\\\", "
                + "\\\"Cookie\\\":\\\"[REDACTED]\\\"}}\"}");
    }

    /** What only looks like those secrets: a certificate, a public key, a commit id, a name, prose. */
    @ParameterizedTest
    @ValueSource(strings = {
        "-----BEGIN CERTIFICATE-----\n" + KEY_BODY + "\n-----END CERTIFICATE-----",
        "-----BEGIN PUBLIC KEY-----\n" + KEY_BODY + "\n-----END PUBLIC KEY-----",
        "ghp_token is unset; commit 4e33b2bb0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f; xoxb-short; my_ghp_abcdefghijklmnopqrstu",
        "{\"auth\": \"disabled\", \"auth\": \"Basic\"}",
        "the default password is rotated; login failed: password expired",
        "sqlplus /nolog; sqlplus / as sysdba; jdbc:oracle:thin:@//db.example:1521/orcl"})
    void whatOnlyLooksLikeASecretStaysAsItIs(String text) {
        assertThat(Reports.redact(text)).isEqualTo(text);
    }
}
