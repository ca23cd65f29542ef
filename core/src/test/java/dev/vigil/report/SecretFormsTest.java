package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Secrets that say what they are by their form, masked wherever they stand, with no name before them. */
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
    }

    @Test
    void aCertificateOrPublicKeyStaysReadable() {
        String certificate = "-----BEGIN CERTIFICATE-----\n" + KEY_BODY + "\n-----END CERTIFICATE-----";
        String publicKey = "-----BEGIN PUBLIC KEY-----\n" + KEY_BODY + "\n-----END PUBLIC KEY-----";

        assertThat(Reports.redact(certificate)).isEqualTo(certificate);
        assertThat(Reports.redact(publicKey)).isEqualTo(publicKey);
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
    void aNameWithATokensPrefixOrACommitIdStaysReadable() {
        String text = "ghp_token is unset; commit 4e33b2bb0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f; xoxb-short; my_ghp_abcdefghijklmnopqrstu";

        assertThat(Reports.redact(text)).isEqualTo(text);
    }

    @Test
    void aTokenNamedOrInAUrlIsMaskedWholeAsBefore() {
        assertThat(Reports.redact("GITHUB_TOKEN=ghp_16C7e42F292c6912E7710c838347Ae178B4a"))
                .isEqualTo("GITHUB_TOKEN=[REDACTED]");
        assertThat(Reports.redact("https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@github.com/o/r"))
                .isEqualTo("https://[REDACTED]@github.com/o/r");
    }
}
