package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The properties the documentation shows can be copied into a file as they are. */
class DocumentedPropertiesTest {

    private static final Pattern PROPERTIES_BLOCK = Pattern.compile("```properties\\n(.*?)```", Pattern.DOTALL);

    @Test
    void noDocumentedPropertiesLineEndsWithAComment() throws IOException {
        // A properties file has no end-of-line comments: "watch-action=rollback  # or notify" is the value
        // "rollback  # or notify", which validate refuses (docs/configuration.md says so).
        List<String> found = new ArrayList<>();
        List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md"), Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        for (Path page : pages) {
            Matcher block = PROPERTIES_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                for (String line : block.group(1).split("\\n")) {
                    String text = line.strip();
                    boolean comment = text.startsWith("#") || text.startsWith("!");
                    if (!comment && text.contains("=") && text.substring(text.indexOf('=')).matches(".*\\s#.*")) {
                        found.add(page.getFileName() + ": " + line);
                    }
                }
            }
        }

        assertThat(pages).hasSizeGreaterThan(10);
        assertThat(found).isEmpty();
    }
}
