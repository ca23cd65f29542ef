package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one rule for which URL parameters carry a credential (the shared table runs it through every place that shows a URL). */
class UrlCredentialsTest {

    @ParameterizedTest
    @ValueSource(strings = {"jsessionid", "PHPSESSID", "session_id", "code", "access_token", "id_token", "refresh_token",
        "X-Amz-Signature", "Signature", "sig", "api_key", "apikey", "api-key", "key", "authorization", "auth", "ticket",
        "client_secret", "sslpassword"})
    void aParameterNamedLikeACredentialCarriesOne(String name) {
        assertThat(UrlCredentials.isCredentialParameter(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"keyword", "status_code", "country_code", "state", "client_id", "author", "page", "Key-Pair-Id",
        "sessions", "response_type"})
    void aHarmlessParameterCarriesNone(String name) {
        assertThat(UrlCredentials.isCredentialParameter(name)).isFalse();
    }

    @Test
    void onlyTheValuesOfCredentialParametersAreMasked() {
        assertThat(UrlCredentials.maskParameters(
                "GET https://app.example/cb?code=c0de&state=s1;jsessionid=A1B2#id_token=eyJ&x=1 failed", "****"))
                .isEqualTo("GET https://app.example/cb?code=****&state=s1;jsessionid=****#id_token=****&x=1 failed");
    }

    @Test
    void aValueRunsToTheNextParameterWhateverItHolds() {
        // a password may hold an unencoded ? or /: none of it is shown
        assertThat(UrlCredentials.maskParameters("jdbc:h2:file:~/h;USER=ci;PASSWORD=pa?ss/w0rd;MODE=x", "****"))
                .isEqualTo("jdbc:h2:file:~/h;USER=ci;PASSWORD=****;MODE=x");
    }

    @Test
    void aSemicolonThatStartsNoParameterIsPartOfTheValue() {
        assertThat(UrlCredentials.maskParameters("https://a.example/x?sig=ab;cd&sp=r;jsessionid=s1;MODE=x", "****"))
                .isEqualTo("https://a.example/x?sig=****&sp=r;jsessionid=****;MODE=x");
    }

    @Test
    void aComparisonInAConditionIsNoParameter() {
        assertThat(UrlCredentials.maskParameters("status==200&&code==1", "****")).isEqualTo("status==200&&code==1");
    }
}
