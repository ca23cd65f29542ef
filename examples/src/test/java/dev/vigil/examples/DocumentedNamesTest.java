package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the pages name by its name in the code: the tests that guard a rule. */
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
}
