package dev.vigil.junit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ItemResult;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.junit.VigilParameter;
import dev.vigil.testkit.TestProbeContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A suite compiled against Jupiter 5.10 (the oldest supported) runs on the Jupiter 6 engine Vigil brings. */
class JupiterVersionsTest {

    private static final String SUITE = """
            package com.acme.legacy;

            import static org.junit.jupiter.api.Assertions.assertEquals;
            import static org.junit.jupiter.api.Assumptions.assumeTrue;

            import dev.vigil.junit.VigilParameter;
            import org.junit.jupiter.api.BeforeEach;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Nested;
            import org.junit.jupiter.api.RepeatedTest;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            @Tag("legacy")
            class LegacySmokeTest {
                private String region;

                @BeforeEach
                void setUp(@VigilParameter("region") String value) {
                    region = value;
                }

                @Test
                @DisplayName("region is read")
                void regionIsRead() {
                    assertEquals("eu-west", region);
                }

                @RepeatedTest(2)
                void repeats() {
                    assertEquals(7, 3 + 4);
                }

                @Nested
                class Refunds {
                    @Test
                    void onlyInProduction() {
                        assumeTrue(false, "production only");
                    }
                }
            }
            """;

    @Test
    void aSuiteCompiledAgainstJupiter510RunsOnTheEngineVigilBrings(@TempDir Path dir) throws Exception {
        Path jupiter510 = Path.of("target", "jupiter-5.10");
        List<Path> api;
        try (Stream<Path> jars = Files.list(jupiter510)) {
            api = jars.filter(p -> p.toString().endsWith(".jar")).sorted().toList();
        }
        assertThat(api).as("copied by the build into " + jupiter510).anySatisfy(p -> assertThat(p.getFileName().toString())
                .isEqualTo("junit-jupiter-api-5.10.3.jar"));
        Path vigilJunit = Path.of(VigilParameter.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String classpath = Stream.concat(api.stream(), Stream.of(vigilJunit)).map(Path::toString)
                .collect(Collectors.joining(File.pathSeparator));
        Path classes = CompiledSuite.compile(dir.resolve("classes"), Map.of("com.acme.legacy.LegacySmokeTest", SUITE), classpath);

        // The suite ships with its own 5.10 API jar, as a fat test jar would: the engine's API wins.
        ProbeResult m = JunitProbes.builder().classpath(classes.toString(), jupiter510 + "/*.jar").tags("legacy")
                .parameter("region", "eu-west").build()
                .measure(TestProbeContext.of("legacy", Instant.now(), Duration.ofSeconds(20)));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.items()).extracting(i -> i.name() + " " + i.status()).containsExactlyInAnyOrder(
                "region is read PASSED", "repeats() > repetition 1 of 2 PASSED", "repeats() > repetition 2 of 2 PASSED",
                "Refunds > onlyInProduction() ABORTED");
        assertThat(m.items()).allSatisfy(i -> assertThat(i.group()).isEqualTo("com.acme.legacy.LegacySmokeTest"));
        assertThat(m.values()).containsEntry("tests.skipped", 1L);
        assertThat(m.items()).filteredOn(i -> i.status() == ItemResult.Status.ABORTED).singleElement()
                .satisfies(i -> assertThat(i.message()).contains("production only"));
    }
}
