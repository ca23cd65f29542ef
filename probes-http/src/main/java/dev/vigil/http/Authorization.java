package dev.vigil.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The {@code Authorization} a request carries, from one of: a bearer token, a username and
 * password, or an {@code Authorization} header given with the other headers. Kept out of the plain
 * headers so that it is a {@link Secret}: never shown, and never sent to another host than the
 * URL's.
 */
final class Authorization {

    private Authorization() {
    }

    /**
     * Takes any {@code Authorization} header (any case) out of {@code headers} and returns the one
     * credential, or {@code null} when there is none.
     *
     * @param headers the request headers; an {@code Authorization} entry is removed
     * @param bearerToken the token, or {@code null}
     * @param username the user for basic authentication, or {@code null}
     * @param password the password for basic authentication, or {@code null}
     * @param prefix put before an error message ({@code "webhook: "}), or empty
     * @throws IllegalArgumentException when more than one kind of credential is given
     */
    static Secret take(Map<String, String> headers, Secret bearerToken, String username, Secret password,
            String prefix) {
        if (bearerToken != null && password != null) {
            throw new IllegalArgumentException(prefix + "set bearer-token or username/password, not both");
        }
        Secret header = null;
        for (String name : List.copyOf(headers.keySet())) {
            if (name.equalsIgnoreCase("Authorization")) {
                header = Secret.of(headers.remove(name));
            }
        }
        if (header != null && (bearerToken != null || password != null)) {
            throw new IllegalArgumentException(prefix
                    + "an Authorization header and bearer-token or username/password are set: keep one");
        }
        if (bearerToken != null) {
            return Secret.of("Bearer " + bearerToken.reveal());
        }
        if (password != null) {
            return Secret.of("Basic " + Base64.getEncoder()
                    .encodeToString((username + ":" + password.reveal()).getBytes(StandardCharsets.UTF_8)));
        }
        return header;
    }
}
