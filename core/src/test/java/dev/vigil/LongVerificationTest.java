package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A long verification through the verifier, in virtual time: what its report keeps, and that nothing grows with its length. */
class LongVerificationTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    @Test
    void aDayAtOneMinuteKeepsTheErrorsAndTheFailureWholeWithTheirContextAndSummarisesThePasses() {
        VirtualTime time = VirtualTime.start();
        AtomicInteger heard = new AtomicInteger();
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInitialDelay(Duration.ZERO).withDuration(Duration.ofHours(24))
                        .withInterval(Duration.ofMinutes(1)))
                .timeSource(time)
                .probe("health", ctx -> switch (ctx.round()) {
                    case 700, 701 -> ProbeResult.error("connection refused");
                    case 1200 -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200");
                    default -> ProbeResult.pass(Map.of("status", 200, "latency", Duration.ofMillis(10 + ctx.round() % 7)),
                            "status(200) == 200");
                }, ProbeLimits.defaults().withMaxFailures(1))
                .listener(new VerificationListener() {
                    @Override
                    public void measured(Measurement measurement) {
                        heard.incrementAndGet();
                    }
                })
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.rounds()).isEqualTo(1440);
        assertThat(heard).as("listeners still hear every measurement").hasValue(1440);
        ProbeReport probe = report.probe("health").orElseThrow();
        assertThat(probe.passes()).isEqualTo(1437);
        assertThat(probe.errors()).isEqualTo(2);
        assertThat(probe.failures()).isEqualTo(1);
        Set<Integer> kept = new HashSet<>();
        probe.measurements().forEach(m -> kept.add(m.round()));
        assertThat(kept).containsExactlyInAnyOrder(1, 697, 698, 699, 700, 701, 702, 703, 704,
                1197, 1198, 1199, 1200, 1201, 1202, 1203, 1440);
        assertThat(probe.measurements()).filteredOn(m -> m.round() == 1200).singleElement()
                .satisfies(m -> assertThat(m.explanation()).isEqualTo("status(503) == 200"));
        assertThat(probe.passRuns().stream().mapToInt(PassRun::count).sum() + probe.measurements().size()).isEqualTo(1440);
        assertThat(probe.passRuns()).hasSizeLessThanOrEqualTo(MeasurementLog.MAX_RUNS)
                .allSatisfy(run -> assertThat(run.values().get("latency")).satisfies(l -> {
                    assertThat(l.unit()).isEqualTo("ms");
                    assertThat(l.min()).isGreaterThanOrEqualTo(10);
                    assertThat(l.max()).isLessThanOrEqualTo(16);
                }));
    }

    @Test
    void anHourAtTenSecondsKeepsEveryMeasurementAsBefore() {
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInitialDelay(Duration.ZERO).withDuration(Duration.ofHours(1))
                        .withInterval(Duration.ofSeconds(10)))
                .timeSource(VirtualTime.start())
                .probe("health", ctx -> ProbeResult.pass(Map.of("status", 200), "status(200) == 200"))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        ProbeReport probe = report.probe("health").orElseThrow();
        assertThat(probe.measurements()).hasSize(360);
        assertThat(probe.passRuns()).isEmpty();
    }

    @Test
    void aHostStarvedForHoursNamesTheFirstSkipsAndCountsTheRest() {
        VirtualTime time = VirtualTime.start();
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInitialDelay(Duration.ZERO).withDuration(Duration.ofHours(2))
                        .withInterval(Duration.ofSeconds(10)))
                .timeSource(time)
                .probe("health", ctx -> {
                    time.pass(Duration.ofSeconds(15));
                    return ProbeResult.pass(Map.of(), "ok");
                }, ProbeLimits.defaults(), MeasurementPolicy.defaults().withTimeout(Duration.ofSeconds(30)))
                .build()
                .verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.schedule().skippedRounds()).isGreaterThan(100);
        assertThat(report.schedule().notes()).hasSize(Schedule.MAX_NOTES + 1);
        assertThat(report.schedule().notes().get(0)).matches("1 round skipped: round \\d+ took 15s");
        assertThat(report.schedule().notes().get(Schedule.MAX_NOTES))
                .matches("\\d+ more skips after those, \\d+ planned rounds in all, not listed one by one");
    }
}
