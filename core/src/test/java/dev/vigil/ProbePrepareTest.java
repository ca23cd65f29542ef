package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * {@link Probe#prepare}: once, before the first round of a bake or a rehearsal, outside every
 * measurement's timeout; a probe that cannot get ready is measured all the same.
 */
class ProbePrepareTest {

    private final VirtualTime time = VirtualTime.start();
    private final List<String> events = new CopyOnWriteArrayList<>();

    /** Records what it is asked to do; {@code prepare} throws when told to. */
    private final class Recording implements Probe {
        private final boolean failsToPrepare;

        Recording(boolean failsToPrepare) {
            this.failsToPrepare = failsToPrepare;
        }

        @Override
        public void prepare() {
            events.add("prepare");
            if (failsToPrepare) {
                throw new IllegalStateException("no TLS context");
            }
        }

        @Override
        public ProbeResult measure(ProbeContext context) {
            events.add("measure " + context.round());
            return ProbeResult.pass(Map.of("status", 200), "status(200) == 200");
        }
    }

    private DeployVerifier verifier(Probe probe) {
        return DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withDuration(Duration.ofMinutes(3)).withInterval(Duration.ofMinutes(1)))
                .timeSource(time)
                .probe("health", probe)
                .rollback(RollbackTriggers.callback("record", e -> { }))
                .build();
    }

    @Test
    void aBakePreparesEachProbeOnceBeforeItsFirstMeasurement() {
        VerificationReport report = verifier(new Recording(false)).verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(events).containsExactly("prepare", "measure 1", "measure 2", "measure 3");
    }

    @Test
    void aProbeThatCannotGetReadyIsMeasuredAllTheSame() {
        VerificationReport report = verifier(new Recording(true)).verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(events).containsExactly("prepare", "measure 1", "measure 2", "measure 3");
    }

    @Test
    void aRehearsalPreparesTheProbesOfItsRecheck() {
        RehearsalReport report = verifier(new Recording(false))
                .rehearseRollback(Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("staging"));

        assertThat(report.outcome()).as(report.reason()).isEqualTo(RehearsalReport.Outcome.REHEARSED);
        assertThat(events).first().isEqualTo("prepare");
        assertThat(events).filteredOn("prepare"::equals).hasSize(1);
        assertThat(events).filteredOn(e -> e.startsWith("measure")).isNotEmpty();
    }
}
