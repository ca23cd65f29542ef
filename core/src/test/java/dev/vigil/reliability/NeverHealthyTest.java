package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** No fault ever ends a verification HEALTHY, however generous the limits, alone or next to a healthy probe. */
class NeverHealthyTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    static Stream<Arguments> faults() {
        List<Arguments> cases = new ArrayList<>();
        for (Map.Entry<String, Probe> fault : FaultProbes.all().entrySet()) {
            for (ProbeLimits limits : List.of(ProbeLimits.defaults(), generous())) {
                for (VerificationPlan.OnInconclusive onInconclusive :
                        List.of(VerificationPlan.OnInconclusive.FAIL, VerificationPlan.OnInconclusive.ROLLBACK)) {
                    for (boolean withHealthyNeighbour : List.of(false, true)) {
                        cases.add(Arguments.of(fault.getKey(), fault.getValue(), limits, onInconclusive, withHealthyNeighbour));
                    }
                }
            }
        }
        return cases.stream();
    }

    private static ProbeLimits generous() {
        return ProbeLimits.defaults().withMaxFailures(100).withMaxConsecutiveErrors(100).withMaxInconclusive(100);
    }

    @ParameterizedTest(name = "a probe that {0} (limits {2}, on-inconclusive {3}, healthy neighbour {4})")
    @MethodSource("faults")
    void aFaultyProbeNeverEndsHealthy(String fault, Probe probe, ProbeLimits limits,
            VerificationPlan.OnInconclusive onInconclusive, boolean withHealthyNeighbour) {
        VirtualTime time = VirtualTime.start();
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30))
                        .withOnInconclusive(onInconclusive))
                .timeSource(time);
        if (withHealthyNeighbour) {
            builder.probe("healthy", ScriptedProbe.passing());
        }
        builder.probe("faulty", probe, limits,
                MeasurementPolicy.defaults().withTimeout(Duration.ofMillis(300)).withMaxAttempts(2).withRetryBackoff(Duration.ofMillis(1)));

        VerificationReport report = assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> builder.build().verifyAfterDeploy(DEPLOYMENT));

        assertThat(report.verdict()).as(report.reason()).isNotEqualTo(Verdict.HEALTHY);
        ProbeReport faulty = report.probes().stream().filter(p -> p.name().equals("faulty")).findFirst().orElseThrow();
        assertThat(faulty.measurements()).isNotEmpty()
                .allSatisfy(m -> assertThat(m.outcome()).isNotEqualTo(Outcome.PASS));
        assertThat(report.reason()).isNotBlank();
    }
}
