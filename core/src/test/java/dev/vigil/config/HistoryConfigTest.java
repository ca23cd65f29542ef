package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.history.HistorySettings;
import dev.vigil.spi.UrlCredentials;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code vigil.history.*}: bound with its defaults, the password a secret, every mistake named by its key. */
class HistoryConfigTest {

    private static final String PASSWORD = "db-pass-never-shown";

    private static VigilConfig config(Map<String, String> env) {
        return VigilConfig.builder().environment(env).serviceLoader(false).build();
    }

    /** A configuration of one command probe that passes, with its history at {@code url}; to be added to. */
    private static Map<String, String> smokeProbeWithHistoryAt(String url) {
        return new LinkedHashMap<>(Map.of("vigil.probes.smoke.type", "command", "vigil.probes.smoke.command", "true",
                "vigil.probes.smoke.pass-when", "exit-code == 0", "vigil.history.url", url));
    }

    @Test
    void nothingConfiguredMeansOnIntoTheEmbeddedFileForTwoYears() {
        HistorySettings h = config(Map.of()).load(Map.of()).history();
        assertThat(h.enabled()).isTrue();
        assertThat(h.url()).isNull();
        assertThat(h.retention()).isEqualTo(HistorySettings.DEFAULT_RETENTION).isEqualTo(Duration.ofDays(730));
        assertThat(h.hotfixWindow()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void aTeamDatabaseBindsFromTheFileAndThePasswordFromTheEnvironment() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.history.url", "jdbc:postgresql://db.example:5432/vigil");
        p.put("vigil.history.username", "ci");
        p.put("vigil.history.retention", "90d");
        p.put("vigil.history.hotfixWindow", "3d");
        BoundConfig bound = config(Map.of("VIGIL_HISTORY_PASSWORD", PASSWORD)).load(p);

        HistorySettings h = bound.history();
        assertThat(h.url()).isEqualTo("jdbc:postgresql://db.example:5432/vigil");
        assertThat(h.username()).isEqualTo("ci");
        assertThat(h.password()).isEqualTo(PASSWORD);
        assertThat(h.retention()).isEqualTo(Duration.ofDays(90));
        assertThat(h.hotfixWindow()).isEqualTo(Duration.ofDays(3));
        assertThat(h.toString()).doesNotContain(PASSWORD).contains("password=******");
        assertThat(bound.toString()).doesNotContain(PASSWORD).contains("history: jdbc:postgresql://db.example:5432/vigil");
        assertThat(bound.properties()).containsEntry("vigil.history.password", "******");
    }

    @Test
    void aPasswordInsideTheUrlIsNeverShown() {
        // PostgreSQL's JDBC driver takes the password as a URL parameter; people also write it as user info.
        Map<String, String> p = smokeProbeWithHistoryAt("jdbc:postgresql://db.example:5432/vigil?user=ci&password=" + PASSWORD
                + "&ssl=true");
        BoundConfig bound = config(Map.of()).load(p);

        assertThat(bound.describe()).doesNotContain(PASSWORD)
                .contains("history: jdbc:postgresql://db.example:5432/vigil?user=ci&password=******&ssl=true");
        assertThat(bound.toString()).doesNotContain(PASSWORD);
        assertThat(bound.properties().toString()).doesNotContain(PASSWORD);
        assertThat(bound.history().toString()).doesNotContain(PASSWORD);
        assertThat(bound.history().url()).contains(PASSWORD);

        p.put("vigil.history.url", "postgres://ci:" + PASSWORD + "@db.example/vigil");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(p));
        assertThat(e.getMessage()).contains("vigil.history.url").doesNotContain(PASSWORD)
                .contains("postgres://ci:******@db.example/vigil");
    }

    @Test
    void describeShowsTheHistoryUrlMaskedAsEveryShownUrlIs() {
        // describe() showed the URL through the configuration's scrub only, which keeps a user info's
        // user and any parameter value it was not told is a secret.
        for (String url : List.of(
                "jdbc:postgresql://db.example:5432/vigil?user=ci&password=" + PASSWORD + "&ssl=true",
                "jdbc:postgresql://db.example:5432/vigil?user=ci&sslpassword=" + PASSWORD,
                "jdbc:postgresql://db.example:5432/vigil?user=ci&apikey=" + PASSWORD,
                "jdbc:postgresql://ci:" + PASSWORD + "@db.example:5432/vigil",
                "jdbc:postgresql://" + PASSWORD + "@db.example:5432/vigil",
                "jdbc:h2:file:/var/vigil/history;USER=ci;PASSWORD=" + PASSWORD)) {
            Map<String, String> p = smokeProbeWithHistoryAt(url);
            String described;
            try {
                described = config(Map.of()).load(p).describe();
            } catch (ConfigurationException refused) {
                assertThat(refused.getMessage()).as(url).doesNotContain(PASSWORD);
                continue;
            }
            assertThat(described).as(url).doesNotContain(PASSWORD)
                    .contains("history: " + UrlCredentials.mask(url, "******") + " (retention");
        }
    }

