package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.junit.probe.CompiledSuite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A smoke suite in a test jar whose test ends the JVM, run by the shaded jar: the verification
 * must never end with the code the test chose, above all not 0, which a release tool reads as
 * {@code HEALTHY}.
 */
class JunitExitJarIT {

    @TempDir
    Path work;

    private VigilJar.Result verify(String test) throws Exception {
        String suite = """
                package com.acme.smoke;

                import org.junit.jupiter.api.Test;

                public class ExitingSmokeTest {

                    @Test
                    void ends() {
                        %s
                    }
                }
                """.formatted(test);
        Path classes = CompiledSuite.compile(work.resolve("build/classes"), Map.of("com.acme.smoke.ExitingSmokeTest", suite));
        CompiledSuite.jar(classes, work.resolve("build/libs/smoke-tests.jar"));
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.previous-version", "2.4.0");
        p.put("vigil.plan.interval", "20s");
        p.put("vigil.plan.duration", "20s");
        p.put("vigil.probes.smoke.type", "junit");
        p.put("vigil.probes.smoke.classpath", "build/libs/*.jar");
        p.put("vigil.probes.smoke.timeout", "20s");
        p.put("vigil.rollback.command", "echo rolling back checkout");
        Path file = work.resolve("application.properties");
        Files.writeString(file, p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n")));
        return VigilJar.in(work, Map.of()).run("verify", "--config", file.toString(), "--version", "2.4.1", "--report-dir", "reports");
    }

    @Test
    void aTestThatHaltsTheJvmWithZeroDoesNotRunAndTheVerificationIsNotHealthy() throws Exception {
        VigilJar.Result run = verify("Runtime.getRuntime().halt(0);");

        assertThat(run.exitCode()).as(run.toString()).isNotEqualTo(ExitCodes.HEALTHY);
        assertThat(run.out()).as(run.toString()).contains("com.acme.smoke.ExitingSmokeTest calls Runtime.halt")
                .doesNotContain("Verdict:  HEALTHY");
        assertThat(work.resolve("reports/report.json")).exists();
    }

    @Test
    void aTestThatExitsThroughReflectionAbortsTheVerificationWithExit130() throws Exception {
        // Out of the probe's sight: the shutdown hook turns the exit into an abort, with its reports.
        VigilJar.Result run = verify("""
                try {
                    System.class.getMethod("ex" + "it", int.class).invoke(null, 0);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
                """);

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(run.out()).as(run.toString()).contains("Verdict:  ABORTED");
        assertThat(work.resolve("reports/report.json")).exists();
    }
}
