package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.CredentialUrls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * How the history names its database in messages ({@link JdbcHistoryStore#description()}) shows
 * no credential of the shared table, and a URL without one as it is.
 */
class UrlCredentialsTest {

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#WITH_CREDENTIALS")
    void noCredentialOfAUrlIsInTheDescription(CredentialUrls.Case c) {
        String description = JdbcHistoryStore.describe(c.text());

        c.secrets().forEach(secret -> assertThat(description).doesNotContain(secret));
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#PLAIN")
    void aUrlWithoutCredentialsIsDescribedAsItIs(String url) {
        assertThat(JdbcHistoryStore.describe(url)).isEqualTo(url);
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#TRICKY")
    void aUrlIsDescribedAsTheSharedMaskShowsItWithoutUserInfoOrParameters(String url) {
        String masked = dev.vigil.spi.UrlCredentials.mask(url, JdbcHistoryStore.MASK)
                .replace("//" + JdbcHistoryStore.MASK + "@", "//");

        assertThat(masked).startsWith(JdbcHistoryStore.describe(url));
        assertThat(JdbcHistoryStore.describe(url)).doesNotContain("?", ";", "@host", "ss-w0rd", "eyJ");
    }

    @org.junit.jupiter.api.Test
    void aPasswordWithABlankIsNeitherInTheDescriptionNorInAMessage() {
        String url = "jdbc:postgresql://ci:pa ss-91@db.example:5432/vigil";

        assertThat(JdbcHistoryStore.describe(url)).isEqualTo("jdbc:postgresql://db.example:5432/vigil");
        assertThat(JdbcHistoryStore.secrets(dev.vigil.history.HistorySettings.defaults().withDatabase(url, null, null)))
                .contains("ci:pa ss-91", "pa ss-91");
    }
}
