package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.DeployVerifier;
import dev.vigil.VerificationPlan;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Plans no bake can run, refused when they are given, the same way in Java and in properties: more
 * rounds than {@link VerificationPlan#MAX_ROUNDS} (a 1 ns interval over 100 years, about 3 × 10^18
 * rounds), and durations longer than {@link VerificationPlan#LONGEST_DURATION}.
 */
class PlanLimitsTest {

    private static final Duration CENTURY = Duration.ofDays(36_500);

    private static VigilConfig config() {
        return BareDurationTest.config(Map.of());
    }

    private static Map<String, String> health() {
        return BareDurationTest.health();
    }

    private static ConfigProblem problemOf(Map<String, String> p, String key) {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config().load(p));
        assertThat(e).as("refused").isNotNull();
        return e.problems().stream().filter(problem -> problem.key().equals(key)).findFirst().orElseThrow(() -> e);
    }

    @Test
    void aPlanOfMoreRoundsThanTheMaximumIsRefusedByTheBuilderNamingItsValuesAndTheMaximum() {
        VerificationPlan absurd = VerificationPlan.defaults().withInterval(Duration.ofNanos(1)).withDuration(CENTURY);

        assertThatThrownBy(() -> DeployVerifier.builder().plan(absurd))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the plan's interval (PT0.000000001S) over its duration (PT876000H) makes 2147483647 or more"
                        + " rounds, more than the 1000000 a bake may have (VerificationPlan.MAX_ROUNDS): raise the interval"
                        + " or shorten the duration");
        VerificationPlan justOver = VerificationPlan.defaults().withInterval(Duration.ofSeconds(1))
                .withDuration(Duration.ofSeconds(VerificationPlan.MAX_ROUNDS + 1L));
        assertThatThrownBy(() -> DeployVerifier.builder().plan(justOver)).hasMessageContaining("makes 1000001 rounds");
        assertThat(DeployVerifier.builder().plan(justOver.withDuration(Duration.ofSeconds(VerificationPlan.MAX_ROUNDS))))
                .isNotNull();
    }

    @Test
    void aPlanOfMoreRoundsThanTheMaximumIsAConfigurationProblemOfTheInterval() {
        Map<String, String> p = health();
        p.put("vigil.plan.interval", "1ns");
        p.put("vigil.plan.duration", "36500d");

        assertThat(problemOf(p, "vigil.plan.interval").message()).isEqualTo("PT0.000000001S over vigil.plan.duration (36500d)"
                + " makes 2147483647 or more rounds, more than the 1000000 a bake may have; raise the interval or shorten"
                + " the duration");

        p.put("vigil.plan.interval", "1s");
        p.put("vigil.plan.duration", "1000001s");
        assertThat(problemOf(p, "vigil.plan.interval").message()).contains("makes 1000001 rounds");
        p.put("vigil.plan.duration", "1000000s");
        assertThat(config().load(p).plan().rounds()).isEqualTo(VerificationPlan.MAX_ROUNDS);
    }

    @Test
    void aDurationLongerThanACountOfMillisecondsIsRefusedInJavaAsInProperties() {
        Duration tooLong = Duration.ofSeconds(Long.MAX_VALUE);

        assertThatThrownBy(() -> VerificationPlan.defaults().withDuration(tooLong))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("duration " + tooLong + " is longer than a plan takes: at most "
                        + VerificationPlan.LONGEST_DURATION);
        assertThatThrownBy(() -> VerificationPlan.defaults().withInitialDelay(tooLong)).hasMessageStartingWith("initial-delay ");
        assertThatThrownBy(() -> VerificationPlan.defaults().withInterval(tooLong)).hasMessageStartingWith("interval ");
        assertThat(VerificationPlan.defaults().withDuration(VerificationPlan.LONGEST_DURATION).duration())
                .isEqualTo(VerificationPlan.LONGEST_DURATION);
        assertThat(VerificationPlan.LONGEST_DURATION).isEqualTo(Values.LONGEST_DURATION);

        Map<String, String> p = health();
        p.put("vigil.plan.duration", Long.MAX_VALUE + "s");
        assertThat(problemOf(p, "vigil.plan.duration").message()).startsWith("is longer than a count of milliseconds holds");
    }
}
