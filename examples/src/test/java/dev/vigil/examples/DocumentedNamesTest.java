package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.RecheckReport;
import dev.vigil.RollbackOutcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the pages name by its name in the code: tests that guard a rule, the values of a report field. */
class DocumentedNamesTest {

    private static final Pattern TEST_METHOD = Pattern.compile("`([A-Z]\\w*(?:Test|IT))#(\\w+)`");

    @Test
    void everyTestThatReliabilityMdNamesExists() throws IOException {
        // VigilCommandTest#anEmptyFixesOptionIsAUsageErrorNotAWayToClearTheConfiguredFixes outlived its rename.
        Map<String, List<Path>> sources;
        try (Stream<Path> files = Files.walk(Path.of(".."))) {
            sources = files.filter(p -> p.toString().replace('\\', '/').contains("/src/test/java/"))
                    .filter(p -> p.getFileName().toString().endsWith(".java"))
                    .collect(Collectors.groupingBy(p -> p.getFileName().toString().replaceFirst("\\.java$", "")));
        }
        Matcher named = TEST_METHOD.matcher(Files.readString(Path.of("..", "docs", "RELIABILITY.md")));
        List<String> missing = new ArrayList<>();
        int checked = 0;
        while (named.find()) {
            checked++;
            Pattern method = Pattern.compile("\\bvoid " + named.group(2) + "\\(");
            boolean exists = false;
            for (Path source : sources.getOrDefault(named.group(1), List.of())) {
                exists |= method.matcher(Files.readString(source)).find();
            }
            if (!exists) {
                missing.add(named.group());
            }
        }

        assertThat(checked).isGreaterThan(50);
        assertThat(missing).isEmpty();
    }

    @Test
    void reportsMdListsEveryRollbackOutcomeAndRecheckStatus() throws IOException {
        // rollback.outcome was listed without NOTIFIED, which a watch with watch-action=notify writes.
        String page = Files.readString(Path.of("..", "docs", "reports.md"));

        assertThat(row(page, "rollback.outcome"))
                .contains(Arrays.stream(RollbackOutcome.values()).map(o -> "`" + o + "`").toList());
        assertThat(row(page, "recheckResult.status"))
                .contains(Arrays.stream(RecheckReport.Status.values()).map(s -> "`" + s + "`").toList());
    }

    /** The row of report.json's field table that describes {@code field}. */
    private static String row(String page, String field) {
        Matcher row = Pattern.compile("(?m)^\\| `" + Pattern.quote(field) + "` \\|.*$").matcher(page);
        assertThat(row.find()).as("the row of %s in docs/reports.md", field).isTrue();
        return row.group();
    }
}
