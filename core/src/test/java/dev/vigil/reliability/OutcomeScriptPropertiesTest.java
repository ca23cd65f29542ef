package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackCoordinator;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
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
 * when every probe ends with a PASS and broke no limit, and its verdict and the number of rounds run
 * are the ones the documented rules give.
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
                    .withMaxInconclusive(maxInconclusive);
        }
    }

    @Property(tries = 1_000, shrinking = ShrinkingMode.BOUNDED)
    void healthyOnlyWhenEveryProbeEndsPassingWithinItsLimitsAndTheVerdictFollowsTheRules(
            @ForAll("scripts") List<Script> scripts, @ForAll @IntRange(min = 1, max = 12) int rounds,
            @ForAll("onInconclusive") VerificationPlan.OnInconclusive onInconclusive) {
        VirtualTime time = VirtualTime.start();
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10))
                        .withDuration(Duration.ofSeconds(10L * rounds)).withOnInconclusive(onInconclusive))
                .rollbackCoordinator(RollbackCoordinator.create())
                .timeSource(time);
        for (int i = 0; i < scripts.size(); i++) {
            builder.probe("p" + i, ScriptedProbe.of(scripts.get(i).outcomes().toArray(Outcome[]::new)), scripts.get(i).limits(),
                    MeasurementPolicy.defaults().withMaxAttempts(1));
        }

        VerificationReport report = builder.build().verifyAfterDeploy(DEPLOYMENT);

        Model model = Model.run(scripts, rounds, onInconclusive);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(model.verdict);
        assertThat(report.rounds()).as("rounds run").isEqualTo(model.roundsRun);
        assertThat(report.detectedAt() != null).as("detectedAt set").isEqualTo(model.verdict == Verdict.UNHEALTHY);
        // on-inconclusive=pass is the user's explicit choice to accept an end without evidence.
        if (report.verdict() == Verdict.HEALTHY && onInconclusive != VerificationPlan.OnInconclusive.PASS) {
            for (int i = 0; i < scripts.size(); i++) {
                ProbeReport probe = report.probes().get(i);
                Script script = scripts.get(i);
                List<Measurement> measured = probe.measurements();
                assertThat(measured).hasSizeGreaterThanOrEqualTo(rounds);
                assertThat(measured.get(measured.size() - 1).outcome()).as("latest measurement").isEqualTo(Outcome.PASS);
                assertThat(count(measured, Outcome.FAIL)).isLessThanOrEqualTo(script.maxFailures());
                assertThat(count(measured, Outcome.INCONCLUSIVE)).isLessThanOrEqualTo(script.maxInconclusive());
                assertThat(longestErrorRun(measured)).isLessThanOrEqualTo(script.maxConsecutiveErrors());
                assertThat(probe.status()).isEqualTo(ProbeReport.Status.PASSED);
            }
        }
    }

    /**
     * The rules of docs/RELIABILITY.md ("How it decides"), computed without the engine: limits break
     * at once; max-inconclusive is sticky but the bake goes on; after the planned rounds, probes whose
     * latest outcome is not PASS are measured again for at most as many extra rounds as were planned,
     * joined in an extra round by a passing probe whose PASS is older than an interval by then (measured
     * two rounds ago or earlier); HEALTHY needs every probe's latest outcome to be PASS; on-inconclusive
     * applies at the end.
     */
    private static final class Model {
        final List<Script> scripts;
        final int[] calls;
        final int[] failures;
        final int[] inconclusive;
        final int[] errorRun;
        final Outcome[] latest;
        /** The round each probe was last measured in. */
        final int[] lastRound;
        Verdict verdict;
        int roundsRun;

        private Model(List<Script> scripts) {
            this.scripts = scripts;
            int n = scripts.size();
            calls = new int[n];
            failures = new int[n];
            inconclusive = new int[n];
            errorRun = new int[n];
            latest = new Outcome[n];
            lastRound = new int[n];
        }

        static Model run(List<Script> scripts, int rounds, VerificationPlan.OnInconclusive onInconclusive) {
            Model m = new Model(scripts);
            List<Integer> all = java.util.stream.IntStream.range(0, scripts.size()).boxed().toList();
            for (int round = 1; round <= rounds; round++) {
                if (m.round(all)) {
                    return m;
                }
            }
            for (int extra = 0; extra < rounds; extra++) {
                List<Integer> unsettled = all.stream().filter(i -> !m.stuck(i) && m.latest[i] != Outcome.PASS).toList();
                if (unsettled.isEmpty()) {
                    break;
                }
                int due = m.roundsRun + 1;
                List<Integer> probed = all.stream().filter(i -> unsettled.contains(i)
                        || !m.stuck(i) && m.latest[i] == Outcome.PASS && due - m.lastRound[i] >= 2).toList();
                if (m.round(probed)) {
                    return m;
                }
            }
            boolean evidence = all.stream().allMatch(i -> !m.stuck(i) && m.latest[i] == Outcome.PASS);
            m.verdict = evidence ? Verdict.HEALTHY : whenInconclusive(onInconclusive);
            return m;
        }

        boolean stuck(int i) {
            return inconclusive[i] > scripts.get(i).maxInconclusive();
        }

        /** One round of the given probes; true when it made the deployment unhealthy. */
        boolean round(List<Integer> probes) {
            roundsRun++;
            boolean unhealthy = false;
            for (int i : probes) {
                Script s = scripts.get(i);
                Outcome outcome = s.at(++calls[i]);
                latest[i] = outcome;
                lastRound[i] = roundsRun;
                switch (outcome) {
                    case PASS -> errorRun[i] = 0;
                    case FAIL -> {
                        errorRun[i] = 0;
                        unhealthy |= ++failures[i] > s.maxFailures();
                    }
                    case ERROR -> unhealthy |= ++errorRun[i] > s.maxConsecutiveErrors();
                    case INCONCLUSIVE -> {
                        errorRun[i] = 0;
                        inconclusive[i]++;
                    }
                }
            }
            if (unhealthy) {
                verdict = Verdict.UNHEALTHY;
            }
            return unhealthy;
        }
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
