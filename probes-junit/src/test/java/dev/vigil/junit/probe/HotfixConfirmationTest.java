package dev.vigil.junit.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.Confirmation;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.RecheckPlan;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.VigilException;
import dev.vigil.condition.Criteria;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.RollbackOutcome;
import dev.vigil.junit.probe.fixtures.BinaryBodyChecks;
import dev.vigil.junit.probe.fixtures.CouponChecks;
import dev.vigil.junit.probe.fixtures.EmptyFactoryChecks;
import dev.vigil.junit.probe.fixtures.FactoryChecks;
import dev.vigil.junit.probe.fixtures.FailingSetUpChecks;
import dev.vigil.junit.probe.fixtures.FailingTearDownChecks;
import dev.vigil.junit.probe.fixtures.OrdersChecks;
import dev.vigil.junit.probe.fixtures.ParameterizedChecks;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 18 with real JUnit tests: a suite says which of its tests confirm a fix (tagged with the
 * issue id) before anything runs, its items carry their tags, and a hotfix is healthy only when its
 * tagged test ran and passed.
 */
class HotfixConfirmationTest {

    private static final Deployment HOTFIX = new Deployment("checkout", "2.4.2", "2.4.1", null, Deployment.Kind.HOTFIX,
            List.of("INC-1"), Map.of());

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeEach
    void stubs() {
        server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
    }

    private static JunitProbeBuilder suite(Class<?> checks) {
        return JunitProbes.builder().select("class:" + checks.getName())
                .parameter("base-url", "http://localhost:" + server.getPort() + "/");
    }

