package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.CredentialUrls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** How the Prometheus probe's messages show a URL masks every credential of the shared table. */
class UrlCredentialsTest {

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#WITH_CREDENTIALS")
    void everyCredentialOfAUrlIsMasked(CredentialUrls.Case c) {
        String shown = Texts.url(c.text());

        assertThat(shown).contains(Texts.REDACTED);
        c.secrets().forEach(secret -> assertThat(shown).doesNotContain(secret));
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#PLAIN")
    void aUrlWithoutCredentialsStaysAsItIs(String url) {
        // One URL alone: everything before its last @ counts as user info (a base-url with @ in its path is refused).
        String expected = url.contains("@") ? "https://****" + url.substring(url.lastIndexOf('@')) : url;
        assertThat(Texts.url(url)).isEqualTo(expected);
    }
}
