package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckPlan;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackPolicy;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durations too long for a {@code long} of nanoseconds (about 292 years), which {@code Duration}
 * holds without complaint: a rollback timeout set absurdly high, a probe that reports an absurd
 * duration. Neither may keep a rollback from running or a verification and its reports from
 * finishing.
 */
class HugeDurationsTest {

    private static final Duration MILLENNIUM = Duration.ofDays(365L * 1000);

    @TempDir
    Path dir;

    @Test
    void aRollbackTimeoutOfAThousandYearsStillRollsBack() {
        AtomicInteger rollbacks = new AtomicInteger();
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                .timeSource(VirtualTime.start())
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .recheck(RecheckPlan.off())
                .rollback(RollbackTriggers.callback("record", e -> rollbacks.incrementAndGet()))
                .rollbackPolicy(RollbackPolicy.defaults().withTimeout(MILLENNIUM))
                .build()
                .verifyAfterDeploy(Deployment.of("checkout", "2.0", "1.0"));

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).as(report.rollback().toString()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void aRollbackCommandWithATimeoutOfAThousandYearsRuns() {
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                .timeSource(VirtualTime.start())
                .probe("health", ScriptedProbe.of(Outcome.FAIL))
                .recheck(RecheckPlan.off())
                .rollback(RollbackTriggers.shell("echo rolled back", MILLENNIUM))
                .rollbackPolicy(RollbackPolicy.defaults().withTimeout(MILLENNIUM))
                .build()
                .verifyAfterDeploy(Deployment.of("checkout", "2.0", "1.0"));

        assertThat(report.rollback().outcome()).as(report.rollback().toString()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.rollback().output()).contains("rolled back");
    }

    @Test
    void aProbeReportingAThousandYearsOverALongBakeIsMeasuredAndReported() {
        // 400 rounds: past the measurements kept whole, so most are summarised into runs.
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofSeconds(4000)).withInterval(Duration.ofSeconds(10)))
                .timeSource(VirtualTime.start())
                .probe("health", context -> ProbeResult.pass(Map.of("latency", MILLENNIUM), "up"))
                .rollback(RollbackTriggers.callback("record", e -> { }))
                .build()
                .verifyAfterDeploy(Deployment.of("checkout", "2.0", "1.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probe("health").orElseThrow().passRuns()).first().satisfies(run ->
                assertThat(run.values().get("latency").max()).as("milliseconds").isEqualTo(MILLENNIUM.getSeconds() * 1e3));
        Map<ReportFormat, Path> written = Reports.writeAll(report, dir);
        assertThat(written).containsKeys(ReportFormat.values());
        written.values().forEach(p -> assertThat(p).satisfies(f -> assertThat(Files.size(f)).isPositive()));
    }

    @Test
    void waitingAThousandYearsForAWatchReturnsItsReportWhenItEnds() throws Exception {
        try (DeployVerifier verifier = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                .watch(dev.vigil.WatchPlan.of(Duration.ofMinutes(10), Duration.ofMinutes(1)))
                .timeSource(VirtualTime.start())
                .probe("health", ScriptedProbe.passing())
                .rollback(RollbackTriggers.callback("record", e -> { }))
                .build();
                dev.vigil.Watch watch = verifier.verifyThenWatch(Deployment.of("checkout", "2.0", "1.0"))) {
            assertThat(watch.await(MILLENNIUM)).hasValueSatisfying(r -> assertThat(r.verdict()).isEqualTo(Verdict.HEALTHY));
        }
    }
}
