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

    @Test
    void observedHoldsEveryValueLookedAtByTheNameUsed() {
        Evaluation evaluation = Condition.parse("status == 200 && body.items[0].id == \"a\" && has(body.missing) || latency < 1s")
                .evaluate(Map.of("status", 200, "latency", Duration.ofMillis(5),
                        "body", "{\"items\":[{\"id\":\"a\",\"n\":1}],\"ratio\":0.5}"));

        assertThat(evaluation.isTrue()).isTrue();
        assertThat(evaluation.observed()).containsExactly(
                org.assertj.core.api.Assertions.entry("status", 200),
                org.assertj.core.api.Assertions.entry("body.items[0].id", "a"),
                org.assertj.core.api.Assertions.entry("latency", Duration.ofMillis(5)));
    }

    @Test
    void observedJsonValuesArePlainJava() {
        Evaluation evaluation = Condition.parse("body.items != null && body.n == 3 && body.r > 0")
                .evaluate(Map.of("body", "{\"items\":[1,{\"k\":true}],\"n\":3,\"r\":0.25}"));

        assertThat(evaluation.observed()).containsEntry("body.items", java.util.List.of(1, Map.of("k", true)))
                .containsEntry("body.n", 3L)
                .containsEntry("body.r", 0.25);
    }

    @Test
    void evaluationStopsAtTheClauseThatDecides() {
        Condition condition = Condition.parse("status == 200 || nowhere.x == 1");

        assertThat(condition.evaluate(Map.of("status", 200)).result()).isEqualTo(Evaluation.Result.TRUE);
        assertThat(condition.evaluate(Map.of("status", 500)).explanation())
                .isEqualTo("unknown name 'nowhere'; known names: status");
    }

    @Test
    void jsonNodeValuesAreNavigated() throws Exception {
        Object body = new com.fasterxml.jackson.databind.ObjectMapper().readTree("{\"status\":\"UP\",\"checks\":[{\"ok\":true}]}");

        Evaluation evaluation = Condition.parse("body.status == 'UP' && body.checks[0].ok").evaluate(Map.of("body", body));

        assertThat(evaluation.explanation()).isEqualTo("body.status(\"UP\") == 'UP' && body.checks[0].ok(true)");
    }

    @Test
    void noValuesAtAllIsAnErrorNotAnException() {
        Evaluation evaluation = Condition.parse("status == 200").evaluate(null);

        assertThat(evaluation.result()).isEqualTo(Evaluation.Result.ERROR);
        assertThat(evaluation.explanation()).isEqualTo("unknown name 'status'; known names: ");
    }

    @Test
    void oneConditionIsEvaluatedConcurrentlyWithTheSameResults() {
        Condition condition = Condition.parse("body.status =~ \"^UP$\" && latency < 500ms");

        java.util.List<String> explanations = java.util.stream.IntStream.range(0, 2_000).parallel()
                .mapToObj(i -> condition.evaluate(Map.of("latency", Duration.ofMillis(i % 1000),
                        "body", "{\"status\":\"UP\"}")))
                .map(Evaluation::explanation)
                .collect(java.util.stream.Collectors.toList());

        for (int i = 0; i < explanations.size(); i++) {
            String latency = (i % 1000) + "ms";
            assertThat(explanations.get(i)).isEqualTo(i % 1000 < 500
                    ? "body.status(\"UP\") =~ \"^UP$\" && latency(" + latency + ") < 500ms"
                    : "latency(" + latency + ") < 500ms is false");
        }
    }

    @Test
    void sourceAndToStringAreTheConditionAsWritten() {
        Condition condition = Condition.parse("  status  ==  200 ");

        assertThat(condition.source()).isEqualTo("  status  ==  200 ");
        assertThat(condition).hasToString("  status  ==  200 ");
        assertThat(condition.evaluate(Map.of("status", 200)).explanation()).isEqualTo("status(200) == 200");
    }
}
