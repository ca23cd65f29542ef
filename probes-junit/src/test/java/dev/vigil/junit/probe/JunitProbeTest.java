package dev.vigil.junit.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.condition.Criteria;
import dev.vigil.junit.probe.fixtures.AbortedClassChecks;
import dev.vigil.junit.probe.fixtures.ConsoleCapturingChecks;
import dev.vigil.junit.probe.fixtures.DefaultsChecks;
import dev.vigil.junit.probe.fixtures.EnvironmentChecks;
import dev.vigil.junit.probe.fixtures.ExitingChecks;
import dev.vigil.junit.probe.fixtures.ExtendedChecks;
import dev.vigil.junit.probe.fixtures.FailingChecks;
import dev.vigil.junit.probe.fixtures.FlakyChecks;
import dev.vigil.junit.probe.fixtures.HangingChecks;
import dev.vigil.junit.probe.fixtures.LeakingChecks;
import dev.vigil.junit.probe.fixtures.LongLeakingChecks;
import dev.vigil.junit.probe.fixtures.NoTestChecks;
import dev.vigil.junit.probe.fixtures.OrdersChecks;
import dev.vigil.junit.probe.fixtures.ParameterizedChecks;
import dev.vigil.junit.probe.fixtures.PrintingChecks;
import dev.vigil.junit.probe.fixtures.SecurityManagerChecks;
import dev.vigil.junit.probe.fixtures.ShutdownExtension;
import dev.vigil.junit.probe.fixtures.SkippingChecks;
import dev.vigil.junit.probe.fixtures.TargetChecks;
import dev.vigil.testkit.TestProbeContext;
import dev.vigil.testkit.VirtualTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnJre;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A JUnit suite as a probe, against a WireMock service: what counts as what, test by test. */
class JunitProbeTest {

