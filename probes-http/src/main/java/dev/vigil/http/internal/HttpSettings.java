package dev.vigil.http.internal;

import dev.vigil.condition.Criteria;
import dev.vigil.http.HttpProbeBuilder;
import dev.vigil.http.HttpProbes;
import dev.vigil.http.Require;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ProbeSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The keys shared by {@code type=http} and {@code type=actuator}, and their reading. */
final class HttpSettings {

    static final List<ConfigKey> KEYS = List.of(
            ConfigKey.of("url", Kind.STRING, null,
                    "The URL to measure; with instances it holds {instance}, e.g. http://{instance}:8080/health."),
            ConfigKey.of("urls", Kind.LIST, null, "A fleet: one URL per instance, all measured at once each round."),
            ConfigKey.of("instances", Kind.LIST, null, "The values put in place of {instance} in url, one instance each."),
            ConfigKey.of("require", Kind.STRING, "all", "How many instances of a fleet must pass: all, any or a percentage such as 90%."),
            ConfigKey.of("method", Kind.STRING, "GET", "The HTTP method."),
            ConfigKey.of("headers", Kind.MAP, null, "Request headers, e.g. headers.X-Scope-OrgID=team-a; values are never shown."),
            ConfigKey.of("body", Kind.STRING, null, "The request body; sent as JSON when it starts with { or [."),
            ConfigKey.of("connect-timeout", Kind.DURATION, null, "How long a connection may take to open; default: the probe's timeout."),
            ConfigKey.of("response-timeout", Kind.DURATION, null,
                    "How long the server may stay silent before answering or between reads; default: the probe's timeout."),
            ConfigKey.of("follow-redirects", Kind.BOOLEAN, "true", "Whether redirects are followed (at most 10)."),
            ConfigKey.of("max-body-size", Kind.SIZE, "1MB", "The largest response body read; a bigger one is an error."),
            ConfigKey.of("trust-store", Kind.STRING, null, "A PKCS12 or JKS trust store file for servers signed by a private CA."),
            ConfigKey.secret("trust-store-password", Kind.STRING, "The trust store's password."),
            ConfigKey.of("trust-store-type", Kind.STRING, null, "PKCS12 or JKS; default: JKS for a .jks file, PKCS12 otherwise."),
            ConfigKey.of("insecure", Kind.BOOLEAN, "false", "Accept any TLS certificate and host name; for tests only, logs a warning."),
            ConfigKey.secret("bearer-token", Kind.STRING, "Sent as Authorization: Bearer <token>."),
            ConfigKey.of("username", Kind.STRING, null, "Basic authentication user, with password."),
            ConfigKey.secret("password", Kind.STRING, "Basic authentication password."));

    private HttpSettings() {
    }

    /** Reads the probe; reports every problem; {@code null} when any was found. */
    static dev.vigil.spi.Probe create(ProbeSettings settings, boolean actuator) {
        Problems problems = new Problems(settings);
        HttpProbeBuilder builder = start(settings, actuator, problems);
        if (builder == null) {
            return null;
        }
        List<String> instances = settings.list("instances");
        if (!instances.isEmpty()) {
            problems.check("instances", () -> builder.instances(instances));
        }
        settings.string("require").ifPresent(v -> problems.check("require", () -> builder.require(Require.parse(v))));
        settings.string("method").ifPresent(v -> problems.check("method", () -> builder.method(v)));
        for (Map.Entry<String, String> h : settings.map("headers").entrySet()) {
            problems.check("headers." + h.getKey(), () -> builder.header(h.getKey(), h.getValue()));
        }
        settings.string("body").ifPresent(v -> problems.check("body", () -> builder.body(v)));
        settings.duration("connect-timeout").ifPresent(v -> problems.check("connect-timeout", () -> builder.connectTimeout(v)));
        settings.duration("response-timeout").ifPresent(v -> problems.check("response-timeout", () -> builder.responseTimeout(v)));
        settings.bool("follow-redirects").ifPresent(builder::followRedirects);
        settings.size("max-body-size").ifPresent(v -> problems.check("max-body-size", () -> builder.maxBodySize(v)));
        Optional<String> trustStore = settings.string("trust-store");
        Optional<String> trustStorePassword = settings.string("trust-store-password");
        trustStore.ifPresent(v -> problems.check("trust-store", () -> builder.trustStore(Path.of(v), trustStorePassword.orElse(null))));
        if (trustStore.isEmpty() && trustStorePassword.isPresent()) {
            settings.problem("trust-store-password", "is set but trust-store is not");
        }
        settings.string("trust-store-type").ifPresent(v -> problems.check("trust-store-type", () -> builder.trustStoreType(v)));
        settings.bool("insecure").ifPresent(builder::insecure);
        settings.string("bearer-token").ifPresent(v -> problems.check("bearer-token", () -> builder.bearerToken(v)));
        Optional<String> username = settings.string("username");
        Optional<String> password = settings.string("password");
        if (username.isPresent() && password.isEmpty()) {
            settings.problem("password", "is required with username");
            problems.failed = true;
        } else if (password.isPresent() && username.isEmpty()) {
            settings.problem("username", "is required with password");
            problems.failed = true;
        } else if (username.isPresent()) {
            problems.check("username", () -> builder.basicAuth(username.get(), password.get()));
        }
        String defaultPassWhen = actuator ? HttpProbeBuilder.ACTUATOR_PASS_WHEN : HttpProbeBuilder.DEFAULT_PASS_WHEN;
        Optional<Criteria> criteria = settings.criteria(HttpProbes.conditionNames(), defaultPassWhen);
        if (criteria.isEmpty()) {
            return null;
        }
        boolean actuatorDefault = actuator && defaultPassWhen.equals(criteria.get().passWhen()) && criteria.get().failWhen() == null;
        if (!actuatorDefault) {
            builder.criteria(criteria.get());
        }
        if (problems.failed) {
            return null;
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            settings.problem(keyFor(e.getMessage()), e.getMessage());
            return null;
        }
    }

    private static HttpProbeBuilder start(ProbeSettings settings, boolean actuator, Problems problems) {
        Optional<String> url = settings.string("url");
        List<String> urls = settings.list("urls");
        if (url.isPresent() && !urls.isEmpty()) {
            settings.problem("urls", "set url or urls, not both");
            return null;
        }
        if (url.isEmpty() && urls.isEmpty()) {
            settings.problem("url", "is required (or urls for a fleet)");
            return null;
        }
        try {
            if (url.isPresent()) {
                return actuator ? HttpProbes.actuator(url.get()) : HttpProbes.http(url.get());
            }
            return actuator ? HttpProbes.actuator(urls) : HttpProbes.http(urls);
        } catch (IllegalArgumentException e) {
            settings.problem(url.isPresent() ? "url" : "urls", e.getMessage());
            return null;
        }
    }

    private static String keyFor(String message) {
        String m = message == null ? "" : message;
        if (m.contains("trust")) {
            return "trust-store";
        }
        if (m.contains("bearer") || m.contains("username")) {
            return "bearer-token";
        }
        if (m.contains("instance")) {
            return "instances";
        }
        if (m.contains("Authorization")) {
            return "headers";
        }
        return "url";
    }

    /** Runs a builder call and records its rejection as a problem of {@code key}. */
    private static final class Problems {
        private final ProbeSettings settings;
        private boolean failed;

        Problems(ProbeSettings settings) {
            this.settings = settings;
        }

        void check(String key, Runnable call) {
            try {
                call.run();
            } catch (IllegalArgumentException e) {
                settings.problem(key, e.getMessage());
                failed = true;
            }
        }
    }
}
