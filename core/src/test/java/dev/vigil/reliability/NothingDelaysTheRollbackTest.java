package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackOutcome;
import dev.vigil.TimeSource;
import dev.vigil.Verdict;
import dev.vigil.VerificationListener;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Nothing the engine calls besides probes and triggers can change a verdict, delay a rollback or hide it. */
class NothingDelaysTheRollbackTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.0.0", "1.0.0");

    @Test
    void aListenerThatHangsNeverDelaysTheRollbackAndTheVerificationStillEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch rolledBack = new CountDownLatch(1);
        VerificationListener hanging = new VerificationListener() {
            @Override
            public void verdict(Deployment deployment, Verdict verdict, String reason) {
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(VirtualTime.start())
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(event -> {
                    rolledBack.countDown();
                    return "rolled back";
                })
                .listener(hanging)
                .listenerTimeout(Duration.ofMillis(500))
                .build();

        CompletableFuture<VerificationReport> result = CompletableFuture.supplyAsync(() -> verifier.verifyAfterDeploy(DEPLOYMENT));

        assertThat(rolledBack.await(5, TimeUnit.SECONDS)).as("the rollback ran while the listener hung").isTrue();
        VerificationReport report = result.get(10, TimeUnit.SECONDS);
        assertThat(release.getCount()).as("the listener was still hanging").isEqualTo(1);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        release.countDown();
    }

    @Test
    void aListenerThatIsSlowOnEveryMeasurementNeverDelaysTheRounds() {
        AtomicInteger seen = new AtomicInteger();
        VerificationListener slow = new VerificationListener() {
            @Override
            public void measured(dev.vigil.Measurement measurement) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                seen.incrementAndGet();
            }
        };
        VirtualTime time = VirtualTime.start();
        VerificationReport report = DeployVerifier.builder()
                .probe("health", ScriptedProbe.passing())
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(time)
                .listener(slow)
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.schedule().skippedRounds()).isZero();
        assertThat(seen).as("every event still reaches the listener before the verification returns").hasValue(6);
    }

    @Test
    void aMeterRegistryThatThrowsChangesNoVerdictAndNoRollback() {
        SimpleMeterRegistry broken = new SimpleMeterRegistry() {
            @Override
            protected Counter newCounter(Meter.Id id) {
                throw new IllegalStateException("registry down");
            }

            @Override
            protected Timer newTimer(Meter.Id id, DistributionStatisticConfig config, PauseDetector pauseDetector) {
                throw new IllegalStateException("registry down");
            }
        };
        AtomicInteger rollbacks = new AtomicInteger();
        VerificationReport report = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.PASS, Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(60)))
                .timeSource(VirtualTime.start())
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(event -> {
                    rollbacks.incrementAndGet();
                    return "";
                })
                .meterRegistry(broken)
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rounds()).isEqualTo(2);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void aFaultAfterTheRollbackRanLeavesTheVerdictAndTheRollbackInTheReport() {
        VerificationReport report = rolledBackWith(TimeFault.CLOCK);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.reason()).startsWith("probe health failed once (max-failures 0)");
        // The clock fails in the re-check after the rollback: the report says so there, and the
        // previous version stays in doubt.
        assertThat(report.recheckResult().reason()).contains("failed unexpectedly").contains("IllegalStateException: clock gone");
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isTrue();
    }

    @Test
    void aReCheckThatFailsUnexpectedlyLeavesThePreviousVersionInDoubtNotUnchecked() {
        // The time source fails once the rollback ran: the re-check's wait throws. The previous
        // version was never seen healthy, so a person must look (exit 5), not "rolled back" (exit 1).
        VerificationReport report = rolledBackWith(TimeFault.SLEEP);

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.INCONCLUSIVE);
        assertThat(report.recheckResult().reason())
                .isEqualTo("the re-check of the previous version 1.0.0 failed unexpectedly after 0 rounds: IllegalStateException: sleeper gone");
        assertThat(report.rolledBackButPreviousVersionInDoubt()).isTrue();
    }

    /** What of the time source fails once the rollback ran. */
    private enum TimeFault { CLOCK, SLEEP }

    /** A failing verification rolled back by a callback, after which the time source's {@code fault} throws. */
    private static VerificationReport rolledBackWith(TimeFault fault) {
        VirtualTime virtual = VirtualTime.start();
        AtomicBoolean rolledBack = new AtomicBoolean();
        TimeSource failsAfterTheRollback = new TimeSource() {
            @Override
            public Instant now() {
                if (fault == TimeFault.CLOCK && rolledBack.get()) {
                    throw new IllegalStateException("clock gone");
                }
                return virtual.now();
            }

            @Override
            public long nanoTime() {
                return virtual.nanoTime();
            }

            @Override
            public void sleep(Duration duration) throws InterruptedException {
                if (fault == TimeFault.SLEEP && rolledBack.get()) {
                    throw new IllegalStateException("sleeper gone");
                }
                virtual.sleep(duration);
            }
        };
        return DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .timeSource(failsAfterTheRollback)
                .rollbackCoordinator(RollbackCoordinator.create())
                .rollback(event -> {
                    rolledBack.set(true);
                    return "rolled back";
                })
                .build()
                .verifyAfterDeploy(DEPLOYMENT);
    }

    @Test
    void aListenerTimeoutMustBePositive() {
        assertThatThrownBy(() -> DeployVerifier.builder().listenerTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listener timeout must be positive");
    }
}
