package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a hotfix goes through the same verification as a release, and each fix it lists is
 * confirmed by a pass before it may stay; rolling it back says what it re-opens, and the re-check
 * expects the confirmation to fail on the previous version. Timelines in virtual time.
 */
class HotfixTest {

    private static final Deployment HOTFIX = new Deployment("checkout", "2.4.2", "2.4.1", "production",
            Deployment.Kind.HOTFIX, List.of("INC-1"), Map.of());

    private final VirtualTime time = VirtualTime.start();
    private final AtomicBoolean rolledBack = new AtomicBoolean();
    private final AtomicReference<RollbackEvent> event = new AtomicReference<>();

    /**
     * A suite as a probe: test {@code CheckoutTest#coupons} tagged {@code INC-1} and
     * {@code CheckoutTest#cart} untagged, with the statuses given for the new version and for the
     * previous one (after the rollback). Counts like the JUnit probe: any problem fails it.
     */
    private final class Suite implements Probe {
        private final ItemResult.Status coupons;
        private final ItemResult.Status couponsBefore;
        private final ItemResult.Status cartBefore;
        private final boolean tolerant;

        Suite(ItemResult.Status coupons, ItemResult.Status couponsBefore, ItemResult.Status cartBefore, boolean tolerant) {
            this.coupons = coupons;
            this.couponsBefore = couponsBefore;
            this.cartBefore = cartBefore;
            this.tolerant = tolerant;
        }

        @Override
        public ProbeResult measure(ProbeContext context) {
            boolean previous = rolledBack.get();
            List<ItemResult> items = List.of(
                    item("coupons", previous ? couponsBefore : coupons, List.of("INC-1", "smoke")),
                    item("cart", previous ? cartBefore : ItemResult.Status.PASSED, List.of("smoke")));
            long problems = items.stream().filter(i -> i.status().problem()).count();
            Map<String, Object> values = Map.of("tests.failed", problems);
            ProbeResult r = problems == 0 || tolerant ? ProbeResult.pass(values, problems + " failed")
                    : ProbeResult.fail(values, problems + " failed");
            return r.withItems(items);
        }

        private ItemResult item(String name, ItemResult.Status status, List<String> tags) {
            return new ItemResult("[test:" + name + "]", "com.acme.CheckoutTest", name + "()", status, Duration.ofMillis(5),
                    status == ItemResult.Status.PASSED ? "" : "coupon applied twice", tags);
        }

        @Override
        public List<String> confirmationTests(String issue) {
            return issue.equals("INC-1") ? List.of("CheckoutTest#coupons") : List.of();
        }
    }

    private DeployVerifier.Builder verifier() {
        return DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .timeSource(time)
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(RollbackTriggers.idempotentCallback("switch back", e -> {
                    event.set(e);
                    rolledBack.set(true);
                }));
    }

    @Test
    void aHotfixThatListsNoFixIsRefusedBeforeAnythingIsMeasured() {
        ScriptedProbe health = ScriptedProbe.passing();
        DeployVerifier v = verifier().probe("health", health).build();
        Deployment noFix = new Deployment("checkout", "2.4.2", "2.4.1", null, Deployment.Kind.HOTFIX, List.of(), Map.of());

        assertThat(v.confirmationProblems(noFix)).singleElement().asString().contains("hotfix checkout 2.4.2 lists no fix");
        assertThatThrownBy(() -> v.verifyAfterDeploy(noFix)).isInstanceOf(IllegalArgumentException.class);
        assertThat(health.calls()).isZero();
    }

