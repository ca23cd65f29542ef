package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InterruptAndMetricsTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    @Test
    void anInterruptDuringTheBakeAbortsPromptlyWithoutRollbackAndLeavesNoThreads() throws Exception {
        // Names, not a count: a thread of an earlier test that ends meanwhile must not hide one of
        // this test's that stays (a count taken with another test's thread still ending failed in CI).
        java.util.List<String> threadsBefore = dev.vigil.reliability.VigilThreads.alive();
        AtomicBoolean rolledBack = new AtomicBoolean();
        AtomicInteger measured = new AtomicInteger();
        DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(10)).withInterval(Duration.ofMillis(100)))
                .probe("health", ctx -> {
                    measured.incrementAndGet();
                    return ProbeResult.pass(Map.of(), "ok");
                })
                .probe("slow", ctx -> {
                    Thread.sleep(50);
                    return ProbeResult.pass(Map.of(), "ok");
                })
                .rollback(RollbackTriggers.callback("record", e -> rolledBack.set(true)))
                .build();

        CompletableFuture<VerificationReport> result = new CompletableFuture<>();
        CompletableFuture<Boolean> flagAfterReturn = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            result.complete(verifier.verifyAfterDeploy(DEPLOYMENT));
            flagAfterReturn.complete(Thread.currentThread().isInterrupted());
        }, "pipeline");
        caller.start();
        while (measured.get() < 3) {
            Thread.sleep(10);
        }
        long interruptedAt = System.nanoTime();
        caller.interrupt();
        VerificationReport report = result.get(5, TimeUnit.SECONDS);
        Duration reaction = Duration.ofNanos(System.nanoTime() - interruptedAt);
        caller.join(5000);

        assertThat(report.verdict()).isEqualTo(Verdict.ABORTED);
        // In words a user of the command line knows: what a signal does there is interrupt the thread.
        assertThat(report.reason()).startsWith("verification aborted: interrupted (the command line stopped by Ctrl-C or"
                + " SIGTERM, or the calling thread interrupted) ").endsWith("; nothing was rolled back");
        assertThat(reaction).isLessThan(Duration.ofSeconds(1));
        assertThat(rolledBack).isFalse();
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(flagAfterReturn.get()).as("interrupt flag restored for the caller").isTrue();
        // The engine's threads have been told to stop; on a loaded machine the last of them may take a
        // moment to end after the report is returned. None may stay.
        assertThat(dev.vigil.reliability.VigilThreads.awaitGone(Duration.ofSeconds(5), threadsBefore)).isEmpty();
    }

    @Test
    void theMetersOfTheDesignExistWithTheirNamesAndTags() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        VirtualTime time = VirtualTime.start();
        DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                .timeSource(time)
                .meterRegistry(registry)
                .probe("health", ScriptedProbe.of(Outcome.PASS, Outcome.FAIL))
                .rollback(RollbackTriggers.callback("noop", e -> { }))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        Timer verifications = registry.get("vigil.verifications").tag("service", "checkout").tag("verdict", "UNHEALTHY").timer();
        assertThat(verifications.count()).isEqualTo(1);
        // two rounds and the re-check after the rollback
        assertThat(registry.get("vigil.measurements").tag("probe", "health").tag("outcome", "PASS").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("vigil.measurements").tag("probe", "health").tag("outcome", "FAIL").counter().count())
                .isEqualTo(1.0);
        assertThat(registry.get("vigil.probe.duration").tag("probe", "health").timer().count()).isEqualTo(2);
        Counter rollbacks = registry.get("vigil.rollbacks").tag("service", "checkout").tag("outcome", "ROLLED_BACK").counter();
        assertThat(rollbacks.count()).isEqualTo(1.0);
        Timer detect = registry.get("vigil.time.to.detect").tag("service", "checkout").timer();
        assertThat(detect.count()).isEqualTo(1);
        assertThat(detect.totalTime(TimeUnit.SECONDS)).isEqualTo(60.0);
    }
}
