package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which names are a credential's: the one rule the configuration and the reports share. */
class CredentialNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"password", "DB_PASSWORD", "PGPASSWORD", "dbPassword", "GITHUB_TOKEN", "access_token",
        "AWS_SECRET_ACCESS_KEY", "AWS_SECRET_KEY", "STRIPE_API_KEY", "apiKey", "GOOGLE_CREDENTIALS", "db.pwd", "pwd",
        "KEY_PASSPHRASE", "--client-secret"})
    void aNameEndingInACredentialsWordIsACredentials(String name) {
        assertThat(CredentialNames.isCredentialName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_tokens", "TOKEN_FILE", "OLDPWD", "user", "Authorization", "password2"})
    void aNameThatOnlyHoldsSuchAWordIsNone(String name) {
        assertThat(CredentialNames.isCredentialName(name)).isFalse();
    }
}
