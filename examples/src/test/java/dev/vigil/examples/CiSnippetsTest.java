package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CI snippets call the command line and handle every exit code it documents. */
class CiSnippetsTest {

    @ParameterizedTest
    @ValueSource(strings = {"github-actions.yml", "gitlab-ci.yml", "Jenkinsfile"})
    void snippetCallsVerifyAndActsOnEveryExitCode(String name) throws IOException {
        String text = Files.readString(Path.of("ci", name));

        assertThat(text).contains("java -jar vigil.jar verify --config ").contains("--report-dir vigil-reports");
        for (String code : new String[] {"0", "1", "2", "3", "4", "5", "130"}) {
            assertThat(text).as("%s handles exit code %s", name, code).containsPattern("(?m)^\\s*(case )?" + code + "\\)?:?\\s");
        }
        assertThat(text).contains("vigil-reports/report.xml").contains("vigil-reports/summary.md");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", quoteCharacter = '`', value = {
        "github-actions.yml => steps.vigil.outputs.code == '4' || steps.vigil.outputs.code == '5'",
        "gitlab-ci.yml      => [ \"$VIGIL_EXIT\" = \"4\" ] || [ \"$VIGIL_EXIT\" = \"5\" ]",
        "Jenkinsfile        => case 5:"})
    void snippetPagesSomeoneWhenNoVersionIsKnownToBeHealthy(String name, String condition) throws IOException {
        // Exit 4: the bad version still runs; exit 5: rolled back to a version that is not healthy either.
        String text = Files.readString(Path.of("ci", name));

        assertThat(text).contains(condition);
        assertThat(text.substring(text.indexOf(condition))).containsPattern("(?s)^.{0,300}page-oncall\\.sh");
    }
}
