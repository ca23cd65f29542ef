package dev.vigil.condition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of parse error, with its exact message and column. */
class ConditionSyntaxTest {

    static final Map<String, ValueType> DECLARED = Map.of(
            "status", ValueType.NUMBER,
            "latency", ValueType.DURATION,
            "body", ValueType.ANY,
            "header", ValueType.ANY,
            "ready", ValueType.BOOLEAN,
            "version", ValueType.STRING,
            "codes", ValueType.LIST);

    private static void check(ConditionSyntaxException error, String message, int column) {
        assertThat(error).as("a ConditionSyntaxException").isNotNull();
        assertThat(error.getMessage()).isEqualTo(message);
        assertThat(error.column()).isEqualTo(column);
    }

    static Stream<Arguments> syntaxErrors() {
        return Stream.of(
                // empty condition
                arguments("", "empty condition: expected an expression at column 1", 1),
                arguments("   ", "empty condition: expected an expression at column 1", 1),
                // unexpected end
                arguments("status == 200 && latency <", "expected a value after '<' at column 27", 27),
                arguments("status ==", "expected a value after '==' at column 10", 10),
                arguments("status == 200 &&", "expected a value after '&&' at column 17", 17),
                arguments("!", "expected a value after '!' at column 2", 2),
                arguments("not", "expected a value after 'not' at column 4", 4),
                arguments("status in", "expected a value after 'in' at column 10", 10),
                // unexpected token
                arguments("status == )", "expected a value after '==' at column 11, found ')'", 11),
                arguments("status == and", "expected a value after '==' at column 11, found 'and'", 11),
                arguments("in == 1", "expected a value at column 1, found 'in'", 1),
                arguments(", 1", "expected a value at column 1, found ','", 1),
                arguments("[1,] == x", "expected a value after ',' at column 4, found ']'", 4),
                // trailing input
                arguments("status == 200 200", "expected an operator or the end of the condition at column 15, found '200'", 15),
                arguments("status == 200)", "expected an operator or the end of the condition at column 14, found ')'", 14),
                arguments("a < b < c", "expected an operator or the end of the condition at column 7, found '<'", 7),
                arguments("status [0] == 1", "expected an operator or the end of the condition at column 8, found '['", 8),
                // unexpected character
                arguments("status == 200 # comment", "unexpected character '#' at column 15", 15),
                arguments("status = 200", "unexpected character '=' at column 8: expected '==' to compare", 8),
                arguments("a & b", "unexpected character '&' at column 3: expected '&&'", 3),
                arguments("a | b", "unexpected character '|' at column 3: expected '||'", 3),
                arguments("😀 == 1", "unexpected character '😀' at column 1", 1),
                arguments("\"😀\" == \"x\" $", "unexpected character '$' at column 12", 12),
                arguments(".5 == x", "expected a value at column 1, found '.'", 1),
                // unterminated string and bad escapes
                arguments("body.status == \"UP", "expected a closing \" at column 19 to end the string that starts at column 16", 19),
                arguments("name == 'x", "expected a closing ' at column 11 to end the string that starts at column 9", 11),
                arguments("name == \"x\\\"", "expected a closing \" at column 13 to end the string that starts at column 9", 13),
                arguments("name == \"a\\q\"",
                        "unknown escape '\\q' at column 11: expected one of \\\" \\' \\\\ \\/ \\n \\t \\r \\b \\f \\uXXXX", 11),
                arguments("name == \"\\u12\"", "expected four hex digits after '\\u' at column 10", 10),
                // bad number or duration unit
                arguments("value > 1.", "expected a digit after '1.' at column 11", 11),
                arguments("value > 1.x", "expected a digit after '1.' at column 11", 11),
                arguments("latency < 5sec", "unknown unit 'sec' after 5 at column 12: expected ns, us, ms, s, m, h or %", 12),
                arguments("latency < 1.5x", "unknown unit 'x' after 1.5 at column 14: expected ns, us, ms, s, m, h or %", 14),
                arguments("status == 200ok", "unknown unit 'ok' after 200 at column 14: expected ns, us, ms, s, m, h or %", 14),
                arguments("latency < 1.5ns", "duration 1.5ns at column 11 is not a whole number of nanoseconds", 11),
                // a scale beyond what BigDecimal holds once moved or multiplied: an error, not an ArithmeticException
                arguments("share < 1e-2147483647%", "number 1e-2147483647% at column 9 is out of range", 9),
                arguments("latency < 1e-2147483647s", "duration 1e-2147483647s at column 11 is not a whole number of nanoseconds", 11),
                // unclosed parenthesis or bracket
                arguments("(status == 200", "expected ')' at column 15 to close the '(' at column 1", 15),
                arguments("(status == 200 || (a && b)", "expected ')' at column 27 to close the '(' at column 1", 27),
                arguments("(status == 200 b", "expected ')' at column 16 to close the '(' at column 1, found 'b'", 16),
                arguments("len(body > 1", "expected ')' at column 13 to close the '(' at column 4", 13),
                arguments("status in [200, 204", "expected ']' at column 20 to close the '[' at column 11", 20),
                arguments("body.items[0 == 1", "expected ']' at column 14 to close the '[' at column 11, found '=='", 14),
                // bad paths
                arguments("body.items[x] == 1",
                        "expected an index such as [0] or a key such as [\"name\"] after '[' at column 12, found 'x'", 12),
                arguments("body.items[1.5] == 1",
                        "expected an index such as [0] or a key such as [\"name\"] after '[' at column 12, found '1.5'", 12),
                arguments("body. == 1", "expected a name after '.' at column 7, found '=='; write keys that are not names as [\"key\"]", 7),
                arguments("body.0 == 1", "expected a name after '.' at column 6, found '0'; write keys that are not names as [\"key\"]", 6),
                // unknown function and wrong argument count
                arguments("foo(status)", "unknown function 'foo' at column 1; known functions: abs, all, any, contains, endsWith, "
                        + "exists, has, isInf, isNaN, len, lower, matches, max, min, startsWith, upper", 1),
                arguments("len(a, b) > 1", "len takes 1 argument, got 2 at column 1", 1),
                arguments("status == 1 && contains(a)", "contains takes 2 arguments, got 1 at column 16", 16),
                arguments("min() > 1", "min takes 1 or more arguments, got 0 at column 1", 1),
                arguments("isNaN()", "isNaN takes 1 argument, got 0 at column 1", 1),
                arguments("has(1)", "has needs a name such as body.status, found 1 at column 5", 5),
                // regular expressions
                arguments("body =~ \"(unclosed\"", "bad regular expression \"(unclosed\" at column 9: Unclosed group", 9),
                arguments("matches(body, '*')", "bad regular expression '*' at column 15: Dangling meta character '*'", 15),
                arguments("body =~ status", "expected a string with a regular expression after '=~' at column 9, found 'status'", 9),
                arguments("body !~", "expected a string with a regular expression after '!~' at column 8, found the end", 8),
                arguments("matches(body, pattern)",
                        "matches needs a string with a regular expression as its second argument, found pattern at column 15", 15),
                // types known from literals
                arguments("\"a\" < 1", "\"a\" is a string, cannot compare with a number (at column 5)", 5),
                arguments("1 == \"1\"", "1 is a number, cannot compare with a string (at column 3)", 3),
                arguments("500ms > 1",
                        "500ms is a duration, cannot compare with a number; write 1 with a unit, such as 1ms (at column 7)", 7),
                arguments("true < false", "'<' compares numbers, durations or strings, but true is a boolean (at column 6)", 6),
                arguments("x in [1, \"a\"] && 1 in [\"b\"]", "1 is a number, cannot compare with a string (at column 24)", 24),
                arguments("x in 200", "expected a list after 'in' at column 6, but 200 is a number", 6),
                arguments("x =~ 'a' || 1 =~ 'a'", "1 is a number, '=~' needs a string (at column 15)", 15),
                arguments("isNaN(\"x\")", "isNaN needs a number, but \"x\" is a string (at column 7)", 7),
                arguments("len(5) > 1", "len needs a string, a list or an object, but 5 is a number (at column 5)", 5),
                arguments("len(x) == \"3\"", "len(x) is a number, cannot compare with a string (at column 8)", 8),
                arguments("200", "expected a condition (true or false) at column 1, but 200 is a number", 1),
                arguments("x == 1 && \"yes\"", "expected a condition (true or false) at column 11, but \"yes\" is a string", 11),
                arguments("!5s", "expected a condition (true or false) at column 2, but 5s is a duration", 2),
                arguments("lower(x)", "expected a condition (true or false) at column 1, but lower(x) is a string", 1),
                // nesting
                arguments("(".repeat(70) + "true" + ")".repeat(70), "nested too deeply at column 65: at most 64 levels", 65));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("syntaxErrors")
    void syntaxErrorsSayWhatWasExpectedAndWhere(String source, String message, int column) {
        check(catchThrowableOfType(ConditionSyntaxException.class, () -> Condition.parse(source)), message, column);
    }

    static Stream<Arguments> declaredTypeErrors() {
        return Stream.of(
                arguments("stauts == 200", "unknown name 'stauts' at column 1; known names: body, codes, header, latency, ready, status, version", 1),
                arguments("status == 200 && Status == 1",
                        "unknown name 'Status' at column 18; known names: body, codes, header, latency, ready, status, version", 18),
                arguments("status == \"200\"", "status is a number, cannot compare with a string (at column 8)", 8),
                arguments("\"200\" == status", "status is a number, cannot compare with a string (at column 7)", 7),
                arguments("latency < 500",
                        "latency is a duration, cannot compare with a number; write 500 with a unit, such as 500ms (at column 9)", 9),
                arguments("latency > status", "latency is a duration, cannot compare with status, a number (at column 9)", 9),
                arguments("ready == 1", "ready is a boolean, cannot compare with a number (at column 7)", 7),
                arguments("ready > false", "'>' compares numbers, durations or strings, but ready is a boolean (at column 7)", 7),
                arguments("version < 2", "version is a string, cannot compare with a number (at column 9)", 9),
                arguments("status in [\"a\"]", "status is a number, cannot compare with a string (at column 12)", 12),
                arguments("status in version", "expected a list after 'in' at column 11, but version is a string", 11),
                arguments("status =~ \"2..\"", "status is a number, '=~' needs a string (at column 8)", 8),
                arguments("len(status) > 1", "len needs a string, a list or an object, but status is a number (at column 5)", 5),
                arguments("abs(version) > 1", "abs needs a number or a duration, but version is a string (at column 5)", 5),
                arguments("ready && status", "expected a condition (true or false) at column 10, but status is a number", 10),
                arguments("latency", "expected a condition (true or false) at column 1, but latency is a duration", 1),
                arguments("status.code == 1", "status is a number, it has no key 'code' (at column 1)", 1),
                arguments("latency[0] < 1s", "latency is a duration, it has no element [0] (at column 1)", 1),
                arguments("codes.first == 1", "codes is a list, it has no key 'first' (at column 1)", 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("declaredTypeErrors")
    void declaredNamesAreTypeCheckedWhenParsed(String source, String message, int column) {
        check(catchThrowableOfType(ConditionSyntaxException.class, () -> Condition.parse(source, DECLARED)), message, column);
    }

    static Stream<String> wellTypedWithDeclaredNames() {
        return Stream.of(
                "status == 200 && latency < 500ms && body.status == \"UP\"",
                "header.Content-Type =~ \"json\"",
                "codes[0] == 200 && len(codes) > 0",
                "version.major == 2",
                "ready && !isNaN(body.value)",
                "status in [200, 204] && body.items[0].id != null",
                "max(codes) < 500 && abs(latency) < 1s");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellTypedWithDeclaredNames")
    void wellTypedConditionsParseWithDeclaredNames(String source) {
        assertThat(Condition.parse(source, DECLARED).source()).isEqualTo(source);
    }

    @Test
    void declaredDottedNameIsMatchedBeforeItsPrefix() {
        Condition condition = Condition.parse("header.X-Count > 2", Map.of("header.X-Count", ValueType.NUMBER));

        assertThat(condition.names()).containsExactly("header.X-Count");
        assertThat(catchThrowableOfType(ConditionSyntaxException.class,
                () -> Condition.parse("header.X-Count == \"2\"", Map.of("header.X-Count", ValueType.NUMBER))))
                .hasMessage("header.X-Count is a number, cannot compare with a string (at column 16)");
    }

    @Test
    void namesAreTheRootNamesInOrderOfAppearance() {
        Condition condition = Condition.parse("status == 200 && body.a.b[0] == 1 && latency < 1s && body.c == 2");

        assertThat(condition.names()).containsExactly("status", "body", "latency");
    }

    @Test
    void criteriaPrefixesTheKeyOfTheBadCondition() {
        ConditionSyntaxException error = catchThrowableOfType(ConditionSyntaxException.class,
                () -> Criteria.of("status == 200", "status >", DECLARED));

        check(error, "fail-when: expected a value after '>' at column 9", 9);
    }
}
