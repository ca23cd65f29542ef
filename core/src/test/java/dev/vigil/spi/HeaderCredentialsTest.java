package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The parts of a credential header's value masked on their own, as the HTTP and Prometheus probes and the webhooks take them. */
class HeaderCredentialsTest {

    @Test
    void theCredentialAfterASchemeIsAPartAndTheShortSchemeIsNot() {
        assertThat(HeaderCredentials.parts("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig")).containsExactly("eyJhbGciOiJIUzI1NiJ9.e30.sig");
        assertThat(HeaderCredentials.parts("Basic dXNlcjpwYXNzd29yZA==")).containsExactly("dXNlcjpwYXNzd29yZA==");
    }

    @Test
    void eachCookiesValueIsAPartAndSoIsTheWholePair() {
        assertThat(HeaderCredentials.parts("ui=dark; session=0F1E2D3C4B5A6978, lang=en"))
                .containsExactly("session=0F1E2D3C4B5A6978", "0F1E2D3C4B5A6978");
    }

    @Test
    void aValueOfOnePieceIsItsOwnPartBlanksAroundIt() {
        assertThat(HeaderCredentials.parts("  k3y-0123456789  ")).containsExactly("k3y-0123456789");
    }

    @Test
    void partsShorterThanTheMinimumAreLeftOutAndEachPartComesOnce() {
        assertThat(HeaderCredentials.parts("Key abc1234")).isEmpty();
        assertThat(HeaderCredentials.parts("a=tok-0123456789;b=tok-0123456789")).containsExactly(
                "a=tok-0123456789", "tok-0123456789", "b=tok-0123456789");
        assertThat(HeaderCredentials.MIN_PART_LENGTH).isEqualTo(8);
    }

    @Test
    void signedIdentitiesAndRequestSignaturesAreCredentialsAndOrdinaryHeadersAreNot() {
        assertThat(List.of("X-Goog-IAP-JWT-Assertion", "Cf-Access-Jwt-Assertion", "X-Pomerium-Jwt-Assertion",
                "X-Shopify-Hmac-Sha256", "X-Hub-Signature-256", "X-Key-Passphrase", "Authorization", "Proxy-Authorization",
                "x-api-key", "X-Amz-Security-Token", "Cookie", "X-Session-Id"))
                .allMatch(HeaderCredentials::isCredentialHeader);
        assertThat(List.of("Content-Length", "Content-Type", "Accept", "User-Agent", "X-Request-Id", "X-Scope-OrgID",
                "Host", "X-Forwarded-For", "Traceparent", "Cache-Control"))
                .noneMatch(HeaderCredentials::isCredentialHeader);
    }

    @Test
    void noValueHasNoParts() {
        assertThat(HeaderCredentials.parts(null)).isEmpty();
        assertThat(HeaderCredentials.parts("   ")).isEmpty();
    }
}
