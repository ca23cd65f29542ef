package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

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
}
