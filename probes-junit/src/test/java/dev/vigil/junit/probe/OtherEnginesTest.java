package dev.vigil.junit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ItemResult;
import dev.vigil.Outcome;
import dev.vigil.Preflight;
import dev.vigil.ProbeResult;
import dev.vigil.testkit.TestProbeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A test engine other than Jupiter that a suite brings through the service loader. */
class OtherEnginesTest {

    @TempDir
    Path dir;

    @Test
    void aTestItsEngineNeverReportsIsCountedAndNamedNotLeftOut() throws Exception {
        // Before: "1 passed, 0 failed, 0 aborted, 0 disabled", a PASS, though the check before the
        // deployment had found 2 tests: the engine's discovered checkOne vanished from the run.
        Path classes = CompiledSuite.compile(dir.resolve("classes"), Map.of(
                "com.acme.engine.SilentEngine", """
                        package com.acme.engine;
                        import org.junit.platform.engine.*;
                        import org.junit.platform.engine.support.descriptor.*;
                        /** Discovers one test and, when asked to run it, reports nothing. */
                        public class SilentEngine implements TestEngine {
                            public String getId() { return "silent"; }
                            public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId id) {
                                EngineDescriptor engine = new EngineDescriptor(id, "Silent");
                                engine.addChild(new AbstractTestDescriptor(id.append("check", "one"), "checkOne") {
                                    public Type getType() { return Type.TEST; }
                                });
                                return engine;
                            }
                            public void execute(ExecutionRequest request) { }
                        }
                        """,
                "com.acme.smoke.GoodTest", """
                        package com.acme.smoke;
                        import org.junit.jupiter.api.Test;
                        public class GoodTest { @Test void ok() { } }
                        """));
        Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(classes.resolve("META-INF/services/org.junit.platform.engine.TestEngine"),
                "com.acme.engine.SilentEngine\n");
        dev.vigil.Probe probe = JunitProbes.builder().classpath(classes.toString()).build();

        Preflight found = probe.preflight(TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20)));
        ProbeResult m = probe.measure(TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20)));

        assertThat(found.message()).startsWith("2 tests found");
        assertThat(m.values()).containsEntry("tests.total", 2).containsEntry("tests.passed", 1L).containsEntry("tests.skipped", 1L);
        assertThat(m.explanation()).startsWith("1 passed, 0 failed, 0 aborted, 1 disabled (not passed: checkOne: not run: "
                + "its engine (silent) reported nothing of it)");
        assertThat(m.items()).extracting(ItemResult::label, ItemResult::status).contains(
                org.assertj.core.groups.Tuple.tuple("checkOne", ItemResult.Status.SKIPPED),
                org.assertj.core.groups.Tuple.tuple("GoodTest#ok", ItemResult.Status.PASSED));
    }
}
