package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.condition.Condition;
import dev.vigil.condition.ConditionSyntaxException;
import dev.vigil.condition.Evaluation;
import dev.vigil.condition.ValueType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.junit.jupiter.api.Test;

/**
 * Whatever text a user writes as a condition, parsing it either gives a condition or a
 * {@link ConditionSyntaxException} that names a column inside the text; evaluating a parsed
 * condition against whatever a probe measured never throws.
 */
class ConditionParserPropertiesTest {

    private static final Map<String, ValueType> DECLARED = Map.of(
            "status", ValueType.NUMBER,
            "latency", ValueType.DURATION,
            "body", ValueType.ANY,
            "header", ValueType.ANY,
            "value", ValueType.NUMBER,
            "up", ValueType.BOOLEAN);

    private static final List<String> TOKENS = List.of(
            "status", "latency", "value", "body", "body.status", "body.items[0]", "body['a.b']", "body.a.b[12].c",
            "header.Content-Type", "up", "unknown", "in", "not", "and", "or", "true", "false", "null",
            "==", "!=", "<", "<=", ">", ">=", "&&", "||", "!", "=~", "!~", "(", ")", "[", "]", ",", ".",
            "200", "-1.5", "0.031", "1e3", "2.5E-3", "1e999", "-0", "1%", "150%", "500ms", "1.5s", "1.5ns", "2m", "1h",
            "40ns", "250us", "250µs", "99999999999999999999999h", "1e9999999999", "1e99999ms", "9e18s", "-9e18s",
            "\"UP\"", "'UP'", "\"say \\\"hi\\\"\"", "\"\\u00e9\"", "\"\\uZZZZ\"", "\"(\"", "\"[\"", "\"unterminated",
            "\"a+\"", "\"(\"", "\"[a-\"", "\"(?<x>\"",
            "len(", "isNaN(", "has(", "lower(", "nosuchfn(", "isNaN", " ", "\t", "\n", "#", "$", "@", "\u0000", "\uD83D\uDE00");

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
    void anyTextParsesOrFailsWithAColumnInsideIt(@ForAll("anyText") String source) {
        checkParse(source, false);
        checkParse(source, true);
    }

    @Property(tries = 10_000, shrinking = ShrinkingMode.BOUNDED)
    void anySequenceOfTokensParsesOrFailsWithAColumnAndEvaluatesWithoutThrowing(
            @ForAll("tokenSoup") String source, @ForAll("measuredValues") Map<String, Object> values) {
        Condition plain = checkParse(source, false);
        Condition typed = checkParse(source, true);
        for (Condition c : new Condition[] {plain, typed}) {
            if (c != null) {
                Evaluation evaluation = c.evaluate(values);
                assertThat(evaluation).isNotNull();
                assertThat(evaluation.result()).isNotNull();
                assertThat(evaluation.explanation()).isNotNull();
            }
        }
    }

    @Test
    void deeplyNestedTextIsAnErrorOrAConditionNeverAStackOverflow() {
        for (String unit : List.of("(", "!", "not ", "[", "len(", "-")) {
            String source = unit.repeat(50_000) + "1";
            try {
                Condition.parse(source);
            } catch (ConditionSyntaxException e) {
                assertThat(e.column()).isBetween(1, source.length() + 1);
            }
        }
        assertThatThrownBy(() -> Condition.parse("(".repeat(50_000) + "1")).isInstanceOf(ConditionSyntaxException.class);
    }

    /** Parses; returns the condition or null after checking the exception names a column inside the text. */
    private static Condition checkParse(String source, boolean withDeclaredNames) {
        try {
            return withDeclaredNames ? Condition.parse(source, DECLARED) : Condition.parse(source);
        } catch (ConditionSyntaxException e) {
            assertThat(e.getMessage()).as("message of a syntax error in %s", show(source)).isNotBlank();
            assertThat(e.column()).as("column of '%s' in %s", e.getMessage(), show(source))
                    .isBetween(1, Math.max(1, source.codePointCount(0, source.length())) + 1);
            assertThat(e.getMessage()).as("the message names the column").contains("column " + e.column());
            return null;
        }
    }

    private static String show(String source) {
        return '"' + source.replace("\n", "\\n").replace("\t", "\\t").replace("\u0000", "\\0") + '"';
    }

    @Provide
    Arbitrary<String> anyText() {
        Arbitrary<Character> conditionChars = Arbitraries.chars().with("()[]{}<>=!&|~.,'\"\\%$#@ \t\n-+*/_:0123456789eE".toCharArray())
                .with('a', 'n', 'd', 'o', 'r', 's', 't', 'u', 'm', 'h', 'i', 'µ');
        Arbitrary<String> structured = conditionChars.list().ofMaxSize(40).map(ConditionParserPropertiesTest::join);
        Arbitrary<String> anyUnicode = Arbitraries.strings().all().ofMaxLength(40);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, structured),
                net.jqwik.api.Tuple.of(1, anyUnicode));
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(TOKENS).list().ofMinSize(0).ofMaxSize(14).flatMap(tokens ->
                Arbitraries.of(" ", "", "  ").list().ofSize(tokens.size()).map(gaps -> {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < tokens.size(); i++) {
                        out.append(tokens.get(i)).append(gaps.get(i));
                    }
                    return out.toString();
                }));
    }

    @Provide
    Arbitrary<Map<String, Object>> measuredValues() {
        Arbitrary<Object> scalar = Arbitraries.oneOf(
                Arbitraries.of(200, 204, 503, -1, 0),
                Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.031, -0.0, 1e308),
                Arbitraries.of(Duration.ofMillis(812), Duration.ZERO, Duration.ofSeconds(-1)),
                Arbitraries.of("UP", "", "{\"status\":\"UP\",\"items\":[1,2]}", "{not json", "[1,2,3]", "null"),
                Arbitraries.of(true, false),
                Arbitraries.just(List.of(1, "a", Map.of("k", "v"))),
                Arbitraries.just(Map.of("status", "DOWN", "Content-Type", "application/json")));
        return Arbitraries.of("status", "latency", "value", "body", "header", "up", "other")
                .list().ofMaxSize(6)
                .flatMap(names -> scalar.list().ofSize(names.size()).map(vals -> {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < names.size(); i++) {
                        map.put(names.get(i), vals.get(i));
                    }
                    return map;
                }));
    }

    private static String join(List<Character> chars) {
        StringBuilder out = new StringBuilder();
        chars.forEach(out::append);
        return out.toString();
    }

}
