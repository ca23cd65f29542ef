package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spi.UrlCredentials;
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

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#TRICKY")
    void aUrlIsShownAsTheSharedMaskShowsItAndNoMore(String url) {
        String masked = UrlCredentials.mask(url, Texts.REDACTED);
        String shown = Texts.url(url);

        // the shared mask's text up to where this one elides the rest (user info, parameters, fragment)
        String kept = shown.substring(0, shown.indexOf(Texts.REDACTED) < 0 ? shown.length() : shown.indexOf(Texts.REDACTED));
        assertThat(masked).startsWith(kept);
        assertThat(shown).doesNotContain("ss-w0rd", "eyJ", "ss;w0rd");
    }
}
