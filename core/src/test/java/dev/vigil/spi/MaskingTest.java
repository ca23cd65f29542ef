package dev.vigil.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.report.Reports;
import dev.vigil.testkit.CredentialUrls;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The one masking of each kind of value: a URL to be shown ({@link UrlCredentials#mask}), known
 * secrets in a text ({@link CredentialNames#scrub}) and a text that may quote headers and URLs
 * ({@link Reports#redact}), with the inputs that made weaker copies leak.
 */
class MaskingTest {

    /** Each of {@link CredentialUrls#TRICKY} as the shared masker shows it. */
    static Stream<Arguments> urls() {
        List<String> shown = List.of(
                "https://****@host.example/x",
                "https://****@host.example/x",
                "https://****@host.example/x",
                "https://****@host.example/x",
                "https://****@host.example/x",
                "https://****@host.example/x",
                "https://****@host.example/x",
                "https://****@host.example/x",
                "jdbc:postgresql://****@db.example:5432/vigil?ssl=true",
                "https://host.example:8443/users/ann@example.com",
                "https://host.example/x?page=2",
                "jdbc:h2:file:~/.vigil/history;USER=ci;PASSWORD=****",
                "jdbc:postgresql://db.example/vigil?password=****&user=ci",
                "https://prom.example/api/v1/query?query=up&access_token=****",
                "https://prom.example/api/v1/query?authorization=****");
        assertThat(shown).hasSameSizeAs(CredentialUrls.TRICKY);
        return java.util.stream.IntStream.range(0, shown.size())
                .mapToObj(i -> Arguments.of(CredentialUrls.TRICKY.get(i), shown.get(i)));
    }

    @ParameterizedTest
    @MethodSource("urls")
    void aUrlIsShownWithItsUserInfoAndCredentialParametersMasked(String url, String shown) {
        assertThat(UrlCredentials.mask(url, "****")).isEqualTo(shown);
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#TRICKY")
    void aUrlQuotedInATextLosesNoMoreThanItsCredentials(String url) {
        String line = "history " + url + " could not be opened";

        assertThat(UrlCredentials.mask(line, "****")).isEqualTo("history " + UrlCredentials.mask(url, "****")
                + " could not be opened");
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "eyJhbGciOiJIUzI1NiJ9"),
                Arguments.of("curl -H 'Authorization: Basic Y2k6cGE/c3M7dzByZA==' https://host.example/x",
                        "Y2k6cGE/c3M7dzByZA=="),
                Arguments.of("> Proxy-Authorization: Bearer t0k3n;with?odd#chars", "t0k3n"),
                Arguments.of("GET https://prom.example/api?query=up&access_token=eyJhbGciOiJIUzI1NiJ9.e30.c2ln HTTP/1.1",
                        "eyJhbGciOiJIUzI1NiJ9"),
                Arguments.of("cloning https://ci:pa;ss@w0rd@git.example/repo.git", "pa;ss@w0rd"),
                Arguments.of("jdbc:postgresql://db.example/vigil?password=p\u00e4ss%40w0rd&user=ci", "p\u00e4ss%40w0rd"));
    }

    @ParameterizedTest
    @MethodSource("texts")
    void aTextShowsNoHeaderOrUrlCredential(String text, String secret) {
        assertThat(Reports.redact(text)).doesNotContain(secret).contains("[REDACTED]");
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#TRICKY")
    void knownSecretsAreBlankedOutLongestFirst(String url) {
        String password = "pa?ss-w0rd";
        String text = "connect " + url + " with " + password + " or " + password.substring(0, 5);

        assertThat(CredentialNames.scrub(text, java.util.Arrays.asList(password.substring(0, 5), null, password), "****"))
                .doesNotContain("pa?ss").endsWith("with **** or ****");
    }
}