    @Test
    void aBlankFixIdIsRefusedWhenTheDeploymentIsMadeNotAskedForAConfirmationLater() {
        for (List<String> fixes : List.of(List.of("INC-1", ""), List.of(" "))) {
            assertThatThrownBy(() -> new Deployment("checkout", "2.4.2", null, null, Deployment.Kind.RELEASE, fixes, null))
                    .as("fixes %s", fixes)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("deployment fixes must not hold a blank issue id: " + fixes);
        }
        assertThatThrownBy(() -> Deployment.of("checkout", "2.4.2").asHotfix("INC-1", "\t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("deployment fixes must not hold a blank issue id");
    }

    @Test
    void blanksAroundAFixIdAreNoPartOfIt() {
        Deployment hotfix = Deployment.of("checkout", "2.4.2").asHotfix(" INC-1\t", "INC-2");

        assertThat(hotfix.fixes()).containsExactly("INC-1", "INC-2");
        assertThat(new Deployment("checkout", "2.4.2", null, null, Deployment.Kind.HOTFIX, List.of("INC-3 "), null).fixes())
                .containsExactly("INC-3");
    }

    @Test
    void aFixWithoutAConfirmationIsRefusedWithTheWayToGiveItOneForHotfixesAndReleasesAlike() {
        ScriptedProbe health = ScriptedProbe.passing();
        DeployVerifier v = verifier().probe("health", health).build();

        assertThatThrownBy(() -> v.verifyAfterDeploy(HOTFIX)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hotfix checkout 2.4.2 fixes INC-1 but no probe confirms it: tag its test @Tag(\"INC-1\") in a junit"
                        + " probe, or set vigil.probes.<name>.confirms=INC-1");
        Deployment release = new Deployment("checkout", "2.5.0", "2.4.2", null, Deployment.Kind.RELEASE, List.of("INC-7"), Map.of());
        assertThat(v.confirmationProblems(release)).containsExactly("release checkout 2.5.0 fixes INC-7 but no probe confirms it:"
                + " tag its test @Tag(\"INC-7\") in a junit probe, or set vigil.probes.<name>.confirms=INC-7");
        assertThat(health.calls()).isZero();
    }

    @Test
    void aConfirmingProbeThatPassesConfirmsTheFix() {
        VerificationReport report = verifier().probe("health", ScriptedProbe.passing()).confirms("health", "INC-1").build()
                .verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.issue()).isEqualTo("INC-1");
            assertThat(c.probe()).isEqualTo("health");
            assertThat(c.status()).isEqualTo(Confirmation.Status.CONFIRMED);
        });
    }

