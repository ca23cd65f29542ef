package dev.vigil.junit.probe;

import dev.vigil.condition.ValueType;
import java.util.Map;

/**
 * JUnit suites run against the deployed service as a probe: the confirmation test of a fix and the
 * regression suite that guards every later release, reported test by test.
 *
 * <pre>{@code
 * Probe smoke = JunitProbes.builder()
 *     .select("package:com.acme.smoke")
 *     .tags("smoke & !slow")
 *     .parameter("base-url", "https://checkout.internal")
 *     .secretParameter("api-token", System.getenv("SMOKE_TOKEN"))
 *     .build();
 * }</pre>
 *
 * <p><b>How the tests run.</b> Through the JUnit Platform Launcher, with the engines found on the
 * suite's class path (Jupiter 5.10 or later and 6.x through the Jupiter engine Vigil brings).
 * Tests on a {@linkplain JunitProbeBuilder#classpath class path of their own} are loaded by an
 * isolated class loader that shares only the JUnit Platform and {@code dev.vigil.junit} with the
 * application, created for the run and closed when it ends. Each run's JUnit configuration
 * parameters carry the target: {@code vigil.service}, {@code vigil.version},
 * {@code vigil.previous-version}, {@code vigil.environment}, {@code vigil.kind}, {@code vigil.fixes},
 * {@code vigil.round} and {@code vigil.parameters.<name>}, which tests read with
 * {@link dev.vigil.junit.VigilParameter} or {@link dev.vigil.junit.VigilTarget}. They belong to
 * the run: two verifications in one JVM never see each other's.
 *
 * <p><b>When.</b> By default the suite runs once per verification, in the first round; a later
 * round answers with that first result again (a {@code PASS} whose explanation says it is carried
 * over), so that the state at the end of the bake still counts it. Only a {@code PASS} is carried:
 * after any other outcome the suite runs again in the next round, so a failure is never counted
 * twice and a flaky test gets its second chance only through {@code max-failures}.
 * {@link JunitProbeBuilder#everyRound()} or {@link JunitProbeBuilder#every(int)} repeat it. The
 * re-check after a rollback (round 0) always runs it.
 *
 * <p><b>What counts as what.</b> The probe's timeout bounds the whole run; the tests get it less a
 * tenth (at most 1 s, at least 50 ms), so that the probe can still name the tests running at the
 * deadline: the run is then cancelled and is an {@code ERROR} naming them. No matching test, a
 * class path entry that does not exist, a class that does not load or a failed discovery is an
 * {@code ERROR} saying what was searched: never a pass. That includes a test class that JUnit's scan
 * of a class path or package leaves out silently because it does not load (a library jar missing):
 * the probe loads the scanned classes itself, without initializing them, and names each that fails
 * and the class it needs (the classes of the tests' jars and folders, and any naming JUnit Jupiter; a
 * library's are left alone); no test then runs. So is what JUnit's discovery reports as a warning or
 * an error (a {@code @Test} method that is private, static or returns a value, which JUnit leaves
 * out with a log line only), naming each, and a {@code select} entry that matches no test while
 * another does (JUnit ignores it), naming the entry, and a class of such a scan that looks like a
 * JUnit 4 test (a method annotated {@code org.junit.Test}, or a {@code junit.framework.TestCase}
 * with a public {@code void test...()}) when no vintage engine runs it and no {@code tags} are set,
 * naming it; no test then runs. Otherwise, without
 * conditions: any failed test (a
 * failed assertion, an exception, a {@code @BeforeAll} that threw) makes it a {@code FAIL}
 * naming each with the first lines of its message; fewer than {@code min-tests} passed tests
 * (aborted and disabled ones never count) an {@code INCONCLUSIVE}; else a {@code PASS}. With
 * {@code pass-when} / {@code fail-when} the conditions decide, over the {@linkplain #conditionNames()
 * values}, except that a {@code PASS} still needs {@code min-tests} passed tests (else it is an
 * {@code INCONCLUSIVE}). Each test is in the measurement's {@link dev.vigil.ProbeResult#items() items}.
 *
 * A test class (or a class of its jar or folder that it uses) that calls {@code System.exit},
 * {@code Runtime.exit} or {@code Runtime.halt} is an {@code ERROR} naming the call, and no test
 * runs: such a call would end the JVM with no verdict. Each dynamic test of a {@code @TestFactory}
 * carries the tags of its factory method and class.
 *
 * <p><b>Before the deployment.</b> The probe's {@link dev.vigil.Probe#preflight preflight}
 * ({@code validate --online}) runs no test, since post-deploy tests may change the service: it
 * discovers them and checks what a run checks before it starts, {@code OK} with the number found.
 *
 * <p><b>Secrets.</b> The values of {@linkplain JunitProbeBuilder#secretParameter secret parameters},
 * and of the environment variables whose names are a credential's
 * ({@link dev.vigil.spi.CredentialNames#isCredentialName}: {@code PAYMENTS_API_TOKEN}, which a test
 * may read itself) when at least {@link dev.vigil.spi.CredentialNames#MIN_MASKED_LENGTH} long,
 * are masked in everything the tests say (messages, names) before it reaches a measurement, and in
 * what they print on {@code System.out} and {@code System.err}, which is also redacted as the
 * reports are: while a run is active, whatever thread prints (a worker of the common pool included).
 * Control characters in what the tests say, but tab, newline and carriage return, are replaced by
 * U+FFFD before it reaches a measurement: a NUL (a binary body quoted in an assertion message) in
 * the verdict's reason would fail the rollback command, which gets the reason in its environment.
 */
public final class JunitProbes {

    /** The values a measurement holds: counts of tests, the run's duration and the tags of the tests that ran. */
    private static final Map<String, ValueType> NAMES = Map.of(
            "tests.total", ValueType.NUMBER,
            "tests.passed", ValueType.NUMBER,
            "tests.failed", ValueType.NUMBER,
            "tests.skipped", ValueType.NUMBER,
            "duration", ValueType.DURATION,
            "tags", ValueType.LIST);

    private JunitProbes() {
    }

    /** {@return a builder of a probe; at least a selection or a class path must be given} */
    public static JunitProbeBuilder builder() {
        return new JunitProbeBuilder();
    }

    /**
     * The names a JUnit probe gives its conditions: {@code tests.total}, {@code tests.passed},
     * {@code tests.failed} (failed, errored or unfinished), {@code tests.skipped} (aborted or
     * disabled) as numbers, {@code duration} and {@code tags} (the tags of the tests that ran).
     *
     * @return the names and their types, for {@link dev.vigil.condition.Criteria}
     */
    public static Map<String, ValueType> conditionNames() {
        return NAMES;
    }
}
