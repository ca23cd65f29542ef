package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.BoundConfig;
import dev.vigil.config.VigilConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code verify --watch} without a watch: the message names where {@code vigil.plan.watch} came from. */
class NoWatchMessageTest {

    private static final Path FILE = Path.of("vigil.properties");

    private static BoundConfig load(Map<String, String> env, String... fileEntries) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "command");
        p.put("vigil.probes.health.command", "true");
        for (int i = 0; i < fileEntries.length; i += 2) {
            p.put(fileEntries[i], fileEntries[i + 1]);
        }
        return VigilConfig.builder().environment(env).serviceLoader(false).build().load(p);
    }

    @Test
    void aWatchOfZeroFromTheEnvironmentIsNamedAsTheEnvironmentVariableNotAsTheFile() {
        Map<String, String> env = Map.of("VIGIL_PLAN_WATCH", "0s");

        assertThat(VerifyCommand.noWatch(load(env, "vigil.plan.watch", "24h"), FILE, env))
                .isEqualTo("--watch needs a watch, but vigil.plan.watch is 0s (no watch) from the environment variable"
                        + " VIGIL_PLAN_WATCH: set it to how long to watch after the bake (e.g. 24h), or leave --watch out");
    }

    @Test
    void aWatchOfZeroInTheFileIsNamedAsTheFile() {
        assertThat(VerifyCommand.noWatch(load(Map.of(), "vigil.plan.watch", "0s"), FILE, Map.of()))
                .isEqualTo("--watch needs a watch, but vigil.plan.watch is 0s (no watch) in vigil.properties: set it to"
                        + " how long to watch after the bake (e.g. 24h), or leave --watch out");
    }

    @Test
    void noWatchGivenSaysWhereOneMayBeGiven() {
        assertThat(VerifyCommand.noWatch(load(Map.of()), FILE, Map.of()))
                .isEqualTo("--watch needs vigil.plan.watch (how long to watch after the bake, e.g. 24h) in vigil.properties"
                        + " or the environment variable VIGIL_PLAN_WATCH");
    }
}
