package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Whatever bytes a configuration file holds, {@code fromProperties} and {@code fromYaml} give a
 * verifier or a {@link ConfigurationException} naming the file or a key; nothing else.
 */
class ConfigurationFilesPropertiesTest {

    private static Path dir;

    @BeforeContainer
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("vigil-config-files");
    }

    @AfterContainer
    static void removeDir() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(dir);
    }

    @Property(tries = 2_000, shrinking = ShrinkingMode.BOUNDED)
    void anyFileBindsOrFailsWithAConfigurationException(@ForAll("contents") byte[] content) throws IOException {
        Path properties = Files.write(dir.resolve("application.properties"), content);
        Path yaml = Files.write(dir.resolve("application.yml"), content);

        for (Runnable load : List.<Runnable>of(() -> VigilConfig.defaults().load(properties).verifier(), () -> VigilConfig.defaults().loadYaml(yaml).verifier())) {
            try {
                load.run();
            } catch (ConfigurationException e) {
                assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.key()).isNotBlank());
            }
        }
    }

    @Example
    void yamlBombsAndDeepNestingAreConfigurationErrors() throws IOException {
        StringBuilder bomb = new StringBuilder("vigil:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (int i = 1; i < 12; i++) {
            bomb.append("  ").append((char) ('a' + i)).append(": &").append((char) ('a' + i)).append(" [")
                    .append(("*" + (char) ('a' + i - 1) + ",").repeat(9)).append("*").append((char) ('a' + i - 1)).append("]\n");
        }
        List<String> texts = List.of(bomb.toString(), "vigil: " + "[".repeat(20_000), "vigil: " + "{a: ".repeat(20_000),
                "vigil:\n" + "  - x\n".repeat(1) + "    ".repeat(5_000) + "y: 1");
        for (String text : texts) {
            Path yaml = Files.writeString(dir.resolve("bomb.yml"), text);
            try {
                VigilConfig.defaults().loadYaml(yaml).verifier();
            } catch (ConfigurationException e) {
                assertThat(e.problems()).isNotEmpty().allSatisfy(p -> assertThat(p.key()).isNotBlank());
            }
        }
    }

    @Provide
    Arbitrary<byte[]> contents() {
        Arbitrary<String> lines = Arbitraries.oneOf(
                Arbitraries.of("vigil.probes.smoke.type=command", "vigil.probes.smoke.command=true",
                        "vigil.deployment.service=checkout", "vigil.deployment.version=1", "vigil:", "  probes:",
                        "    smoke:", "      type: command", "      command: 'true'", "  deployment: {service: a, version: b}",
                        "vigil.plan.duration=${X", "\\", "key\\u12", "&a [*a]", "- - -", "---", "? x", ": :", "\t", "!!binary x",
                        "!!java.lang.Runtime {}", "%YAML 9.9", "vigil.probes.smoke.max-failures=[0]", "vigil.probes[0]=x"),
                Arbitraries.strings().all().ofMaxLength(30));
        Arbitrary<byte[]> text = lines.list().ofMaxSize(12).map(l -> String.join("\n", l).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, text), net.jqwik.api.Tuple.of(1, bytes));
    }
}