    private static final String TOKEN = "tok-5a7e-junit-probe";

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().containerThreads(40)).build();

    @BeforeEach
    void stubs() {
        server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/orders").willReturn(aResponse().withStatus(200).withBody("[]")));
        server.stubFor(get("/payments").willReturn(aResponse().withStatus(500)));
        server.stubFor(get("/slow-report").willReturn(aResponse().withStatus(200).withFixedDelay(60_000)));
        server.stubFor(get("/a/whoami").willReturn(aResponse().withBody("a").withFixedDelay(300)));
        server.stubFor(get("/b/whoami").willReturn(aResponse().withBody("b").withFixedDelay(300)));
    }

    private static String baseUrl() {
        return "http://localhost:" + server.getPort() + "/";
    }

    private static JunitProbeBuilder suite(Class<?> checks) {
        return JunitProbes.builder().select("class:" + checks.getName()).parameter("base-url", baseUrl());
    }

    /** Work that prints. */
    @FunctionalInterface
    private interface Printing {
        void run() throws Exception;
    }

    /** What {@code body} printed on {@code System.out} and {@code System.err}, which are set back afterwards. */
    private static String console(Printing body) throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream captured = new PrintStream(console, true, StandardCharsets.UTF_8);
        try {
            System.setOut(captured);
            System.setErr(captured);
            body.run();
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return console.toString(StandardCharsets.UTF_8);
    }

    private static ProbeResult measure(Probe probe, Duration timeout) throws Exception {
        return probe.measure(TestProbeContext.of("smoke", Instant.now(), timeout));
    }

    /**
     * {@code validate --online} before a deployment: post-deploy tests may change the service (place
     * an order), so the check discovers them and runs none, and says what it found or why a round
     * would fail.
     */
    @Test
    void theCheckBeforeADeploymentFindsTheTestsWithoutRunningAny() throws Exception {
        // Before: the default preflight measured once, running every test against the service with vigil.round=0.
        ProbeContext context = TestProbeContext.of("smoke", Instant.now(), Duration.ofSeconds(20));

        Preflight found = suite(OrdersChecks.class).build().preflight(context);

        assertThat(found.status()).as(found.message()).isEqualTo(Preflight.Status.OK);
        assertThat(found.message()).isEqualTo("2 tests found, select=class:" + OrdersChecks.class.getName()
                + " on the application's class path (not run: they may change the service)");
        assertThat(server.getAllServeEvents()).as("no test ran").isEmpty();

        Preflight none = suite(OrdersChecks.class).tags("nightly").build().preflight(context);
        assertThat(none.status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(none.message()).startsWith("no test matched select=class:" + OrdersChecks.class.getName() + " tags=nightly");

        Preflight exits = suite(ExitingChecks.class).build().preflight(context);
        assertThat(exits.status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(exits.message()).startsWith("the tests did not run: a test that ends the JVM");

        Preflight missing = JunitProbes.builder().classpath("target/not-built-yet/*.jar").build().preflight(context);
        assertThat(missing.status()).isEqualTo(Preflight.Status.ERROR);
        assertThat(missing.message()).startsWith("classpath 'target/not-built-yet/*.jar' (matches no file)");
        assertThat(server.getAllServeEvents()).as("no test ran").isEmpty();
    }

    @Test
    void everyTestPassingIsAPassWithEachTestListed() throws Exception {
        ProbeResult m = measure(suite(OrdersChecks.class).build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("tests.total", 2).containsEntry("tests.passed", 2L)
                .containsEntry("tests.failed", 0L).containsEntry("tests.skipped", 0L).containsEntry("tags", List.of("smoke"));
        assertThat(m.explanation()).startsWith("2 passed, 0 failed");
        assertThat(m.items()).extracting(ItemResult::name).containsExactlyInAnyOrder("healthIsUp(URI)", "ordersCanBeListed(URI)");
        assertThat(m.items()).allSatisfy(i -> {
            assertThat(i.status()).isEqualTo(ItemResult.Status.PASSED);
            assertThat(i.group()).isEqualTo(OrdersChecks.class.getName());
            assertThat(i.id()).contains("[class:" + OrdersChecks.class.getName() + "]");
            assertThat(i.duration()).isNotNull();
        });
    }

    @Test
    void oneFailingTestIsAFailNamingItAndItsMessage() throws Exception {
        ProbeResult m = measure(suite(FailingChecks.class).build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("1 of 2 tests failed: FailingChecks > paymentsAreAccepted(URI): "
                + "status of POST /payments ==> expected: <201> but was: <500>");
        assertThat(m.values()).containsEntry("tests.failed", 1L).containsEntry("tests.passed", 1L);
        assertThat(m.items()).filteredOn(i -> i.status() == ItemResult.Status.FAILED).singleElement()
                .satisfies(i -> assertThat(i.message()).contains("expected: <201> but was: <500>"));
    }

    @Test
    void aHangingTestIsCancelledAtTheTimeoutNamedAndAnError() {
        Probe probe = suite(HangingChecks.class).build();

        long start = System.nanoTime();
        ProbeResult m = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> measure(probe, Duration.ofSeconds(4)));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("did not finish within 3600ms (timeout 4s) and were cancelled",
                "still running: HangingChecks > reportIsGenerated(URI)", "before that: 1 passed, 0 failed");
        assertThat(m.items()).extracting(ItemResult::status)
                .containsExactly(ItemResult.Status.PASSED, ItemResult.Status.UNFINISHED);
    }

    @Test
    void aSuiteThatWouldEndTheJvmIsAnErrorNamingTheCallsAndRunsNoTest() throws Exception {
        ProbeResult m = measure(suite(ExitingChecks.class).build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("the tests did not run: a test that ends the JVM")
                .contains(ExitingChecks.class.getName() + "$1 calls Runtime.halt")
                .contains(ExitingChecks.class.getName() + " calls System.exit");
        assertThat(m.items()).isEmpty();
    }

    @Test
    void anExtensionThatWouldEndTheJvmIsFoundThroughItsAnnotation() throws Exception {
        ProbeResult m = measure(suite(ExtendedChecks.class).build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains(ShutdownExtension.class.getName() + " calls System.exit");
    }

    @Test
    void noMatchingTestIsAnErrorSayingWhatWasSearched() throws Exception {
        ProbeResult m = measure(suite(OrdersChecks.class).tags("ORD-404").build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("no test matched select=class:" + OrdersChecks.class.getName(),
                "tags=ORD-404", "on the application's class path");
    }

    @Test
    void aPackageWithoutTestsIsAnErrorToo() throws Exception {
        ProbeResult m = measure(JunitProbes.builder().select("package:com.example.nothing.here").build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("no test matched select=package:com.example.nothing.here");
    }

    @Test
    void aSelectEntryThatMatchesNoTestIsAnErrorNamingItAlsoWhenAnotherMatches() throws Exception {
        // Before: JUnit ignored the typo'd package, and the probe passed on OrdersChecks alone.
        String typo = "package:" + OrdersChecks.class.getPackageName() + ".typo";
        ProbeResult m = measure(JunitProbes.builder().select(typo).select("class:" + OrdersChecks.class.getName())
                .parameter("base-url", baseUrl()).build(), Duration.ofSeconds(20));
        ProbeResult each = measure(suite(OrdersChecks.class).select("method:" + FailingChecks.class.getName() + "#paymentsAreAccepted")
                .tags("smoke").build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).as("%s", m).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).startsWith("the tests did not run: no test matched '" + typo + "' of select=" + typo
                + ",class:" + OrdersChecks.class.getName()).contains("check its name and the tags, or remove it");
        assertThat(m.items()).as("no test ran").isEmpty();
        assertThat(each.outcome()).as("every entry matched: %s", each).isEqualTo(Outcome.FAIL);
        assertThat(each.values()).containsEntry("tests.total", 3);
    }

    @Test
    void aClassThatDoesNotExistIsAnErrorNamingIt() throws Exception {
        ProbeResult m = measure(JunitProbes.builder().select("class:com.example.MissingSmokeTest").build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("com.example.MissingSmokeTest");
    }

    @Test
    void aClassPathThatDoesNotExistIsAnErrorNamingIt() throws Exception {
        ProbeResult m = measure(JunitProbes.builder().classpath("target/no-such-tests.jar", "target/no-such-libs/*.jar").build(),
                Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("'target/no-such-tests.jar' (does not exist)", "'target/no-such-libs/*.jar' (matches no file)");
    }

    @Test
    void aClassPathThatDoesNotExistIsNamedOnOneLineWhateverItsNameHolds() throws Exception {
        ProbeResult m = measure(JunitProbes.builder().classpath("target/no-such\nvigil: all tests passed.jar").build(),
                Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(m.error()).contains("'target/no-such\\nvigil: all tests passed.jar' (does not exist)").doesNotContain("\n");
    }

    @Test
    void abortedAndDisabledTestsAreCountedAndNeverPasses() throws Exception {
        ProbeResult alone = measure(JunitProbes.builder().select("class:" + SkippingChecks.class.getName()).build(),
                Duration.ofSeconds(20));
        ProbeResult withOthers = measure(suite(OrdersChecks.class).select("class:" + SkippingChecks.class.getName()).minTests(3)
                .build(), Duration.ofSeconds(20));

        assertThat(alone.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(alone.values()).containsEntry("tests.passed", 0L).containsEntry("tests.skipped", 2L);
        assertThat(alone.explanation()).contains("only 0 tests passed, min-tests is 1",
                "SkippingChecks > onlyInProduction(): Assumption failed: runs against production only",
                "SkippingChecks > refundsAreBooked(): disabled: waiting for ORD-99");
        assertThat(alone.items()).extracting(ItemResult::status)
                .containsExactlyInAnyOrder(ItemResult.Status.ABORTED, ItemResult.Status.SKIPPED);
        assertThat(withOthers.outcome()).as("2 passed of min-tests 3").isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(withOthers.values()).containsEntry("tests.total", 4).containsEntry("tests.passed", 2L);
    }

    @Test
    void aClassAbortedInBeforeAllHasItsTestsCountedAndNamedAsAborted() throws Exception {
        // Before: its tests vanished ("0 aborted"), and beside a passing class the probe passed without naming them.
        ProbeResult m = measure(suite(OrdersChecks.class).select("class:" + AbortedClassChecks.class.getName()).build(),
                Duration.ofSeconds(20));
        ProbeResult judged = measure(suite(AbortedClassChecks.class)
                .criteria(Criteria.of("tests.failed == 0 && tests.skipped == 0", null, JunitProbes.conditionNames())).build(),
                Duration.ofSeconds(20));

        assertThat(m.values()).containsEntry("tests.total", 4).containsEntry("tests.passed", 2L)
                .containsEntry("tests.skipped", 2L);
        assertThat(m.explanation()).contains("2 passed, 0 failed, 2 aborted, 0 disabled",
                "AbortedClassChecks > refundIsBooked(): aborted before it ran: Assumption failed: runs against production only",
                "AbortedClassChecks > quantitiesAreAccepted(int): aborted before it ran");
        assertThat(m.items()).filteredOn(i -> i.group().equals(AbortedClassChecks.class.getName()))
                .extracting(ItemResult::status).containsExactly(ItemResult.Status.ABORTED, ItemResult.Status.ABORTED);
        assertThat(judged.outcome()).as(judged.explanation()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void aTestFactoryOrParameterizedTestThatMakesNoTestIsCountedAndNamed() throws Exception {
        // Before: "1 passed, 0 failed, 0 aborted, 0 disabled", tests.total 1: a factory over the shops the
        // service lists, which listed none, vanished from the PASS without a word.
        ProbeResult m = measure(suite(NoTestChecks.class).build(), Duration.ofSeconds(20));
        ProbeResult alone = measure(JunitProbes.builder().select("method:" + NoTestChecks.class.getName()
                + "#everyShopAnswers").build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("tests.total", 3).containsEntry("tests.passed", 1L)
                .containsEntry("tests.skipped", 2L);
        assertThat(m.explanation()).contains("1 passed, 0 failed, 0 aborted, 2 disabled",
                "NoTestChecks > everyShopAnswers(): " + TestResults.MADE_NO_TEST,
                "NoTestChecks > everyCouponApplies(String): " + TestResults.MADE_NO_TEST);
        assertThat(alone.outcome()).as(alone.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(alone.explanation()).contains("only 0 tests passed", "everyShopAnswers(): made no test");
    }

    @Test
    void aSuiteOfParameterizedTestsRunsEachInvocationAsATest() throws Exception {
        // Before: JUnit discovers a parameterized method as a container, and the probe said "no test matched".
        server.stubFor(get("/coupons/SAVE10").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/coupons/SAVE20").willReturn(aResponse().withStatus(500)));

        ProbeResult m = measure(suite(ParameterizedChecks.class).build(), Duration.ofSeconds(20));

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.FAIL);
        assertThat(m.values()).containsEntry("tests.total", 2).containsEntry("tests.passed", 1L)
                .containsEntry("tests.failed", 1L);
        assertThat(m.explanation()).contains("1 of 2 tests failed: ParameterizedChecks > couponsApplyOnce(String, URI) > [2]",
                "status of GET /coupons/SAVE20 ==> expected: <200> but was: <500>");
    }

    @Test
    void conditionsJudgeTheCountsWhenGiven() throws Exception {
        Probe tolerant = suite(FailingChecks.class)
                .criteria(Criteria.of("tests.failed <= 1 && tests.passed >= 1", null, JunitProbes.conditionNames())).build();

        ProbeResult m = measure(tolerant, Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.PASS);
        assertThat(m.explanation()).contains("tests.failed(1) <= 1", "failed: FailingChecks > paymentsAreAccepted(URI)");
        assertThat(tolerant.passWhen()).isEqualTo("tests.failed <= 1 && tests.passed >= 1");
    }

    @Test
    void conditionsThatHoldWithNoPassedTestAreNoPass() throws Exception {
        // Every test aborted or disabled: tests.failed == 0 holds, yet nothing was seen to work.
        Probe lenient = suite(SkippingChecks.class)
                .criteria(Criteria.of("tests.failed == 0", null, JunitProbes.conditionNames())).build();

        ProbeResult m = measure(lenient, Duration.ofSeconds(20));

        assertThat(m.outcome()).as(m.toString()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(m.explanation()).contains("tests.failed(0) == 0", "only 0 tests passed, min-tests is 1",
                "SkippingChecks > onlyInProduction(): Assumption failed");
    }

    @Test
    void aSecretParameterIsMaskedInWhatTheTestsSay() throws Exception {
        Probe probe = JunitProbes.builder().select("class:" + LeakingChecks.class.getName())
                .secretParameter("api-token", TOKEN).build();

        ProbeResult m = measure(probe, Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("the service rejected token [REDACTED] with 401");
        assertThat(dev.vigil.testkit.Shown.everything(m)).doesNotContain(TOKEN);
        assertThat(probe.toString() + probe.description()).contains("api-token").doesNotContain(TOKEN);
    }

    @Test
    void aSecretWhereAFailureMessageIsCutShortIsNotShownInPart() throws Exception {
        // Before: messages were cut (200 characters in the explanation, 600 in a result) before the
        // secret was masked, so the part of it before the cut ("tok-5a7e-j") was shown.
        Probe probe = JunitProbes.builder().select("class:" + LongLeakingChecks.class.getName())
                .secretParameter("api-token", TOKEN).build();

        ProbeResult m = measure(probe, Duration.ofSeconds(20));

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("tokenAtTheExplanationsCut", "tokenAtTheResultsCut")
                .doesNotContain(TOKEN.substring(0, 5));
        assertThat(m.items()).hasSize(2).allSatisfy(i -> assertThat(i.message()).doesNotContain(TOKEN.substring(0, 5)));
    }

    /**
     * A test that sets the JVM's default locale or time zone and leaves it changed them for every
     * later round and every other probe (a decimal comma in what is formatted, local times moved):
     * after the probe's round they are the ones before it.
     */
    @Test
    void theDefaultLocaleAndTimeZoneATestSetsEndWithItsRound() throws Exception {
        Locale locale = Locale.getDefault();
        Locale display = Locale.getDefault(Locale.Category.DISPLAY);
        Locale format = Locale.getDefault(Locale.Category.FORMAT);
        TimeZone zone = TimeZone.getDefault();
        Probe probe = JunitProbes.builder().select("class:" + DefaultsChecks.class.getName()).build();
        try {
            // Defaults the fixture does not set, whatever this machine's are; the display category its own.
            Locale.setDefault(Locale.UK);
            Locale.setDefault(Locale.Category.DISPLAY, Locale.CANADA_FRENCH);
            TimeZone.setDefault(TimeZone.getTimeZone("Europe/Lisbon"));

            assertThat(measure(probe, Duration.ofSeconds(20)).outcome()).isEqualTo(Outcome.PASS);

            assertThat(Locale.getDefault()).isEqualTo(Locale.UK);
            assertThat(Locale.getDefault(Locale.Category.DISPLAY)).isEqualTo(Locale.CANADA_FRENCH);
            assertThat(Locale.getDefault(Locale.Category.FORMAT)).isEqualTo(Locale.UK);
            assertThat(TimeZone.getDefault().getID()).isEqualTo("Europe/Lisbon");
        } finally {
            Locale.setDefault(locale);
            Locale.setDefault(Locale.Category.DISPLAY, display);
            Locale.setDefault(Locale.Category.FORMAT, format);
            TimeZone.setDefault(zone);
        }
    }

    @Test
    @EnabledOnJre(JRE.JAVA_17) // Java 18 on refuses to install one unless started with -Djava.security.manager=allow, 24 on always
    @SuppressWarnings("removal")
    void aSecurityManagerATestInstallsEndsWithItsRound() throws Exception {
        // Before: it stayed, and the command line's System.exit with the verdict's code threw
        // "exit trapped by a test" instead of ending the JVM with that code.
        try {
            ProbeResult m = measure(suite(SecurityManagerChecks.class).build(), Duration.ofSeconds(20));

            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
            assertThat(System.getSecurityManager()).isNull();
        } finally {
            if (System.getSecurityManager() != null) {
                System.setSecurityManager(null);
            }
        }
    }

    @Test
    void whatTheTestsPrintReachesTheConsoleWithSecretsMasked() throws Exception {
        Probe probe = JunitProbes.builder().select("class:" + PrintingChecks.class.getName())
                .secretParameter("api-token", TOKEN).build();
        ProbeResult[] m = new ProbeResult[1];
        String console = console(() -> m[0] = measure(probe, Duration.ofSeconds(20)));

        assertThat(m[0].outcome()).isEqualTo(Outcome.PASS);
        assertThat(console)
                .contains("calling /orders with token [REDACTED]")
                .contains("GET /orders").contains("Authorization: [REDACTED]")
                .contains("background: token=[REDACTED] sent")
                .doesNotContain(TOKEN).doesNotContain("printed-by-a-test");
    }

    @Test
    void aTestThatReplacesTheConsoleAndDoesNotPutItBackLeavesItToItsRun() throws Exception {
        // Before: System.out and System.err stayed the test's capture, and what the tests of every later
        // round and probe printed (and anything else of the JVM) went into it, never to the console.
        Probe capturing = JunitProbes.builder().select("class:" + ConsoleCapturingChecks.class.getName()).build();
        Probe printing = JunitProbes.builder().select("class:" + PrintingChecks.class.getName())
                .secretParameter("api-token", TOKEN).build();
        ProbeResult[] m = new ProbeResult[2];
        String console = console(() -> {
            m[0] = measure(capturing, Duration.ofSeconds(20));
            m[1] = measure(printing, Duration.ofSeconds(20));
            System.out.println("the application prints");
        });

        assertThat(m[0].outcome()).as(m[0].explanation()).isEqualTo(Outcome.PASS);
        assertThat(m[1].outcome()).as(m[1].explanation()).isEqualTo(Outcome.PASS);
        assertThat(console)
                .contains("calling /orders with token [REDACTED]", "GET /orders", "the application prints")
                .doesNotContain(TOKEN, "orders service");
    }

    @Test
    void aCredentialTheTestsReadFromTheEnvironmentIsMaskedInWhatTheySayAndPrint() throws Exception {
        // Before: the value of VIGIL_TEST_OTHER_SECRET_TOKEN (set by the build) was in the console and the failure message.
        String token = System.getenv("VIGIL_TEST_OTHER_SECRET_TOKEN");
        assertThat(token).as("set by the build's surefire configuration").isEqualTo("env-5ecret-of-the-pipeline");
        Probe probe = JunitProbes.builder().select("class:" + EnvironmentChecks.class.getName()).build();
        PrintStream out = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ProbeResult m;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            m = measure(probe, Duration.ofSeconds(20));
        } finally {
            System.setOut(out);
        }

        assertThat(m.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(m.explanation()).contains("login in eu-west-1 ==> expected: <x> but was: <[REDACTED]>");
        assertThat(dev.vigil.testkit.Shown.everything(m)).doesNotContain(token);
        // A value shorter than CredentialNames.MIN_MASKED_LENGTH ("on") would blank out unrelated words: left as it is.
        // PWD is the shell's working folder, named like a credential (db.pwd) but none.
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("token [REDACTED] in region eu-west-1, short token on, "
                + "working folder " + System.getenv("PWD")).doesNotContain(token);
    }

    @Test
    void theTestsSeeTheDeploymentAndTheRoundThroughTheirConfiguration() throws Exception {
        Probe probe = JunitProbes.builder().select("class:" + TargetChecks.class.getName())
                .parameter("base-url", baseUrl() + "a/").parameter("expected", "a")
                .parameter("expected-version", "2.4.1").build();

        ProbeResult m = measure(probe, Duration.ofSeconds(20));

        assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.PASS);
        assertThat(m.values()).containsEntry("tests.passed", 2L);
    }

    @Test
    void aParameterTheProbeDoesNotGiveIsNotTakenFromTheDefaultsForRunsOutsideVigil() throws Exception {
        // A developer's default for local runs (-D, or junit-platform.properties in the test jar).
        System.setProperty("vigil.parameters.expected", "a");
        try {
            Probe probe = JunitProbes.builder().select("class:" + TargetChecks.class.getName())
                    .parameter("base-url", baseUrl() + "a/").parameter("expected-version", "2.4.1").build();

            ProbeResult m = measure(probe, Duration.ofSeconds(20));

            assertThat(m.outcome()).as(m.explanation()).isEqualTo(Outcome.FAIL);
            assertThat(m.values()).containsEntry("tests.passed", 1L).containsEntry("tests.failed", 1L);
            assertThat(m.explanation()).contains("'expected' is not set");
        } finally {
            System.clearProperty("vigil.parameters.expected");
        }
    }

    @Test
    void twoConcurrentVerificationsWithDifferentBaseUrlsEachSeeTheirOwn() {
        Probe a = JunitProbes.builder().select("class:" + TargetChecks.class.getName())
                .parameter("base-url", baseUrl() + "a/").parameter("expected", "a").parameter("expected-version", "1.0.0-a")
                .everyRound().build();
        Probe b = JunitProbes.builder().select("class:" + TargetChecks.class.getName())
                .parameter("base-url", baseUrl() + "b/").parameter("expected", "b").parameter("expected-version", "1.0.0-b")
                .everyRound().build();

        CompletableFuture<VerificationReport> first = CompletableFuture.supplyAsync(() -> verify(a, "1.0.0-a", 3));
        CompletableFuture<VerificationReport> second = CompletableFuture.supplyAsync(() -> verify(b, "1.0.0-b", 3));

        for (VerificationReport report : List.of(first.join(), second.join())) {
            assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
            assertThat(report.probes().get(0).measurements()).hasSize(3)
                    .allSatisfy(m -> assertThat(m.values()).containsEntry("tests.passed", 2L));
        }
        server.verify(3, getRequestedFor(urlEqualTo("/a/whoami")));
        server.verify(3, getRequestedFor(urlEqualTo("/b/whoami")));
    }

    @Test
    void runsOncePerVerificationAndCarriesItsPassToLaterRounds() {
        VerificationReport report = verify(suite(OrdersChecks.class).build(), "2.4.1", 3);
        VerificationReport again = verify(suite(OrdersChecks.class).build(), "2.4.1", 3);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        List<Measurement> ms = report.probes().get(0).measurements();
        assertThat(ms).extracting(Measurement::outcome).containsExactly(Outcome.PASS, Outcome.PASS, Outcome.PASS);
        assertThat(ms.get(0).items()).hasSize(2);
        assertThat(ms.subList(1, 3)).allSatisfy(m -> {
            assertThat(m.explanation()).startsWith("carried over from round 1: 2 passed")
                    .contains("the suite runs once per verification");
            assertThat(m.items()).isEmpty();
            assertThat(m.values()).containsEntry("tests.passed", 2L);
        });
        assertThat(again.verdict()).isEqualTo(Verdict.HEALTHY);
        server.verify(2, getRequestedFor(urlEqualTo("/orders")));
    }

    @Test
    void aResultThatIsNotAPassIsNeverCarriedButRunAgain() {
        server.stubFor(get("/search").inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("recovered"));
        server.stubFor(get("/search").inScenario("flaky").whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200)));
        Probe probe = suite(FlakyChecks.class).build();

        VerificationReport report = verify(probe, ProbeLimits.defaults().withMaxFailures(1), "2.4.1", 3);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        List<Measurement> ms = report.probes().get(0).measurements();
        assertThat(ms).extracting(Measurement::outcome).containsExactly(Outcome.FAIL, Outcome.PASS, Outcome.PASS);
        assertThat(ms.get(1).items()).as("run again in round 2").hasSize(1);
        assertThat(ms.get(2).explanation()).startsWith("carried over from round 2");
        server.verify(2, getRequestedFor(urlEqualTo("/search")));
    }

    @Test
    void everyNRoundsRunsInTheFirstRoundAndEveryNthAfter() {
        VerificationReport report = verify(suite(OrdersChecks.class).every(2).build(), "2.4.1", 5);

        List<Measurement> ms = report.probes().get(0).measurements();
        assertThat(ms).hasSize(5);
        assertThat(ms).extracting(m -> m.items().isEmpty() ? "carried" : "ran")
                .containsExactly("ran", "carried", "ran", "carried", "ran");
        server.verify(3, getRequestedFor(urlEqualTo("/orders")));
    }

    @Test
    void theBudgetLeavesTimeToNameTheUnfinishedTests() {
        assertThat(JunitProbe.budget(Duration.ofSeconds(4))).isEqualTo(Duration.ofMillis(3600));
        assertThat(JunitProbe.budget(Duration.ofMinutes(1))).isEqualTo(Duration.ofSeconds(59));
        assertThat(JunitProbe.budget(Duration.ofMillis(300))).isEqualTo(Duration.ofMillis(250));
    }

    private static VerificationReport verify(Probe probe, String version, int rounds) {
        return verify(probe, ProbeLimits.defaults(), version, rounds);
    }

    /** A bake of the given rounds in virtual time; the tests themselves run in real time. */
    private static VerificationReport verify(Probe probe, ProbeLimits limits, String version, int rounds) {
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("smoke", probe, limits, MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(20)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(30))
                        .withDuration(Duration.ofSeconds(30L * rounds)))
                .timeSource(VirtualTime.start())
                .build();
        return verifier.verifyAfterDeploy(Deployment.of("orders", version, "0.9.0"));
    }
}
