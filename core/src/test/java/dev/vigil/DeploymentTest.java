package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentTest {

    /**
     * The record's own toString() showed every label's value, and labels carry a CI job's token or
     * a repository URL with one ({@code deploy-token}, {@code https://ci:token@git/...}): a pipeline
     * that logs the deployment it verifies printed them.
     */
    @Test
    void toStringNamesTheLabelsButShowsNoneOfTheirValues() {
        Deployment d = new Deployment("checkout", "2.4.1", "2.4.0", "production", Deployment.Kind.HOTFIX, List.of("PAY-12"),
                Map.of("deploy-token", "tok-never-shown-1", "repo", "https://ci:tok-never-shown-2@git.example/x.git"));

        assertThat(d.toString())
                .contains("checkout", "2.4.1", "2.4.0", "production", "HOTFIX", "PAY-12", "deploy-token", "repo")
                .doesNotContain("tok-never-shown");
    }

    /**
     * A label without a key was refused with its value in the message, and a label's value may be a
     * token; a blank key was accepted, a label nobody can name.
     */
    @Test
    void aLabelWithoutAKeyIsRefusedWithoutItsValue() {
        Map<String, String> nullKey = new HashMap<>();
        nullKey.put(null, "tok-never-shown-3");

        assertThatThrownBy(() -> Deployment.of("checkout", "2.4.1").withLabels(nullKey))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("null key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok-never-shown"));
        assertThatThrownBy(() -> Deployment.of("checkout", "2.4.1").withLabels(Map.of(" ", "tok-never-shown-4")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank key")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok-never-shown"));
    }

    /**
     * A version holding a line break was accepted from Java (the command line and the configuration
     * refuse it): printed, it forged a second line in the console and the logs.
     */
    @Test
    void aNameHoldingAControlCharacterIsRefusedNamingTheFieldWithoutEchoingIt() {
        String forged = "2.4.1\nVERDICT: HEALTHY";
        assertThatThrownBy(() -> Deployment.of("checkout", forged))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deployment version")
                .hasMessageContaining("U+000A")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> Deployment.of("check\u001bout", "2.4.1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployment service");
        assertThatThrownBy(() -> Deployment.of("checkout", "2.4.1").withEnvironment("prod\r"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployment environment");
        assertThatThrownBy(() -> Deployment.of("checkout", "2.4.1", "2.4.0\tx"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployment previousVersion");
        assertThat(Deployment.of("kassé", "2.4.1-rc.1+build.7").withEnvironment("eu west")).isNotNull();
    }

    /**
     * A label's value, a label's key or an issue id in the fixes holding a line break was accepted
     * (only the four names were checked): printed, it forged a line such as "Verdict: HEALTHY" in the
     * console, the markdown report and the logs. Refused naming the label's key or the fix's index,
     * never echoing a label's value, which may be a credential.
     */
    @Test
    void aLabelOrAFixHoldingAControlCharacterIsRefusedWithoutEchoingIt() {
        Deployment d = Deployment.of("checkout", "2.4.1");
        assertThatThrownBy(() -> d.withLabels(Map.of("ticket", "tok-never-shown-5\nVerdict: HEALTHY")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deployment label 'ticket'")
                .hasMessageContaining("U+000A")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("tok-never-shown").doesNotContain("\n"));
        assertThatThrownBy(() -> d.withLabels(Map.of("team", "pay\u0000ments")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'team'").hasMessageContaining("U+0000");
        assertThatThrownBy(() -> d.withLabels(Map.of("te\u001b[2Kam", "payments")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("label key").hasMessageContaining("U+001B")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u001b").doesNotContain("payments"));
        assertThatThrownBy(() -> d.asHotfix("INC-1", "INC-2\nVerdict: HEALTHY"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deployment fixes[1]").hasMessageContaining("U+000A")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThatThrownBy(() -> new Deployment("checkout", "2.4.1", null, null, null, List.of("INC\t1"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deployment fixes[0]");
        assertThat(d.withLabels(Map.of("repo", "https://git.example/x.git?a=1&b=(2)", "title", "Fix — kassé")).asHotfix("INC-1"))
                .isNotNull();
    }
}
