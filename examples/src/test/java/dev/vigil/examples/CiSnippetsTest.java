package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
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
    @ValueSource(strings = {"github-actions.yml", "gitlab-ci.yml", "Jenkinsfile"})
    void snippetChecksTheConfigurationOnlineBeforeItDeploys(String name) throws IOException {
        // A rollback program missing where Vigil runs shows only when the rollback is needed (exit 4);
        // validate --online finds it before anything is deployed.
        String text = Files.readString(Path.of("ci", name));

        int check = text.indexOf("java -jar vigil.jar validate --online --config ");
        assertThat(check).as("%s runs validate --online", name).isNotNegative();
        assertThat(check).as("%s checks before it deploys", name).isLessThan(text.indexOf("./deploy.sh"));
        assertThat(text.substring(check, text.indexOf('\n', text.indexOf("--previous-version", check))))
                .as("%s lets warnings only (exit 6) pass", name).contains("|| [ $? -eq 6 ]");
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

    @Test
    void vigilRunsInAnImageThatHasTheProgramOfTheRollbackCommand() throws IOException {
        // config/application.*'s rollback calls kubectl, which eclipse-temurin lacks: the rollback would
        // fail only when it is needed (exit 4).
        String dockerfile = Files.readString(Path.of("ci", "Dockerfile"));
        Matcher tag = Pattern.compile("docker build -t (\\S+)").matcher(dockerfile);
        assertThat(tag.find()).as("the Dockerfile says how to build it").isTrue();
        String image = "image: " + tag.group(1);
        assertThat(dockerfile).contains("FROM eclipse-temurin:17-jre", "/usr/local/bin/kubectl", "RUN kubectl version --client");
        String gitlab = Files.readString(Path.of("ci", "gitlab-ci.yml"));
        String watch = Files.readString(Path.of("..", "docs", "watch.md"));

        assertThat(gitlab).contains(image).doesNotContain("image: eclipse-temurin");
        assertThat(gitlab.indexOf("vigil.jar validate --online --config"))
                .as("validate --online, which finds a program missing from the PATH, runs before verify")
                .isNotNegative().isLessThan(gitlab.indexOf("vigil.jar verify --config"));
        assertThat(watch).as("the watch Job of docs/watch.md").contains(image).doesNotContain("image: eclipse-temurin");
        String instructions = dockerfile.lines().filter(line -> !line.startsWith("#")).collect(Collectors.joining("\n"));
        assertThat(watch).as("docs/watch.md shows the Dockerfile's instructions").contains(instructions);
    }
}
