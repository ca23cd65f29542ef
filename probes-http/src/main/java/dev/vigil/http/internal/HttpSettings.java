package dev.vigil.http.internal;

import dev.vigil.ProbeLimits;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.condition.Criteria;
import dev.vigil.http.CanaryMetric;
import dev.vigil.http.HttpProbeBuilder;
import dev.vigil.http.HttpProbes;
import dev.vigil.http.Require;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeSettings;
import java.util.List;
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
            ClientSettings.HEADERS,
            ConfigKey.of("body", Kind.STRING, null, "The request body; sent as JSON when it starts with { or [."),
            ConfigKey.of("connect-timeout", Kind.DURATION, null, "How long a connection may take to open; default: the probe's timeout."),
            ConfigKey.of("response-timeout", Kind.DURATION, null,
                    "How long the server may stay silent before answering or between reads; default: the probe's timeout."),
            ConfigKey.of("follow-redirects", Kind.BOOLEAN, "true",
                    "Whether redirects to the same host and path (give or take a trailing slash) are followed, at most 10;"
                            + " any other redirect is the answer."),
            ConfigKey.of("max-body-size", Kind.SIZE, "1MB", "The largest response body read; a bigger one is an error."),
            ClientSettings.TRUST_STORE,
            ClientSettings.TRUST_STORE_PASSWORD,
            ConfigKey.of("trust-store-type", Kind.STRING, null, "PKCS12 or JKS; default: JKS for a .jks file, PKCS12 otherwise."),
            ClientSettings.INSECURE,
            ClientSettings.BEARER_TOKEN,
            ClientSettings.USERNAME,
            ClientSettings.PASSWORD,
            ConfigKey.of("baseline-urls", Kind.LIST, null,
                    "Canary analysis: the instances still on the previous version; url/urls are then the canary."),
            ConfigKey.of("metric", Kind.STRING, "latency",
                    "Canary analysis: latency (each instance's answer time) or errors (answers that fail the condition)."));

    /** The keys of both types: their own and the canary-analysis keys. */
    static final List<ConfigKey> ALL_KEYS = java.util.stream.Stream.concat(KEYS.stream(), CanaryJudges.KEYS.stream()).toList();

    /** A canary judge is not held to max-inconclusive while its evidence accumulates, unless the user sets it. */
    static ProbeLimits defaultLimits(ProbeSettings settings) {
        ProbeLimits defaults = ProbeLimits.defaults();
        return settings.string(CanaryJudges.KEY_JUDGE).isPresent() ? defaults.withMaxInconclusive(ProbeLimits.UNLIMITED) : defaults;
    }

    private HttpSettings() {
    }

    /** Reads the probe; reports every problem; {@code null} when any was found. */
    static dev.vigil.Probe create(ProbeSettings settings, boolean actuator) {
        Problems problems = new Problems(settings);
        HttpProbeBuilder builder = start(settings, actuator, problems);
        if (builder == null) {
            return null;
        }
        List<String> instances = settings.list("instances", emptyEntry("value", "10.0.0.1,10.0.0.2"));
        if (!instances.isEmpty()) {
            problems.check("instances", () -> builder.instances(instances));
        }
        settings.string("require").ifPresent(v -> problems.check("require", () -> builder.require(Require.parse(v))));
        settings.string("method").ifPresent(v -> problems.check("method", () -> builder.method(v)));
        ClientSettings.headers(settings, problems, builder::header);
        settings.string("body").ifPresent(v -> problems.check("body", () -> builder.body(v)));
        settings.duration("connect-timeout").ifPresent(v -> problems.check("connect-timeout", () -> builder.connectTimeout(v)));
        settings.duration("response-timeout").ifPresent(v -> problems.check("response-timeout", () -> builder.responseTimeout(v)));
        settings.bool("follow-redirects").ifPresent(builder::followRedirects);
        settings.size("max-body-size").ifPresent(v -> problems.check("max-body-size", () -> builder.maxBodySize(v)));
        ClientSettings.trust(settings, problems, builder::trustStore, builder::insecure);
        settings.string("trust-store-type").ifPresent(v -> problems.check("trust-store-type", () -> builder.trustStoreType(v)));
        ClientSettings.credentials(settings, problems, builder::bearerToken, builder::basicAuth);
        String defaultPassWhen = actuator ? HttpProbeBuilder.ACTUATOR_PASS_WHEN : HttpProbeBuilder.DEFAULT_PASS_WHEN;
        Optional<Criteria> criteria = settings.criteria(HttpProbes.conditionNames(), defaultPassWhen);
        if (criteria.isEmpty()) {
            return null;
        }
        boolean actuatorDefault = actuator && defaultPassWhen.equals(criteria.get().passWhen()) && criteria.get().failWhen() == null;
        // Without conditions the builder's own default judges, which also tells a redirect to
        // another host from a healthy answer; conditions given are judged as written.
        boolean given = settings.string("pass-when").isPresent() || settings.string("fail-when").isPresent();
        if (given && !actuatorDefault) {
            builder.criteria(criteria.get());
        }
        boolean judged = settings.string(CanaryJudges.KEY_JUDGE).isPresent();
        List<String> baselineUrls = settings.list("baseline-urls",
                emptyEntry("URL", "http://10.0.0.3:8080/health,http://10.0.0.4:8080/health"));
        Optional<String> metric = settings.string("metric");
        if (judged && baselineUrls.isEmpty()) {
            problems.problem("baseline-urls", "is required with judge (canary analysis compares canary with baseline instances)");
        } else if (!judged && (!baselineUrls.isEmpty() || metric.isPresent())) {
            problems.problem(baselineUrls.isEmpty() ? "metric" : "baseline-urls", "needs judge (canary analysis)");
        } else if (judged) {
            Optional<CanaryAnalysis> analysis = CanaryJudges.fromSettings(settings);
            CanaryMetric parsed = CanaryMetric.LATENCY;
            if (metric.isPresent()) {
                try {
                    parsed = CanaryMetric.parse(metric.get());
                } catch (IllegalArgumentException e) {
                    problems.problem("metric", e.getMessage());
                }
            }
            if (analysis.isEmpty()) {
                problems.reportedElsewhere();
            } else {
                CanaryMetric chosen = parsed;
                problems.check("baseline-urls", () -> builder.canary(baselineUrls, analysis.get(), chosen));
            }
        }
        if (problems.failed()) {
            return null;
        }
        if (given) {
            StatusBlindConditions.warnIfAny(settings, criteria.get());
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            settings.problem(keyFor(e.getMessage()), e.getMessage());
            return null;
        }
    }

    /** The problem of an empty entry in a list of instances, which would leave an instance unmeasured without a word. */
    private static String emptyEntry(String entry, String example) {
        return "an empty entry in the list; give one " + entry + " per instance (" + example + "): an empty entry"
                + " (a doubled or trailing comma, an unset variable) would leave an instance unmeasured";
    }

    private static HttpProbeBuilder start(ProbeSettings settings, boolean actuator, Problems problems) {
        Optional<String> url = settings.string("url");
        List<String> urls = settings.list("urls", emptyEntry("URL", "http://10.0.0.1:8080/health,http://10.0.0.2:8080/health"));
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

    /**
     * The key a rejection at {@code build()} is about: {@code baseline-urls} for a baseline instance
     * that is also a canary one, {@code instances} for the template's own messages (which start with
     * "instance" or name the placeholder), else as {@link ClientSettings#keyFor}.
     * Not any message holding "instance": a trust store under {@code /etc/instances/} is the trust store's.
     */
    private static String keyFor(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("baseline-urls")) {
            return "baseline-urls";
        }
        return m.startsWith("instance") || m.contains(" holds " + HttpProbeBuilder.INSTANCE_PLACEHOLDER + " but no instances")
                ? "instances" : ClientSettings.keyFor(message);
    }
}
