package dev.vigil.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.vigil.Outcome;
import dev.vigil.ProbeResult;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Argo Rollouts' successCondition / failureCondition semantics, with the explanations reports show. */
class CriteriaTest {

    private static final Map<String, ValueType> VALUE = Map.of("value", ValueType.NUMBER);

    static Stream<Arguments> outcomes() {
        return Stream.of(
                arguments("value < 1%", null, 0.001, Outcome.PASS, "value(0.001) < 1%"),
                arguments("value < 0.01", null, 0.031, Outcome.FAIL, "value(0.031) < 0.01 is false"),
                arguments(null, "value > 1%", 0.031, Outcome.FAIL, "value(0.031) > 1%"),
                arguments(null, "value > 1%", 0.005, Outcome.PASS, "value(0.005) > 1% is false"),
                arguments("value < 0.5%", "value > 2%", 0.03, Outcome.FAIL, "value(0.03) > 2%"),
                arguments("value < 0.5%", "value > 2%", 0.001, Outcome.PASS, "value(0.001) < 0.5%"),
                arguments("value < 0.5%", "value > 2%", 0.01, Outcome.INCONCLUSIVE,
                        "neither pass-when nor fail-when held: value(0.01) < 0.5% is false; value(0.01) > 2% is false"),
                arguments("value >= 0", "value > 1", 5.0, Outcome.FAIL, "value(5) > 1"),
                arguments("value < 1%", null, Double.NaN, Outcome.FAIL, "value(NaN) < 1% is false"),
                arguments(null, "value > 1%", Double.NaN, Outcome.INCONCLUSIVE,
                        "fail-when could not be decided: value(NaN) > 1% is false"),
                arguments("!isNaN(value) && value < 1%", "isNaN(value)", Double.NaN, Outcome.FAIL, "isNaN(value(NaN))"));
    }

    @ParameterizedTest(name = "pass-when {0}, fail-when {1}, value {2}")
    @MethodSource("outcomes")
    void outcomeFollowsArgoSemantics(String passWhen, String failWhen, double value, Outcome outcome, String explanation) {
        ProbeResult measurement = Criteria.of(passWhen, failWhen, VALUE).judge(Map.of("value", value));

        assertThat(measurement.explanation()).isEqualTo(explanation);
        assertThat(measurement.outcome()).isEqualTo(outcome);
        assertThat(measurement.values()).containsEntry("value", value);
    }

    @Test
    void conditionThatCannotBeEvaluatedIsAnErrorNamingTheKey() {
        ProbeResult pass = Criteria.passWhen("body.up == true", null).judge(Map.of("body", "<html>"));
        ProbeResult fail = Criteria.of("status == 200", "body.errors > 0", null)
                .judge(Map.of("status", 200, "body", "{\"errors\":\"none\"}"));

        assertThat(pass.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(pass.error()).isEqualTo("pass-when: body is not JSON, cannot read body.up (body is \"<html>\")");
        assertThat(fail.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(fail.error()).isEqualTo("fail-when: body.errors is a string (\"none\"), cannot compare with a number");
        assertThat(fail.values()).containsEntry("body.errors", "none");
    }

    @Test
    void measurementHoldsWhatBothConditionsLookedAt() {
        ProbeResult measurement = Criteria.of("status == 200", "body.errors > 0", null)
                .judge(Map.of("status", 200, "body", "{\"errors\":0}"));

        assertThat(measurement.outcome()).isEqualTo(Outcome.PASS);
        assertThat(measurement.values()).containsEntry("body.errors", 0L).containsEntry("status", 200);
    }

    @Test
    void aFailConditionOnAMissingNameIsInconclusiveNeverAPass() {
        ProbeResult measurement = Criteria.of(null, "body.status == \"DOWN\"", Map.of("body", ValueType.ANY))
                .judge(Map.of("body", "{\"other\":1}"));

        assertThat(measurement.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(measurement.explanation())
                .isEqualTo("fail-when could not be decided: body.status == \"DOWN\" is false: body.status is missing");
    }

    @Test
    void aFailConditionThatCannotBeDecidedIsInconclusiveEvenWhenThePassConditionHolds() {
        // A release renamed the field the guard reads: the guard was not evaluated, so the pass proves nothing.
        ProbeResult missing = Criteria.of("status == 200", "body.checks.db != \"ok\"", Map.of("status", ValueType.NUMBER,
                "body", ValueType.ANY)).judge(Map.of("status", 200, "body", "{\"status\":\"UP\"}"));
        ProbeResult nan = Criteria.of("value >= 0", "value > 1%", VALUE).judge(Map.of("value", Double.NaN));

        assertThat(missing.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(missing.explanation()).startsWith("fail-when could not be decided: body.checks.db != \"ok\"")
                .contains("body.checks.db is missing").endsWith("(pass-when held: status(200) == 200)");
        assertThat(nan.outcome()).as(nan.explanation()).isEqualTo(Outcome.INCONCLUSIVE);
    }

    @Test
    void conditionsThatTestForNaNDecideOnItThemselves() {
        // docs/prometheus-probes.md: a condition that calls isNaN receives NaN as it is and decides itself.
        ProbeResult nan = Criteria.of("isNaN(value) || value < 1%", "value > 5%", VALUE).judge(Map.of("value", Double.NaN));

        assertThat(nan.outcome()).as(nan.explanation()).isEqualTo(Outcome.PASS);
    }

    @Test
    void blankConditionsCountAsAbsent() {
        assertThatThrownBy(() -> Criteria.of(" ", null, VALUE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a probe needs pass-when or fail-when");
        assertThat(Criteria.of("value < 1", "  ", VALUE).failWhen()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"true", "not false", "1 < 2", "(false) || true"})
    void aConditionThatReadsNoValueIsRejectedAsItWouldHoldOrNotWhateverTheServiceAnswers(String constant) {
        assertThatThrownBy(() -> Criteria.of(constant, null, VALUE)).isInstanceOf(ConditionSyntaxException.class)
                .hasMessageStartingWith("pass-when: '" + constant + "' reads none of the probe's values").hasMessageContaining("(value)");
        assertThatThrownBy(() -> Criteria.of("value < 1", constant, null)).isInstanceOf(ConditionSyntaxException.class)
                .hasMessageStartingWith("fail-when: '" + constant + "'");
    }

    @Test
    void badConditionIsRejectedWithItsKey() {
        assertThatThrownBy(() -> Criteria.of("value <", null, VALUE))
                .isInstanceOf(ConditionSyntaxException.class)
                .hasMessage("pass-when: expected a value after '<' at column 8");
        assertThatThrownBy(() -> Criteria.of(null, "valeu > 1", VALUE))
                .hasMessage("fail-when: unknown name 'valeu' at column 1; known names: value");
    }
}
