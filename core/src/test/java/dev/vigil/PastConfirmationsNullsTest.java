package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A {@link PastConfirmations} of one's own that answers with null entries. */
class PastConfirmationsNullsTest {

    @Test
    void nullIssuesTestListsAndTestsAreLeftOutInsteadOfEndingTheVerificationWithAnException() {
        Map<String, List<String>> past = new HashMap<>();
        past.put("INC-1", null);
        past.put(null, List.of("CheckoutTest#coupons"));
        past.put("INC-2", Arrays.asList("CheckoutTest#refunds", null, " "));

        VerificationReport report = DeployVerifier.builder()
                .probe("health", ScriptedProbe.passing())
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .timeSource(VirtualTime.start())
                .regressionGuard(deployment -> past, false)
                .build()
                .verifyAfterDeploy(Deployment.of("checkout", "2.0.0", "1.0.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.confirmations()).singleElement().satisfies(c -> {
            assertThat(c.issue()).isEqualTo("INC-2");
            assertThat(c.tests()).containsExactly("CheckoutTest#refunds");
            assertThat(c.status()).isEqualTo(Confirmation.Status.NOT_PROVEN);
        });
    }
}