    @Test
    void aTaggedTestThatPassesConfirmsTheFixAndTheReportNamesIt() {
        VerificationReport report = verifier()
                .probe("smoke", new Suite(ItemResult.Status.PASSED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, false))
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.CONFIRMED);
            assertThat(c.tests()).containsExactly("CheckoutTest#coupons");
            assertThat(c.explanation()).isEqualTo("CheckoutTest#coupons passed");
        });
        assertThat(report.fixesConfirmed()).isTrue();
    }

    @Test
    void aTaggedTestThatFailsMakesTheHotfixUnhealthyAndRollingBackSaysWhatItReopens() {
        VerificationReport report = verifier()
                .probe("smoke", new Suite(ItemResult.Status.FAILED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, false))
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.FAILED);
            assertThat(c.explanation()).isEqualTo("CheckoutTest#coupons failed: coupon applied twice");
        });
        assertThat(event.get().deployment().fixes()).containsExactly("INC-1");
        // The re-check expects the confirmation to fail on 2.4.1, which still has INC-1; the rest must pass.
        assertThat(report.recheckResult().status()).as(report.recheckResult().reason()).isEqualTo(RecheckReport.Status.HEALTHY);
        assertThat(report.recheck()).isNotEmpty().allSatisfy(m -> {
            assertThat(m.outcome()).isEqualTo(Outcome.PASS);
            assertThat(m.explanation()).startsWith("as expected: 2.4.1 still has INC-1 (CheckoutTest#coupons failed)");
        });
    }

    @Test
    void theRollbackCommandIsToldWhichFixesItWithdraws(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path out = dir.resolve("fixes");
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .timeSource(time).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .probe("smoke", new Suite(ItemResult.Status.FAILED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, false))
                .confirms("smoke", "INC-2")
                .rollback(RollbackTriggers.shell("printf '%s' \"$VIGIL_FIXES\" > '" + out + "'", Duration.ofSeconds(20)))
                .build().verifyAfterDeploy(HOTFIX.asHotfix("INC-1", "INC-2").withPreviousVersion("2.4.1"));

        assertThat(report.rollback().outcome()).as(String.valueOf(report.rollback().error())).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(java.nio.file.Files.readString(out)).isEqualTo("INC-1,INC-2");
    }

    @Test
    void aRehearsalOfAHotfixsRollbackExpectsItsConfirmationToFailOnThePreviousVersion() {
        RehearsalReport rehearsal = verifier()
                .probe("smoke", new Suite(ItemResult.Status.PASSED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, false))
                .build().rehearseRollback(HOTFIX.withEnvironment("staging"));

        assertThat(rehearsal.outcome()).as(rehearsal.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(rehearsal.recheck()).allSatisfy(m -> assertThat(m.explanation()).startsWith("as expected: 2.4.1 still has INC-1"));
    }

    @Test
    void aRehearsalNotesAConfirmationThatPassesOnTheVersionThatStillHasTheBug() {
        // The tagged test passes with and without the fix: it confirms nothing, which only the previous version shows.
        RehearsalReport tagged = verifier()
                .probe("smoke", new Suite(ItemResult.Status.PASSED, ItemResult.Status.PASSED, ItemResult.Status.PASSED, false))
                .build().rehearseRollback(HOTFIX.withEnvironment("staging"));
        RehearsalReport whole = verifier().probe("coupons", ScriptedProbe.passing()).confirms("coupons", "INC-1").build()
                .rehearseRollback(HOTFIX.withEnvironment("staging"));

        assertThat(tagged.outcome()).as(tagged.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(tagged.recheck()).isNotEmpty().allSatisfy(m -> assertThat(m.explanation())
                .endsWith("; note: CheckoutTest#coupons (tagged INC-1) passed on 2.4.1, which still has INC-1:"
                        + " it may not detect the bug it confirms"));
        assertThat(whole.recheck()).isNotEmpty().allSatisfy(m -> assertThat(m.explanation())
                .contains("; note: the confirmation of INC-1 passed on 2.4.1, which still has INC-1"));
    }

    @Test
    void aRecheckOfTwoFixesNamesOnlyTheIssueWhoseTestFailedAndNotesTheOneWhoseTestPassed() {
        // On the previous version INC-8's test fails (the bug is there) and INC-1's passes: the
        // re-check said "still has INC-8, INC-1" and counted INC-1's test as an "other test".
        Probe suite = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
            List<ItemResult> items = List.of(
                    new ItemResult("[test:stock]", "com.acme.CheckoutTest", "stock()",
                            rolledBack.get() ? ItemResult.Status.FAILED : ItemResult.Status.PASSED, Duration.ofMillis(5),
                            rolledBack.get() ? "stock went negative" : "", List.of("INC-8")),
                    new ItemResult("[test:coupons]", "com.acme.CheckoutTest", "coupons()", ItemResult.Status.PASSED,
                            Duration.ofMillis(5), "", List.of("INC-1")),
                    new ItemResult("[test:cart]", "com.acme.CheckoutTest", "cart()", ItemResult.Status.PASSED,
                            Duration.ofMillis(5), "", List.of("smoke")));
            boolean failed = items.stream().anyMatch(i -> i.status().problem());
            return (failed ? ProbeResult.fail(Map.of(), "1 failed") : ProbeResult.pass(Map.of(), "3 passed")).withItems(items);
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return List.of(issue.equals("INC-8") ? "CheckoutTest#stock" : "CheckoutTest#coupons");
            }
        };
        Deployment twoFixes = new Deployment("checkout", "2.4.2", "2.4.1", "staging", Deployment.Kind.HOTFIX,
                List.of("INC-8", "INC-1"), Map.of());

        RehearsalReport rehearsal = verifier().probe("smoke", suite).build().rehearseRollback(twoFixes);

        assertThat(rehearsal.outcome()).as(rehearsal.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(rehearsal.recheck()).isNotEmpty().allSatisfy(m -> assertThat(m.explanation())
                .isEqualTo("as expected: 2.4.1 still has INC-8 (CheckoutTest#stock failed); 1 other test passed; note:"
                        + " CheckoutTest#coupons (tagged INC-1) passed on 2.4.1, which still has INC-1: it may not detect"
                        + " the bug it confirms"));
    }

    @Test
    void theRecheckAfterRollingBackAFixStillNeedsEveryOtherTestToPass() {
        VerificationReport report = verifier()
                .probe("smoke", new Suite(ItemResult.Status.FAILED, ItemResult.Status.FAILED, ItemResult.Status.FAILED, false))
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.UNHEALTHY);
    }

    /**
     * A probe that confirms the fix as a whole fails on a previous version that does not answer just
     * as on one that still has the bug: when it is all the re-check measures, nothing showed the
     * previous version healthy, so the re-check is INCONCLUSIVE (the command line's exit 5), not
     * HEALTHY. The same probe beside one that confirms no fix and passes is re-checked as before.
     */
    @Test
    void aRecheckThatSawOnlyTheExpectedFailureOfAWholeProbeConfirmationIsInconclusive() {
        Probe deadEverywhere = context -> ProbeResult.fail(Map.of("status", 503), "503 Service Unavailable");
        VerificationReport alone = verifier().probe("coupons", deadEverywhere).confirms("coupons", "INC-1").build()
                .verifyAfterDeploy(HOTFIX);

        assertThat(alone.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(alone.recheck()).isNotEmpty().allSatisfy(m -> assertThat(m.explanation())
                .startsWith("as expected: 2.4.1 still has INC-1"));
        assertThat(alone.recheckResult().status()).as(alone.recheckResult().reason()).isEqualTo(RecheckReport.Status.INCONCLUSIVE);
        assertThat(alone.recheckResult().reason()).isEqualTo("the previous version 2.4.1: nothing showed it healthy: every"
                + " re-checked probe (coupons) confirms a fix it does not have (INC-1) and saw nothing but its expected failure,"
                + " as it would on a version that does not answer; re-check a probe or a test that confirms no fix too");

        rolledBack.set(false);
        Probe answersOnlyBefore = context -> rolledBack.get() ? ProbeResult.pass(Map.of("status", 200), "200 OK")
                : ProbeResult.fail(Map.of("status", 500), "500");
        VerificationReport withHealth = verifier().probe("coupons", deadEverywhere).probe("health", answersOnlyBefore)
                .confirms("coupons", "INC-1").build().verifyAfterDeploy(HOTFIX);

        assertThat(withHealth.recheckResult().status()).as(withHealth.recheckResult().reason())
                .isEqualTo(RecheckReport.Status.HEALTHY);
    }

    /**
     * A suite of the tagged tests only ({@code tags=INC-1}): on a previous version that resets every
     * connection, its test ends in an error, which shows nothing of the bug, so the re-check is
     * UNHEALTHY; and where the test fails its assertion as expected, nothing else showed the previous
     * version healthy, so the re-check is INCONCLUSIVE (exit 5), not HEALTHY.
     */
    @Test
    void aRecheckOfOnlyTaggedTestsIsHealthyNeitherOnAnErrorNorOnTheExpectedFailureAlone() {
        // Before: both HEALTHY, "as expected: 2.4.1 still has INC-1 (CheckoutTest#coupons failed); 0 other tests passed".
        VerificationReport reset = verifier().probe("smoke", onlyTagged(ItemResult.Status.ERROR, "java.io.IOException: Connection reset"))
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(reset.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(reset.recheck()).isNotEmpty().allSatisfy(m -> assertThat(m.outcome()).isEqualTo(Outcome.FAIL));
        assertThat(reset.recheckResult().status()).as(reset.recheckResult().reason()).isEqualTo(RecheckReport.Status.UNHEALTHY);

        rolledBack.set(false);
        VerificationReport failed = verifier().probe("smoke", onlyTagged(ItemResult.Status.FAILED, "coupon applied twice"))
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(failed.recheck()).isNotEmpty().allSatisfy(m -> assertThat(m.explanation())
                .isEqualTo("as expected: 2.4.1 still has INC-1 (CheckoutTest#coupons failed); 0 other tests passed"));
        assertThat(failed.recheckResult().status()).as(failed.recheckResult().reason())
                .isEqualTo(RecheckReport.Status.INCONCLUSIVE);
        assertThat(failed.recheckResult().reason()).isEqualTo("the previous version 2.4.1: nothing showed it healthy: every"
                + " re-checked probe (smoke) confirms a fix it does not have (INC-1) and saw nothing but its expected failure,"
                + " as it would on a version that does not answer; re-check a probe or a test that confirms no fix too");
    }

    /** A suite whose one test, tagged INC-1, fails on the new version and ends as given on the previous one. */
    private Probe onlyTagged(ItemResult.Status before, String message) {
        return new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                ItemResult.Status status = rolledBack.get() ? before : ItemResult.Status.FAILED;
                return ProbeResult.fail(Map.of("tests.failed", 1L), "1 failed").withItems(List.of(new ItemResult(
                        "[test:coupons]", "com.acme.CheckoutTest", "coupons()", status, Duration.ofMillis(5), message,
                        List.of("INC-1"))));
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return List.of("CheckoutTest#coupons");
            }
        };
    }

    /** A whole-probe confirmation that passes outright on the previous version shows that it answers. */
    @Test
    void aWholeProbeConfirmationThatPassesOnThePreviousVersionShowsItHealthy() {
        Probe fixedBefore = context -> rolledBack.get() ? ProbeResult.pass(Map.of("status", 200), "200 OK")
                : ProbeResult.fail(Map.of("status", 500), "500");
        VerificationReport report = verifier().probe("coupons", fixedBefore).confirms("coupons", "INC-1").build()
                .verifyAfterDeploy(HOTFIX);

        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.recheckResult().status()).as(report.recheckResult().reason()).isEqualTo(RecheckReport.Status.HEALTHY);
    }

    @Test
    void aFailedConfirmationIsUnhealthyEvenWhenItsProbeToleratesFailedTests() {
        VerificationReport report = verifier()
                .probe("smoke", new Suite(ItemResult.Status.FAILED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, true))
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.probe("smoke").orElseThrow().failures()).as("the probe itself passes every round").isZero();
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.reason()).isEqualTo("the confirmation failed: INC-1 is not fixed: CheckoutTest#coupons failed:"
                + " coupon applied twice (probe smoke)");
        assertThat(report.detectedAt()).isNotNull();
    }

    @Test
    void aFailedConfirmationIsUnhealthyWhenAnotherProbeLeavesTheBakeInconclusive() {
        // hotfixes.md: a FAILED confirmation makes the deployment UNHEALTHY (rolled back). It only
        // turned a HEALTHY bake unhealthy: beside a probe without data (or the junit probe's own
        // timeout, when the tagged test hangs), the fix that failed ended INCONCLUSIVE, not rolled back.
        Probe noData = context -> ProbeResult.inconclusive(Map.of(), "the query returned no data");
        VerificationReport report = verifier()
                .probe("smoke", new Suite(ItemResult.Status.FAILED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, true))
                .probe("error-rate", noData)
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.reason()).startsWith("the confirmation failed: INC-1 is not fixed: CheckoutTest#coupons failed:");
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
    }

    @Test
    void aConfirmationNotProvenBesideAnInconclusiveBakeLeavesItInconclusive() {
        Probe noData = context -> ProbeResult.inconclusive(Map.of(), "the query returned no data");
        VerificationReport report = verifier()
                .probe("smoke", new Suite(ItemResult.Status.ABORTED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, true))
                .probe("error-rate", noData)
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
    }

    @Test
    void aSkippedConfirmationTestProvesNothingAndOnInconclusivePassDoesNotAcceptIt() {
        VerificationReport report = verifier()
                .probe("smoke", new Suite(ItemResult.Status.ABORTED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, false))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30))
                        .withOnInconclusive(VerificationPlan.OnInconclusive.PASS))
                .build().verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.confirmations()).singleElement()
                .satisfies(c -> assertThat(c.status()).isEqualTo(Confirmation.Status.NOT_PROVEN));
        assertThat(report.reason()).contains("a fix is confirmed only by a pass");
    }

    @Test
    void aTaggedTestThatReportedNoTestLeavesTheFixNotProvenThoughAnotherPassed() {
        // Before: "INC-1 CONFIRMED (CheckoutTest#other passed)": a test factory tagged INC-1 that made no test was not missed.
        Probe suite = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                return ProbeResult.pass(Map.of("tests.failed", 0L), "3 passed").withItems(List.of(
                        new ItemResult("[test:other]", "com.acme.CheckoutTest", "other()", ItemResult.Status.PASSED,
                                Duration.ofMillis(5), "", List.of("INC-1")),
                        new ItemResult("[test:coupons][1]", "com.acme.CheckoutTest", "coupons(String) > [1] SAVE10",
                                ItemResult.Status.PASSED, Duration.ofMillis(5), "", List.of("INC-1")),
                        new ItemResult("[test:coupons][2]", "com.acme.CheckoutTest", "coupons(String) > [2] SAVE20",
                                ItemResult.Status.PASSED, Duration.ofMillis(5), "", List.of("INC-1"))));
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return List.of("CheckoutTest#none", "CheckoutTest#other", "CheckoutTest#coupons");
            }
        };

        VerificationReport report = verifier().probe("smoke", suite).build().verifyAfterDeploy(HOTFIX);

        assertThat(report.verdict()).as(report.reason()).isNotEqualTo(Verdict.HEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.NOT_PROVEN);
            assertThat(c.explanation()).isEqualTo("CheckoutTest#none, tagged INC-1, ran no test in probe smoke (a test factory"
                    + " that made none, say; CheckoutTest#other, CheckoutTest#coupons(String) > [1] SAVE10,"
                    + " CheckoutTest#coupons(String) > [2] SAVE20 ran); a confirmation test that does not run proves nothing");
        });
    }

    /**
     * The latest run decides: a tagged test that ran and passed in round 1 and then not at all (a
     * parameterized test that got no arguments, a class whose {@code @BeforeAll} failed under a
     * tolerant {@code pass-when}) is not proof of the fix at the end of the bake.
     */
    @Test
    void aTaggedTestThatPassedOnlyInAnEarlierRunDoesNotConfirmTheFix() {
        // Before: HEALTHY, "INC-1 CONFIRMED (CheckoutTest#coupons passed)", judged on round 1.
        Probe suite = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                List<ItemResult> items = new ArrayList<>();
                if (context.round() == 1) {
                    items.add(new ItemResult("[test:coupons]", "com.acme.CheckoutTest", "coupons()", ItemResult.Status.PASSED,
                            Duration.ofMillis(5), "", List.of("INC-1")));
                }
                items.add(new ItemResult("[test:cart]", "com.acme.CheckoutTest", "cart()", ItemResult.Status.PASSED,
                        Duration.ofMillis(5), "", List.of("smoke")));
                return ProbeResult.pass(Map.of("tests.failed", 0L), items.size() + " passed").withItems(items);
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return List.of("CheckoutTest#coupons");
            }
        };

        VerificationReport report = verifier().probe("smoke", suite).build().verifyAfterDeploy(HOTFIX);

        assertThat(report.probe("smoke").orElseThrow().measurements()).hasSizeGreaterThan(1);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.NOT_PROVEN);
            assertThat(c.explanation()).isEqualTo("no test tagged INC-1 ran in probe smoke's latest run (round "
                    + report.probe("smoke").orElseThrow().measurements().size() + ", 1 test; expected CheckoutTest#coupons);"
                    + " a pass of an earlier run does not show the fix in the latest one");
        });
    }

    @Test
    void aTaggedTestThatNeverRanIsNotProvenWithoutTalkOfAnEarlierPass() {
        Probe suite = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                List<ItemResult> items = List.of(new ItemResult("[test:cart]", "com.acme.CheckoutTest", "cart()",
                        ItemResult.Status.PASSED, Duration.ofMillis(5), "", List.of("smoke")));
                return ProbeResult.pass(Map.of("tests.failed", 0L), "1 passed").withItems(items);
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return List.of("CheckoutTest#coupons");
            }
        };

        VerificationReport report = verifier().probe("smoke", suite).build().verifyAfterDeploy(HOTFIX);

        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Confirmation.Status.NOT_PROVEN);
            assertThat(c.explanation()).startsWith("no test tagged INC-1 ran in probe smoke's latest run")
                    .endsWith("expected CheckoutTest#coupons)").doesNotContain("earlier run");
        });
    }

    @Test
    void verificationsAndRollbacksAreCountedByKind() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        verifier().meterRegistry(registry)
                .probe("smoke", new Suite(ItemResult.Status.FAILED, ItemResult.Status.FAILED, ItemResult.Status.PASSED, false))
                .build().verifyAfterDeploy(HOTFIX);
        verifier().meterRegistry(registry).probe("health", ScriptedProbe.passing()).build()
                .verifyAfterDeploy(Deployment.of("checkout", "2.5.0", "2.4.2"));

        assertThat(registry.get("vigil.verifications").tag("kind", "hotfix").tag("verdict", "UNHEALTHY").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("vigil.verifications").tag("kind", "release").tag("verdict", "HEALTHY").timer().count())
                .isEqualTo(1);
        assertThat(registry.get("vigil.rollbacks").tag("kind", "hotfix").tag("outcome", "ROLLED_BACK").counter().count())
                .isEqualTo(1);
        List<String> kinds = new ArrayList<>();
        registry.get("vigil.rollbacks").counters().forEach(c -> kinds.add(c.getId().getTag("kind")));
        assertThat(kinds).containsExactly("hotfix");
    }
}
