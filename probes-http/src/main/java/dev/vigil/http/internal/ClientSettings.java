package dev.vigil.http.internal;

import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigSettings;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The keys every HTTP client of this module reads, the probes' and the webhook's alike (headers,
 * TLS trust, credentials), and their reading into a builder. Stateless.
 */
final class ClientSettings {

    static final ConfigKey HEADERS =
            ConfigKey.of("headers", Kind.MAP, null, "Request headers, e.g. headers.X-Scope-OrgID=team-a; values are never shown.");
    static final ConfigKey TRUST_STORE =
            ConfigKey.of("trust-store", Kind.STRING, null, "A PKCS12 or JKS trust store file for servers signed by a private CA.");
    static final ConfigKey TRUST_STORE_PASSWORD = ConfigKey.secret("trust-store-password", Kind.STRING, "The trust store's password.");
    static final ConfigKey INSECURE =
            ConfigKey.of("insecure", Kind.BOOLEAN, "false", "Accept any TLS certificate and host name; for tests only, logs a warning.");
    static final ConfigKey BEARER_TOKEN = ConfigKey.secret("bearer-token", Kind.STRING, "Sent as Authorization: Bearer <token>.");
    static final ConfigKey USERNAME = ConfigKey.of("username", Kind.STRING, null, "Basic authentication user, with password.");
    static final ConfigKey PASSWORD = ConfigKey.secret("password", Kind.STRING, "Basic authentication password.");

    private ClientSettings() {
    }

    /** Hands each {@code headers.<name>} to the builder. */
    static void headers(ConfigSettings settings, Problems problems, BiConsumer<String, String> header) {
        for (Map.Entry<String, String> h : settings.map(HEADERS.name()).entrySet()) {
            problems.check(HEADERS.name() + "." + h.getKey(), () -> header.accept(h.getKey(), h.getValue()));
        }
    }

    /** Hands {@code trust-store} with its password, and {@code insecure}, to the builder. */
    static void trust(ConfigSettings settings, Problems problems, BiConsumer<Path, String> trustStore, Consumer<Boolean> insecure) {
        Optional<String> store = settings.string(TRUST_STORE.name());
        Optional<String> password = settings.string(TRUST_STORE_PASSWORD.name());
        store.ifPresent(v -> problems.check(TRUST_STORE.name(), () -> trustStore.accept(Path.of(v), password.orElse(null))));
        if (store.isEmpty() && password.isPresent()) {
            settings.problem(TRUST_STORE_PASSWORD.name(), "is set but trust-store is not");
        }
        settings.bool(INSECURE.name()).ifPresent(insecure);
    }

    /** Hands {@code bearer-token}, or {@code username} with {@code password}, to the builder; one of the pair alone is a problem. */
    static void credentials(ConfigSettings settings, Problems problems, Consumer<String> bearerToken,
            BiConsumer<String, String> basicAuth) {
        settings.string(BEARER_TOKEN.name()).ifPresent(v -> problems.check(BEARER_TOKEN.name(), () -> bearerToken.accept(v)));
        Optional<String> username = settings.string(USERNAME.name());
        Optional<String> password = settings.string(PASSWORD.name());
        if (username.isPresent() && password.isEmpty()) {
            problems.problem(PASSWORD.name(), "is required with username");
        } else if (password.isPresent() && username.isEmpty()) {
            problems.problem(USERNAME.name(), "is required with password");
        } else if (username.isPresent()) {
            problems.check(USERNAME.name(), () -> basicAuth.accept(username.get(), password.get()));
        }
    }

    /**
     * The key a builder's rejection at {@code build()} is about, judged by its message: the trust
     * store, the credentials, an {@code Authorization} header, else the URL.
     */
    static String keyFor(String message) {
        String m = message == null ? "" : message;
        if (m.contains("trust")) {
            return TRUST_STORE.name();
        }
        if (m.contains("bearer") || m.contains("username")) {
            return BEARER_TOKEN.name();
        }
        if (m.contains("Authorization")) {
            return HEADERS.name();
        }
        return "url";
    }
}
