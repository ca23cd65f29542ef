package dev.vigil.condition;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Measurement;
import dev.vigil.Outcome;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CriteriaTest {

    private static final Map<String, ValueType> VALUE = Map.of("value", ValueType.NUMBER);

    @Test
    void onlyPassWhenThatDoesNotHoldFails() {
        Measurement measurement = Criteria.passWhen("value < 0.01", VALUE).judge(Map.of("value", 0.031));

        assertThat(measurement.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(measurement.explanation()).isEqualTo("value(0.031) < 0.01 is false");
        assertThat(measurement.values()).containsEntry("value", 0.031);
    }

    @Test
    void failWhenThatHoldsFails() {
        Measurement measurement = Criteria.of(null, "value > 1%", VALUE).judge(Map.of("value", 0.031));

        assertThat(measurement.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(measurement.explanation()).isEqualTo("value(0.031) > 1%");
    }

    @Test
    void onlyFailWhenThatDoesNotHoldPasses() {
        Measurement measurement = Criteria.of(null, "value > 1%", VALUE).judge(Map.of("value", 0.005));

        assertThat(measurement.outcome()).isEqualTo(Outcome.PASS);
        assertThat(measurement.explanation()).isEqualTo("value(0.005) > 1% is false");
    }

    @Test
    void neitherConditionHoldingIsInconclusive() {
        Measurement measurement = Criteria.of("value < 0.5%", "value > 2%", VALUE).judge(Map.of("value", 0.01));

        assertThat(measurement.outcome()).isEqualTo(Outcome.INCONCLUSIVE);
        assertThat(measurement.explanation())
                .isEqualTo("neither pass-when nor fail-when held: value(0.01) < 0.5% is false; value(0.01) > 2% is false");
    }

    @Test
    void conditionThatCannotBeEvaluatedIsAnError() {
        Measurement measurement = Criteria.passWhen("body.up == true", null).judge(Map.of("body", "<html>"));

        assertThat(measurement.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(measurement.error()).isEqualTo("pass-when: body is not JSON, cannot read body.up (body is \"<html>\")");
    }
}
