package dev.vigil.http;

import dev.vigil.Durations;
import dev.vigil.Preflight;
import dev.vigil.spi.HeaderCredentials;
import dev.vigil.spi.UrlCredentials;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where and how a webhook is posted: the URL, headers, credentials, TLS trust and timeout.
 * Immutable and thread-safe; made with {@link Webhooks#target(String)}. Credentials, header values
 * and the URL's path (a Slack hook's credential) never appear in {@link #toString()}, {@link #url()}
 * or any message: the URL is shown as {@code scheme://host[:port]/…}.
 */
public final class WebhookTarget {

    /** Default time one post may take, connection included. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    /** Most of a webhook's answer that is read (and kept for the report); the rest is cut, and the cut noted. */
    static final long MAX_ANSWER = 64 * 1024;

    private final Target target;
    private final Map<String, String> headers;
    private final Secret authorization;
    /** The credentials sent, and their parts, to mask in what the receiver answers. */
    private final Redactor redactor;
    private final Duration timeout;
    private final Tls tls;

    private WebhookTarget(Builder b) {
        this.target = Target.webhook(b.url);
        this.timeout = b.timeout;
        if (b.insecure && b.trustStore != null) {
            throw new IllegalArgumentException("webhook: insecure=true and a trust store are both set: keep one");
        }
        Map<String, String> plain = new LinkedHashMap<>(b.headers);
        this.authorization = Authorization.take(plain, b.bearerToken, b.username, b.password, "webhook: ");
        this.headers = Map.copyOf(plain);
        List<String> secrets = new ArrayList<>();
        plain.forEach((name, value) -> {
            if (HeaderCredentials.isCredentialHeader(name)) {
                secrets.addAll(Redactor.credential(value));
            }
        });
        if (authorization != null) {
            secrets.addAll(Redactor.credential(authorization.reveal()));
            int space = authorization.reveal().indexOf(' ');
            secrets.add(space < 0 ? null : authorization.reveal().substring(space + 1).strip());
        }
        secrets.add(b.bearerToken == null ? null : b.bearerToken.reveal());
        secrets.add(b.password == null ? null : b.password.reveal());
        secrets.add(b.trustStorePassword == null ? null : b.trustStorePassword.reveal());
        // The URL's path may be its credential (Slack's hooks): a receiver or an error quoting it must not show it.
        secrets.add(target.uri().toString());
        secrets.add(UrlCredentials.afterHost(target.uri().toString()));
        this.redactor = new Redactor(secrets);
        this.tls = b.insecure ? Tls.insecure("webhook " + target.name())
                : b.trustStore != null ? Tls.trustStore(b.trustStore, b.trustStorePassword, null)
                : Tls.system();
    }

    static Builder builder(String url) {
        return new Builder(url);
    }

    /** Posts a JSON document; never throws but for interruption. */
    Exchange post(String json) throws InterruptedException {
        return post(json, Map.of());
    }

    /** Posts a JSON document with extra headers that replace configured ones of the same name; never throws but for interruption. */
    Exchange post(String json, Map<String, String> extra) throws InterruptedException {
        Map<String, String> all = new LinkedHashMap<>(headers);
        for (String name : extra.keySet()) {
            all.keySet().removeIf(name::equalsIgnoreCase);
        }
        all.putAll(extra);
        all.putIfAbsent("Content-Type", "application/json");
        HttpTransport transport = new HttpTransport("POST", all, json, authorization, null, null, false, MAX_ANSWER, tls)
                .cuttingLongBodies();
        return transport.exchangeAll(List.of(target), timeout, "webhook timeout " + Durations.format(timeout)).get(0);
    }

    /**
     * A text the receiver sent back (its answer, an error quoting it) with the credentials this
     * target sends masked, whole or in part ({@link Redactor#credential}): a receiver that echoes
     * the request must not put them in the rollback's output, the reports or the log.
     */
    String scrub(String text) {
        return redactor.scrub(text);
    }

    /**
     * {@return the URL as it is shown: its scheme, host and port, and {@code /…} for the rest, since a
     * webhook's path may be its credential ({@code https://hooks.slack.com/services/T000/B000/XXXX} is
     * {@code https://hooks.slack.com/…})}
     */
    public String url() {
        return target.name();
    }

    /**
     * Where a redirect the receiver answered points, shown as this URL is ({@code scheme://host[:port]/…}:
     * its path may be a credential too), resolved against this URL; {@code null} without a
     * {@code Location} or with one that cannot be read.
     */
    String redirectedTo(String location) {
        if (location == null || location.isBlank()) {
            return null;
        }
        try {
            java.net.URI resolved = target.uri().resolve(location.strip());
            return resolved.getScheme() == null ? null : Redirects.origin(resolved) + "/…";
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * What tells this receiver from another one without showing the URL's credentials: the URL as
     * shown and a SHA-256 digest of the whole URL, so that two URLs differing only in a redacted
     * part (another {@code sig=}) are not taken for the same receiver.
     */
    List<Object> identity() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(target.uri().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return List.of(url(), java.util.HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /**
     * Whether the receiver could be posted to, without posting: its host resolves and its port
     * accepts a TCP connection within the timeout. Never throws but for nothing: every failure is
     * an error naming the host.
     */
    Preflight reachable() {
        String failure = target.connect(timeout);
        return failure == null ? Preflight.ok("webhook " + url() + ": " + target.hostAndPort() + " accepts connections (nothing was posted)")
                : Preflight.error("webhook " + url() + ": " + failure);
    }

    /** {@return how long one post may take} */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public String toString() {
        return "POST " + target.name() + (authorization == null ? "" : " with Authorization " + Secret.REDACTED);
    }

    /** Builds a {@link WebhookTarget}. Not thread-safe. */
    public static final class Builder {
        private final String url;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Secret bearerToken;
        private String username;
        private Secret password;
        private Duration timeout = DEFAULT_TIMEOUT;
        private Path trustStore;
        private Secret trustStorePassword;
        private boolean insecure;

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
            Target.webhook(url);
        }

        /**
         * Adds a header; its value is never shown (a signature or key header is safe here).
         *
         * @param name the header's name
         * @param value its value, never shown
         * @return this builder
         */
        public Builder header(String name, String value) {
            Objects.requireNonNull(name, "header name");
            Objects.requireNonNull(value, "header value");
            if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new IllegalArgumentException("'" + name + "' is not a valid header name");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Sends {@code Authorization: Bearer <token>}; a secret.
         *
         * @param token the token, never shown
         * @return this builder
         */
        public Builder bearerToken(String token) {
            Objects.requireNonNull(token, "bearer token");
            if (token.isBlank()) {
                throw new IllegalArgumentException("webhook bearer token must not be blank");
            }
            this.bearerToken = Secret.of(token.strip());
            return this;
        }

        /**
         * Sends {@code Authorization: Basic ...}; the password is a secret.
         *
         * @param user the user name
         * @param pass the password, never shown
         * @return this builder
         */
        public Builder basicAuth(String user, String pass) {
            Objects.requireNonNull(user, "username");
            Objects.requireNonNull(pass, "password");
            if (user.isBlank() || user.contains(":")) {
                throw new IllegalArgumentException("webhook username must be non-blank and contain no ':'");
            }
            this.username = user;
            this.password = Secret.of(pass);
            return this;
        }

        /**
         * How long one post may take, connection included; default {@link #DEFAULT_TIMEOUT}.
         *
         * @param value the longest time one post may take
         * @return this builder
         */
        public Builder timeout(Duration value) {
            Objects.requireNonNull(value, "timeout");
            if (value.isZero() || value.isNegative()) {
                throw new IllegalArgumentException("webhook timeout must be positive: " + value);
            }
            this.timeout = value;
            return this;
        }

        /**
         * Trusts the certificates in this trust store (PKCS12, or JKS for {@code .jks}); {@code password} may be null.
         *
         * @param file the trust store file
         * @param password its password, or {@code null}
         * @return this builder
         */
        public Builder trustStore(Path file, String password) {
            this.trustStore = Objects.requireNonNull(file, "trust store");
            this.trustStorePassword = password == null ? null : Secret.of(password);
            return this;
        }

        /**
         * Accepts any certificate; for tests only, logs a warning.
         *
         * @param value {@code true} to accept any certificate
         * @return this builder
         */
        public Builder insecure(boolean value) {
            this.insecure = value;
            return this;
        }

        /**
         * Builds the target.
         *
         * @return the target
         * @throws IllegalArgumentException for conflicting credentials or TLS options, or an unreadable trust store
         */
        public WebhookTarget build() {
            return new WebhookTarget(this);
        }
    }
}
