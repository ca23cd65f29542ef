package dev.vigil.condition;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * JSON read from a service's answer as conditions read it ({@code body.status}), for the modules
 * that judge a body without a condition too, so that both read it alike. Read strictly: a key given
 * twice in one object ({@code {"status":"DOWN","status":"UP"}}) is refused rather than read
 * last-wins — parsers and proxies disagree on which of the two counts, so either reading could be
 * the one the service meant — and so is anything after the first value.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonBodies {

    private static final String DUPLICATE = "Duplicate field";

    private JsonBodies() {
    }

    /**
     * Reads a JSON text.
     *
     * @param text the text
     * @return the value it holds, a {@link com.fasterxml.jackson.databind.node.MissingNode} for an
     *     empty text
     * @throws JsonProcessingException when it is no JSON, has a key twice in one object (see
     *     {@link #repeatedKey}), or goes on after its value
     */
    public static JsonNode read(String text) throws JsonProcessingException {
        return Json.MAPPER.readTree(text);
    }

    /**
     * The key a text {@link #read} refused has twice: {@code status}, a nested key as its path
     * ({@code components.db.status}, {@code items[2].id}).
     *
     * @param e what {@link #read} threw
     * @return the key, or empty when the text was refused for another reason
     */
    public static Optional<String> repeatedKey(JsonProcessingException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith(DUPLICATE) && e instanceof StreamReadException
                && ((StreamReadException) e).getProcessor() instanceof JsonParser) {
            return Optional.of(path(((JsonParser) ((StreamReadException) e).getProcessor()).getParsingContext()));
        }
        return Optional.empty();
    }

    /** The keys from the root to the one being read, dotted; an array's element as its index. */
    private static String path(JsonStreamContext context) {
        List<String> keys = new ArrayList<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            keys.add(c.inObject() ? String.valueOf(c.getCurrentName()) : "[" + c.getCurrentIndex() + "]");
        }
        Collections.reverse(keys);
        return String.join(".", keys).replace(".[", "[");
    }

    /** Made with the first JSON read, not when a configuration is bound or validated. */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }
}
