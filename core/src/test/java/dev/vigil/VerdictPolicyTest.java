package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.VerificationPlan.OnInconclusive;
import dev.vigil.testkit.ScriptedProbe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict policy driven directly, as a function of the measurements so far. */
class VerdictPolicyTest {

    private static final VerificationPlan PLAN = VerificationPlan.defaults();

    private static Tracker.Standing standing(String name, ProbeLimits limits, Outcome... outcomes) {
        Tracker tracker = new Tracker(new ProbeSpec(name, ScriptedProbe.passing(), limits, MeasurementPolicy.defaults()));
        for (Outcome outcome : outcomes) {
            ProbeResult found = outcome == Outcome.ERROR ? ProbeResult.error("connection refused")
                    : ProbeResult.of(outcome, Map.of(), outcome.name().toLowerCase());
            tracker.record(found.completed(name, 1, java.time.Instant.EPOCH, 1, java.time.Duration.ZERO));
        }
        return tracker.standing();
    }

    private static Tracker.Standing standing(String name, Outcome... outcomes) {
        return standing(name, ProbeLimits.defaults(), outcomes);
    }

    @Test
    void aBrokenLimitOfHealthIsUnhealthyAtOnceAndNamesIt() {
        assertThat(VerdictPolicy.unhealthy(List.of(standing("health", Outcome.PASS, Outcome.FAIL))))
                .hasValueSatisfying(reason -> assertThat(reason).startsWith("probe health failed once (max-failures 0)"));
        assertThat(VerdictPolicy.unhealthy(List.of(standing("health", Outcome.ERROR, Outcome.ERROR)))).isEmpty();
    }

    @Test
    void onlyProbesWhoseLatestMeasurementIsNotAPassAndThatAreNotInconclusiveAreMeasuredAgain() {
        List<Tracker.Standing> standings = List.of(
                standing("passing", Outcome.ERROR, Outcome.PASS),
                standing("erring", Outcome.PASS, Outcome.ERROR),
                standing("never-measured"),
                standing("inconclusive", Outcome.INCONCLUSIVE, Outcome.ERROR));

        assertThat(VerdictPolicy.toSettle(standings)).containsExactly("erring", "never-measured");
    }

    @Test
    void healthyNeedsEveryLatestMeasurementToBeAPass() {
        VerdictPolicy.Decision healthy = VerdictPolicy.atEnd(PLAN, List.of(standing("a", Outcome.ERROR, Outcome.PASS)), 2, 0);
        VerdictPolicy.Decision unknown = VerdictPolicy.atEnd(PLAN,
                List.of(standing("a", Outcome.PASS), standing("b", Outcome.PASS, Outcome.ERROR, Outcome.ERROR)), 3, 1);

        assertThat(healthy.verdict()).isEqualTo(Verdict.HEALTHY);
        assertThat(unknown.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(unknown.reason()).isEqualTo("probe b: the last 2 measurements were ERROR (connection refused);"
                + " the service's state at the end of the bake is unknown"
                + " (end-of-bake rule: measured again in 1 extra round without a PASS)");
    }

    @Test
    void onInconclusiveDecidesOnlyAnInconclusiveEnd() {
        List<Tracker.Standing> inconclusive = List.of(standing("a", Outcome.INCONCLUSIVE, Outcome.PASS));

        assertThat(VerdictPolicy.atEnd(PLAN, inconclusive, 2, 0).verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(VerdictPolicy.atEnd(PLAN.withOnInconclusive(OnInconclusive.ROLLBACK), inconclusive, 2, 0).verdict())
                .isEqualTo(Verdict.UNHEALTHY);
        assertThat(VerdictPolicy.atEnd(PLAN.withOnInconclusive(OnInconclusive.PASS), inconclusive, 2, 0).verdict())
                .isEqualTo(Verdict.HEALTHY);
        assertThat(VerdictPolicy.atEnd(PLAN.withOnInconclusive(OnInconclusive.ROLLBACK),
                List.of(standing("a", Outcome.PASS)), 1, 0).verdict()).isEqualTo(Verdict.HEALTHY);
    }

    @Test
    void theExtraRoundsAreAtMostAsManyAsPlanned() {
        assertThat(VerdictPolicy.settlingCap(PLAN)).isEqualTo(PLAN.rounds()).isEqualTo(30);
    }
}
