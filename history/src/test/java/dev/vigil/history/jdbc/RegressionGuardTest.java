package dev.vigil.history.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Confirmation;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.testkit.VirtualTime;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, the regression guard with a real release history (H2): a test that confirmed a fix
 * joins the regression suite, and a later verification whose suite no longer runs it is warned,
 * or fails with {@code require-past-confirmations}.
 */
class RegressionGuardTest {

    @TempDir
    Path dir;

    private final VirtualTime time = VirtualTime.start();

    /** A suite that runs the given tests, all passing; {@code CheckoutTest#coupons} carries the tag INC-1. */
    private static Probe suite(String... tests) {
        return suiteIn("com.acme.CheckoutTest", tests);
    }

    /** {@link #suite(String...)} with its tests in the class {@code group}. */
    private static Probe suiteIn(String group, String... tests) {
        return new Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                List<ItemResult> items = java.util.Arrays.stream(tests).map(t -> new ItemResult("[test:" + t + "]",
                        group, t + "()", ItemResult.Status.PASSED, Duration.ofMillis(3), "",
                        t.equals("coupons") ? List.of("INC-1") : List.of())).toList();
                return ProbeResult.pass(Map.of("tests.total", items.size()), items.size() + " passed").withItems(items);
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return issue.equals("INC-1") && List.of(tests).contains("coupons") ? List.of("CheckoutTest#coupons") : List.of();
            }
        };
    }

    private VerificationReport verify(JdbcHistoryStore store, Probe suite, Deployment deployment, boolean required) {
        HistoryRecorder history = HistoryRecorder.to(store);
        return DeployVerifier.builder().probe("regression", suite)
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .timeSource(time).listener(history).regressionGuard(history.pastConfirmations(), required)
                .build().verifyAfterDeploy(deployment);
    }

    private JdbcHistoryStore store() {
        Path file = dir.resolve("history");
        return JdbcHistoryStore.open(HistorySettings.defaults().withDatabase("jdbc:h2:file:" + file, null, null), Clock.systemUTC());
    }

    private void confirmInc1(JdbcHistoryStore store) {
        VerificationReport first = verify(store, suite("coupons", "cart"), new Deployment("checkout", "2.4.2", "2.4.1", null,
                Deployment.Kind.HOTFIX, List.of("INC-1"), Map.of()), false);
        assertThat(first.verdict()).as(first.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(store.releases(HistoryQuery.service("checkout"))).singleElement()
                // With the class's full name: a CheckoutTest#coupons of another package is not this test.
                .satisfies(r -> assertThat(r.confirmations()).containsEntry("INC-1", List.of("com.acme.CheckoutTest#coupons")));
    }

    @Test
    void aLaterVerificationChecksThatTheConfirmationTestStillRunsAndPasses() {
        try (JdbcHistoryStore store = store()) {
            confirmInc1(store);

            VerificationReport later = verify(store, suite("coupons", "cart"), Deployment.of("checkout", "2.5.0", "2.4.2"), false);

            assertThat(later.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(later.confirmations()).singleElement().satisfies(c -> {
                assertThat(c.regression()).isTrue();
                assertThat(c.status()).isEqualTo(Confirmation.Status.CONFIRMED);
                assertThat(c.probe()).isEqualTo("regression");
                assertThat(c.explanation()).isEqualTo("INC-1's confirmation test `com.acme.CheckoutTest#coupons` still passes");
            });
        }
    }

    @Test
    void aConfirmationTestThatNoLongerRunsIsWarnedAbout() {
        try (JdbcHistoryStore store = store()) {
            confirmInc1(store);

            VerificationReport later = verify(store, suite("cart"), Deployment.of("checkout", "2.5.0", "2.4.2"), false);

            assertThat(later.verdict()).as("a warning, not a verdict").isEqualTo(Verdict.HEALTHY);
            assertThat(later.confirmations()).singleElement().satisfies(c -> {
                assertThat(c.status()).isEqualTo(Confirmation.Status.NOT_PROVEN);
                assertThat(c.explanation())
                        .isEqualTo("INC-1's confirmation test `com.acme.CheckoutTest#coupons` did not run: removed from the regression suite?");
            });
        }
    }

    @Test
    void withRequirePastConfirmationsATestThatNoLongerRunsFailsTheVerification() {
        try (JdbcHistoryStore store = store()) {
            confirmInc1(store);

            VerificationReport later = verify(store, suite("cart"), Deployment.of("checkout", "2.5.0", "2.4.2"), true);

            assertThat(later.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(later.reason()).isEqualTo("regression guard: INC-1's confirmation test `com.acme.CheckoutTest#coupons` did not run:"
                    + " removed from the regression suite? (vigil.regressions.require-past-confirmations=true)");
            assertThat(ReleaseRecord.of(later).confirmations()).isEmpty();
        }
    }

    @Test
    void aTestOfTheSameSimpleNameInAnotherPackageIsNotThePastConfirmation() {
        // com.acme.CheckoutTest is gone; a com.other.CheckoutTest#coupons runs and passes.
        // Compared by the simple name, it stood in for INC-1's test: HEALTHY while the real one never ran.
        try (JdbcHistoryStore store = store()) {
            confirmInc1(store);

            VerificationReport later = verify(store, suiteIn("com.other.CheckoutTest", "coupons", "cart"),
                    Deployment.of("checkout", "2.5.0", "2.4.2"), true);

            assertThat(later.verdict()).isEqualTo(Verdict.UNHEALTHY);
            assertThat(later.reason()).startsWith("regression guard: INC-1's confirmation test `com.acme.CheckoutTest#coupons`"
                    + " did not run");
        }
    }

    @Test
    void aConfirmationRememberedByItsSimpleNameBeforeIsStillFoundByIt() {
        try (JdbcHistoryStore store = store()) {
            confirmInc1(store);
            ReleaseRecord first = store.releases(HistoryQuery.service("checkout")).get(0);
            // As a history written before the full names were kept holds it.
            store.record(new ReleaseRecord(first.id() + "-old", first.deployment(), first.verdict(),
                    first.reason(), first.rollback(), first.rollbackStartedAt(), first.rollbackFinishedAt(), first.recheck(),
                    first.startedAt(), first.detectedAt(), first.finishedAt(), first.probes(),
                    Map.of("INC-2", List.of("CheckoutTest#cart"))));

            VerificationReport later = verify(store, suite("coupons", "cart"), Deployment.of("checkout", "2.5.0", "2.4.2"), true);

            assertThat(later.verdict()).as(later.reason()).isEqualTo(Verdict.HEALTHY);
            assertThat(later.confirmations()).anySatisfy(c -> assertThat(c.explanation())
                    .isEqualTo("INC-2's confirmation test `CheckoutTest#cart` still passes"));
        }
    }

    @Test
    void anotherServicesConfirmationsAreNotItsConcern() {
        try (JdbcHistoryStore store = store()) {
            confirmInc1(store);

            VerificationReport other = verify(store, suite("cart"), Deployment.of("payments", "1.1.0", "1.0.0"), true);

            assertThat(other.verdict()).isEqualTo(Verdict.HEALTHY);
            assertThat(other.confirmations()).isEmpty();
        }
    }
}
