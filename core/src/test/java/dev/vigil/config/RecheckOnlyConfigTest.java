package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.DeployVerifier;
import dev.vigil.ProbeResult;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A probe's {@code recheck=only}: bound, described, and every use that cannot work named by its key. */
class RecheckOnlyConfigTest {

    /** A probe type whose probes are canary probes: left out of the re-check by default. */
    private static final ProbeFactory CANARY = new ProbeFactory() {
        @Override
        public String type() {
            return "canary";
        }

        @Override
        public List<ConfigKey> keys() {
            return List.of();
        }

        @Override
        public dev.vigil.Probe create(ProbeSettings settings) {
            return context -> ProbeResult.pass(Map.of(), "canary as fast as the baseline");
        }

        @Override
        public boolean defaultRecheck(ProbeSettings settings) {
            return false;
        }
    };

    /** A probe type whose probes are suites with a test tagged INC-1, as a junit probe's. */
    private static final ProbeFactory SUITE = new ProbeFactory() {
        @Override
        public String type() {
            return "suite";
        }

        @Override
        public List<ConfigKey> keys() {
            return List.of();
        }

        @Override
        public dev.vigil.Probe create(ProbeSettings settings) {
            return new dev.vigil.Probe() {
                @Override
                public ProbeResult measure(dev.vigil.ProbeContext context) {
                    return ProbeResult.pass(Map.of(), "2 passed");
                }

                @Override
                public List<String> confirmationTests(String issue) {
                    return issue.equals("INC-1") ? List.of("CheckoutTest#coupons") : List.of();
                }
            };
        }
    };

    private static BoundConfig load(Map<String, String> p) {
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).probeFactory(CANARY).probeFactory(SUITE)
                .build().load(p);
    }

    private static Map<String, String> probes() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "command");
        p.put("vigil.probes.health.command", "true");
        p.put("vigil.probes.previous-version.type", "command");
        p.put("vigil.probes.previous-version.command", "test \"$(cat version)\" = \"${vigil.deployment.previous-version}\"");
        p.put("vigil.deployment.previous-version", "1.9.0");
        return p;
    }

    private static List<String> problems(Map<String, String> p) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> load(p));
        assertThat(e).as("a configuration error").isNotNull();
        return e.problems().stream().map(problem -> problem.key() + ": " + problem.message()).toList();
    }

    @Test
    void aProbeWithRecheckOnlyIsMeasuredInTheRecheckOnlyAndSaidSo() {
        Map<String, String> p = probes();
        p.put("vigil.probes.previous-version.recheck", "only");
        BoundConfig bound = load(p);

        assertThat(bound.recheck().only()).isEqualTo(Set.of("previous-version"));
        assertThat(bound.recheck().unchecked()).isEmpty();
        assertThat(bound.describe()).contains("re-check: 3 rounds after 10s; measured in the re-check only: previous-version");
        try (DeployVerifier verifier = bound.verifier()) {
            assertThat(verifier.probeNames()).containsExactly("health", "previous-version");
        }
        p.put("vigil.probes.previous-version.recheck", " Only ");
        assertThat(load(p).recheck().only()).as("as lenient as the booleans").isEqualTo(Set.of("previous-version"));
    }

    @Test
    void theProbesListMarksAProbeMeasuredInTheRecheckOnly() {
        // Only the re-check: line named it; the probes: list read as if the bake measured it.
        Map<String, String> p = probes();
        p.put("vigil.probes.previous-version.recheck", "only");

        assertThat(load(p).describe()).contains("\n  previous-version (command, re-check only): ")
                .contains("\n  health (command): ");
    }

    @Test
    void aRecheckTurnedOffSaysThatItsProbeIsMeasuredInRehearsalsOnly() {
        // It said "re-check: off" alone: the probe meant to catch a rollback that changed nothing never runs after one.
        Map<String, String> p = probes();
        p.put("vigil.probes.previous-version.recheck", "only");
        p.put("vigil.rollback.recheck.rounds", "0");
        assertThat(load(p).describe()).contains("re-check: off; so previous-version (recheck=only) is measured in rehearsals"
                + " only, never after a real rollback\n");
    }

    @Test
    void trueAndFalseStillReadAsBefore() {
        Map<String, String> p = probes();
        p.put("vigil.probes.previous-version.recheck", "no");
        assertThat(load(p).recheck().unchecked()).isEqualTo(Set.of("previous-version"));
        p.put("vigil.probes.previous-version.recheck", "true");
        assertThat(load(p).recheck().unchecked()).isEmpty();
        assertThat(load(p).recheck().only()).isEmpty();
    }

    @Test
    void anythingElseIsAProblemThatListsTheThreeValues() {
        Map<String, String> p = probes();
        p.put("vigil.probes.previous-version.recheck", "after-rollback");
        assertThat(problems(p)).containsExactly("vigil.probes.previous-version.recheck: must be true, false or only");
    }

    @Test
    void everyProbeMeasuredInTheRecheckOnlyLeavesTheBakeNothingAndIsAProblem() {
        Map<String, String> p = probes();
        p.put("vigil.probes.health.recheck", "only");
        p.put("vigil.probes.previous-version.recheck", "only");
        assertThat(problems(p)).containsExactly("vigil.probes.health.recheck: every probe has recheck=only: the bake would"
                + " measure nothing; add a probe of the deployed version");
    }

    @Test
    void aProbeThatConfirmsFixesOrIsWatchedOrIsACanaryCannotBeMeasuredInTheRecheckOnly() {
        Map<String, String> p = probes();
        p.put("vigil.probes.previous-version.recheck", "only");
        p.put("vigil.probes.previous-version.confirms", "INC-7");
        p.put("vigil.probes.previous-version.watch", "true");
        p.put("vigil.probes.latency.type", "canary");
        p.put("vigil.probes.latency.recheck", "only");
        assertThat(problems(p)).anySatisfy(m -> assertThat(m).startsWith("vigil.probes.previous-version.recheck: only: the"
                        + " probe confirms INC-7, which the bake must see"))
                .anySatisfy(m -> assertThat(m).isEqualTo("vigil.probes.previous-version.watch: true, but recheck=only leaves"
                        + " the probe out of the bake and the watch"))
                .anySatisfy(m -> assertThat(m).startsWith("vigil.probes.latency.recheck: only: a canary probe compares the canary"
                        + " with the baseline"));
    }

    @Test
    void aFixWhoseTaggedTestsRunInTheRecheckOnlyIsNotConfirmedAsVerifyWouldRefuseIt() {
        Map<String, String> p = probes();
        p.put("vigil.deployment.fixes", "INC-1");
        p.put("vigil.probes.suite.type", "suite");
        assertThat(load(p).probes()).as("in the bake, its tagged test confirms INC-1").hasSize(3);

        p.put("vigil.probes.suite.recheck", "only");
        assertThat(problems(p)).singleElement().asString().startsWith("vigil.deployment.fixes: release")
                .contains("fixes INC-1 but no probe confirms it: probe suite: its tests tagged INC-1 run in the re-check only"
                        + " (vigil.probes.suite.recheck=only), not in the bake, so they cannot confirm it;");
    }

    @Test
    void aWatchLeftWithOnlyProbesOfTheRecheckIsAProblem() {
        Map<String, String> p = probes();
        p.put("vigil.plan.watch", "1h");
        p.put("vigil.probes.health.watch", "false");
        p.put("vigil.probes.previous-version.recheck", "only");
        assertThat(problems(p)).anySatisfy(m -> assertThat(m).startsWith("vigil.plan.watch: every probe has watch=false or"
                + " recheck=only: the watch would measure nothing"));
    }
}
