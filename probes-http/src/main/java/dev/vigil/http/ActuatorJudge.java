package dev.vigil.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.ProbeResult;
import dev.vigil.condition.JsonBodies;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a Spring Boot actuator health response: {@code UP} passes, {@code DOWN} and
 * {@code OUT_OF_SERVICE} fail naming the failing components, {@code UNKNOWN} or a custom status is
 * inconclusive, a response that is no health document is an error (or a failure for an HTTP error
 * status), and so is a body with a key twice that this judge reads, {@code status} or
 * {@code components.*.status}, or reads through ({@link JsonBodies}). Equivalent to
 * {@code status == 200 && body.status == "UP"}, with a better explanation: a pass names the
 * components that are not {@code UP} (Spring's aggregation, not this judge, decides the top status).
 */
final class ActuatorJudge implements Judge {

    /** The default pass condition this judge stands for. */
    static final String PASS_WHEN = "status == 200 && body.status == \"UP\"";

    private static final int MAX_NAMED = 10;

    @Override
    public ProbeResult judge(Response response) {
        Map<String, Object> values = Values.base(response);
        try {
            return judge(response, values);
        } catch (RepeatedKey e) {
            String why = "the body has the key " + e.getMessage() + " twice, so which value holds is not defined: "
                    + Values.cut(response.body().strip());
            return response.status() >= 400 ? ProbeResult.fail(values, "HTTP " + response.status() + " and " + why)
                    : ProbeResult.error("HTTP " + response.status() + " but " + why, values);
        }
    }

    private static ProbeResult judge(Response response, Map<String, Object> values) throws RepeatedKey {
        JsonBodies.Body body = parse(response.body());
        JsonNode statusNode = body == null ? null : get(body, body.value(), "status");
        if (statusNode == null || !statusNode.isTextual()) {
            if (response.status() >= 400) {
                return ProbeResult.fail(values, "HTTP " + response.status() + " without a health status in the body");
            }
            String text = response.body() == null ? "" : response.body().strip();
            return ProbeResult.error("HTTP " + response.status() + " but the body is not a Spring Boot health response ("
                    + whyNoHealth(text, body, statusNode) + ")" + (text.isEmpty() ? "" : ": " + Values.cut(text)), values);
        }
        String health = statusNode.asText();
        values.put("body.status", health);
        switch (health) {
            case "UP":
                if (response.status() == 200) {
                    // Spring's own aggregation decides the top status; what it let through is still worth saying.
                    List<String> notUp = new ArrayList<>();
                    collectFailing(body, body.value(), "", notUp);
                    return ProbeResult.pass(values, "health UP (HTTP 200)"
                            + (notUp.isEmpty() ? "" : "; components not UP: " + name(notUp)));
                }
                return ProbeResult.fail(values, "health UP but HTTP " + response.status() + " (expected 200)");
            case "DOWN":
            case "OUT_OF_SERVICE":
                List<String> failing = new ArrayList<>();
                collectFailing(body, body.value(), "", failing);
                String named = name(failing);
                if (!failing.isEmpty()) {
                    values.put("components.failing", named);
                }
                return ProbeResult.fail(values, "health " + health + " (HTTP " + response.status() + ")"
                        + (failing.isEmpty()
                                ? "; the endpoint shows no components (see management.endpoint.health.show-components)"
                                : ": failing components " + named));
            default:
                return ProbeResult.inconclusive(values, "health " + health + " (HTTP " + response.status()
                        + "): neither UP nor DOWN, so no evidence either way");
        }
    }

    /** Walks {@code components} (or {@code details} of Spring Boot 2.0/2.1) and names the deepest ones not UP. */
    private static void collectFailing(JsonBodies.Body body, JsonNode node, String prefix, List<String> out) throws RepeatedKey {
        JsonNode children = get(body, node, "components");
        if (children == null || !children.isObject()) {
            children = get(body, node, "details");
        }
        if (children == null || !children.isObject()) {
            return;
        }
        Iterator<String> names = children.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            JsonNode child = get(body, children, name);
            JsonNode status = child.isObject() ? get(body, child, "status") : null;
            if (status == null || !status.isTextual() || status.asText().equals("UP")) {
                continue;
            }
            String path = prefix + name;
            int before = out.size();
            collectFailing(body, child, path + ".", out);
            if (out.size() == before) {
                out.add(path + " (" + status.asText() + ")");
            }
        }
    }

    /**
     * The key of an object of the body; a key the body has twice there, so that which value holds
     * is not defined, is refused: a repeated key this judge never reads is no matter.
     */
    private static JsonNode get(JsonBodies.Body body, JsonNode object, String key) throws RepeatedKey {
        String twice = body.repeatedKey(object, key).orElse(null);
        if (twice != null) {
            throw new RepeatedKey(twice);
        }
        return object.get(key);
    }

    /** A key the judge reads that the body has twice; its message is the key's path. */
    private static final class RepeatedKey extends Exception {
        RepeatedKey(String path) {
            super(path, null, false, false);
        }
    }

    private static String name(List<String> failing) {
        if (failing.size() <= MAX_NAMED) {
            return String.join(", ", failing);
        }
        return String.join(", ", failing.subList(0, MAX_NAMED)) + " and " + (failing.size() - MAX_NAMED) + " more";
    }

    /**
     * Why a body holds no health status, in the words of what it holds: a body that is JSON with a
     * {@code status} of another kind is not told it has no {@code status}.
     */
    private static String whyNoHealth(String text, JsonBodies.Body body, JsonNode statusNode) {
        if (text.isEmpty()) {
            return "the body is empty";
        }
        if (body == null) {
            return "not a JSON object";
        }
        if (statusNode == null) {
            return "no \"status\" field";
        }
        return "\"status\" is " + (statusNode.isNull() ? "null" : statusNode.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + Values.cut(statusNode.toString())) + ", not a text";
    }

    /** The body's JSON object, or {@code null} when it holds none; read as conditions read it. */
    private static JsonBodies.Body parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonBodies.Body read = JsonBodies.read(body);
            return read.value().isObject() ? read : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    @Override
    public String passWhen() {
        return PASS_WHEN;
    }

    @Override
    public String failWhen() {
        return null;
    }
}