    /**
     * docs/history.md: a URL holding {@code user:password@} is refused (neither driver reads it). The
     * history refused it only when it opened, so {@code validate} passed it and a pipeline learnt of
     * it at its first verification; now it is a problem of the key, the password masked.
     */
    @Test
    void aUserAndPasswordInTheUrlAreAProblemNamingTheKey() {
        Map<String, String> p = smokeProbeWithHistoryAt("jdbc:postgresql://ci:" + PASSWORD + "@db.example:5432/vigil");

        ValidationResult result = config(Map.of()).validate(p);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.history.url");
            assertThat(problem.message()).contains("user:password@").contains("vigil.history.password");
            assertThat(problem.toString()).doesNotContain(PASSWORD);
        });
        assertThat(result.report()).doesNotContain(PASSWORD);
    }

    @Test
    void aDatabaseTheHistoryCannotUseIsAnErrorNamingTheKey() {
        Map<String, String> p = smokeProbeWithHistoryAt("jdbc:mysql://db.example/vigil");

        ValidationResult result = config(Map.of()).validate(p);

        assertThat(result.valid()).isFalse();
        assertThat(result.problems()).extracting(ConfigProblem::key).containsExactly("vigil.history.url");
        assertThat(result.report()).contains("jdbc:h2:file:").contains("jdbc:postgresql://");
        p.put("vigil.history.url", "jdbc:h2:file:/tmp/vigil-history");
        assertThat(config(Map.of()).validate(p).valid()).isTrue();
        p.put("vigil.history.url", "jdbc:postgresql://db.example:5432/vigil");
        assertThat(config(Map.of()).validate(p).valid()).isTrue();
    }

    @Test
    void anApiKeyInAProbeUrlIsNeverShown() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", "curl -fsS 'https://api.example/health?api_key=" + PASSWORD + "&region=eu'");
        p.put("vigil.probes.smoke.pass-when", "exit-code == 0");
        ValidationResult result = config(Map.of()).validate(p);

        assertThat(result.valid()).isTrue();
        assertThat(result.report()).doesNotContain(PASSWORD).contains("api_key=******&region=eu");
        assertThat(result.config().properties().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void theSignatureOfASignedProbeUrlIsNeverShown() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.blob.type", "command");
        p.put("vigil.probes.blob.command", "curl -fsS 'https://acct.blob.example/c/health?sv=2022&sig=" + PASSWORD + "&sp=r'");
        p.put("vigil.probes.blob.pass-when", "exit-code == 0");
        ValidationResult result = config(Map.of()).validate(p);

        assertThat(result.valid()).isTrue();
        assertThat(result.report()).doesNotContain(PASSWORD).contains("sig=******&sp=r");
        assertThat(result.config().properties().toString()).doesNotContain(PASSWORD);
    }

    @Test
    void aRetentionShorterThanADayIsRefusedAsTheUnitMistakeItAlmostAlwaysIs() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.history.retention", "30m");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(p));

        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.history.retention");
            assertThat(problem.message()).contains("30m would delete every record of the history older than 30m at the next"
                    + " verification, in every pipeline that shares it").contains("write it in days (30d, 365d)");
        });
        p.put("vigil.history.retention", "1d");
        assertThat(config(Map.of()).load(p).history().retention()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void aShortPasswordInAUrlIsMaskedInTheProblemsValue() {
        // Values shorter than three characters are not blanked out of every text (they would blank out
        // unrelated words), but in a URL's user info the position says it is the password.
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.history.url", "postgres://vigil:q7@db.example/vigil");
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(p));

        assertThat(e.getMessage()).contains("not a JDBC URL").contains("postgres://vigil:******@db.example/vigil")
                .doesNotContain("q7");
    }

    @Test
    void everyMistakeIsNamedByItsKeyWithoutThePassword() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.history.url", "postgres://db.example/vigil");
        p.put("vigil.history.retention", "forever");
        p.put("vigil.history.enabled", "sometimes");
        p.put("vigil.history.pasword", PASSWORD);
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config(Map.of()).load(p));

        assertThat(e.problems()).extracting(ConfigProblem::key).contains("vigil.history.url", "vigil.history.retention",
                "vigil.history.enabled", "vigil.history.pasword");
        assertThat(e.getMessage()).contains("not a JDBC URL").contains("did you mean password").doesNotContain(PASSWORD);
    }
}
