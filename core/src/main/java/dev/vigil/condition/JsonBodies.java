package dev.vigil.condition;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * JSON read from a service's answer as conditions read it ({@code body.status}), for the modules
 * that judge a body without a condition too, so that both read it alike. A key given twice in one
 * object ({@code {"status":"DOWN","status":"UP"}}) is remembered: parsers and proxies disagree on
 * which of the two counts, so either reading could be the one the service meant, and a reader that
 * reads that key, or reads through it ({@code components} twice for {@code components.db.status}),
 * must refuse the body ({@link Body#repeatedKey}); a key repeated in a part never read
 * ({@code items[3].tags}) is no reason to. Anything after the first value is refused.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonBodies {

    private JsonBodies() {
    }

    /**
     * Reads a JSON text.
     *
     * @param text the text
     * @return its value (a {@link com.fasterxml.jackson.databind.node.MissingNode} for an empty
     *     text; of a key given twice in one object, the last) and the keys it has twice
     * @throws JsonProcessingException when it is no JSON or goes on after its value
     */
    public static Body read(String text) throws JsonProcessingException {
        JsonNode value = Json.MAPPER.readTree(text);
        if (!value.isContainerNode()) {
            return new Body(value, Map.of());
        }
        try (JsonParser parser = Json.MAPPER.createParser(text)) {
            return new Body(value, repeated(parser, value));
        } catch (JsonProcessingException e) {
            throw e;
        } catch (IOException e) {
            // A String holds no I/O to fail; Jackson declares it for streams.
            throw new IllegalStateException(e);
        }
    }

    /**
     * The value of a JSON text and the keys it has twice. Immutable and thread-safe.
     */
    public static final class Body {

        private final JsonNode value;
        /** For each object with a key twice (by identity: equal objects may differ here), that key's path by key. */
        private final Map<JsonNode, Map<String, String>> repeated;

        private Body(JsonNode value, Map<JsonNode, Map<String, String>> repeated) {
            this.value = value;
            this.repeated = repeated;
        }

        /** {@return the value read, the last of a key given twice in one object; do not change it} */
        public JsonNode value() {
            return value;
        }

        /**
         * Whether the text has {@code key} twice in {@code object}, so that which value holds is not
         * defined. A reader asks before each key it reads, on its way too: {@code status} of the root
         * for {@code status}; {@code components} of the root, {@code db} of that, {@code status} of
         * that for {@code components.db.status}.
         *
         * @param object an object node of {@link #value()}, reached from it
         * @param key the key to be read
         * @return the key's path from the root ({@code status}, {@code components.db.status},
         *     {@code items[2].id}) when the text has it twice there, else empty
         */
        public Optional<String> repeatedKey(JsonNode object, String key) {
            Map<String, String> keys = repeated.get(object);
            return keys == null ? Optional.empty() : Optional.ofNullable(keys.get(key));
        }
    }

    /** A streaming pass over the text: the keys each object has twice, placed in {@code value} read from it. */
    private static Map<JsonNode, Map<String, String>> repeated(JsonParser parser, JsonNode value) throws IOException {
        Map<JsonNode, Map<String, String>> found = new IdentityHashMap<>();
        Deque<Set<String>> seen = new ArrayDeque<>();
        for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
            if (token == JsonToken.START_OBJECT) {
                seen.push(new HashSet<>());
            } else if (token == JsonToken.END_OBJECT) {
                seen.pop();
            } else if (token == JsonToken.FIELD_NAME && !seen.peek().add(parser.currentName())) {
                List<Object> path = path(parser.getParsingContext());
                // In the value read: the object that holds the key. One inside an object given twice may be
                // gone (the last one kept); that object's key is then the one a reader stops at.
                JsonNode object = at(value, path.subList(0, path.size() - 1));
                if (object != null && object.isObject()) {
                    found.computeIfAbsent(object, o -> new HashMap<>()).putIfAbsent(parser.currentName(), shown(path));
                }
            }
        }
        return Collections.unmodifiableMap(found);
    }

    /** The keys ({@link String}) and indexes ({@link Integer}) from the root to the one being read. */
    private static List<Object> path(JsonStreamContext context) {
        List<Object> steps = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            steps.add(c.inObject() ? String.valueOf(c.getCurrentName()) : c.getCurrentIndex());
        }
        Collections.reverse(steps);
        return steps;
    }

    /** A path dotted, an array's element as its index: {@code items[2].id}. */
    private static String shown(List<Object> path) {
        StringBuilder shown = new StringBuilder();
        for (Object step : path) {
            if (step instanceof Integer) {
                shown.append('[').append(step).append(']');
            } else {
                shown.append(shown.length() == 0 ? "" : ".").append(step);
            }
        }
        return shown.toString();
    }

    /** The node at {@code path} under {@code node}, or {@code null} when there is none. */
    private static JsonNode at(JsonNode node, List<Object> path) {
        JsonNode current = node;
        for (int i = 0; i < path.size() && current != null; i++) {
            current = path.get(i) instanceof Integer index ? current.get(index) : current.get((String) path.get(i));
        }
        return current;
    }

    /** Made with the first JSON read, not when a configuration is bound or validated. */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
