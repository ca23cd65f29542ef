package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.condition.Condition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Lines the pages show as Vigil's output are the lines it prints. */
class DocumentedOutputTest {

    @Test
    void rollbackMdsSampleReasonQuotesAFailedConditionAsTheConditionExplainsIt() throws IOException {
        // It showed "not (status(500) == 200)", a form no condition prints.
        String page = Files.readString(Path.of("..", "docs", "rollback.md"));
        Matcher reason = Pattern.compile("`probe api failed 2 times \\(max-failures 1\\): (.+?) at 12:03:15Z`").matcher(page);
        assertThat(reason.find()).as("the sample reason of docs/rollback.md").isTrue();

        assertThat(reason.group(1)).isEqualTo(Condition.parse("status == 200").evaluate(Map.of("status", 500)).explanation());
    }
}
