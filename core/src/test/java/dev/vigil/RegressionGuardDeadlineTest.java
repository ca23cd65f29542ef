package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The regression guard reads the release history before the first round. A history that accepted
 * the connection and never answers (a PostgreSQL gone silent, an embedded H2 file served by a
 * process that was stopped) held the verification there for good: no round, no verdict, no
 * rollback. The read is now waited for at most its wait, and the guard is skipped with a warning.
 */
class RegressionGuardDeadlineTest {

    @Test
    void earlierConfirmationsThatNeverComeAreWaitedForAtMostTheWait() {
        CountDownLatch never = new CountDownLatch(1);
        PastConfirmations silent = deployment -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Map.of("INC-1", List.of("CheckoutTest#couponsApplyOnce"));
        };
        RegressionGuard guard = new RegressionGuard(silent, true, Duration.ofMillis(200));
        try {
            Map<String, List<String>> past = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> guard.past(Deployment.of("checkout", "2.0.0")));

            assertThat(past).isEmpty();
        } finally {
            never.countDown();
        }
    }

    @Test
    void earlierConfirmationsThatComeInTimeAreRead() {
        RegressionGuard guard = new RegressionGuard(deployment -> Map.of("INC-1", List.of("CheckoutTest#couponsApplyOnce")), true,
                Duration.ofSeconds(10));

        assertThat(guard.past(Deployment.of("checkout", "2.0.0"))).containsEntry("INC-1", List.of("CheckoutTest#couponsApplyOnce"));
    }
}
