package dev.vigil.condition;

import static dev.vigil.condition.Evaluation.Result.ERROR;
import static dev.vigil.condition.Evaluation.Result.FALSE;
import static dev.vigil.condition.Evaluation.Result.TRUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every literal, operator and function, evaluated against values and checked word for word:
 * the result and the explanation.
 */
class ConditionEvaluationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static Map<String, Object> values(Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return values;
    }

    static Object json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static void check(String source, Map<String, ?> values, Evaluation.Result result, String explanation) {
        Evaluation evaluation = Condition.parse(source).evaluate(values);
        assertThat(evaluation.explanation()).isEqualTo(explanation);
        assertThat(evaluation.result()).isEqualTo(result);
    }

    static Stream<Arguments> literals() {
        return Stream.of(
                arguments("value == 200", values("value", 200), TRUE, "value(200) == 200"),
                arguments("value == 200", values("value", 200.0), TRUE, "value(200) == 200"),
                arguments("value == 200.0", values("value", 200L), TRUE, "value(200) == 200.0"),
                arguments("value == 0.031", values("value", 0.031), TRUE, "value(0.031) == 0.031"),
                arguments("value < 0.05", values("value", 0.2567243993934073), FALSE, "value(0.256724) < 0.05 is false"),
                arguments("value == -1.5", values("value", -1.5f), TRUE, "value(-1.5) == -1.5"),
                arguments("value == 1e3", values("value", 1000), TRUE, "value(1000) == 1e3"),
                arguments("value == 2.5E-3", values("value", 0.0025), TRUE, "value(0.0025) == 2.5E-3"),
                arguments("value == 1%", values("value", 0.01), TRUE, "value(0.01) == 1%"),
                arguments("value < 0.5%", values("value", 0.004), TRUE, "value(0.004) < 0.5%"),
                arguments("value == 150%", values("value", 1.5), TRUE, "value(1.5) == 150%"),
                arguments("value == 1e20", values("value", 1e20), TRUE, "value(1E+20) == 1e20"),
                arguments("value == 0", values("value", -0.0), TRUE, "value(0) == 0"),
                arguments("value == \"UP\"", values("value", "UP"), TRUE, "value(\"UP\") == \"UP\""),
                arguments("value == 'UP'", values("value", "UP"), TRUE, "value(\"UP\") == 'UP'"),
                arguments("value == \"\"", values("value", ""), TRUE, "value(\"\") == \"\""),
                arguments("value == \"say \\\"hi\\\"\"", values("value", "say \"hi\""), TRUE,
                        "value(\"say \\\"hi\\\"\") == \"say \\\"hi\\\"\""),
                arguments("value == 'it\\'s'", values("value", "it's"), TRUE, "value(\"it's\") == 'it\\'s'"),
                arguments("value == \"a\\nb\\tc\\\\\"", values("value", "a\nb\tc\\"), TRUE,
                        "value(\"a\\nb\\tc\\\\\") == \"a\\nb\\tc\\\\\""),
                arguments("value == \"\\u00e9t\\u00E9\"", values("value", "été"), TRUE, "value(\"été\") == \"\\u00e9t\\u00E9\""),
                arguments("value == \"日本語 ✓ 😀\"", values("value", "日本語 ✓ 😀"), TRUE, "value(\"日本語 ✓ 😀\") == \"日本語 ✓ 😀\""),
                arguments("value == true", values("value", true), TRUE, "value(true) == true"),
                arguments("value == false", values("value", true), FALSE, "value(true) == false is false"),
                arguments("value", values("value", true), TRUE, "value(true)"),
                arguments("value", values("value", false), FALSE, "value(false) is false"),
                arguments("value == null", values("value", null), TRUE, "value(null) == null"),
                arguments("value != null", values("value", 3), TRUE, "value(3) != null"),
                arguments("latency == 500ms", values("latency", Duration.ofMillis(500)), TRUE, "latency(500ms) == 500ms"),
                arguments("latency == 0.5s", values("latency", Duration.ofMillis(500)), TRUE, "latency(500ms) == 0.5s"),
                arguments("latency == 1.5s", values("latency", Duration.ofMillis(1500)), TRUE, "latency(1.5s) == 1.5s"),
                arguments("latency == 2s", values("latency", Duration.ofSeconds(2)), TRUE, "latency(2s) == 2s"),
                arguments("latency == 1m", values("latency", Duration.ofSeconds(60)), TRUE, "latency(60s) == 1m"),
                arguments("latency == 1h", values("latency", Duration.ofHours(1)), TRUE, "latency(3600s) == 1h"),
                arguments("latency == 250us", values("latency", Duration.ofNanos(250_000)), TRUE, "latency(250us) == 250us"),
                arguments("latency == 250µs", values("latency", Duration.ofNanos(250_000)), TRUE, "latency(250us) == 250µs"),
                arguments("latency == 40ns", values("latency", Duration.ofNanos(40)), TRUE, "latency(40ns) == 40ns"),
                arguments("latency < 1ms", values("latency", Duration.ofNanos(812_500)), TRUE, "latency(812.5us) < 1ms"),
                arguments("latency < 1s", values("latency", Duration.ofNanos(812_500_000)), TRUE, "latency(812.5ms) < 1s"),
                arguments("latency == 0s", values("latency", Duration.ZERO), TRUE, "latency(0ms) == 0s"),
                arguments("latency > -1s", values("latency", Duration.ofMillis(-5)), TRUE, "latency(-5ms) > -1s"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("literals")
    void literalsCompareWithSuppliedValues(String source, Map<String, ?> values, Evaluation.Result result, String explanation) {
        check(source, values, result, explanation);
    }

    static Stream<Arguments> operators() {
        return Stream.of(
                arguments("status == 200", values("status", 200), TRUE, "status(200) == 200"),
                arguments("status == 200", values("status", 503), FALSE, "status(503) == 200 is false"),
                arguments("status != 200", values("status", 503), TRUE, "status(503) != 200"),
                arguments("status != 200", values("status", 200), FALSE, "status(200) != 200 is false"),
                arguments("status < 500", values("status", 499), TRUE, "status(499) < 500"),
                arguments("status < 500", values("status", 500), FALSE, "status(500) < 500 is false"),
                arguments("status <= 500", values("status", 500), TRUE, "status(500) <= 500"),
                arguments("status <= 500", values("status", 501), FALSE, "status(501) <= 500 is false"),
                arguments("status > 199", values("status", 200), TRUE, "status(200) > 199"),
                arguments("status > 199", values("status", 199), FALSE, "status(199) > 199 is false"),
                arguments("status >= 200", values("status", 200), TRUE, "status(200) >= 200"),
                arguments("status >= 200", values("status", 199), FALSE, "status(199) >= 200 is false"),
                arguments("200 == status", values("status", 200), TRUE, "200 == status(200)"),
                arguments("version >= \"2.4.0\"", values("version", "2.4.1"), TRUE, "version(\"2.4.1\") >= \"2.4.0\""),
                arguments("latency <= 500ms", values("latency", Duration.ofMillis(501)), FALSE, "latency(501ms) <= 500ms is false"),
                arguments("latency < slo", values("latency", Duration.ofMillis(90), "slo", Duration.ofMillis(100)), TRUE,
                        "latency(90ms) < slo(100ms)"),
                arguments("status == 200 && latency < 500ms", values("status", 200, "latency", Duration.ofMillis(812)), FALSE,
                        "latency(812ms) < 500ms is false"),
                arguments("status == 200 && latency < 500ms", values("status", 503, "latency", Duration.ofMillis(812)), FALSE,
                        "status(503) == 200 is false"),
                arguments("status == 200 && latency < 500ms", values("status", 200, "latency", Duration.ofMillis(120)), TRUE,
                        "status(200) == 200 && latency(120ms) < 500ms"),
                arguments("status == 200 and latency < 500ms", values("status", 200, "latency", Duration.ofMillis(120)), TRUE,
                        "status(200) == 200 and latency(120ms) < 500ms"),
                arguments("status == 200 || status == 204", values("status", 204), TRUE, "status(204) == 204"),
                arguments("status == 200 || status == 204", values("status", 200), TRUE, "status(200) == 200"),
                arguments("status == 200 || status == 204", values("status", 500), FALSE,
                        "status(500) == 200 || status(500) == 204 is false"),
                arguments("status == 200 or status == 204", values("status", 500), FALSE,
                        "status(500) == 200 or status(500) == 204 is false"),
                arguments("!(status == 200)", values("status", 500), TRUE, "!(status(500) == 200)"),
                arguments("not status == 200", values("status", 200), FALSE, "not (status(200) == 200) is false"),
                arguments("!ready", values("ready", false), TRUE, "!ready(false)"),
                arguments("!!ready", values("ready", true), TRUE, "!(!ready(true))"),
                arguments("(status == 200 || status == 204) && latency < 1s",
                        values("status", 204, "latency", Duration.ofMillis(20)), TRUE, "status(204) == 204 && latency(20ms) < 1s"),
                arguments("(a || b) && (c || d)", values("a", false, "b", false, "c", true, "d", true), FALSE,
                        "a(false) || b(false) is false"),
                arguments("(a && b) || (c && d)", values("a", true, "b", false, "c", true, "d", false), FALSE,
                        "b(false) || d(false) is false"),
                arguments("a || b && c", values("a", false, "b", true, "c", true), TRUE, "b(true) && c(true)"),
                arguments("a && !(b || c)", values("a", true, "b", false, "c", false), TRUE, "a(true) && !(b(false) || c(false))"),
                arguments("(status == 200) == true", values("status", 200), TRUE, "(status(200) == 200) == true"),
                arguments("(a || b) != false", values("a", false, "b", true), TRUE, "b(true) != false"),
                arguments("(a || b) in [true]", values("a", false, "b", false), FALSE, "(a(false) || b(false)) in [true] is false"),
                arguments("(status) == (200)", values("status", 200), TRUE, "status(200) == 200"),
                arguments("status in [200, 204]", values("status", 204), TRUE, "status(204) in [200, 204]"),
                arguments("status in [200, 204]", values("status", 503), FALSE, "status(503) in [200, 204] is false"),
                arguments("status not in [500, 502, 503]", values("status", 200), TRUE, "status(200) not in [500, 502, 503]"),
                arguments("status not in [500, 502, 503]", values("status", 503), FALSE, "status(503) not in [500, 502, 503] is false"),
                arguments("status in []", values("status", 200), FALSE, "status(200) in [] is false"),
                arguments("status not in []", values("status", 200), TRUE, "status(200) not in []"),
                arguments("env in [\"prod\", 'staging']", values("env", "staging"), TRUE, "env(\"staging\") in [\"prod\", 'staging']"),
                arguments("latency in [1s, 2s]", values("latency", Duration.ofMillis(2000)), TRUE, "latency(2s) in [1s, 2s]"),
                arguments("status in allowed", values("status", 204, "allowed", List.of(200, 204)), TRUE,
                        "status(204) in allowed([200, 204])"),
                arguments("status in [ok, 204]", values("status", 200, "ok", 200), TRUE, "status(200) in [ok(200), 204]"),
                arguments("body.status =~ \"^(UP|OK)$\"", values("body", "{\"status\":\"OK\"}"), TRUE,
                        "body.status(\"OK\") =~ \"^(UP|OK)$\""),
                arguments("body =~ 'healthy'", values("body", "all healthy here"), TRUE, "body(\"all healthy here\") =~ 'healthy'"),
                arguments("body =~ \"^healthy$\"", values("body", "all healthy"), FALSE, "body(\"all healthy\") =~ \"^healthy$\" is false"),
                arguments("body !~ \"ERROR\"", values("body", "fine"), TRUE, "body(\"fine\") !~ \"ERROR\""),
                arguments("body !~ \"ERROR\"", values("body", "ERROR: disk"), FALSE, "body(\"ERROR: disk\") !~ \"ERROR\" is false"),
                arguments("body =~ \"\"", values("body", ""), TRUE, "body(\"\") =~ \"\""),
                arguments("name =~ \"^é\\\\w+\"", values("name", "étoile"), TRUE, "name(\"étoile\") =~ \"^é\\\\w+\""),
                arguments("items == [1, 2]", values("items", List.of(1, 2)), TRUE, "items([1, 2]) == [1, 2]"),
                arguments("items == []", values("items", List.of()), TRUE, "items([]) == []"),
                arguments("items != [1, 2]", values("items", List.of(1, 2, 3)), TRUE, "items([1, 2, 3]) != [1, 2]"),
                arguments("body.a == body.b", values("body", "{\"a\":{\"x\":[1]},\"b\":{\"x\":[1.0]}}"), TRUE,
                        "body.a({\"x\": [1]}) == body.b({\"x\": [1]})"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("operators")
    void operatorsDecideAndExplain(String source, Map<String, ?> values, Evaluation.Result result, String explanation) {
        check(source, values, result, explanation);
    }

    static Stream<Arguments> functions() {
        return Stream.of(
                arguments("isNaN(value)", values("value", Double.NaN), TRUE, "isNaN(value(NaN))"),
                arguments("isNaN(value)", values("value", 0.5), FALSE, "isNaN(value(0.5)) is false"),
                arguments("!isNaN(value) && value < 1%", values("value", 0.001), TRUE, "!isNaN(value(0.001)) && value(0.001) < 1%"),
                arguments("isInf(value)", values("value", Double.POSITIVE_INFINITY), TRUE, "isInf(value(Infinity))"),
                arguments("isInf(value)", values("value", Double.NEGATIVE_INFINITY), TRUE, "isInf(value(-Infinity))"),
                arguments("isInf(value)", values("value", Double.MAX_VALUE), FALSE, "isInf(value(1.79769E+308)) is false"),
                arguments("len(body) > 0", values("body", ""), FALSE, "len(body)(0) > 0 is false"),
                arguments("len(name) == 3", values("name", "日本😀"), TRUE, "len(name)(3) == 3"),
                arguments("len(items) == 0", values("items", List.of()), TRUE, "len(items)(0) == 0"),
                arguments("len(body.items) >= 2", values("body", "{\"items\":[1,2,3]}"), TRUE, "len(body.items)(3) >= 2"),
                arguments("len(body) == 2", values("body", json("{\"a\":1,\"b\":2}")), TRUE, "len(body)(2) == 2"),
                arguments("len([]) == 0", values(), TRUE, "len([])(0) == 0"),
                arguments("has(body.status)", values("body", "{\"status\":null}"), TRUE, "has(body.status)"),
                arguments("has(body.status)", values("body", "{}"), FALSE, "has(body.status) is false"),
                arguments("!exists(header.X-Debug)", values("header", Map.of()), TRUE, "!exists(header.X-Debug)"),
                arguments("exists(body.items[0])", values("body", "{\"items\":[]}"), FALSE, "exists(body.items[0]) is false"),
                arguments("lower(header.Content-Type) == \"application/json\"", values("header", Map.of("Content-Type", "Application/JSON")),
                        TRUE, "lower(header.Content-Type)(\"application/json\") == \"application/json\""),
                arguments("upper(env) == \"PROD\"", values("env", "prod"), TRUE, "upper(env)(\"PROD\") == \"PROD\""),
                arguments("upper(name) == \"STRASSE\"", values("name", "straße"), TRUE, "upper(name)(\"STRASSE\") == \"STRASSE\""),
                arguments("contains(header.Content-Type, \"json\")", values("header", Map.of("Content-Type", "application/json")),
                        TRUE, "contains(header.Content-Type(\"application/json\"), \"json\")"),
                arguments("contains(body, \"\")", values("body", ""), TRUE, "contains(body(\"\"), \"\")"),
                arguments("contains(codes, 204)", values("codes", List.of(200, 204)), TRUE, "contains(codes([200, 204]), 204)"),
                arguments("contains(codes, 204)", values("codes", List.of()), FALSE, "contains(codes([]), 204) is false"),
                arguments("startsWith(version, \"2.\")", values("version", "2.4.1"), TRUE, "startsWith(version(\"2.4.1\"), \"2.\")"),
                arguments("endsWith(version, \"-SNAPSHOT\")", values("version", "2.4.1"), FALSE,
                        "endsWith(version(\"2.4.1\"), \"-SNAPSHOT\") is false"),
                arguments("matches(body.status, \"^UP$\")", values("body", "{\"status\":\"UP\"}"), TRUE,
                        "matches(body.status(\"UP\"), \"^UP$\")"),
                arguments("abs(value) < 0.1", values("value", -0.05), TRUE, "abs(value)(0.05) < 0.1"),
                arguments("abs(drift) < 1s", values("drift", Duration.ofMillis(-300)), TRUE, "abs(drift)(300ms) < 1s"),
                arguments("max(body.latencies) < 100", values("body", "{\"latencies\":[12, 80.5, 40]}"), TRUE,
                        "max(body.latencies)(80.5) < 100"),
                arguments("min(body.latencies) > 10", values("body", "{\"latencies\":[12, 80.5, 40]}"), TRUE,
                        "min(body.latencies)(12) > 10"),
                arguments("max(a, b) <= 500ms", values("a", Duration.ofMillis(300), "b", Duration.ofMillis(600)), FALSE,
                        "max(a, b)(600ms) <= 500ms is false"),
                arguments("min(values) < 1", values("values", List.of(3, Double.NaN)), FALSE, "min(values)(NaN) < 1 is false"),
                arguments("max(items) > 0", values("items", List.of()), FALSE,
                        "max(items) > 0 is false: max(items) has no value: the list is empty"),
                arguments("all(body.checks)", values("body", "{\"checks\":[true,true]}"), TRUE, "all(body.checks([true, true]))"),
                arguments("all(body.checks)", values("body", "{\"checks\":[true,false]}"), FALSE,
                        "all(body.checks([true, false])) is false"),
                arguments("all(checks)", values("checks", List.of()), TRUE, "all(checks([]))"),
                arguments("any(checks)", values("checks", List.of(false, true)), TRUE, "any(checks([false, true]))"),
                arguments("any(checks)", values("checks", List.of()), FALSE, "any(checks([])) is false"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("functions")
    void functionsComputeAndExplain(String source, Map<String, ?> values, Evaluation.Result result, String explanation) {
        check(source, values, result, explanation);
    }

    static Stream<Arguments> nanAndInfinities() {
        return Stream.of(
                arguments("value == value", values("value", Double.NaN), FALSE, "value(NaN) == value(NaN) is false"),
                arguments("value != 1", values("value", Double.NaN), FALSE, "value(NaN) != 1 is false"),
                arguments("value < 0.01", values("value", Double.NaN), FALSE, "value(NaN) < 0.01 is false"),
                arguments("value >= 0.01", values("value", Double.NaN), FALSE, "value(NaN) >= 0.01 is false"),
                arguments("value in [1, 2]", values("value", Double.NaN), FALSE, "value(NaN) in [1, 2] is false"),
                arguments("value not in [1, 2]", values("value", Double.NaN), FALSE, "value(NaN) not in [1, 2] is false"),
                arguments("value > 1e308", values("value", Double.POSITIVE_INFINITY), TRUE, "value(Infinity) > 1e308"),
                arguments("value < -1e308", values("value", Double.NEGATIVE_INFINITY), TRUE, "value(-Infinity) < -1e308"),
                arguments("value == other", values("value", Double.POSITIVE_INFINITY, "other", Double.POSITIVE_INFINITY), TRUE,
                        "value(Infinity) == other(Infinity)"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("nanAndInfinities")
    void nanComparesFalseAndInfinitiesCompareAsIeee(String source, Map<String, ?> values, Evaluation.Result result,
            String explanation) {
        check(source, values, result, explanation);
    }

    static Stream<Arguments> navigation() {
        Map<String, Object> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Content-Type", "application/json");
        return Stream.of(
                arguments("body.a.b[0] == 1", values("body", "{\"a\":{\"b\":[1,2]}}"), TRUE, "body.a.b[0](1) == 1"),
                arguments("body.a.b[-1] == 2", values("body", "{\"a\":{\"b\":[1,2]}}"), TRUE, "body.a.b[-1](2) == 2"),
                arguments("body[\"key with spaces\"] == \"v\"", values("body", "{\"key with spaces\":\"v\"}"), TRUE,
                        "body[\"key with spaces\"](\"v\") == \"v\""),
                arguments("body.items[1].id == 'b'", values("body", json("{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"}]}")), TRUE,
                        "body.items[1].id(\"b\") == 'b'"),
                arguments("body.clé == \"ü\"", values("body", "{\"clé\":\"ü\"}"), TRUE, "body.clé(\"ü\") == \"ü\""),
                arguments("body[\"日本\"] == 1", values("body", "{\"日本\":1}"), TRUE, "body[\"日本\"](1) == 1"),
                arguments("body[\"\"] == 1", values("body", "{\"\":1}"), TRUE, "body[\"\"](1) == 1"),
                arguments("body[\"0\"] == 1", values("body", "{\"0\":1}"), TRUE, "body[\"0\"](1) == 1"),
                arguments("header.content-type == \"application/json\"", values("header", headers), TRUE,
                        "header.content-type(\"application/json\") == \"application/json\""),
                arguments("db.status == \"UP\"", values("db", Map.of("status", "UP")), TRUE, "db.status(\"UP\") == \"UP\""),
                arguments("items[0] == \"a\"", values("items", List.of("a")), TRUE, "items[0](\"a\") == \"a\""),
                arguments("body.components.db.status == \"UP\"",
                        values("body", "{\"components\":{\"db\":{\"status\":\"DOWN\"}}}"), FALSE,
                        "body.components.db.status(\"DOWN\") == \"UP\" is false"),
                // A key twice where the condition does not read: no matter, the rest is read as sent.
                arguments("body.status == \"UP\"",
                        values("body", "{\"status\":\"UP\",\"items\":[{},{},{},{\"tags\":{\"env\":\"a\",\"env\":\"b\"}}]}"), TRUE,
                        "body.status(\"UP\") == \"UP\""),
                arguments("body.components.db.status == \"UP\"",
                        values("body", "{\"components\":{\"db\":{\"status\":\"UP\"},\"disk\":{\"status\":\"UP\",\"status\":\"DOWN\"}}}"),
                        TRUE, "body.components.db.status(\"UP\") == \"UP\""),
                arguments("body.ratio < 1%", values("body", "{\"ratio\":0.031}"), FALSE, "body.ratio(0.031) < 1% is false"),
                arguments("body.ok", values("body", "{\"ok\":true}"), TRUE, "body.ok(true)"),
                arguments("body.x == null", values("body", "{\"x\":null}"), TRUE, "body.x(null) == null"),
                arguments("body.in == 1", values("body", "{\"in\":1}"), TRUE, "body.in(1) == 1"),
                arguments("header.Content-Type == \"text/plain\"", values("header.Content-Type", "text/plain"), TRUE,
                        "header.Content-Type(\"text/plain\") == \"text/plain\""),
                arguments("body == \"pong\"", values("body", "pong"), TRUE, "body(\"pong\") == \"pong\""),
                arguments("body.message == \"" + "x".repeat(90) + "\"", values("body", "{\"message\":\"" + "x".repeat(90) + "\"}"), TRUE,
                        "body.message(\"" + "x".repeat(80) + "...\") == \"" + "x".repeat(90) + "\""));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("navigation")
    void pathsNavigateMapsListsAndJson(String source, Map<String, ?> values, Evaluation.Result result, String explanation) {
        check(source, values, result, explanation);
    }

    static Stream<Arguments> missing() {
        return Stream.of(
                arguments("body.status == \"UP\"", values("body", "{}"), FALSE, "body.status == \"UP\" is false: body.status is missing"),
                arguments("body.status != \"UP\"", values("body", "{}"), FALSE, "body.status != \"UP\" is false: body.status is missing"),
                arguments("!(body.status == \"UP\")", values("body", "{}"), FALSE,
                        "!(body.status == \"UP\") is false: body.status is missing"),
                arguments("header.X-Version == \"2\"", values("header", Map.of()), FALSE,
                        "header.X-Version == \"2\" is false: header.X-Version is missing"),
                arguments("body.items[3] == 1", values("body", "{\"items\":[1]}"), FALSE, "body.items[3] == 1 is false: body.items[3] is missing"),
                arguments("body.a.b.c == 1", values("body", "{\"a\":{}}"), FALSE, "body.a.b.c == 1 is false: body.a.b.c is missing"),
                arguments("body.a.b == 1", values("body", "{\"a\":null}"), FALSE, "body.a.b == 1 is false: body.a.b is missing"),
                arguments("body.x in [1]", values("body", "{}"), FALSE, "body.x in [1] is false: body.x is missing"),
                arguments("body.x not in [1]", values("body", "{}"), FALSE, "body.x not in [1] is false: body.x is missing"),
                arguments("body.x =~ \"a\"", values("body", "{}"), FALSE, "body.x =~ \"a\" is false: body.x is missing"),
                arguments("len(body.items) > 0", values("body", "{}"), FALSE, "len(body.items) > 0 is false: body.items is missing"),
                arguments("contains(body.x, \"a\")", values("body", "{}"), FALSE, "contains(body.x, \"a\") is false: body.x is missing"),
                arguments("status == 200 && body.status == \"UP\"", values("status", 200, "body", "{}"), FALSE,
                        "body.status == \"UP\" is false: body.status is missing"),
                arguments("body.a == 1 && body.b == 2", values("body", "{\"b\":3}"), FALSE, "body.b(3) == 2 is false"),
                arguments("body.a == 1 || status == 200", values("status", 200, "body", "{}"), TRUE, "status(200) == 200"),
                arguments("body.a == 1 || status == 200", values("status", 500, "body", "{}"), FALSE,
                        "body.a == 1 is false: body.a is missing"),
                arguments("body.a == 1 || body.b == 2", values("body", "{}"), FALSE,
                        "body.a == 1 || body.b == 2 is false: body.a is missing, body.b is missing"),
                arguments("!has(body.error) && status == 200", values("status", 200, "body", "{}"), TRUE,
                        "!has(body.error) && status(200) == 200"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("missing")
    void missingNamesMakeComparisonsFalseAndAreNamed(String source, Map<String, ?> values, Evaluation.Result result,
            String explanation) {
        check(source, values, result, explanation);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
                arguments("body.count > 10", values("body", "{\"count\":\"12\"}"),
                        "body.count is a string (\"12\"), cannot compare with a number"),
                arguments("10 < body.count", values("body", "{\"count\":\"12\"}"),
                        "body.count is a string (\"12\"), cannot compare with a number"),
                arguments("status == \"200\"", values("status", 200), "status is a number (200), cannot compare with a string"),
                arguments("latency < 500", values("latency", Duration.ofMillis(812)),
                        "latency is a duration (812ms), cannot compare with a number; write 500 with a unit, such as 500ms"),
                // Before: "write 5% with a unit, such as 5%ms".
                arguments("latency < 5%", values("latency", Duration.ofMillis(812)),
                        "latency is a duration (812ms), cannot compare with a number; a percentage is no duration: write a"
                                + " duration, such as 500ms"),
                arguments("latency < status", values("latency", Duration.ofMillis(812), "status", 200),
                        "latency is a duration (812ms), cannot compare with status, a number (200)"),
                arguments("body.ok == 1", values("body", "{\"ok\":true}"), "body.ok is a boolean (true), cannot compare with a number"),
                arguments("body.ok < body.ok", values("body", "{\"ok\":true}"),
                        "'<' compares numbers, durations or strings, but body.ok is a boolean (true)"),
                arguments("body.x > 1", values("body", "{\"x\":null}"), "'>' compares numbers, durations or strings, but body.x is null"),
                arguments("status in [\"200\"]", values("status", 200), "status is a number (200), cannot compare with a string"),
                arguments("status in codes", values("status", 200, "codes", List.of("200", 204)),
                        "status is a number (200), cannot compare with a string"),
                arguments("status in [ok]", values("status", 200, "ok", "200"),
                        "status is a number (200), cannot compare with ok, a string (\"200\")"),
                arguments("status in codes", values("status", 200, "codes", "200,204"), "codes is a string (\"200,204\"), 'in' needs a list"),
                arguments("status =~ \"2..\"", values("status", 200), "status is a number (200), '=~' needs a string"),
                arguments("body.ok", values("body", "{\"ok\":\"yes\"}"), "body.ok is a string (\"yes\"), expected true or false"),
                arguments("status == 200 && body.ok", values("status", 200, "body", "{\"ok\":1}"),
                        "body.ok is a number (1), expected true or false"),
                arguments("isNaN(body.v)", values("body", "{\"v\":\"NaN\"}"), "isNaN needs a number, but body.v is a string (\"NaN\")"),
                arguments("len(status) > 0", values("status", 200),
                        "len needs a string, a list or an object, but status is a number (200)"),
                arguments("max(items) > 0", values("items", List.of(1, "a")),
                        "max needs values of one kind, but items holds a number (1) and a string (\"a\")"),
                arguments("all(items)", values("items", List.of(1)), "all needs a list of true or false, but items holds a number (1)"),
                arguments("stauts == 200", values("status", 200, "latency", Duration.ZERO),
                        "unknown name 'stauts'; known names: latency, status"),
                arguments("body.status == \"UP\"", values("body", "<html>down</html>"),
                        "body is not JSON, cannot read body.status (body is \"<html>down</html>\")"),
                arguments("body.status == \"UP\"", values("body", "{\"status\":\"UP\"} trailing"),
                        "body is not JSON, cannot read body.status (body is \"{\\\"status\\\":\\\"UP\\\"} trailing\")"),
                // Read last-wins, a body saying both DOWN and UP was UP.
                arguments("body.status == \"UP\"", values("body", "{\"status\":\"DOWN\",\"status\":\"UP\"}"),
                        "body has the key status twice, so which value holds is not defined"),
                arguments("body.db.up", values("body", "{\"db\":{\"up\":false,\"up\":true}}"),
                        "body has the key db.up twice, so which value holds is not defined"),
                // Through a key given twice: the object under it may be either.
                arguments("body.components.db.status == \"UP\"",
                        values("body", "{\"components\":{\"db\":{\"status\":\"DOWN\"}},\"components\":{\"db\":{\"status\":\"UP\"}}}"),
                        "body has the key components twice, so which value holds is not defined"),
                arguments("body.items[-1].tags.env == \"a\"",
                        values("body", "{\"items\":[{},{\"tags\":{\"env\":\"a\",\"env\":\"b\"}}]}"),
                        "body has the key items[1].tags.env twice, so which value holds is not defined"),
                arguments("status.code == 200", values("status", 200), "status is a number (200), it has no key 'code'"),
                arguments("body.items.id == 1", values("body", "{\"items\":[]}"), "body.items is a list ([]), it has no key 'id'"),
                arguments("body[0] == 1", values("body", "{\"a\":1}"), "body is an object ({\"a\": 1}), it has no element [0]"),
                arguments("when == 1", values("when", java.time.Instant.EPOCH),
                        "when has a type conditions cannot read: java.time.Instant"));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("errors")
    void typeErrorsAndUnknownNamesAreErrorsThatSayWhy(String source, Map<String, ?> values, String explanation) {
        check(source, values, ERROR, explanation);
    }
}
