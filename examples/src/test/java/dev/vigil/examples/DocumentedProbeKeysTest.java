package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.VigilConfig;
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
 * The pages of the probe types and rollback triggers list every key their factories accept, with
 * the defaults the code uses: users configure Vigil from those tables.
 */
class DocumentedProbeKeysTest {

    private static final Pattern NAME = Pattern.compile("`([a-z][a-z0-9-]*)(?:\\.<[^>]+>|\\.\\*)?`");

    /**
     * Key name to the default cell, from every table of the pages whose header starts with
     * {@code key}: {@code null} for a table without a default column; "see ..." for a row that
     * refers to another page.
     */
    static Map<String, String> documented(String... pages) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        for (String page : pages) {
            int defaultColumn = -1;
            for (String line : Files.readAllLines(Path.of("..", "docs", page))) {
                if (!line.startsWith("|")) {
                    defaultColumn = -1;
                    continue;
                }
                String[] cells = line.replace("\\|", "/").split("\\|");
                if (line.startsWith("| key |")) {
                    defaultColumn = -1;
                    for (int i = 0; i < cells.length; i++) {
                        if (cells[i].trim().equals("default")) {
                            defaultColumn = i;
                        }
                    }
                    continue;
                }
                Matcher names = NAME.matcher(cells.length > 1 ? cells[1] : "");
                while (names.find() && cells[1].trim().startsWith("`")) {
                    String cell = defaultColumn > 0 && defaultColumn < cells.length
                            ? cells[defaultColumn].replace("`", "").trim() : null;
                    out.putIfAbsent(names.group(1), cell);
                }
            }
        }
        return out;
    }

    private static List<String> compare(List<ConfigKey> keys, Map<String, String> documented) {
        List<String> wrong = new ArrayList<>();
        for (ConfigKey key : keys) {
            if (!documented.containsKey(key.name())) {
                wrong.add(key.name() + ": not documented");
            } else if (key.defaultValue() != null && documented.get(key.name()) != null
                    && !documented.get(key.name()).startsWith("see ")
                    && !documented.get(key.name()).startsWith(key.defaultValue())) {
                wrong.add(key.name() + ": documented default '" + documented.get(key.name()) + "', the code's '"
                        + key.defaultValue() + "'");
            }
        }
        return wrong;
    }

    @Test
    void everyKeyOfEveryProbeTypeIsOnItsPageWithItsDefault() throws IOException {
        Map<String, String[]> pages = Map.of(
                "http", new String[] {"http-probes.md", "canary-analysis.md"},
                "actuator", new String[] {"http-probes.md", "canary-analysis.md"},
                "prometheus", new String[] {"prometheus-probes.md", "canary-analysis.md"},
                "junit", new String[] {"junit-probes.md"},
                "command", new String[] {"configuration.md"});
        Map<String, List<String>> wrong = new LinkedHashMap<>();
        VigilConfig.defaults().probeFactories().forEach((type, factory) -> {
            assertThat(pages).as("the page of probe type " + type).containsKey(type);
            try {
                List<String> problems = compare(factory.keys(), documented(pages.get(type)));
                if (!problems.isEmpty()) {
                    wrong.put(type, problems);
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(wrong).isEmpty();
    }

    @Test
    void everyKeyOfTheWebhookRollbackTriggerIsOnTheConfigurationPage() throws IOException {
        assertThat(VigilConfig.defaults().rollbackTriggerFactories()).containsOnlyKeys("webhook");

        assertThat(compare(VigilConfig.defaults().rollbackTriggerFactories().get("webhook").keys(),
                documented("configuration.md"))).isEmpty();
    }
}
