package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.spi.ConfigKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/configuration.md, which the README calls the page of every configuration key with its
 * default, lists every key the core binds, in its section, with the default the code uses.
 */
class DocumentedKeysTest {

    private static final Pattern ROW = Pattern.compile("(?m)^\\| ([^|]+) \\| [^|]* \\| ([^|]*) \\|");

    /** The rows of the tables under each heading of the page: heading to key names to default cell. */
    static Map<String, Map<String, String>> tables(Path page) throws IOException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        String heading = "";
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("#")) {
                heading = line.replaceAll("^#+\\s*", "");
                continue;
            }
            Matcher row = ROW.matcher(line.replace("\\|", "/"));
            if (!row.find()) {
                continue;
            }
            Matcher names = Pattern.compile("`([^`]+)`").matcher(row.group(1));
            while (names.find()) {
                String name = names.group(1).replaceAll("\\.<[^>]+>$|\\.\\*$", "");
                out.computeIfAbsent(heading, h -> new LinkedHashMap<>()).put(name, row.group(2).replace("`", "").trim());
            }
        }
        return out;
    }

    @Test
    void everyKeyTheCoreBindsIsOnTheConfigurationPageWithItsDefault() throws IOException {
        Map<String, Map<String, String>> tables = tables(Path.of("..", "docs", "configuration.md"));
        Map<String, List<ConfigKey>> sections = new LinkedHashMap<>();
        sections.put("`vigil.deployment.*`", CoreKeys.DEPLOYMENT_KEYS);
        sections.put("`vigil.plan.*`", CoreKeys.PLAN_KEYS);
        sections.put("`vigil.probes.<name>.*`", CoreKeys.PROBE_KEYS);
        List<ConfigKey> rollback = new ArrayList<>(CoreKeys.ROLLBACK_KEYS);
        CoreKeys.RECHECK_KEYS.forEach(k -> rollback.add(new ConfigKey(CoreKeys.RECHECK + "." + k.name(), k.kind(),
                k.defaultValue(), k.secret(), k.description())));
        sections.put("`vigil.rollback.*`", rollback);
        sections.put("`vigil.history.*`", CoreKeys.HISTORY_KEYS);
        sections.put("`vigil.regressions.*`", CoreKeys.REGRESSIONS_KEYS);

        List<String> wrong = new ArrayList<>();
        sections.forEach((section, keys) -> {
            Map<String, String> rows = tables.entrySet().stream().filter(e -> e.getKey().startsWith(section))
                    .map(Map.Entry::getValue).findFirst().orElse(Map.of());
            for (String name : rows.keySet()) {
                boolean trigger = section.equals("`vigil.rollback.*`") && (name.equals("webhook") || name.startsWith("<"));
                if (!trigger && keys.stream().noneMatch(k -> k.name().equals(name))) {
                    wrong.add(section + " " + name + ": documented, but the code has no such key");
                }
            }
            for (ConfigKey key : keys) {
                String documented = rows.get(key.name());
                if (documented == null) {
                    wrong.add(section + " " + key.name() + ": not documented");
                } else if (key.defaultValue() != null && !documented.startsWith(key.defaultValue().split("[,;]")[0])) {
                    wrong.add(section + " " + key.name() + ": documented default '" + documented + "', the code's '"
                            + key.defaultValue() + "'");
                }
            }
        });

        assertThat(wrong).isEmpty();
    }
}
