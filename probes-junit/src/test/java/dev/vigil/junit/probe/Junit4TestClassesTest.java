package dev.vigil.junit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.testkit.TestProbeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JUnit 4 tests beside Jupiter ones, without the vintage engine: JUnit's scan leaves them out without
 * a word, so the run is an {@code ERROR} naming them and the way to run them, never a pass of the
 * Jupiter tests alone. JUnit 4's {@code org.junit.Test}, {@code Assert} and {@code TestCase} are
 * compiled from stand-ins of the same names: what is looked for is what their class files name.
 */
class Junit4TestClassesTest {

    private static final Map<String, String> SUITE = Map.of(
            "org.junit.Test", """
                    package org.junit;
                    import java.lang.annotation.*;
                    @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.METHOD) public @interface Test { }
                    """,
            "junit.framework.TestCase", "package junit.framework; public abstract class TestCase { }",
            "com.acme.smoke.GoodSmokeTest", """
                    package com.acme.smoke;
                    import org.junit.jupiter.api.Test;
                    public class GoodSmokeTest { @Test void ok() { } }
                    """,
            "com.acme.smoke.LegacyOrdersTest", """
                    package com.acme.smoke;
                    public class LegacyOrdersTest { @org.junit.Test public void ordersWork() { throw new AssertionError("broken"); } }
                    """,
            "com.acme.smoke.LegacyBase", "package com.acme.smoke; public abstract class LegacyBase extends junit.framework.TestCase { }",
            "com.acme.smoke.LegacyPaymentsTest", """
                    package com.acme.smoke;
                    public class LegacyPaymentsTest extends LegacyBase { public void testPays() { throw new AssertionError("broken"); } }
                    """);

    @TempDir
    Path dir;

    private static ProbeResult measure(JunitProbeBuilder probe) throws Exception {
        return probe.build().measure(TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20)));
    }

    @Test
    void junit4TestsThatNoEngineRunsAreAnErrorNamingThemNotAPassOfTheJupiterTests() throws Exception {
        // Before: PASS "1 passed", the two failing JUnit 4 tests never run and never named.
        Path classes = CompiledSuite.compile(dir.resolve("classes"), SUITE);

        for (JunitProbeBuilder probe : new JunitProbeBuilder[] {JunitProbes.builder().classpath(classes.toString()),
                JunitProbes.builder().classpath(classes.toString()).select("package:com.acme.smoke")}) {
            ProbeResult m = measure(probe);

            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).startsWith("the tests did not run: 2 classes look like JUnit 4 tests (a method annotated"
                    + " org.junit.Test, or a subclass of junit.framework.TestCase) that no engine runs")
                    .contains(": com.acme.smoke.LegacyOrdersTest; com.acme.smoke.LegacyPaymentsTest; to run them, put"
                            + " junit-vintage-engine (org.junit.vintage, the version of Vigil's JUnit) and junit 4.13.2 in classpath")
                    .doesNotContain("LegacyBase");
            assertThat(m.items()).as("no test ran").isEmpty();
        }

        ProbeResult selected = measure(JunitProbes.builder().classpath(classes.toString())
                .select("class:com.acme.smoke.GoodSmokeTest"));
        assertThat(selected.outcome()).as("a class selected by name is no scan: %s", selected.explanation()).isEqualTo(Outcome.PASS);
    }
}
