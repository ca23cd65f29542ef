package dev.vigil.junit.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.VigilException;
import dev.vigil.testkit.TestProbeContext;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test JUnit will not run because of how it is written is an {@code ERROR} naming it: JUnit leaves
 * such a method out, saying so only in its log, and the tests beside it would pass without it.
 */
class DiscoveryIssuesTest {

    @TempDir
    Path dir;

    @Test
    void testMethodsJunitLeavesOutAreAnErrorNamingEachAndNoTestRuns() throws Exception {
        // Before: "1 passed, 0 failed", a PASS, the three methods of BrokenTest in a JUL warning only.
        Path classes = CompiledSuite.compile(dir.resolve("classes"), Map.of(
                "com.acme.smoke.GoodTest", """
                        package com.acme.smoke;
                        import org.junit.jupiter.api.Test;
                        public class GoodTest { @Test void ok() { } }
                        """,
                "com.acme.smoke.BrokenTest", """
                        package com.acme.smoke;
                        import org.junit.jupiter.api.Tag;
                        import org.junit.jupiter.api.Test;
                        @Tag("INC-1")
                        public class BrokenTest {
                            @Test private void privateTest() { throw new AssertionError("never runs"); }
                            @Test static void staticTest() { throw new AssertionError("never runs"); }
                            @Test int returnsValue() { throw new AssertionError("never runs"); }
                        }
                        """));

        ProbeResult m = JunitProbes.builder().classpath(classes.toString()).select("package:com.acme.smoke").build()
                .measure(TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20)));

        assertThat(m.outcome()).as("%s", m).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).startsWith("the tests did not run: JUnit found 3 problems in select=package:com.acme.smoke")
                .contains("com.acme.smoke.BrokenTest.privateTest()", "com.acme.smoke.BrokenTest.staticTest()",
                        "com.acme.smoke.BrokenTest.returnsValue()")
                .contains("@Test method 'private void com.acme.smoke.BrokenTest.privateTest()' must not be private. It will not be executed.")
                .endsWith("; correct what JUnit names, or select only the tests that should run");
        assertThat(m.items()).as("no test ran").isEmpty();
    }

    @Test
    void aTaggedTestJunitLeavesOutIsNamedWhenTheTestsOfAFixAreLookedFor() throws Exception {
        // Before: the look-up found CouponTest#couponsApplyOnce only, and the fix could be confirmed without the left-out test.
        Path classes = CompiledSuite.compile(dir.resolve("classes"), Map.of(
                "com.acme.smoke.CouponTest", """
                        package com.acme.smoke;
                        import org.junit.jupiter.api.Tag;
                        import org.junit.jupiter.api.Test;
                        @Tag("INC-1")
                        public class CouponTest {
                            @Test void couponsApplyOnce() { }
                            @Test private void couponsExpire() { throw new AssertionError("never runs"); }
                        }
                        """));
        Probe probe = JunitProbes.builder().classpath(classes.toString()).select("package:com.acme.smoke").build();
        Deployment hotfix = new Deployment("checkout", "2.4.2", "2.4.1", null, Deployment.Kind.HOTFIX, List.of("INC-1"), Map.of());

        assertThatThrownBy(() -> probe.confirmationTests("INC-1")).isInstanceOf(VigilException.class)
                .hasMessageStartingWith("could not look for the tests tagged INC-1 (select=package:com.acme.smoke in classpath=")
                .hasMessageContaining("JUnit found 1 problem and would leave out what it concerns, saying so only in its log, "
                        + "the other tests passing without it: "
                        + "@Test method 'private void com.acme.smoke.CouponTest.couponsExpire()' must not be private.")
                .hasMessageEndingWith("; correct what JUnit names, or select only the tests that should run");
        assertThat(DeployVerifier.builder().probe("smoke", probe).build().confirmationProblems(hotfix)).singleElement().asString()
                .startsWith("hotfix checkout 2.4.2 fixes INC-1 but no probe confirms it: probe smoke: could not look for the tests"
                        + " tagged INC-1")
                .contains("com.acme.smoke.CouponTest.couponsExpire()");
    }
}
