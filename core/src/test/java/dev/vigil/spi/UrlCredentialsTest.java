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
        "client_secret", "sslpassword",
        // were shown in clear: an API key some services take in the query, and a legacy API's password
        "access_key", "accessKey", "private_key", "private-key", "pass"})
    void aParameterNamedLikeACredentialCarriesOne(String name) {
        assertThat(UrlCredentials.isCredentialParameter(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"keyword", "status_code", "country_code", "state", "client_id", "author", "page", "Key-Pair-Id",
        "sessions", "response_type", "passive", "bypass", "passenger", "keys", "sort_key"})
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
    @Test
    void aWebhooksUrlShowsItsSchemeHostAndPortAndNothingAfter() {
        assertThat(UrlCredentials.maskPath("https://hooks.slack.com/services/T000/B000/XXXXXXXX"))
                .isEqualTo("https://hooks.slack.com/…");
        assertThat(UrlCredentials.maskPath(" http://127.0.0.1:8443/hooks?token=t0k#frag "))
                .isEqualTo("http://127.0.0.1:8443/…");
        assertThat(UrlCredentials.maskPath("https://[::1]:9000/api/webhooks/123/secret")).isEqualTo("https://[::1]:9000/…");
        assertThat(UrlCredentials.maskPath("https://hooks.example?key=abc")).isEqualTo("https://hooks.example/…");
    }

    @Test
    void userInfoIsElidedToo() {
        assertThat(UrlCredentials.maskPath("https://ci:pa55@hooks.example/x")).isEqualTo("https://…@hooks.example/…");
        // a password holding a '/' makes no host of the user: nothing of it is shown
        assertThat(UrlCredentials.maskPath("https://ci:pa/ss@hooks.example/x")).isEqualTo(UrlCredentials.ELIDED);
    }

    @Test
    void aUrlWithNothingAfterTheHostIsShownAsItIs() {
        assertThat(UrlCredentials.maskPath("https://hooks.example")).isEqualTo("https://hooks.example");
        assertThat(UrlCredentials.maskPath("https://hooks.example:8080/")).isEqualTo("https://hooks.example:8080/");
        assertThat(UrlCredentials.afterHost("https://hooks.example/")).isNull();
        assertThat(UrlCredentials.maskPath("redis://:pw-9@cache.example:6379")).isEqualTo("redis://…@cache.example:6379");
    }

    @Test
    void aTextThatIsNoUrlWithAHostIsElidedWhole() {
        assertThat(UrlCredentials.maskPath("hooks.slack.com/services/T000/B000/XXXXXXXX")).isEqualTo(UrlCredentials.ELIDED);
        assertThat(UrlCredentials.maskPath("https://hooks.slack.com/services/T0 B0")).isEqualTo(UrlCredentials.ELIDED);
        assertThat(UrlCredentials.maskPath(null)).isNull();
        assertThat(UrlCredentials.afterHost("not a url")).isNull();
        assertThat(UrlCredentials.afterHost(null)).isNull();
    }

    @Test
    void whatFollowsTheHostIsThePartLeftOut() {
        assertThat(UrlCredentials.afterHost("https://hooks.slack.com/services/T000/B000/XXXXXXXX?a=1#f"))
                .isEqualTo("/services/T000/B000/XXXXXXXX?a=1#f");
        assertThat(UrlCredentials.afterHost("https://u:p@h.example:81?x=1")).isEqualTo("?x=1");
    }
    @Test
    void everyParameterOfTheUrlsInATextIsFoundWithTheValueMaskingWouldMask() {
        assertThat(UrlCredentials.parameters("curl 'https://a.example/x?sig=ab;cd&sp=r;jsessionid=s1#id_token=eyJ' -o out"))
                .containsExactly(java.util.Map.entry("sig", "ab;cd"), java.util.Map.entry("sp", "r"),
                        java.util.Map.entry("jsessionid", "s1"), java.util.Map.entry("id_token", "eyJ"));
        assertThat(UrlCredentials.parameters("jdbc:h2:file:~/h;USER=ci;PASSWORD=pa?ss/w0rd;MODE=x"))
                .containsExactly(java.util.Map.entry("USER", "ci"), java.util.Map.entry("PASSWORD", "pa?ss/w0rd"),
                        java.util.Map.entry("MODE", "x"));
    }

    @Test
    void aTextWithoutParametersHasNone() {
        assertThat(UrlCredentials.parameters("status==200&&code==1")).isEmpty();
        assertThat(UrlCredentials.parameters(null)).isEmpty();
        assertThat(UrlCredentials.parameters("https://host.example/health")).isEmpty();
    }

    @Test
    void theParametersOfAFleetOfTwoHundredUrlsAreFoundWithoutOverflowingTheStack() {
        // one value ran through the whole comma-separated list, and the regex nested once a character
        String urls = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "http://10.0.4." + i + ":8080/health?pod=p" + i)
                .collect(java.util.stream.Collectors.joining(",")) + "&token=s3cr3t-t0ken";

        assertThat(UrlCredentials.parameters(urls)).extracting(java.util.Map.Entry::getKey).contains("pod", "token");
        assertThat(UrlCredentials.maskParameters(urls, "****")).endsWith("&token=****").doesNotContain("s3cr3t");
        assertThat(UrlCredentials.maskParameters("http://h/x?sig=" + "a".repeat(100_000), "****")).isEqualTo("http://h/x?sig=****");
        // a value of many ';' parts (a Location a server wrote), each a step of the old pattern
        assertThat(UrlCredentials.maskParameters("file:///x?sig=ab" + ";c".repeat(50_000) + "&a=1", "****"))
                .isEqualTo("file:///x?sig=****&a=1");
    }
}
