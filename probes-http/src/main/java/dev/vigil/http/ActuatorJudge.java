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
 * status), and so is a body with a key twice ({@link JsonBodies}). Equivalent to
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
        JsonNode root;
        try {
            root = parse(response.body());
        } catch (JsonProcessingException e) {
            String twice = JsonBodies.repeatedKey(e).orElse(null);
            if (twice != null) {
                String why = "the body has the key " + twice + " twice, so which value holds is not defined: "
                        + Values.cut(response.body().strip());
                return response.status() >= 400 ? ProbeResult.fail(values, "HTTP " + response.status() + " and " + why)
                        : ProbeResult.error("HTTP " + response.status() + " but " + why, values);
            }
            root = null;
        }
        JsonNode statusNode = root == null ? null : root.get("status");
        if (statusNode == null || !statusNode.isTextual()) {
            if (response.status() >= 400) {
                return ProbeResult.fail(values, "HTTP " + response.status() + " without a health status in the body");
            }
            return ProbeResult.error("HTTP " + response.status() + " but the body is not a Spring Boot health response "
                    + "(no \"status\" field): " + Values.cut(response.body().strip()), values);
        }
        String health = statusNode.asText();
        values.put("body.status", health);
        switch (health) {
            case "UP":
                if (response.status() == 200) {
                    // Spring's own aggregation decides the top status; what it let through is still worth saying.
                    List<String> notUp = new ArrayList<>();
                    collectFailing(root, "", notUp);
                    return ProbeResult.pass(values, "health UP (HTTP 200)"
                            + (notUp.isEmpty() ? "" : "; components not UP: " + name(notUp)));
                }
                return ProbeResult.fail(values, "health UP but HTTP " + response.status() + " (expected 200)");
            case "DOWN":
            case "OUT_OF_SERVICE":
                List<String> failing = new ArrayList<>();
                collectFailing(root, "", failing);
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
    private static void collectFailing(JsonNode node, String prefix, List<String> out) {
        JsonNode children = node.get("components");
        if (children == null || !children.isObject()) {
            children = node.get("details");
        }
        if (children == null || !children.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = children.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> child = fields.next();
            JsonNode status = child.getValue().get("status");
            if (status == null || !status.isTextual() || status.asText().equals("UP")) {
                continue;
            }
            String path = prefix + child.getKey();
            int before = out.size();
            collectFailing(child.getValue(), path + ".", out);
            if (out.size() == before) {
                out.add(path + " (" + status.asText() + ")");
            }
        }
    }

    private static String name(List<String> failing) {
        if (failing.size() <= MAX_NAMED) {
            return String.join(", ", failing);
        }
        return String.join(", ", failing.subList(0, MAX_NAMED)) + " and " + (failing.size() - MAX_NAMED) + " more";
    }

    /** The body's JSON object, or {@code null} when it holds none; read as conditions read it. */
    private static JsonNode parse(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        JsonNode node = JsonBodies.read(body);
        return node != null && node.isObject() ? node : null;
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
