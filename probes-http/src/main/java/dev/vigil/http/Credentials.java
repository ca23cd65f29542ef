package dev.vigil.http;

import dev.vigil.spi.HeaderCredentials;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The credentials a request carries: the {@code Authorization} value and every configured header
 * whose name says it holds a credential ({@code X-Api-Key}, {@code X-Auth-Token}, {@code Cookie}).
 * They are kept out of the plain headers and added by {@link #interceptor()} to each request (each
 * hop of a redirect) addressed to the host the request was made for, and removed from any other:
 * a redirect to another host never carries them, nor one from {@code https} to {@code http}. Immutable and thread-safe.
 */
final class Credentials {

    /** The context attribute holding the authority ({@code host:port}) the request was made for. */
    static final String ORIGINAL_AUTHORITY = "dev.vigil.http.original-authority";
    /** The context attribute holding the scheme the request was made with. */
    static final String ORIGINAL_SCHEME = "dev.vigil.http.original-scheme";

    private final Map<String, Secret> headers;

    private Credentials(Map<String, Secret> headers) {
        this.headers = Map.copyOf(headers);
    }

    /**
     * Takes the credential headers out of {@code plain} and adds {@code authorization}.
     *
     * @param plain the configured headers, without {@code Authorization}; credential headers are removed
     * @param authorization the {@code Authorization} value, or {@code null}
     */
    static Credentials take(Map<String, String> plain, Secret authorization) {
        Map<String, Secret> secret = new LinkedHashMap<>();
        if (authorization != null) {
            secret.put("Authorization", authorization);
        }
        for (String name : List.copyOf(plain.keySet())) {
            if (HeaderCredentials.isCredentialHeader(name)) {
                secret.put(name, Secret.of(plain.remove(name)));
            }
        }
        return new Credentials(secret);
    }

    boolean isEmpty() {
        return headers.isEmpty();
    }

    /** Remembers in {@code context} the host the request is made for; call before executing it. */
    static void remember(HttpContext context, HttpRequest request) {
        try {
            context.setAttribute(ORIGINAL_AUTHORITY, request.getAuthority() == null ? null : request.getAuthority().toString());
            context.setAttribute(ORIGINAL_SCHEME, request.getScheme());
        } catch (RuntimeException e) {
            // no authority: the credentials are simply not sent
        }
    }

    /**
     * Adds the credentials to requests for the original host, and removes them from any other, and
     * from a hop to that host in plain {@code http} when the request was made with {@code https}
     * (a redirect must not put them on the network in clear).
     */
    HttpRequestInterceptor interceptor() {
        return (request, entity, context) -> {
            Object original = context.getAttribute(ORIGINAL_AUTHORITY);
            String authority = request.getAuthority() == null ? null : request.getAuthority().toString();
            boolean downgraded = "https".equalsIgnoreCase(String.valueOf(context.getAttribute(ORIGINAL_SCHEME)))
                    && !"https".equalsIgnoreCase(request.getScheme());
            boolean sameHost = original != null && authority != null && original.toString().equalsIgnoreCase(authority)
                    && !downgraded;
            headers.forEach((name, value) -> {
                request.removeHeaders(name);
                if (sameHost) {
                    request.setHeader(name, value.reveal());
                }
            });
        };
    }
}
