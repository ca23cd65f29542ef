package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The re-check after a rollback waits for the probes' lookback: a timeline in virtual time of a
 * version that fails from its first round, rolled back in that round, and a probe that, like
 * {@code rate(errors[1m])}, fails while the minute before its round holds any of the bad version.
 * The documented rule: unset, the delay is the longer of the interval (10 s) and the longest lookback
 * (1 m), so the first re-check round reads only the previous version and the re-check is HEALTHY.
 */
class RecheckDelayTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");
    private static final Duration WINDOW = Duration.ofMinutes(1);

    private final VirtualTime time = VirtualTime.start();
    private final AtomicReference<Instant> rolledBack = new AtomicReference<>();
    private final List<Instant> measuredAt = new CopyOnWriteArrayList<>();

    /** Errors over the last minute: the bad version ran until the rollback. */
    private final class ErrorsOverTheLastMinute implements Probe {
        private final Duration lookback;

        ErrorsOverTheLastMinute(Duration lookback) {
            this.lookback = lookback;
        }

        @Override
        public ProbeResult measure(ProbeContext context) {
            Instant at = context.time();
            measuredAt.add(at);
            Instant end = rolledBack.get();
            boolean seesTheBadVersion = end == null || at.minus(WINDOW).isBefore(end);
            return seesTheBadVersion ? ProbeResult.fail(Map.of("value", 0.08), "value(0.08) > 1%")
                    : ProbeResult.pass(Map.of("value", 0.0), "value(0) <= 1%");
        }

        @Override
        public Duration lookback() {
            return lookback;
        }
    }

    private VerificationReport verify(Probe probe, RecheckPlan recheck) {
        return DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(5)).withInterval(Duration.ofSeconds(10)))
                .timeSource(time)
                .rollback(RollbackTriggers.callback("record", event -> rolledBack.set(time.now())))
                .recheck(recheck)
                .probe("error-rate", probe)
                .build()
                .verifyAfterDeploy(DEPLOYMENT);
    }

    @Test
    void unsetTheDelayIsTheProbesLookbackWhenLongerThanTheInterval() {
        VerificationReport report = verify(new ErrorsOverTheLastMinute(WINDOW), RecheckPlan.defaults());

        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(report.recheckResult().delay()).isEqualTo(WINDOW);
        assertThat(report.recheckResult().status()).as(report.recheckResult().reason()).isEqualTo(RecheckReport.Status.HEALTHY);
        Instant firstRecheck = measuredAt.get(measuredAt.size() - 3);
        assertThat(Duration.between(rolledBack.get(), firstRecheck)).isGreaterThanOrEqualTo(WINDOW);
    }

    @Test
    void aProbeThatReadsNothingBackKeepsTheIntervalAndItsRecheckSeesTheVersionRolledBack() {
        // What the lookback prevents: the same query, not saying how far back it reads.
        VerificationReport report = verify(new ErrorsOverTheLastMinute(Duration.ZERO), RecheckPlan.defaults());

        assertThat(report.recheckResult().delay()).isEqualTo(Duration.ofSeconds(10));
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.UNHEALTHY);
    }

    @Test
    void aDelayThatIsSetIsUsedAsItIs() {
        VerificationReport report = verify(new ErrorsOverTheLastMinute(WINDOW), RecheckPlan.defaults().withDelay(Duration.ofSeconds(20)));

        assertThat(report.recheckResult().delay()).isEqualTo(Duration.ofSeconds(20));
        assertThat(report.recheckResult().status()).isEqualTo(RecheckReport.Status.UNHEALTHY);
    }

    @Test
    void theDefaultDelayFollowsTheLongestLookbackUpToTenMinutes() {
        VerificationPlan plan = VerificationPlan.defaults().withInterval(Duration.ofSeconds(10));
        RecheckPlan recheck = RecheckPlan.defaults();
        Probe none = context -> ProbeResult.pass(Map.of(), "ok");

        assertThat(recheck.delayFor(plan, List.of(none))).isEqualTo(Duration.ofSeconds(10));
        assertThat(recheck.delayFor(plan, List.of(none, new ErrorsOverTheLastMinute(Duration.ofMinutes(5)), new ErrorsOverTheLastMinute(WINDOW))))
                .isEqualTo(Duration.ofMinutes(5));
        assertThat(recheck.delayFor(plan, List.of(new ErrorsOverTheLastMinute(Duration.ofHours(1)))))
                .isEqualTo(RecheckPlan.LONGEST_DEFAULT_DELAY);
        assertThat(recheck.delayFor(plan.withInterval(Duration.ofMinutes(15)), List.of(new ErrorsOverTheLastMinute(Duration.ofHours(1)))))
                .as("never shorter than the interval").isEqualTo(Duration.ofMinutes(15));
        Probe throwing = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                return ProbeResult.pass(Map.of(), "ok");
            }

            @Override
            public Duration lookback() {
                throw new IllegalStateException("broken");
            }
        };
        assertThat(recheck.delayFor(plan, List.of(throwing))).isEqualTo(Duration.ofSeconds(10));
    }
}
