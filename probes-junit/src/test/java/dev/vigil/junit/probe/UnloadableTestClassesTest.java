package dev.vigil.junit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.testkit.TestProbeContext;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class that does not load is an {@code ERROR}, also when JUnit's class-path scan found it:
 * the scan leaves such a class out without a word, and the other tests must not pass without it. So
 * is a JUnit 4 test class that no engine runs (no vintage engine), which the scan leaves out too.
 */
class UnloadableTestClassesTest {

    private static final String GOOD = """
            package com.acme.smoke;
            import org.junit.jupiter.api.Test;
            public class GoodSmokeTest { @Test void ok() { } }
            """;
    /** A helper whose static initializer would say that something initialized it. */
    private static final String HELPER = """
            package com.acme.smoke;
            public class Fixtures {
                static { System.setProperty("vigil.test.unloadable.initialized", "yes"); }
                public static String base() { return "/"; }
            }
            """;

    /**
     * Jupiter and JUnit 4 tests. JUnit 4's {@code org.junit.Test} and {@code TestCase} are compiled from
     * stand-ins of the same names: what is looked for is what their class files name.
     */
    private static final Map<String, String> JUNIT4_SUITE = Map.of(
            "org.junit.Test", """
                    package org.junit;
                    import java.lang.annotation.*;
                    @Retention(RetentionPolicy.RUNTIME) @Target(ElementType.METHOD) public @interface Test { long timeout() default 0L; }
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

    /** JUnit 4's stand-ins and a Jupiter test, without {@link #JUNIT4_SUITE}'s JUnit 4 tests, and {@code classes}. */
    private static Map<String, String> junit4StandInsAnd(Map<String, String> classes) {
        Map<String, String> sources = new HashMap<>(JUNIT4_SUITE);
        sources.keySet().removeIf(name -> name.startsWith("com.acme.smoke.Legacy"));
        sources.putAll(classes);
        return sources;
    }

    private static ProbeResult measure(JunitProbeBuilder probe) throws Exception {
        return probe.build().measure(TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20)));
    }

    @Test
    void aTestClassWhoseSuperclassIsInAJarLeftOutOfTheClassPathIsAnErrorNotAPassOfTheOthers() throws Exception {
        Path classes = CompiledSuite.compile(dir.resolve("classes"), Map.of(
                "com.acme.lib.Helper", "package com.acme.lib; public class Helper { }",
                "com.acme.smoke.GoodSmokeTest", GOOD,
                "com.acme.smoke.Fixtures", HELPER,
                "com.acme.smoke.NeedsLibSmokeTest", """
                        package com.acme.smoke;
                        import org.junit.jupiter.api.Test;
                        public class NeedsLibSmokeTest extends com.acme.lib.Helper { @Test void ok() { Fixtures.base(); } }
                        """));
        // The library's jar is forgotten in classpath=.
        Files.delete(classes.resolve("com/acme/lib/Helper.class"));
        System.clearProperty("vigil.test.unloadable.initialized");

        ProbeResult m = measure(JunitProbes.builder().classpath(classes.toString()));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).startsWith("the tests did not run: 1 class of the tests does not load")
                .contains("com.acme.smoke.NeedsLibSmokeTest needs com.acme.lib.Helper")
                .contains("every test in classpath=" + classes)
                .contains("put the jars of the libraries the tests use in classpath");
        assertThat(m.items()).as("no test ran").isEmpty();
        assertThat(System.getProperty("vigil.test.unloadable.initialized")).as("no static initializer ran").isNull();
    }

    @Test
    void aTestClassWhoseMethodNamesAClassOfAMissingLibraryIsAnErrorWithAndWithoutAPackageSelection() throws Exception {
        Path classes = CompiledSuite.compile(dir.resolve("classes"), Map.of(
                "com.acme.lib.Client", "package com.acme.lib; public class Client { }",
                "com.acme.smoke.GoodSmokeTest", GOOD,
                "com.acme.smoke.OrdersSmokeTest", """
                        package com.acme.smoke;
                        import org.junit.jupiter.api.Test;
                        public class OrdersSmokeTest {
                            private com.acme.lib.Client client() { return new com.acme.lib.Client(); }
                            @Test void ordersWork() { client(); throw new AssertionError("orders are broken"); }
                        }
                        """));
        Files.delete(classes.resolve("com/acme/lib/Client.class"));

        ProbeResult scanned = measure(JunitProbes.builder().classpath(classes.toString()));
        ProbeResult selected = measure(JunitProbes.builder().classpath(classes.toString()).select("package:com.acme"));

        for (ProbeResult m : new ProbeResult[] {scanned, selected}) {
            assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).contains("com.acme.smoke.OrdersSmokeTest needs com.acme.lib.Client");
        }
        assertThat(selected.error()).contains("JUnit's scan of select=package:com.acme in classpath=");
    }

    @Test
    void aTestClassBuiltForANewerJavaInAJarWithNoOtherTestIsNamed() throws Exception {
        Path classes = CompiledSuite.compile(dir.resolve("classes"), Map.of("com.acme.smoke.GoodSmokeTest", GOOD));
        Path newer = CompiledSuite.compile(dir.resolve("newer"), Map.of("com.acme.checkout.CheckoutSmokeTest", """
                package com.acme.checkout;
                import org.junit.jupiter.api.Test;
                public class CheckoutSmokeTest { @Test void pays() { } }
                """));
        // A class file version no Java runs yet (its constant pool is unchanged).
        try (RandomAccessFile file = new RandomAccessFile(newer.resolve("com/acme/checkout/CheckoutSmokeTest.class").toFile(), "rw")) {
            file.seek(6);
            file.writeShort(0xFFF0);
        }

        ProbeResult m = measure(JunitProbes.builder().classpath(classes.toString(), newer.toString()));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("com.acme.checkout.CheckoutSmokeTest: UnsupportedClassVersionError: ");
    }

    @Test
    void classesOfALibraryBesideTheTestsThatDoNotLoadAreLeftAlone() throws Exception {
        // A library with an optional part (a servlet filter) whose dependency is not there, as many have.
        Path library = CompiledSuite.compile(dir.resolve("library"), Map.of(
                "com.vendor.http.Client", "package com.vendor.http; public class Client { public int get() { return 200; } }",
                "com.vendor.servlet.Filter", "package com.vendor.servlet; public interface Filter { }",
                "com.vendor.http.TracingFilter", """
                        package com.vendor.http;
                        public class TracingFilter implements com.vendor.servlet.Filter { }
                        """));
        Files.delete(library.resolve("com/vendor/servlet/Filter.class"));
        Path tests = CompiledSuite.compile(dir.resolve("tests"), Map.of("com.acme.smoke.ClientSmokeTest", """
                package com.acme.smoke;
                import org.junit.jupiter.api.Assertions;
                import org.junit.jupiter.api.Test;
                public class ClientSmokeTest { @Test void answers() { Assertions.assertEquals(200, new com.vendor.http.Client().get()); } }
                """), System.getProperty("java.class.path") + java.io.File.pathSeparator + library);
        Path jar = CompiledSuite.jar(library, dir.resolve("libs/vendor-http.jar"));

        ProbeResult m = measure(JunitProbes.builder().classpath(tests.toString(), jar.toString()));

        assertThat(m.outcome()).as("%s", m).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).startsWith("1 passed");
    }

    /**
     * The tests beside the application's own classes in one folder (classpath=target/classes, as
     * the examples' smoke suite does): a class of the application that needs a library the tests do
     * not is no test and names no Jupiter type; it is left alone, and the tests pass.
     */
    @Test
    void anApplicationClassBesideTheTestsThatDoesNotLoadIsLeftAlone() throws Exception {
        Path classes = CompiledSuite.compile(dir.resolve("app"), Map.of(
                "com.acme.lib.Config", "package com.acme.lib; public class Config { }",
                "com.acme.app.Main", """
                        package com.acme.app;
                        public class Main { public static com.acme.lib.Config config() { return new com.acme.lib.Config(); } }
                        """,
                "com.acme.smoke.GoodSmokeTest", GOOD));
        // The application's library is not on the tests' class path.
        Files.delete(classes.resolve("com/acme/lib/Config.class"));

        ProbeResult m = measure(JunitProbes.builder().classpath(classes.toString()));

        assertThat(m.outcome()).as("%s", m).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).startsWith("1 passed");
    }

    @Test
    void junit4TestsThatNoEngineRunsAreAnErrorNamingThemNotAPassOfTheJupiterTests() throws Exception {
        // Before: PASS "1 passed", the two failing JUnit 4 tests never run and never named.
        Path classes = CompiledSuite.compile(dir.resolve("classes"), JUNIT4_SUITE);

        for (JunitProbeBuilder probe : new JunitProbeBuilder[] {JunitProbes.builder().classpath(classes.toString()),
                JunitProbes.builder().classpath(classes.toString()).select("package:com.acme.smoke")}) {
            ProbeResult m = measure(probe);

            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.ERROR);
            assertThat(m.error()).startsWith("the tests did not run: 2 classes look like JUnit 4 tests (a method annotated"
                    + " org.junit.Test, or a subclass of junit.framework.TestCase with a public void test method) that no engine runs")
                    .contains(": com.acme.smoke.LegacyOrdersTest; com.acme.smoke.LegacyPaymentsTest; to run them, put"
                            + " junit-vintage-engine (org.junit.vintage, the version of Vigil's JUnit) and junit 4.13.2 in classpath")
                    .doesNotContain("LegacyBase");
            assertThat(m.items()).as("no test ran").isEmpty();
        }

        ProbeResult selected = measure(JunitProbes.builder().classpath(classes.toString())
                .select("class:com.acme.smoke.GoodSmokeTest"));
        assertThat(selected.outcome()).as("a class selected by name is no scan: %s", selected.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void aClassThatOnlyNamesTheJunit4AnnotationOrExtendsTestCaseWithoutTestMethodsIsNoTest() throws Exception {
        // Before: an ERROR naming both, every round, though neither holds a test.
        Path classes = CompiledSuite.compile(dir.resolve("classes"), junit4StandInsAnd(Map.of(
                "com.vendor.junit.LegacyRunner", """
                package com.vendor.junit;
                import java.lang.annotation.Annotation;
                import java.lang.reflect.Method;
                /** A library's runner: it names org.junit.Test in its code, not on a method. */
                public class LegacyRunner {
                    public boolean runs(Method method) {
                        Class<? extends Annotation> test = org.junit.Test.class;
                        org.junit.Test found = (org.junit.Test) method.getAnnotation(test);
                        return found != null;
                    }
                }
                """,
                "com.vendor.junit.TestCaseSupport", """
                package com.vendor.junit;
                public class TestCaseSupport extends junit.framework.TestCase {
                    public void setUpDatabase() { }
                    public String testData() { return ""; }
                    public void testWith(String name) { }
                    void testHidden() { }
                }
                """)));

        ProbeResult m = measure(JunitProbes.builder().classpath(classes.toString()));

        assertThat(m.outcome()).as("%s", m).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).startsWith("1 passed");
    }

    @Test
    void aJunit4TestIsFoundByItsAnnotatedMethodAmongOthersAndThroughItsBaseClass() throws Exception {
        Path classes = CompiledSuite.compile(dir.resolve("classes"), junit4StandInsAnd(Map.of(
                "com.acme.smoke.LegacyCartTest", """
                package com.acme.smoke;
                public class LegacyCartTest {
                    @Deprecated(since = "2", forRemoval = true) public void helper() { }
                    @Deprecated @org.junit.Test(timeout = 500) public void cartWorks() { }
                }
                """,
                "com.acme.smoke.LegacyCheckoutBase", """
                package com.acme.smoke;
                public abstract class LegacyCheckoutBase { @org.junit.Test public void pays() { } }
                """,
                "com.acme.smoke.LegacyCheckoutTest", "package com.acme.smoke; public class LegacyCheckoutTest extends LegacyCheckoutBase { }")));

        ProbeResult m = measure(JunitProbes.builder().classpath(classes.toString()));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains(": com.acme.smoke.LegacyCartTest; com.acme.smoke.LegacyCheckoutTest; to run them")
                .doesNotContain("LegacyCheckoutBase");
    }

    @Test
    void withTagsJunit4ClassesAreNotLookedFor() throws Exception {
        // Before: an ERROR advising the vintage engine, under which the untagged JUnit 4 tests would not run either.
        Map<String, String> sources = new HashMap<>(JUNIT4_SUITE);
        sources.put("com.acme.smoke.TaggedSmokeTest", """
                package com.acme.smoke;
                import org.junit.jupiter.api.Tag;
                import org.junit.jupiter.api.Test;
                public class TaggedSmokeTest { @Test @Tag("smoke") void ok() { } }
                """);
        Path classes = CompiledSuite.compile(dir.resolve("classes"), sources);

        ProbeResult m = measure(JunitProbes.builder().classpath(classes.toString()).tags("smoke"));

        assertThat(m.outcome()).as("%s", m).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).startsWith("1 passed");
    }
}
