package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CI snippets call the command line and handle every exit code it documents. */
class CiSnippetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"github-actions.yml", "gitlab-ci.yml", "Jenkinsfile"})
    void snippetCallsVerifyAndActsOnEveryExitCode(String name) throws IOException {
        String text = Files.readString(Path.of("ci", name));

        assertThat(text).contains("java -jar vigil.jar verify --config ").contains("--report-dir vigil-reports");
        for (String code : new String[] {"0", "1", "2", "3", "4", "130"}) {
            assertThat(text).as("%s handles exit code %s", name, code).containsPattern("(?m)^\\s*(case )?" + code + "\\)?:?\\s");
        }
        assertThat(text).contains("vigil-reports/report.xml").contains("vigil-reports/summary.md");
    }
}
