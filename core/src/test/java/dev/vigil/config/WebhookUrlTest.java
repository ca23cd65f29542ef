package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A webhook's URL carries its credential in the path (Slack's {@code https://hooks.slack.com/services/T000/B000/XXXX}):
 * what the configuration shows of a value given under a webhook key, or made from an environment
 * variable named like one, is {@code scheme://host/…}, and the path is blanked out of any other text.
 */
class WebhookUrlTest {

    private static final String SECRET = "Zq81slackHookSecret";
    private static final String HOOK = "https://hooks.slack.com/services/T000/B000/" + SECRET;

    private static ValidationResult validate(Map<String, String> env, Map<String, String> p) {
        return VigilConfig.builder().environment(env).serviceLoader(false).build().validate(p);
    }

    private static Map<String, String> probe(String command) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", command);
        return p;
    }

    @Test
    void aValueUnderAWebhookKeyIsShownWithoutItsPath() {
        Map<String, String> p = probe("true");
        p.put("vigil.rollback.webhook.url", HOOK);

        ValidationResult result = validate(Map.of(), p);

        // Without the webhook module the key is unknown: the problem shows the value, and not its path.
        assertThat(result.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.rollback.webhook.url");
            assertThat(problem.value()).isEqualTo("https://hooks.slack.com/…");
        });
        assertThat(result.report()).doesNotContain(SECRET).doesNotContain("/services/");
    }

    @Test
    void aHookFromAnEnvironmentVariableNamedLikeOneIsBlankedOutOfTheValuesItIsIn() {
        ValidationResult result = validate(Map.of("SLACK_WEBHOOK_URL", HOOK),
                probe("curl -fsS -X POST -d '{}' ${SLACK_WEBHOOK_URL}"));

        assertThat(result.valid()).as(result.report()).isTrue();
        BoundConfig bound = result.bound().orElseThrow();
        assertThat(bound.properties().get("vigil.probes.smoke.command")).isEqualTo("curl -fsS -X POST -d '{}' ******");
        assertThat(bound.describe() + result.report() + bound.properties()).doesNotContain(SECRET).doesNotContain("/services/");
    }

    @Test
    void aValueUnderAWebhookKeyThatIsNoUrlIsShownAsItIs() {
        Map<String, String> p = probe("true");
        p.put("vigil.rollback.webhook.trust-store", "/etc/ssl/hooks.p12");
        p.put("vigil.rollback.webhook.timeout", "5");

        assertThat(validate(Map.of(), p).problems()).extracting(ConfigProblem::value)
                .containsExactly("/etc/ssl/hooks.p12", "5");
    }

    @Test
    void aHookWithoutItsSchemeUnderAWebhooksUrlKeyIsElidedWhole() {
        Map<String, String> p = probe("true");
        p.put("vigil.rollback.webhook.url", "hooks.slack.com/services/T000/B000/" + SECRET);

        assertThat(validate(Map.of(), p).problems()).singleElement()
                .satisfies(problem -> assertThat(problem.value()).isEqualTo("…"));
    }
}
