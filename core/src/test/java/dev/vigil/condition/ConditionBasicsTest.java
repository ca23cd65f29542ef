package dev.vigil.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConditionBasicsTest {

    @Test
    void failingComparisonIsExplainedWithItsValue() {
        Evaluation evaluation = Condition.parse("status == 200").evaluate(Map.of("status", 503));

        assertThat(evaluation.result()).isEqualTo(Evaluation.Result.FALSE);
        assertThat(evaluation.explanation()).isEqualTo("status(503) == 200 is false");
        assertThat(evaluation.observed()).containsEntry("status", 503);
    }

    @Test
    void falseConjunctionNamesTheClauseThatFailed() {
        Evaluation evaluation = Condition.parse("status == 200 && latency < 500ms")
                .evaluate(Map.of("status", 200, "latency", Duration.ofMillis(812)));

        assertThat(evaluation.explanation()).isEqualTo("latency(812ms) < 500ms is false");
    }

    @Test
    void trueConjunctionShowsEveryClause() {
        Evaluation evaluation = Condition.parse("status == 200 && body.status == \"UP\" && latency < 500ms")
                .evaluate(Map.of("status", 200, "latency", Duration.ofMillis(120), "body", "{\"status\":\"UP\"}"));

        assertThat(evaluation.isTrue()).isTrue();
        assertThat(evaluation.explanation())
                .isEqualTo("status(200) == 200 && body.status(\"UP\") == \"UP\" && latency(120ms) < 500ms");
    }

    @Test
    void missingJsonFieldMakesTheComparisonFalse() {
        Evaluation evaluation = Condition.parse("body.status == \"UP\"").evaluate(Map.of("body", "{}"));

        assertThat(evaluation.result()).isEqualTo(Evaluation.Result.FALSE);
        assertThat(evaluation.explanation()).isEqualTo("body.status == \"UP\" is false: body.status is missing");
    }

    @Test
    void typeMismatchIsAnError() {
        Evaluation evaluation = Condition.parse("body.count > 10").evaluate(Map.of("body", "{\"count\":\"12\"}"));

        assertThat(evaluation.result()).isEqualTo(Evaluation.Result.ERROR);
        assertThat(evaluation.explanation()).isEqualTo("body.count is a string (\"12\"), cannot compare with a number");
    }

    @Test
    void parseErrorPointsAtTheColumn() {
        assertThatThrownBy(() -> Condition.parse("status == 200 && latency <"))
                .isInstanceOf(ConditionSyntaxException.class)
                .hasMessage("expected a value after '<' at column 27");
    }

    @Test
    void declaredTypesAreCheckedWhenParsed() {
        assertThatThrownBy(() -> Condition.parse("status == \"200\"", Map.of("status", ValueType.NUMBER)))
                .hasMessage("status is a number, cannot compare with a string (at column 8)");
    }
}
