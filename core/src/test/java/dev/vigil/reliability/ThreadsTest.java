package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackCoordinator;
import dev.vigil.RollbackPolicy;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * No thread a verification starts outlives it, except one stuck in a probe that ignores
 * interruption: Java cannot kill it, so the verification ends at the probe's timeout anyway, the
 * thread is a daemon (it never holds the JVM up), and a warning names it and its probe.
 */
class ThreadsTest {

    private static final VerificationPlan PLAN = VerificationPlan.defaults()
            .withInterval(Duration.ofMillis(30)).withDuration(Duration.ofMillis(90));

    @Test
    void noVigilThreadOutlivesAVerificationWhateverItsEnd() throws Exception {
        List<String> before = VigilThreads.alive();
        CountDownLatch running = new CountDownLatch(1);
        Probe hanging = ctx -> {
            running.countDown();
            Thread.sleep(60_000);
            return ProbeResult.pass(Map.of(), "late");
        };
        List<DeployVerifier> verifiers = List.of(
                build(ScriptedProbe.passing()),
                build(ScriptedProbe.of(Outcome.FAIL)),
                build(ScriptedProbe.of(Outcome.ERROR)),
                build(hanging),
                build(ctx -> {
                    throw new IllegalStateException("blew up");
                }));

        for (DeployVerifier verifier : verifiers) {
            VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> verifier.verifyAfterDeploy(Deployment.of("threads", "1.0." + verifiers.indexOf(verifier))));
            assertThat(report.verdict()).isNotNull();
            assertThat(VigilThreads.awaitGone(Duration.ofSeconds(5), before)).as("threads left after " + report.reason()).isEmpty();
        }
        assertThat(running.getCount()).isZero();
    }

    @Test
    void aProbeThatIgnoresInterruptionEndsTheVerificationAtItsTimeoutAndItsThreadIsNamedInAWarning() throws Exception {
        AtomicBoolean release = new AtomicBoolean();
        Probe stubborn = ctx -> {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!release.get() && System.nanoTime() < until) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ignored) {
                    // deliberately swallowed: the fault under test
                }
            }
            return ProbeResult.pass(Map.of(), "released");
        };
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("stubborn", stubborn, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(300)).withMaxAttempts(1))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(1)).withDuration(Duration.ofSeconds(1)))
                .build();
        List<String> before = VigilThreads.alive();

        try (LogCapture log = LogCapture.start()) {
            VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> verifier.verifyAfterDeploy(Deployment.of("stubborn-service", "1.0.0")));

            assertThat(report.verdict()).isNotEqualTo(Verdict.HEALTHY);
            assertThat(report.probes().get(0).measurements().get(0).error()).contains("timed out after 300ms");
            List<String> left = VigilThreads.alive().stream().filter(t -> !before.contains(t)).toList();
            assertThat(left).as("the stuck thread is still there: Java cannot kill it").isNotEmpty()
                    .allSatisfy(name -> assertThat(name).startsWith("vigil-").contains("stubborn-service"));
            assertThat(Thread.getAllStackTraces().keySet().stream().filter(t -> left.contains(t.getName())))
                    .allSatisfy(t -> assertThat(t.isDaemon()).isTrue());
            assertThat(log.text()).contains("ignored interruption", "probe stubborn", left.get(0));
        } finally {
            release.set(true);
        }
        assertThat(VigilThreads.awaitGone(Duration.ofSeconds(5), before)).as("released threads end").isEmpty();
    }

    /**
     * The longest a rollback holds the caller, as RollbackPolicy and docs/rollback.md state it: a
     * trigger that ignores interruption is waited for its timeout, 5 s more for it to end by itself,
     * then interrupted and waited for 4 s more for what it printed; the attempt then fails, not
     * retried, and the verification waits 2 s more at its end for its threads before it leaves the
     * stuck one behind. With a 1 s timeout, about 12 s.
     */
    @Test
    void aRollbackTriggerThatIgnoresInterruptionHoldsTheCallerForItsTimeoutAndElevenSecondsMore() {
        AtomicBoolean release = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(1);
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(10)).withDuration(Duration.ofMillis(10)))
                .recheck(dev.vigil.RecheckPlan.off())
                .rollback(event -> {
                    started.countDown();
                    while (!release.get()) {
                        try {
                            Thread.sleep(50);
                        } catch (InterruptedException ignored) {
                            // Ignored on purpose: the trigger under test does not stop when told to.
                        }
                    }
                    return "rolled back late";
                })
                .rollbackPolicy(RollbackPolicy.defaults().withTimeout(Duration.ofSeconds(1)).withBackoff(Duration.ofMillis(1)))
                .build();
        try {
            long start = System.nanoTime();
            VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(30),
                    () -> verifier.verifyAfterDeploy(Deployment.of("stubborn-rollback", "2.0", "1.0")));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(started.getCount()).isZero();
            assertThat(report.rollback().outcome()).isEqualTo(dev.vigil.RollbackOutcome.FAILED);
            assertThat(report.rollback().error()).contains("timed out after 1s");
            assertThat(report.rollback().attempts()).as("a timed-out attempt is not retried").isEqualTo(1);
            // The lower bound is the rule (each wait is taken); the upper one only says it ends, with room
            // for a loaded machine: a bound close to 12 s would time the machine, not the rule.
            assertThat(took).as("timeout 1s + 5s to end by itself + 4s for its output once interrupted + 2s for the threads")
                    .isBetween(Duration.ofSeconds(11), Duration.ofSeconds(25));
        } finally {
            release.set(true);
        }
    }

    private static DeployVerifier build(Probe probe) {
        return DeployVerifier.builder()
                .probe("health", probe, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(200)).withMaxAttempts(2).withRetryBackoff(Duration.ofMillis(1)))
                .plan(PLAN)
                .rollback(event -> "rolled back")
                .rollbackPolicy(RollbackPolicy.defaults().withBackoff(Duration.ofMillis(1)))
                .rollbackCoordinator(RollbackCoordinator.create())
                .build();
    }
}
