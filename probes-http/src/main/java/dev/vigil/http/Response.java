package dev.vigil.http;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP response, fully read.
 *
 * @param status the status code of the final response (after redirects when they are followed)
 * @param headers the response headers by case-insensitive name; repeated headers joined with {@code ", "}
 * @param body the body as text, decoded with the charset the response declares (UTF-8 otherwise)
 * @param latency from the start of the request to the last byte of the body
 */
record Response(int status, Map<String, String> headers, String body, Duration latency) {

    Response {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = Collections.unmodifiableMap(copy);
    }
}
