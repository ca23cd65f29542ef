package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.CredentialUrls;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * A credential inside a value that is not secret as a whole (a command probe's URL, the history's
 * URL) is blanked out of what the configuration shows, for every case of the shared table.
 */
class UrlCredentialsTest {

    private static Map<String, String> properties(String command, String historyUrl) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", command);
        p.put("vigil.probes.smoke.pass-when", "exit-code == 0");
        if (historyUrl != null) {
            p.put("vigil.history.url", historyUrl);
        }
        return p;
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#WITH_CREDENTIALS")
    void everyCredentialOfAUrlIsBlankedOutOfWhatTheConfigurationShows(CredentialUrls.Case c) {
        ValidationResult result = VigilConfig.builder().environment(Map.of()).serviceLoader(false).build()
                .validate(properties("curl -fsS '" + c.text().strip() + "'", null));

        assertThat(result.report()).contains(Keys.REDACTED);
        c.secrets().forEach(secret -> {
            assertThat(result.report()).doesNotContain(secret);
            assertThat(result.config().describe()).doesNotContain(secret);
            assertThat(result.config().properties().toString()).doesNotContain(secret);
        });
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#WITH_CREDENTIALS")
    void everyCredentialOfAHistoryUrlIsLeftOutOfItsSettings(CredentialUrls.Case c) {
        String settings = dev.vigil.history.HistorySettings.defaults().withDatabase(c.text(), null, null).toString();

        c.secrets().forEach(secret -> assertThat(settings).doesNotContain(secret));
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#TRICKY")
    void aHistoryUrlIsShownInItsSettingsAsTheSharedMaskShowsIt(String url) {
        String settings = dev.vigil.history.HistorySettings.defaults().withDatabase(url, null, null).toString();

        assertThat(settings).contains("url=" + dev.vigil.spi.UrlCredentials.mask(url, Keys.REDACTED) + ", username=");
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#PLAIN")
    void aUrlWithoutCredentialsIsShownAsItIs(String url) {
        ValidationResult result = VigilConfig.builder().environment(Map.of()).serviceLoader(false).build()
                .validate(properties("curl -fsS '" + url + "'", null));

        assertThat(result.report()).contains(url);
        assertThat(dev.vigil.history.HistorySettings.defaults().withDatabase(url, null, null).toString()).contains(url);
    }

    @ParameterizedTest
    @FieldSource("dev.vigil.testkit.CredentialUrls#READABLE_PARAMETERS")
    void aUrlWhoseParametersAreNoCredentialsIsShownAsItIs(String url) {
        ValidationResult result = VigilConfig.builder().environment(Map.of()).serviceLoader(false).build()
                .validate(properties("curl -fsS '" + url + "'", null));

        assertThat(result.report()).contains(url);
        assertThat(dev.vigil.history.HistorySettings.defaults().withDatabase(url, null, null).toString()).contains(url);
    }
}
