package dev.vigil.prometheus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON of Prometheus' HTTP API ({@code /api/v1/query}, {@code /api/v1/query_range}),
 * as Prometheus, Thanos, Mimir, Cortex and VictoriaMetrics write it. Stateless and thread-safe.
 */
final class ResponseParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponseParser() {
    }

    /**
     * The envelope: {@code status}, {@code errorType}, {@code error}, {@code warnings} (with
     * Prometheus' {@code infos} and a partial answer among them), {@code data}.
     */
    record Envelope(String status, String errorType, String error, List<String> warnings, JsonNode data) {
        boolean success() {
            return "success".equals(status);
        }
    }

    /**
     * Parses the envelope.
     *
     * @throws NotPrometheusJson when the body is not JSON, is cut short, or lacks {@code status}
     */
    static Envelope envelope(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            // Jackson quotes the word it could not read, up to 256 characters of it: a body that starts
            // with a token the server echoes would show it, or its first part, whatever is redacted after.
            throw new NotPrometheusJson(firstLine(e.getOriginalMessage()).replaceFirst("^Unrecognized token '[^']*'",
                    "Unrecognized token"));
        } catch (IOException e) {
            throw new NotPrometheusJson(firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new NotPrometheusJson(root == null || root.isMissingNode() ? "the body is empty" : "the body is not a JSON object");
        }
        JsonNode status = root.get("status");
        if (status == null || !status.isTextual()) {
            throw new NotPrometheusJson("the JSON has no \"status\" field");
        }
        List<String> warnings = new ArrayList<>();
        JsonNode w = root.get("warnings");
        if (w != null && w.isArray()) {
            w.forEach(node -> warnings.add(node.asText()));
        }
        // Prometheus 2.50 and later send some annotations as infos ("PromQL info: ignored histogram in
        // sum aggregation"): data left out or changed, or a query it doubts ("metric might not be a
        // counter", a warning before). Which of them matter the probe cannot tell: each is a warning.
        JsonNode infos = root.get("infos");
        if (infos != null && infos.isArray()) {
            infos.forEach(node -> warnings.add(node.asText().startsWith("PromQL info") ? node.asText()
                    : "info: " + node.asText()));
        }
        JsonNode partial = root.get("isPartial");
        if (partial != null && partial.asBoolean(false)) {
            // VictoriaMetrics: some storage nodes did not answer, the result may miss series.
            warnings.add("partial response (isPartial=true): some series may be missing");
        }
        return new Envelope(status.asText(), text(root, "errorType"), text(root, "error"), warnings, root.get("data"));
    }

    /**
     * Reads the {@code data} of a successful answer.
     *
     * @throws NotPrometheusJson when its shape is not one of Prometheus' result types
     */
    static QueryResult result(Envelope envelope) {
        JsonNode data = envelope.data();
        if (data == null || !data.isObject()) {
            throw new NotPrometheusJson("a successful answer without a \"data\" object");
        }
        String type = text(data, "resultType");
        JsonNode result = data.get("result");
        if (type == null || result == null) {
            throw new NotPrometheusJson("\"data\" lacks \"resultType\" or \"result\"");
        }
        List<Series> series = new ArrayList<>();
        String string = null;
        switch (type) {
            case QueryResult.VECTOR -> {
                for (JsonNode node : array(result, "vector")) {
                    JsonNode value = node.get("value");
                    if (value == null && node.has("histogram")) {
                        throw new NotPrometheusJson("series " + new Series(labels(node), List.of()).selector()
                                + " holds a native histogram, not a number: reduce it with histogram_quantile,"
                                + " histogram_count or histogram_sum");
                    }
                    series.add(new Series(labels(node), List.of(sample(value))));
                }
            }
            case QueryResult.MATRIX -> {
                for (JsonNode node : array(result, "matrix")) {
                    List<Sample> samples = new ArrayList<>();
                    JsonNode values = node.get("values");
                    if (values != null) {
                        for (JsonNode value : array(values, "matrix values")) {
                            samples.add(sample(value));
                        }
                    } else if (node.has("histograms")) {
                        throw new NotPrometheusJson("series " + new Series(labels(node), List.of()).selector()
                                + " holds native histograms, not numbers: reduce them with histogram_quantile,"
                                + " histogram_count or histogram_sum");
                    }
                    series.add(new Series(labels(node), samples));
                }
            }
            case QueryResult.SCALAR -> series.add(new Series(Map.of(), List.of(sample(result))));
            case QueryResult.STRING -> {
                if (!result.isArray() || result.size() != 2) {
                    throw new NotPrometheusJson("a string result that is not [time, \"text\"]");
                }
                string = result.get(1).asText();
            }
            default -> throw new NotPrometheusJson("unknown resultType \"" + type + "\"");
        }
        return new QueryResult(type, series, string, envelope.warnings());
    }

    private static Iterable<JsonNode> array(JsonNode node, String what) {
        if (!node.isArray()) {
            throw new NotPrometheusJson("the " + what + " result is not a JSON array");
        }
        return node;
    }

    private static Map<String, String> labels(JsonNode node) {
        Map<String, String> labels = new LinkedHashMap<>();
        JsonNode metric = node.get("metric");
        if (metric != null && metric.isObject()) {
            metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
        }
        return labels;
    }

    /** A {@code [1732612335.123, "0.031"]} pair. */
    private static Sample sample(JsonNode pair) {
        if (pair == null || !pair.isArray() || pair.size() != 2 || !pair.get(0).isNumber()) {
            throw new NotPrometheusJson("a sample that is not [time, \"value\"]: " + Texts.quote(String.valueOf(pair), List.of()));
        }
        BigDecimal seconds = pair.get(0).decimalValue();
        Instant time;
        try {
            // longValueExact: longValue() would wrap a time of 1e20 into some other time, silently.
            time = Instant.ofEpochSecond(seconds.setScale(0, java.math.RoundingMode.DOWN).longValueExact(),
                    seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
        } catch (ArithmeticException | java.time.DateTimeException e) {
            throw new NotPrometheusJson("a sample time that is no time: " + Texts.quote(pair.get(0).asText(), List.of())
                    + " (seconds since 1970)");
        }
        return new Sample(time, number(pair.get(1)));
    }

    /** Prometheus writes values as strings: {@code "0.031"}, {@code "NaN"}, {@code "+Inf"}, {@code "-Inf"}. */
    static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        String text = node.asText().trim();
        switch (text) {
            case "NaN":
                return Double.NaN;
            case "+Inf":
            case "Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    return Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    throw new NotPrometheusJson("a sample value that is not a number: " + Texts.quote(text, List.of()));
                }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable JSON";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The body is not the JSON Prometheus' API writes. */
    static final class NotPrometheusJson extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotPrometheusJson(String message) {
            super(message, null, false, false);
        }
    }
}
