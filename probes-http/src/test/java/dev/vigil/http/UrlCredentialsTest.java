package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.CredentialUrls;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * How the HTTP probe shows a URL (a target's name, a refused URL in a message) masks every
 * credential of the shared table and leaves URLs without one alone; a webhook shows none of them.
 */
class UrlCredentialsTest {

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#WITH_CREDENTIALS")
    void everyCredentialOfAUrlIsMasked(CredentialUrls.Case c) {
        String shown = Target.display(c.text());

        assertThat(shown).contains(Secret.REDACTED);
        c.secrets().forEach(secret -> assertThat(shown).doesNotContain(secret));
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#WITH_CREDENTIALS")
    void aWebhookShowsNoneOfTheCredentialsOfItsUrl(CredentialUrls.Case c) {
        String shown = Target.webhookDisplay(c.text());

        c.secrets().forEach(secret -> assertThat(shown).doesNotContain(secret));
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#PLAIN")
    void aUrlWithoutCredentialsStaysAsItIs(String url) {
        assertThat(Target.display(url)).isEqualTo(url);
        assertThat(Target.of(url).name()).isEqualTo(url);
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#READABLE_PARAMETERS")
    void aUrlWhoseParametersAreNoCredentialsStaysAsItIs(String url) {
        assertThat(Target.display(url)).isEqualTo(url);
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#TRICKY")
    void aUrlIsShownAsTheSharedMaskShowsIt(String url) {
        assertThat(Target.display(url)).isEqualTo(dev.vigil.spi.UrlCredentials.mask(url, Secret.REDACTED));
    }

    @org.junit.jupiter.api.Test
    void aUserInfoWithABlankIsMaskedWhole() {
        assertThat(Target.display("https://admin:pa ss-91@host.example/x")).isEqualTo("https://****@host.example/x");
        assertThat(Target.display("https://ad min@host.example/x")).isEqualTo("https://****@host.example/x");
    }
}
