package dev.vigil.http;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hc.core5.http.Header;

/**
 * One HTTP response, fully read.
 *
 * @param status the status code of the final response (after redirects when they are followed)
 * @param headers the response headers by case-insensitive name; repeated headers joined with {@code ", "}
 * @param body the body as text, decoded with the charset the response declares (UTF-8 otherwise)
 * @param latency from the moment the request was sent on an open connection to the last byte of the
 *     body (redirects included); opening connections is not part of it
 * @param connectTime the time spent getting a connection (pool lease, TCP connect, TLS handshake)
 *     for this request and its redirects; zero for a connection reused from an earlier round
 * @param redirects the redirects followed, as the URLs asked one after the other ({@link Redirects#shown}),
 *     from the one requested to the one that answered; empty when none was followed
 * @param notFollowed the redirect that was not followed ({@link Redirects}), when this response is
 *     one; {@code null} otherwise
 */
record Response(int status, Map<String, String> headers, String body, Duration latency, Duration connectTime,
        List<String> redirects, Redirects.NotFollowed notFollowed) {

    Response {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = Collections.unmodifiableMap(copy);
        redirects = List.copyOf(redirects);
    }

    /**
     * The headers of an answer by case-insensitive name, the values of a repeated header joined
     * with {@code ", "} in the order received, whatever the case of each repetition's name
     * ({@code X-Health: DOWN} and {@code x-health: UP} are {@code DOWN, UP}, not the last one alone).
     */
    static Map<String, String> headers(Header... received) {
        TreeMap<String, String> joined = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Header h : received) {
            joined.merge(h.getName(), h.getValue(), (a, b) -> a + ", " + b);
        }
        return joined;
    }

    /** A response that followed no redirect and is none left unfollowed. */
    Response(int status, Map<String, String> headers, String body, Duration latency, Duration connectTime) {
        this(status, headers, body, latency, connectTime, List.of(), null);
    }

    /** A response whose latency includes the connection (the blocking client does not tell them apart). */
    Response(int status, Map<String, String> headers, String body, Duration latency) {
        this(status, headers, body, latency, Duration.ZERO);
    }
}
