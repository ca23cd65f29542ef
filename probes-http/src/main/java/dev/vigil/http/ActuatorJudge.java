package dev.vigil.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.ProbeResult;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads a Spring Boot actuator health response: {@code UP} passes, {@code DOWN} and
 * {@code OUT_OF_SERVICE} fail naming the failing components, {@code UNKNOWN} or a custom status is
 * inconclusive, a response that is no health document is an error (or a failure for an HTTP error
 * status). Equivalent to {@code status == 200 && body.status == "UP"}, with a better explanation.
 */
final class ActuatorJudge implements Judge {

    /** The default pass condition this judge stands for. */
    static final String PASS_WHEN = "status == 200 && body.status == \"UP\"";

    private static final int MAX_NAMED = 10;

    @Override
    public ProbeResult judge(Response response) {
        Map<String, Object> values = Values.base(response);
        JsonNode root = parse(response.body());
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
                    return ProbeResult.pass(values, "health UP (HTTP 200)");
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

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            JsonNode node = Json.MAPPER.readTree(body);
            return node != null && node.isObject() ? node : null;
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

    /** Made with the first JSON written or read, not when a configuration is bound or validated. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
}