    private static VerificationReport verify(Probe probe) {
        return DeployVerifier.builder()
                .probe("smoke", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(20)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(30)).withDuration(Duration.ofSeconds(60)))
                .recheck(RecheckPlan.off())
                .timeSource(VirtualTime.start())
                .build().verifyAfterDeploy(HOTFIX);
    }

    @Test
    void aFailureMessageWithControlCharactersNeitherStopsTheRollbackNorReachesTheReason() {
        // Before: the NUL of a gzip body in an assertion message went into the reason, the rollback
        // command's VIGIL_REASON refused it ("Invalid environment variable value") and the rollback FAILED.
        VerificationReport report = DeployVerifier.builder()
                .probe("smoke", suite(BinaryBodyChecks.class).build(), ProbeLimits.defaults(),
                        MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(20)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(30)).withDuration(Duration.ofSeconds(60)))
                .recheck(RecheckPlan.off())
                .rollback(RollbackTriggers.shell("echo \"rolling back: $VIGIL_REASON\"", Duration.ofSeconds(20)))
                .timeSource(VirtualTime.start())
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).as(report.rollback().toString()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        ItemResult test = report.probes().get(0).measurements().get(0).items().get(0);
        assertThat(report.reason() + test.name() + test.message() + report.confirmations())
                .doesNotContain("\u0000", "\u001b", "\u0007", "\u001f")
                .contains("GET /orders ==> expected: <[]> but was: <\ufffd\u008b\ufffd");
        assertThat(report.rollback().output()).contains("rolling back: probe smoke failed");
    }

    @Test
    void theSuiteNamesItsTestsTaggedWithTheIssueWithoutRunningThem() {
        Probe probe = suite(CouponChecks.class).build();

        assertThat(probe.confirmationTests("INC-1")).containsExactly("CouponChecks#couponsApplyOnce");
        assertThat(probe.confirmationTests("INC-2")).isEmpty();
        assertThat(suite(CouponChecks.class).tags("smoke & !INC-1").build().confirmationTests("INC-1"))
                .as("the probe's tags apply").isEmpty();
        assertThat(suite(OrdersChecks.class).build().confirmationTests("INC-1")).isEmpty();
        assertThat(server.getAllServeEvents()).as("nothing ran").isEmpty();
    }

    @Test
    void aTaggedTestThatPassesConfirmsTheHotfix() {
        server.stubFor(get("/coupons").willReturn(aResponse().withStatus(200)));

        VerificationReport report = verify(suite(CouponChecks.class).build());

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.CONFIRMED);
            assertThat(c.tests()).containsExactly("CouponChecks#couponsApplyOnce");
        });
        assertThat(report.probes().get(0).measurements().get(0).items())
                .filteredOn(i -> i.name().startsWith("couponsApplyOnce")).singleElement()
                .satisfies(i -> assertThat(i.tags()).containsExactly("INC-1", "smoke"));
    }

    @Test
    void aTaggedTestThatFailsOnTheNewVersionMakesItUnhealthyAndTheConfirmationSaysWhy() {
        server.stubFor(get("/coupons").willReturn(aResponse().withStatus(500)));

        VerificationReport report = verify(suite(CouponChecks.class).build());

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.FAILED);
            assertThat(c.tests()).containsExactly("CouponChecks#couponsApplyOnce");
            assertThat(c.explanation()).startsWith("CouponChecks#couponsApplyOnce failed: status of GET /coupons");
        });
    }

    @Test
    void aTaggedParameterizedTestConfirmsTheHotfixByEachOfItsInvocations() {
        // Before: discovery counted tests only, and a parameterized method is a container there: the
        // suite named no confirmation test, and the hotfix was refused as unconfirmed.
        Probe probe = suite(ParameterizedChecks.class).build();
        assertThat(probe.confirmationTests("INC-1")).containsExactly("ParameterizedChecks#couponsApplyOnce");
        assertThat(server.getAllServeEvents()).as("nothing ran").isEmpty();
        server.stubFor(get("/coupons/SAVE10").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/coupons/SAVE20").willReturn(aResponse().withStatus(500)));

        VerificationReport report = verify(probe);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.FAILED);
            assertThat(c.explanation()).contains("status of GET /coupons/SAVE20");
        });

        server.stubFor(get("/coupons/SAVE20").willReturn(aResponse().withStatus(200)));
        VerificationReport fixed = verify(suite(ParameterizedChecks.class).build());

        assertThat(fixed.verdict()).as(fixed.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(fixed.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.CONFIRMED);
            assertThat(c.tests()).hasSize(2);
        });
    }

    @Test
    void aTaggedTestFactoryThatMakesNoTestLeavesTheFixNotProvenThoughTheOtherTaggedTestPassed() {
        // Before: CONFIRMED (EmptyFactoryChecks#healthIsUp passed), as if every confirmation test had run.
        Probe probe = suite(EmptyFactoryChecks.class).build();
        assertThat(probe.confirmationTests("INC-1"))
                .containsExactly("EmptyFactoryChecks#couponsOfEveryShop", "EmptyFactoryChecks#healthIsUp");

        VerificationReport report = verify(probe);

        assertThat(report.verdict()).as(report.reason()).isNotEqualTo(Verdict.HEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.NOT_PROVEN);
            assertThat(c.explanation()).isEqualTo("EmptyFactoryChecks#couponsOfEveryShop skipped: " + TestResults.MADE_NO_TEST
                    + "; a skipped confirmation test proves nothing");
        });
    }

    @Test
    void aConfirmationTestWhoseClassCannotStartInTheLatestRunFailsTheFixThoughItPassedInAnEarlierOne() {
        // Before: HEALTHY, "INC-1 CONFIRMED (FailingSetUpChecks#couponsApplyOnce passed)", judged on round 1:
        // rounds 2 and 3 had no item tagged INC-1, and pass-when tolerated the class that did not start.
        Probe probe = suite(FailingSetUpChecks.class).select("class:" + OrdersChecks.class.getName()).everyRound()
                .criteria(Criteria.of("tests.failed <= 1", null, JunitProbes.conditionNames())).build();
        server.stubFor(get("/orders").willReturn(aResponse().withStatus(200)));

        VerificationReport report = DeployVerifier.builder()
                .probe("smoke", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(20)))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(30)).withDuration(Duration.ofSeconds(90)))
                .recheck(RecheckPlan.off()).timeSource(VirtualTime.start()).build().verifyAfterDeploy(HOTFIX);

        assertThat(report.probes().get(0).measurements()).hasSize(3).allSatisfy(m -> assertThat(m.passed()).isTrue());
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.FAILED);
            assertThat(c.explanation()).isEqualTo("FailingSetUpChecks#FailingSetUpChecks error: could not run its tests:"
                    + " java.lang.IllegalStateException: the coupon service refused the connection");
        });
    }

    @Test
    void aClassWhoseAfterAllThrowsFailsTheFixSayingItsTestsRanNotThatTheyCouldNot() {
        // Before: "FailingTearDownChecks#FailingTearDownChecks error: could not run its tests: ...", beside the
        // item of its tagged test that had run and passed: the report sent the reader after a set-up that worked.
        VerificationReport report = verify(suite(FailingTearDownChecks.class).build());

        assertThat(report.probes().get(0).measurements().get(0).items())
                .extracting(ItemResult::label, ItemResult::status, ItemResult::message)
                .containsExactly(tuple("FailingTearDownChecks#couponsApplyOnce", ItemResult.Status.PASSED, ""),
                        tuple("FailingTearDownChecks#FailingTearDownChecks", ItemResult.Status.ERROR,
                                "failed after its tests ran: java.lang.IllegalStateException: the coupon pool did not close"));
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.reason()).contains("FailingTearDownChecks > FailingTearDownChecks: failed after its tests ran: "
                + "java.lang.IllegalStateException: the coupon pool did not close").doesNotContain("could not run");
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.FAILED);
            assertThat(c.explanation()).isEqualTo("FailingTearDownChecks#FailingTearDownChecks error: failed after its tests ran:"
                    + " java.lang.IllegalStateException: the coupon pool did not close");
        });
    }

    @Test
    void theDynamicTestsOfATaggedTestFactoryCarryItsTagsAndConfirmTheFix() {
        // Before: the dynamic tests had no tags ("couponsOfEveryShop(URI) > shop-1 ... tags=[]"): NOT_PROVEN,
        // "no test tagged INC-1 ran", although both passed.
        Probe probe = suite(FactoryChecks.class).build();
        assertThat(probe.confirmationTests("INC-1")).containsExactly("FactoryChecks#couponsOfEveryShop");
        server.stubFor(get("/coupons/shop-1").willReturn(aResponse().withStatus(200)));
        server.stubFor(get("/coupons/shop-2").willReturn(aResponse().withStatus(200)));

        VerificationReport report = verify(probe);

        assertThat(report.probes().get(0).measurements().get(0).items()).hasSize(2)
                .allSatisfy(i -> assertThat(i.tags()).containsExactly("INC-1", "smoke"));
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.CONFIRMED);
            assertThat(c.tests()).containsExactly("FactoryChecks#couponsOfEveryShop(URI) > shop-1",
                    "FactoryChecks#couponsOfEveryShop(URI) > outlets > shop-2");
        });

        server.stubFor(get("/coupons/shop-2").willReturn(aResponse().withStatus(500)));
        VerificationReport broken = verify(suite(FactoryChecks.class).build());

        assertThat(broken.verdict()).as(broken.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(broken.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.FAILED);
            assertThat(c.explanation()).contains("status of GET /coupons/shop-2");
        });
    }

    @Test
    void aSuiteWithoutTheTaggedTestCannotConfirmTheFixAndIsRefusedBeforeItRuns() {
        DeployVerifier verifier = DeployVerifier.builder().probe("smoke", suite(OrdersChecks.class).build()).build();

        assertThat(verifier.confirmationProblems(HOTFIX)).containsExactly("hotfix checkout 2.4.2 fixes INC-1 but no probe"
                + " confirms it: tag its test @Tag(\"INC-1\") in a junit probe, or set vigil.probes.<name>.confirms=INC-1");
        assertThat(server.getAllServeEvents()).isEmpty();
    }

    @Test
    void aFixIdDifferingFromATagInCaseOnlyIsRefusedNamingTheTag() {
        // Before: "fixes inc-1 but no probe confirms it: tag its test @Tag("inc-1")", silent on the test tagged INC-1.
        Probe probe = suite(CouponChecks.class).build();
        DeployVerifier verifier = DeployVerifier.builder().probe("smoke", probe).build();
        Deployment lowerCase = new Deployment("checkout", "2.4.2", "2.4.1", null, Deployment.Kind.HOTFIX, List.of("inc-1"), Map.of());

        assertThat(verifier.confirmationProblems(lowerCase)).containsExactly("hotfix checkout 2.4.2 fixes inc-1 but no probe"
                + " confirms it: probe smoke: no test is tagged inc-1, but a test is tagged INC-1; fix ids match tags exactly:"
                + " list the fix as INC-1 or retag the test; tag its test @Tag(\"inc-1\") in a junit probe, or set"
                + " vigil.probes.<name>.confirms=inc-1");
        assertThat(probe.confirmationTests("INC-1")).containsExactly("CouponChecks#couponsApplyOnce");
        assertThat(server.getAllServeEvents()).as("nothing ran").isEmpty();
    }

    @Test
    void aFixIdNoJunitTagCanHoldIsRefusedSayingSoInsteadOfAdvisingSuchATag() {
        // Before: "fixes INC 1 ...: tag its test @Tag("INC 1")", a tag JUnit refuses.
        DeployVerifier verifier = DeployVerifier.builder().probe("smoke", suite(CouponChecks.class).build()).build();
        Deployment blank = new Deployment("checkout", "2.4.2", "2.4.1", null, Deployment.Kind.HOTFIX,
                List.of("INC 1", "INC-1|2"), Map.of());

        assertThat(verifier.confirmationProblems(blank)).containsExactly(
                "hotfix checkout 2.4.2 fixes 'INC 1' but no probe confirms it: no test can be tagged with it, as JUnit tags cannot"
                        + " hold whitespace, ISO control characters or any of , ( ) & | !: list the fix without them (INC-123),"
                        + " or set vigil.probes.<name>.confirms=INC 1",
                "hotfix checkout 2.4.2 fixes 'INC-1|2' but no probe confirms it: no test can be tagged with it, as JUnit tags"
                        + " cannot hold whitespace, ISO control characters or any of , ( ) & | !: list the fix without them"
                        + " (INC-123), or set vigil.probes.<name>.confirms=INC-1|2");
    }

    @Test
    void aSuiteWhoseTestsCannotBeLookedForSaysWhyInTheRefusal() {
        // Before: the failure was swallowed, and the refusal only said to tag a test.
        Probe probe = JunitProbes.builder().classpath("target/not-built-yet/*.jar").build();
        DeployVerifier verifier = DeployVerifier.builder().probe("smoke", probe).build();

        assertThatThrownBy(() -> probe.confirmationTests("INC-1")).isInstanceOf(VigilException.class)
                .hasMessageStartingWith("could not look for the tests tagged INC-1 (every test in classpath=target/not-built-yet/*.jar): "
                        + "classpath 'target/not-built-yet/*.jar' (matches no file) in ");
        assertThat(verifier.confirmationProblems(HOTFIX)).singleElement().asString()
                .startsWith("hotfix checkout 2.4.2 fixes INC-1 but no probe confirms it: probe smoke: could not look for the tests"
                        + " tagged INC-1 (every test in classpath=target/not-built-yet/*.jar): classpath 'target/not-built-yet/*.jar'"
                        + " (matches no file) in ")
                .endsWith("; tag its test @Tag(\"INC-1\") in a junit probe, or set vigil.probes.<name>.confirms=INC-1");
    }

    @Test
    void itemsCarryTheTagsOfTheirTestAndItsClass() {
        ItemResult plain = new ItemResult("id", "com.acme.A", "b()", ItemResult.Status.PASSED, null, "");
        assertThat(plain.tags()).isEmpty();
        assertThat(plain.label()).isEqualTo("A#b");
    }
}
