package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigProblem;
import dev.vigil.config.ValidationResult;
import dev.vigil.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The properties the documentation shows can be copied into a file as they are. */
class DocumentedPropertiesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    /** The line before a properties block that shows part of a configuration, not one to copy. */
    private static final String FRAGMENT = "<!-- fragment -->";

    /** The probe types of the command-line jar, which a fragment's probe without a type may have. */
    private static final List<String> PROBE_TYPES = List.of("actuator", "command", "http", "junit", "prometheus");
    private static final Pattern PROPERTIES_BLOCK = Pattern.compile("```properties\\n(.*?)```", Pattern.DOTALL);

    @Test
    void noDocumentedPropertiesLineEndsWithAComment() throws IOException {
        // A properties file has no end-of-line comments: "watch-action=rollback  # or notify" is the value
        // "rollback  # or notify", which validate refuses (docs/configuration.md says so).
        List<String> found = new ArrayList<>();
        List<Path> pages = pages();
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

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md"), Path.of("README.md")));
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    @Test
    void everyDocumentedPropertiesBlockIsValidAsWrittenUnlessMarkedAFragment(@TempDir Path dir) throws IOException {
        // Only the blocks that give a probe its type were bound once: a misspelt key of a rollback webhook, of the
        // history or of a deployment went unnoticed. A block is a configuration to copy: with the variables its
        // placeholders name set, a service and, when it names no probe at all, one probe to complete the file, it
        // binds as it is. A block that shows part of a probe or a mistake says so: <!-- fragment --> before it; its
        // keys must still be keys Vigil knows.
        List<String> invalid = new ArrayList<>();
        int checked = 0;
        for (Block block : blocks("properties")) {
            if (block.fragment()) {
                unknownKeys(block, dir).forEach(problem -> invalid.add(block + problem));
                continue;
            }
            String properties = block.text();
            if (!properties.contains("vigil.probes.")) {
                properties += "vigil.probes.completing.type=http\nvigil.probes.completing.url=http://localhost:8080/\n";
            }
            ValidationResult result = validate(properties, dir.resolve("block-" + ++checked + ".properties"));
            if (!result.valid()) {
                invalid.add(block + result.report());
            }
        }

        assertThat(checked).isGreaterThan(20);
        assertThat(invalid).isEmpty();
    }

    @Test
    void everyDocumentedYamlConfigurationIsValidAsWritten(@TempDir Path dir) throws IOException {
        // docs/configuration.md gives its example in YAML too: a YAML block of the pages that starts with the
        // prefix is a whole application.yml, and binds as it is.
        List<String> invalid = new ArrayList<>();
        int checked = 0;
        for (Block block : blocks("yaml")) {
            if (block.fragment() || !block.text().startsWith("vigil:")) {
                continue;
            }
            ValidationResult result = validate(block.text(), dir.resolve("block-" + ++checked + ".yml"));
            if (!result.valid()) {
                invalid.add(block + result.report());
            }
        }

        assertThat(checked).isPositive();
        assertThat(invalid).isEmpty();
    }

    /**
     * The keys of a fragment that Vigil does not know: a probe it names without a type may be of any
     * type that knows its keys.
     */
    private static List<String> unknownKeys(Block block, Path dir) throws IOException {
        Matcher named = Pattern.compile("(?m)^vigil\\.probes\\.([^.=]+)\\.").matcher(block.text());
        java.util.Set<String> untyped = new java.util.TreeSet<>();
        while (named.find()) {
            if (!block.text().contains("vigil.probes." + named.group(1) + ".type=")) {
                untyped.add(named.group(1));
            }
        }
        List<List<ConfigProblem>> unknownOfEachType = new ArrayList<>();
        for (String type : PROBE_TYPES) {
            StringBuilder typed = new StringBuilder(block.text());
            untyped.forEach(probe -> typed.append("vigil.probes.").append(probe).append(".type=").append(type).append('\n'));
            unknownOfEachType.add(validate(typed.toString(), dir.resolve("fragment-" + type + ".properties")).problems()
                    .stream().filter(p -> p.message().startsWith("unknown key")).toList());
        }
        // Unknown whatever the type: a key outside the probes, or a probe's key that no type has.
        return unknownOfEachType.get(0).stream()
                .filter(p -> unknownOfEachType.stream().allMatch(problems -> problems.stream().anyMatch(q -> q.key().equals(p.key()))))
                .map(ConfigProblem::toString)
                .toList();
    }

    /** A code block of a page: where it starts (the line of its fence), its text, whether it is marked {@link #FRAGMENT}. */
    private record Block(Path page, int line, String text, boolean fragment) {

        @Override
        public String toString() {
            return page + ":" + line + (fragment ? " (a fragment):\n" : " (" + FRAGMENT + " before it if it is not meant to be copied):\n");
        }
    }

    /** The blocks of {@code language} of every page. */
    private static List<Block> blocks(String language) throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (Path page : pages()) {
            List<String> lines = Files.readAllLines(page);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).equals("```" + language)) {
                    continue;
                }
                int first = i + 1;
                while (!lines.get(++i).startsWith("```")) {
                    // to the end of the block
                }
                boolean fragment = first >= 2 && lines.get(first - 2).strip().equals(FRAGMENT);
                blocks.add(new Block(page, first, String.join("\n", lines.subList(first, i)) + "\n", fragment));
            }
        }
        return blocks;
    }

    /** The block with the variables its placeholders name set and, unless a properties block names one, a service. */
    private static ValidationResult validate(String properties, Path file) throws IOException {
        Map<String, String> environment = new HashMap<>();
        Matcher placeholder = PLACEHOLDER.matcher(properties);
        while (placeholder.find()) {
            environment.put(placeholder.group(1), "value-of-" + placeholder.group(1));
        }
        if (file.toString().endsWith(".properties") && !properties.contains("vigil.deployment.service=")) {
            properties += "vigil.deployment.service=checkout\n";
        }
        return VigilConfig.builder().environment(environment).build().validate(Files.writeString(file, properties));
    }

    @Test
    void theWatchPagesConfigurationIsValidAsWritten(@TempDir Path dir) throws IOException {
        // docs/watch.md opens with a watch's plan, a watched probe and one kept out of the watch: every probe
        // it names must be one it defines, with a type, or copying it fails validate.
        Matcher block = PROPERTIES_BLOCK.matcher(Files.readString(Path.of("..", "docs", "watch.md")));
        assertThat(block.find()).as("the first properties block of docs/watch.md").isTrue();

        ValidationResult result = validate(block.group(1), dir.resolve("watch.properties"));

        assertThat(result.valid()).as(result.report()).isTrue();
    }

    @Test
    void theErrorsOfTheConfigurationPageAreWhatBindingReportsForItsMistakes() throws IOException {
        // docs/configuration.md, "Errors": a misspelt key of the plan and of a probe, a misspelt type, a variable not set.
        String page = Files.readString(Path.of("..", "docs", "configuration.md"));
        Matcher shown = Pattern.compile("## Errors.*?```\\n(invalid Vigil configuration.*?)```", Pattern.DOTALL).matcher(page);
        assertThat(shown.find()).as("the example of docs/configuration.md, Errors").isTrue();
        Map<String, String> properties = new java.util.LinkedHashMap<>();
        properties.put("vigil.deployment.service", "checkout");
        properties.put("vigil.plan.durration", "5m");
        properties.put("vigil.probes.health.type", "http");
        properties.put("vigil.probes.health.url", "http://localhost:8080/actuator/health");
        properties.put("vigil.probes.health.pas-when", "status == 200");
        properties.put("vigil.probes.error-rate.type", "prometeus");
        properties.put("vigil.probes.error-rate.bearer-token", "${PROMETHEUS_TOKEN}");

        ValidationResult result = VigilConfig.builder().environment(Map.of()).build().validate(properties);

        assertThat(result.report().lines().toList()).isEqualTo(shown.group(1).lines().toList());
    }
}
