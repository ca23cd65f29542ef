package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackCoordinator;
import dev.vigil.testkit.ScriptedProbe;
import dev.vigil.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.constraints.IntRange;

/**
 * Over random scripts of outcomes, random limits and random plans: a verification is HEALTHY only
 * when every probe had a PASS and broke no limit, and its verdict is the one the limits' rules give.
 */
class OutcomeScriptPropertiesTest {

    private static final Deployment DEPLOYMENT = Deployment.of("checkout", "2.4.1", "2.4.0");

    /** One probe: what it answers round after round (the last answer repeats) and its limits. */
    record Script(List<Outcome> outcomes, int maxFailures, int maxConsecutiveErrors, int maxInconclusive) {
        Outcome at(int round) {
            return outcomes.get(Math.min(round - 1, outcomes.size() - 1));
        }

        ProbeLimits limits() {
            return ProbeLimits.defaults().withMaxFailures(maxFailures).withMaxConsecutiveErrors(maxConsecutiveErrors)
                    .withMaxInconclusive(maxInconclusive).withMaxAttempts(1);
        }
    }

    @Property(tries = 1_000, shrinking = ShrinkingMode.BOUNDED)
    void healthyOnlyWhenEveryProbePassedAndNoLimitBrokeAndTheVerdictFollowsTheRules(
            @ForAll("scripts") List<Script> scripts, @ForAll @IntRange(min = 1, max = 12) int rounds,
            @ForAll("onInconclusive") VerificationPlan.OnInconclusive onInconclusive) {
        VirtualTime time = VirtualTime.start();
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10))
                        .withDuration(Duration.ofSeconds(10L * rounds)).withOnInconclusive(onInconclusive))
                .rollbackCoordinator(RollbackCoordinator.create())
                .clock(time)
                .sleeper(time);
        for (int i = 0; i < scripts.size(); i++) {
            builder.probe("p" + i, ScriptedProbe.of(scripts.get(i).outcomes().toArray(Outcome[]::new)), scripts.get(i).limits());
        }

        VerificationReport report = builder.build().verifyAfterDeploy(DEPLOYMENT);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(expected(scripts, rounds, onInconclusive));
        // on-inconclusive=pass is the user's explicit choice to accept an end without evidence.
        if (report.verdict() == Verdict.HEALTHY && onInconclusive != VerificationPlan.OnInconclusive.PASS) {
            assertThat(report.rounds()).isEqualTo(rounds);
            for (int i = 0; i < scripts.size(); i++) {
                ProbeReport probe = report.probes().get(i);
                Script script = scripts.get(i);
                List<Measurement> measured = probe.measurements();
                assertThat(measured).hasSize(rounds);
                assertThat(measured).anySatisfy(m -> assertThat(m.outcome()).isEqualTo(Outcome.PASS));
                assertThat(count(measured, Outcome.FAIL)).isLessThanOrEqualTo(script.maxFailures());
                assertThat(count(measured, Outcome.INCONCLUSIVE)).isLessThanOrEqualTo(script.maxInconclusive());
                assertThat(longestErrorRun(measured)).isLessThanOrEqualTo(script.maxConsecutiveErrors());
                assertThat(probe.status()).isEqualTo(ProbeReport.Status.PASSED);
            }
        }
    }

    /** The verdict the rules of the design give, computed without the engine. */
    private static Verdict expected(List<Script> scripts, int rounds, VerificationPlan.OnInconclusive onInconclusive) {
        int n = scripts.size();
        int[] passes = new int[n];
        int[] failures = new int[n];
        int[] inconclusive = new int[n];
        int[] errorRun = new int[n];
        for (int round = 1; round <= rounds; round++) {
            boolean unhealthy = false;
            boolean unclear = false;
            for (int i = 0; i < n; i++) {
                Script s = scripts.get(i);
                switch (s.at(round)) {
                    case PASS -> {
                        passes[i]++;
                        errorRun[i] = 0;
                    }
                    case FAIL -> {
                        errorRun[i] = 0;
                        unhealthy |= ++failures[i] > s.maxFailures();
                    }
                    case ERROR -> unhealthy |= ++errorRun[i] > s.maxConsecutiveErrors();
                    case INCONCLUSIVE -> {
                        errorRun[i] = 0;
                        unclear |= ++inconclusive[i] > s.maxInconclusive();
                    }
                }
            }
            if (unhealthy) {
                return Verdict.UNHEALTHY;
            }
            if (unclear) {
                return whenInconclusive(onInconclusive);
            }
        }
        for (int i = 0; i < n; i++) {
            if (passes[i] == 0) {
                return whenInconclusive(onInconclusive);
            }
        }
        return Verdict.HEALTHY;
    }

    private static Verdict whenInconclusive(VerificationPlan.OnInconclusive onInconclusive) {
        return switch (onInconclusive) {
            case FAIL -> Verdict.INCONCLUSIVE;
            case ROLLBACK -> Verdict.UNHEALTHY;
            case PASS -> Verdict.HEALTHY;
        };
    }

    private static long count(List<Measurement> measured, Outcome outcome) {
        return measured.stream().filter(m -> m.outcome() == outcome).count();
    }

    private static int longestErrorRun(List<Measurement> measured) {
        int longest = 0;
        int run = 0;
        for (Measurement m : measured) {
            run = m.outcome() == Outcome.ERROR ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return longest;
    }

    @Provide
    Arbitrary<List<Script>> scripts() {
        Arbitrary<List<Outcome>> outcomes = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.just(Outcome.PASS)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Outcome.FAIL)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Outcome.ERROR)),
                net.jqwik.api.Tuple.of(1, Arbitraries.just(Outcome.INCONCLUSIVE))).list().ofMinSize(1).ofMaxSize(12);
        Arbitrary<Integer> limit = Arbitraries.integers().between(0, 3);
        return Combinators.combine(outcomes, limit, limit, limit).as(Script::new).list().ofMinSize(1).ofMaxSize(3);
    }

    @Provide
    Arbitrary<VerificationPlan.OnInconclusive> onInconclusive() {
        return Arbitraries.of(VerificationPlan.OnInconclusive.class);
    }
}
