package dev.vigil.http;

import dev.vigil.Probe;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.condition.Criteria;
import dev.vigil.spi.HeaderCredentials;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Builds an HTTP probe; made by {@link HttpProbes}. Not thread-safe; the probe it builds is
 * immutable and thread-safe. Setters reject impossible values at once; {@link #build()} rejects
 * conflicting ones. Secrets given here never appear in the probe's description or {@code toString()}.
 */
public final class HttpProbeBuilder {

    /** Default {@code max-body-size}: 1 MiB. */
    public static final long DEFAULT_MAX_BODY_SIZE = 1024 * 1024;
    /** Default pass condition of an HTTP probe, as Kubernetes' {@code httpGet} probe. */
    public static final String DEFAULT_PASS_WHEN = "status >= 200 && status < 400";
    /** Default pass condition of an actuator probe. */
    public static final String ACTUATOR_PASS_WHEN = ActuatorJudge.PASS_WHEN;
    /** Default path of an actuator probe whose URL has none. */
    public static final String ACTUATOR_PATH = "/actuator/health";
    /** The placeholder a URL template holds for each instance. */
    public static final String INSTANCE_PLACEHOLDER = "{instance}";
    /** The methods a probe may use: those of RFC 9110 that ask a server for an answer, and PATCH (RFC 5789). */
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** Default {@code follow-redirects}: true, as Kubernetes. */
    public static final boolean DEFAULT_FOLLOW_REDIRECTS = true;

    private final boolean actuator;
    private final List<String> urls;
    private List<String> instances = List.of();
    private String method = "GET";
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;

    private Secret bearerToken;
    private String username;
    private Secret password;
    private Duration connectTimeout;
    private Duration responseTimeout;
    private boolean followRedirects = DEFAULT_FOLLOW_REDIRECTS;
    private long maxBodySize = DEFAULT_MAX_BODY_SIZE;
    private Path trustStore;
    private Secret trustStorePassword;
    private String trustStoreType;
    private KeyStore trustStoreLoaded;
    private boolean insecure;
    private String passWhen;
    private String failWhen;
    private Criteria criteria;
    private Require require = Require.all();
    private List<String> baselineUrls = List.of();
    private CanaryAnalysis canaryAnalysis;
    private CanaryMetric canaryMetric = CanaryMetric.LATENCY;
    private Clock clock = Clock.systemUTC();

    private HttpProbeBuilder(List<String> urls, boolean actuator) {
        this.urls = urls;
        this.actuator = actuator;
        if (actuator) {
            headers.put("Accept", "application/vnd.spring-boot.actuator.v3+json, application/json;q=0.9, */*;q=0.1");
        }
    }

    static HttpProbeBuilder single(String url, boolean actuator) {
        Objects.requireNonNull(url, "url");
        if (url.contains(INSTANCE_PLACEHOLDER)) {
            // each instance's URL is checked when it is known, at build()
            if (!url.strip().matches("(?i)https?://.+")) {
                throw new IllegalArgumentException("'" + Target.display(url) + "' must be an http:// or https:// URL");
            }
        } else {
            checkUrl(url);
        }
        return new HttpProbeBuilder(List.of(url.strip()), actuator);
    }

    static HttpProbeBuilder fleet(List<String> urls, boolean actuator) {
        return new HttpProbeBuilder(urls("urls", urls), actuator);
    }

    private static void checkUrl(String url) {
        Target.parseUrl(url);
    }

    /** A list of instances' URLs, each checked; see {@link #instances(String, List, Function, UnaryOperator)}. */
    private static List<String> urls(String key, List<String> urls) {
        return instances(key, urls, url -> Target.identity(Target.parseUrl(url)), Target::display);
    }

    /**
     * The entries of a list of instances, stripped. Refuses an empty list, an empty entry (an
     * instance left out) and an instance named twice: asked twice a round and counted as two, it
     * would make one instance "2 of 2 instances passed".
     *
     * @param key how messages name the list ({@code urls})
     * @param identity what makes two entries one instance; it may refuse an entry
     * @param shown how messages show an entry
     */
    private static List<String> instances(String key, List<String> values, Function<String, String> identity,
            UnaryOperator<String> shown) {
        Objects.requireNonNull(values, key);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(key + " must name at least one instance");
        }
        Map<String, String> seen = new HashMap<>();
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(key + " entry " + (i + 1) + " of " + values.size()
                        + " is empty: each entry is one instance, and an empty one would leave an instance out");
            }
            String before = seen.putIfAbsent(identity.apply(value.strip()), value.strip());
            if (before != null) {
                throw new IllegalArgumentException(key + " names one instance more than once, '" + shown.apply(value.strip()) + "'"
                        + (before.equals(value.strip()) ? "" : ", the same as '" + shown.apply(before) + "' before it")
                        + ": it would be asked more than once a round and counted as that many; keep one");
            }
            entries.add(value.strip());
        }
        return List.copyOf(entries);
    }

    /**
     * Splits the comparison into canary and baseline: the URLs (or instances) of this builder are
     * the canary, {@code baselineUrls} the instances still on the previous version. Each round
     * both are measured at once and the judge compares them on {@code metric}; the probe's
     * condition says which answers count as errors ({@link CanaryMetric#ERRORS}) or whose latency
     * counts ({@link CanaryMetric#LATENCY}: only answers that pass it), and
     * {@code require} no longer applies. The judge's evidence accumulates over the rounds of one
     * verification.
     *
     * @param baselineUrls the URLs of the instances on the previous version
     * @param analysis the judge and its settings
     * @param metric what is compared: latency or errors
     * @return this builder
     * @throws IllegalArgumentException when the baseline is empty, holds a bad URL, an empty one or
     *     one instance twice; {@link #build()} refuses a baseline instance that is also a canary one
     */
    public HttpProbeBuilder canary(List<String> baselineUrls, CanaryAnalysis analysis, CanaryMetric metric) {
        this.baselineUrls = urls("baseline-urls", baselineUrls);
        this.canaryAnalysis = Objects.requireNonNull(analysis, "analysis");
        this.canaryMetric = Objects.requireNonNull(metric, "metric");
        return this;
    }

    /**
     * Makes a fleet of the URL template: one instance per value, put in place of {@code {instance}}
     * ({@code http://{instance}:8080/health} with {@code a, b, c}).
     *
     * @param values the values put in place of {@code {instance}}, one instance each
     * @return this builder
     * @throws IllegalArgumentException when the list is empty, or holds a blank value or one instance
     *     twice: one value twice, or two that make URLs differing only in the case of the host or a
     *     default port written out ({@code Pod-1} and {@code pod-1} in {@code http://{instance}:8080/health})
     */
    public HttpProbeBuilder instances(List<String> values) {
        this.instances = instances("instances", values, this::instanceIdentity, UnaryOperator.identity());
        return this;
    }

    /**
     * What makes two values one instance: the URL the template makes of each, as {@link Target#identity}
     * compares URLs ({@code Pod-1} and {@code pod-1} in the host are one, and so are {@code a} and
     * {@code a:80} before {@code /health}; in the path they differ). The value as written while the
     * template makes no URL of it: {@link #build()} names that value.
     */
    private String instanceIdentity(String value) {
        if (urls.size() != 1 || !urls.get(0).contains(INSTANCE_PLACEHOLDER)) {
            return value;
        }
        try {
            return Target.identity(Target.parseUrl(urls.get(0).replace(INSTANCE_PLACEHOLDER, value)));
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    /**
     * The HTTP method; default {@code GET}. One of {@code GET}, {@code HEAD}, {@code POST},
     * {@code PUT}, {@code PATCH}, {@code DELETE} and {@code OPTIONS}, in any case: a misspelt method
     * ({@code GTE}) would be answered 405 in every round and roll back a healthy release, so it is
     * refused here, naming the methods allowed.
     *
     * @param value the method ({@code GET}, {@code POST}, ...)
     * @return this builder
     * @throws IllegalArgumentException when the method is none of those
     */
    public HttpProbeBuilder method(String value) {
        Objects.requireNonNull(value, "method");
        String method = value.strip().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method must be one of " + String.join(", ", METHODS) + ": '" + value + "'");
        }
        this.method = method;
        return this;
    }

    /**
     * Adds a request header. Its value is never shown in descriptions or reports (only its name),
     * so a key header such as {@code X-Api-Key} is safe here. For {@code Authorization} use
     * {@link #bearerToken} or {@link #basicAuth}.
     *
     * @param name the header's name
     * @param value its value, never shown
     * @return this builder
     */
    public HttpProbeBuilder header(String name, String value) {
        Objects.requireNonNull(name, "header name");
        Objects.requireNonNull(value, "header value");
        if (!name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw new IllegalArgumentException("'" + name + "' is not a valid header name");
        }
        headers.keySet().removeIf(existing -> existing.equalsIgnoreCase(name));
        headers.put(name, value);
        return this;
    }

    /**
     * Adds request headers; see {@link #header}.
     *
     * @param values the headers by name; values never shown
     * @return this builder
     */
    public HttpProbeBuilder headers(Map<String, String> values) {
        values.forEach(this::header);
        return this;
    }

    /**
     * The request body, sent as JSON when it starts with <code>{</code> or <code>[</code>, as text otherwise, unless a {@code Content-Type} header says.
     *
     * @param value the request body
     * @return this builder
     */
    public HttpProbeBuilder body(String value) {
        this.body = Objects.requireNonNull(value, "body");
        return this;
    }

    /**
     * Sends {@code Authorization: Bearer <token>}; the token is a secret.
     *
     * @param token the token, never shown
     * @return this builder
     */
    public HttpProbeBuilder bearerToken(String token) {
        Objects.requireNonNull(token, "bearer-token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("bearer-token must not be blank");
        }
        this.bearerToken = Secret.of(token.strip());
        return this;
    }

    /**
     * Sends {@code Authorization: Basic ...} at once (no challenge round trip); the password is a secret.
     *
     * @param user the user name
     * @param pass the password, never shown
     * @return this builder
     */
    public HttpProbeBuilder basicAuth(String user, String pass) {
        Objects.requireNonNull(user, "username");
        Objects.requireNonNull(pass, "password");
        if (user.isBlank() || user.contains(":")) {
            throw new IllegalArgumentException("username must be non-blank and contain no ':'");
        }
        this.username = user;
        this.password = Secret.of(pass);
        return this;
    }

    /**
     * How long a connection may take to open; default: the probe's whole timeout.
     *
     * @param value the longest time to open a connection
     * @return this builder
     */
    public HttpProbeBuilder connectTimeout(Duration value) {
        this.connectTimeout = positive(value, "connect-timeout");
        return this;
    }

    /**
     * How long the server may stay silent, waiting for the response or between two reads; default: the whole timeout. The probe's {@code timeout} still bounds the whole measurement.
     *
     * @param value the longest silence of the server
     * @return this builder
     */
    public HttpProbeBuilder responseTimeout(Duration value) {
        this.responseTimeout = positive(value, "response-timeout");
        return this;
    }

    /**
     * Whether redirects are followed (up to {@value FleetClient#MAX_REDIRECTS}); default {@value #DEFAULT_FOLLOW_REDIRECTS}.
     * Only a redirect to the same host name and path, give or take a trailing slash (whatever the
     * scheme, port or query), is followed: after any other (to a sign-on page elsewhere, or to
     * {@code /login} on the same host) what answers is not the URL's own, so that redirect is the
     * answer; without conditions it is {@code INCONCLUSIVE}, naming where it pointed. To measure a
     * service that moved, point the probe at the URL that answers. Every redirect followed is named
     * in the measurement (value {@code redirects}, and the explanation).
     *
     * @param value {@code false} to judge every redirect itself
     * @return this builder
     */
    public HttpProbeBuilder followRedirects(boolean value) {
        this.followRedirects = value;
        return this;
    }

    /**
     * The largest body read; a bigger one is an {@code ERROR}. Default {@link #DEFAULT_MAX_BODY_SIZE}.
     *
     * @param bytes the largest body read, in bytes
     * @return this builder
     */
    public HttpProbeBuilder maxBodySize(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("max-body-size must be at least 1 byte: " + bytes);
        }
        this.maxBodySize = bytes;
        return this;
    }

    /**
     * Trusts the certificates in this trust store (PKCS12, or JKS when the file ends in {@code .jks})
     * instead of the JDK's CAs; host names are still verified. Read when {@link #build()} runs.
     *
     * @param file the trust store file
     * @param password the store's password (a secret), or {@code null} when it has none
     * @return this builder
     */
    public HttpProbeBuilder trustStore(Path file, String password) {
        this.trustStore = Objects.requireNonNull(file, "trust-store");
        this.trustStorePassword = password == null ? null : Secret.of(password);
        return this;
    }

    /**
     * The trust store's type ({@code PKCS12} or {@code JKS}) when the file name does not tell.
     *
     * @param type {@code PKCS12} or {@code JKS}
     * @return this builder
     */
    public HttpProbeBuilder trustStoreType(String type) {
        this.trustStoreType = Objects.requireNonNull(type, "trust-store-type");
        return this;
    }

    /**
     * Trusts the certificates of a key store already loaded.
     *
     * @param store the loaded trust store
     * @return this builder
     */
    public HttpProbeBuilder trustStore(KeyStore store) {
        this.trustStoreLoaded = Objects.requireNonNull(store, "trust store");
        return this;
    }

    /**
     * Accepts any certificate and host name. For tests only; a warning is logged when the probe is built.
     *
     * @param value {@code true} to accept any certificate and host name
     * @return this builder
     */
    public HttpProbeBuilder insecure(boolean value) {
        this.insecure = value;
        return this;
    }

    /**
     * The pass condition; default {@link #DEFAULT_PASS_WHEN} (an actuator probe: its own judgement).
     *
     * @param condition the pass condition ({@code status == 200 && latency < 500ms})
     * @return this builder
     */
    public HttpProbeBuilder passWhen(String condition) {
        this.passWhen = Objects.requireNonNull(condition, "pass-when");
        return this;
    }

    /**
     * The fail condition.
     *
     * @param condition the fail condition
     * @return this builder
     */
    public HttpProbeBuilder failWhen(String condition) {
        this.failWhen = Objects.requireNonNull(condition, "fail-when");
        return this;
    }

    /**
     * Conditions already parsed (by the configuration binder); replaces {@link #passWhen} and {@link #failWhen}.
     *
     * @param value the parsed conditions
     * @return this builder
     */
    public HttpProbeBuilder criteria(Criteria value) {
        this.criteria = Objects.requireNonNull(value, "criteria");
        return this;
    }

    /**
     * How many instances of a fleet must pass; default {@link Require#all()}. Ignored for one URL.
     *
     * @param value how many instances must pass
     * @return this builder
     */
    public HttpProbeBuilder require(Require value) {
        this.require = Objects.requireNonNull(value, "require");
        return this;
    }

    /**
     * The clock the probe compares with its deadline; default {@link Clock#systemUTC()}.
     *
     * @param value the clock
     * @return this builder
     */
    public HttpProbeBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /**
     * Builds the probe.
     *
     * @return a new probe; close it (or the verifier it is given to) to free its connections
     * @throws IllegalArgumentException for conflicting options (two kinds of credentials, insecure
     *     with a trust store, a template without instances, a baseline URL that is also a canary
     *     instance), an unreadable trust store, or a
     *     condition that does not parse ({@link dev.vigil.condition.ConditionSyntaxException})
     */
    public Probe build() {
        List<Target> targets = targets();
        List<Target> baseline = baselineUrls.stream().map(u -> Target.of(actuator ? withActuatorPath(u) : u)).toList();
        notInTheBaseline(targets, baseline);
        boolean fleet = targets.size() > 1 || urls.size() > 1 || !instances.isEmpty();
        if (insecure && (trustStore != null || trustStoreLoaded != null)) {
            throw new IllegalArgumentException("insecure=true and a trust-store are both set: keep one");
        }
        String what = method + " " + (fleet ? Target.display(urls.get(0)) : targets.get(0).name());
        Tls tls = insecure ? Tls.insecure(what)
                : trustStore != null ? Tls.trustStore(trustStore, trustStorePassword, trustStoreType)
                : trustStoreLoaded != null ? Tls.trustStore(trustStoreLoaded)
                : Tls.system();
        Map<String, String> requestHeaders = new LinkedHashMap<>(headers);
        List<String> secrets = new ArrayList<>();
        Secret authorization = Authorization.take(requestHeaders, bearerToken, username, password, "");
        // A key header (X-Api-Key, X-Auth-Token, Cookie) is a credential too: a server echoing it, or a
        // part of it (a cookie's value), must not put it in a report.
        requestHeaders.forEach((name, value) -> {
            if (HeaderCredentials.isCredentialHeader(name)) {
                secrets.addAll(Redactor.credential(value));
            }
        });
        Credentials credentials = Credentials.take(requestHeaders, authorization);
        int fleetSize = targets.size() + baselineUrls.size();
        FleetClient transport = new FleetClient(method, requestHeaders, body, credentials, connectTimeout,
                responseTimeout, followRedirects, maxBodySize, tls, fleetSize);
        Judge judge = judge();
        if (authorization != null) {
            secrets.addAll(Redactor.credential(authorization.reveal()));
            int space = authorization.reveal().indexOf(' ');
            secrets.add(space < 0 ? null : authorization.reveal().substring(space + 1).strip());
        }
        secrets.add(bearerToken == null ? null : bearerToken.reveal());
        secrets.add(password == null ? null : password.reveal());
        secrets.add(trustStorePassword == null ? null : trustStorePassword.reveal());
        if (canaryAnalysis != null) {
            return new CanaryFleetProbe(transport, targets, baseline, judge, canaryAnalysis, canaryMetric,
                    canaryDescription(targets, fleet, baseline, authorization), new Redactor(secrets));
        }
        return new FleetProbe(transport, targets, fleet, require, judge, clock, description(targets, fleet, authorization),
                new Redactor(secrets));
    }

    /** The judge of an answer, naming the redirects it came through ({@link NotSeenElsewhere}). */
    private Judge judge() {
        if (criteria != null) {
            return new NotSeenElsewhere(new CriteriaJudge(criteria), false);
        }
        if (passWhen == null && failWhen == null) {
            Judge byDefault = actuator ? new ActuatorJudge() : new CriteriaJudge(Criteria.passWhen(DEFAULT_PASS_WHEN, CriteriaJudge.NAMES));
            return new NotSeenElsewhere(byDefault, true);
        }
        return new NotSeenElsewhere(new CriteriaJudge(Criteria.of(passWhen, failWhen, CriteriaJudge.NAMES)), false);
    }

    private List<Target> targets() {
        List<String> resolved = new ArrayList<>();
        for (String url : urls) {
            resolved.add(actuator ? withActuatorPath(url) : url);
        }
        boolean template = resolved.get(0).contains(INSTANCE_PLACEHOLDER);
        if (instances.isEmpty()) {
            if (template) {
                throw new IllegalArgumentException("url '" + Target.display(resolved.get(0)) + "' holds " + INSTANCE_PLACEHOLDER
                        + " but no instances are set");
            }
            return resolved.stream().map(Target::of).toList();
        }
        if (resolved.size() != 1 || !template) {
            throw new IllegalArgumentException("instances need one url holding " + INSTANCE_PLACEHOLDER
                    + ", such as http://" + INSTANCE_PLACEHOLDER + ":8080/health");
        }
        List<Target> targets = new ArrayList<>();
        for (String instance : instances) {
            String url = resolved.get(0).replace(INSTANCE_PLACEHOLDER, instance);
            try {
                targets.add(new Target(Target.parseUrl(url), instance));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("instance '" + instance + "': " + e.getMessage(), e);
            }
        }
        return targets;
    }

    /** Refuses a baseline instance that is also a canary one: the canary would be compared with itself. */
    private static void notInTheBaseline(List<Target> canary, List<Target> baseline) {
        Map<String, Target> byUrl = new HashMap<>();
        canary.forEach(t -> byUrl.putIfAbsent(Target.identity(t.uri()), t));
        for (Target instance : baseline) {
            Target same = byUrl.get(Target.identity(instance.uri()));
            if (same != null) {
                throw new IllegalArgumentException("baseline-urls names '" + instance.name() + "', which is also a canary instance"
                        + (same.name().equals(instance.name()) ? "" : " ('" + same.name() + "')")
                        + ": the canary would be compared with itself, which shows no regression whatever it answers;"
                        + " the baseline is the instances still on the previous version");
            }
        }
    }

    private static String withActuatorPath(String url) {
        String probe = url.replace(INSTANCE_PLACEHOLDER, "instance").replaceFirst("(?i)^(https?://[^/:]*):instance", "$1:1");
        String path = Target.parseUrl(probe).getRawPath();
        if (path == null || path.isEmpty() || path.equals("/")) {
            String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            return base + ACTUATOR_PATH;
        }
        return url;
    }

    private String description(List<Target> targets, boolean fleet, Secret authorization) {
        return method + " " + targetsAsked(targets, fleet) + (fleet ? ", require " + require : "") + askedHow(authorization);
    }

    /** What a canary probe asks: {@code GET canary 3 instances (...) against baseline 3 instances, ...}. */
    private String canaryDescription(List<Target> targets, boolean fleet, List<Target> baseline, Secret authorization) {
        return method + " canary " + targetsAsked(targets, fleet) + askedHow(authorization) + " against baseline "
                + baseline.size() + (baseline.size() == 1 ? " instance, " : " instances, ")
                + canaryMetric.name().toLowerCase(java.util.Locale.ROOT) + " judged by " + canaryAnalysis.describe();
    }

    /** The URL, the instances' template, or the instances, as a description names them. */
    private String targetsAsked(List<Target> targets, boolean fleet) {
        if (!fleet) {
            return targets.get(0).name();
        }
        if (!instances.isEmpty()) {
            String template = actuator ? withActuatorPath(urls.get(0)) : urls.get(0);
            return Target.display(template) + " for " + targets.size() + " instances";
        }
        return targets.size() + " instances (" + (targets.size() <= 3
                ? String.join(", ", targets.stream().map(Target::name).toList()) : targets.get(0).name() + ", ...") + ")";
    }

    /** {@code (actuator health)} and {@code with Authorization ******}, as they apply. */
    private String askedHow(Secret authorization) {
        return (actuator ? " (actuator health)" : "") + (authorization != null ? " with Authorization " + Secret.REDACTED : "");
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
        return value;
    }
}
