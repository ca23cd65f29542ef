package dev.vigil.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.ProbeReport;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackReport;
import dev.vigil.VerificationReport;
import dev.vigil.spi.CommandLineCredentials;
import dev.vigil.spi.CredentialNames;
import dev.vigil.spi.HeaderCredentials;
import dev.vigil.spi.UrlCredentials;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Removes anything that looks like a credential from the text of a report before it is written.
 *
 * <p>Probes promise never to put secrets into measurements; this is the second line of defence
 * for text that comes from elsewhere (the output of a rollback command that echoes its
 * environment, an error message that quotes a request). Stateless and thread-safe.
 */
final class Redaction {

    /** What replaces a secret. */
    static final String MASK = "[REDACTED]";
    /** The names {@link #AUTHORIZATION} masks the value of, as a pattern. */
    private static final String AUTHORIZATION_NAME = "(?:(?:proxy-)?authorization|\\b(?:set-)?cookie)";
    /**
     * {@code Authorization: Basic abc}, {@code Proxy-Authorization=...}, {@code Cookie: a=1; session=...},
     * {@code Set-Cookie: session=...; Path=/} (as {@code curl -v} prints them): everything up to the end of the line.
     * In a condition ({@code header.Authorization == "Basic abc"}) the quoted literal only: the
     * {@code ==} and the rest of the condition stay readable. A quoted value runs to its closing quote,
     * past the quotes its JSON escapes ({@code "Authorization": "Bearer a\"b"}).
     */
    static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)(" + AUTHORIZATION_NAME + "\"?\\s*(?:==\\s*\"|[:=](?!=)\\s*\"?))((?:[^\\r\\n\"\\\\]++|\\\\[^\\r\\n]?)+)");
    /**
     * {@link #AUTHORIZATION} in JSON that is itself a JSON string's content, its quotes escaped
     * ({@code {"body": "{\"headers\": {\"Authorization\": \"Basic abc\"}}"}}, as a log
     * quoting a request's body has it): the value (group 2) up to its escaped closing quote.
     */
    static final Pattern ESCAPED_AUTHORIZATION = Pattern.compile(
            "(?i)(" + AUTHORIZATION_NAME + "\\\\\"\\s*:\\s*\\\\\")((?:[^\\r\\n\"\\\\]++|\\\\(?!\")[^\\r\\n]?)+)");
    /** The word {@link #HEADER_VALUE} starts with, in lower case. */
    static final String HEADER_VALUE_WORD = "header.";
    /** The words of which {@link #AUTHORIZATION} finds one, in lower case. */
    static final List<String> AUTHORIZATION_WORDS = List.of("authorization", "cookie");
    /**
     * A response header's value as a condition shows it, {@code header.Set-Cookie("SESSION=...")}: the
     * name in group 2, the value (quoted, its quotes escaped) in group 3. Masked when the name is a
     * credential header's ({@link HeaderCredentials#isCredentialHeader}): a session the service hands
     * out, or a key it echoes, is one as much as what the probe sent.
     */
    static final Pattern HEADER_VALUE = Pattern.compile(
            "(?i)(\\b" + Pattern.quote(HEADER_VALUE_WORD) + "([A-Za-z0-9_-]+)\\(\")((?:[^\"\\\\]++|\\\\.)*+)");
    /** The word {@link #BEARER} starts with, in lower case. */
    static final String BEARER_WORD = "bearer";
    /** {@code Bearer eyJ...} anywhere. */
    static final Pattern BEARER = Pattern.compile("(?i)\\b(" + BEARER_WORD + "\\s+)([A-Za-z0-9._~+/=-]+)");
    /** The words of which {@link #REGISTRY_AUTH} finds one, in lower case: its name quoted, its quotes escaped or not. */
    static final List<String> REGISTRY_AUTH_WORDS = List.of("\"auth\"", "\"auth\\\"");
    /**
     * A registry's credentials in a Docker or Podman {@code config.json} ({@code auths}, as
     * {@code docker login} writes it and a {@code .dockerconfigjson} secret holds it):
     * {@code "auth": "<base64 of user:password>"}, also inside a JSON string ({@code \"auth\":\"...\"}).
     * The base64 value is group 2; it is masked when it decodes to a {@code user:password}
     * ({@link #registryCredentials}), so that {@code "auth": "disabled"} stays.
     */
    static final Pattern REGISTRY_AUTH = Pattern.compile(
            "(\\\\?\"auth\\\\?\"\\s*:\\s*\\\\?\")([A-Za-z0-9+/]{8,}={0,2})(?=\\\\?\")");
    /** The fields of a {@code .netrc} entry that may stand before its password, with their values. */
    private static final String NETRC_FIELDS = "(?:\\s+(?:login|account|port)\\s+\\S+)";
    /** The words of which {@link #NETRC_PASSWORD} finds one, in lower case. */
    static final List<String> NETRC_PASSWORD_WORDS = List.of("password");
    /**
     * A {@code .netrc} entry's password ({@code machine api.example login deploy password s3cret},
     * {@code default login anonymous password x}): the word after {@code password} (group 2) in a
     * line that starts an entry with {@code machine <host>}, or with {@code default} and a
     * {@code login} ({@code the default password is x} is prose, not an entry).
     */
    static final Pattern NETRC_PASSWORD = Pattern.compile(
            "(?i)(\\b(?:machine\\s+\\S+" + NETRC_FIELDS + "{0,4}|default" + NETRC_FIELDS + "{1,4})\\s+password\\s+)(\\S+)");
    /** The words of which {@link #ORACLE_PASSWORD} finds one, in lower case. */
    static final List<String> ORACLE_PASSWORD_WORDS = List.of("jdbc:oracle:", "sqlplus");
    /**
     * The password of Oracle's {@code user/password}: in a JDBC URL
     * ({@code jdbc:oracle:thin:scott/tiger@//db:1521/orcl}, before its {@code @}) and on SQL*Plus'
     * command line ({@code sqlplus -s scott/tiger@orcl}); group 2. {@code sqlplus /nolog},
     * {@code sqlplus / as sysdba} and {@code jdbc:oracle:thin:@//db:1521/orcl} name no password.
     */
    static final Pattern ORACLE_PASSWORD = Pattern.compile(
            "(?i)(\\b(?:jdbc:oracle:[a-z0-9]+:|sqlplus(?:\\s+-\\S+){0,8}\\s+)[^/\\s:@'\"]+/)([^@\\s'\"]+)");
    /** The words of which {@link #PRIVATE_KEY} finds one, in lower case. */
    static final List<String> PRIVATE_KEY_WORDS = List.of("private key-----");
    /**
     * A PEM private key ({@code -----BEGIN RSA PRIVATE KEY-----}, {@code OPENSSH}, {@code EC},
     * {@code ENCRYPTED}, PKCS#8's bare {@code PRIVATE KEY}), its lines apart or joined by a JSON
     * {@code \n}: the key (group 2) up to its {@code -----END ... PRIVATE KEY-----} line, or up to the
     * blanks that end the text when that is missing (a key cut short, or its {@code BEGIN} line
     * alone, as a console masked line by line has it). The lines around it stay.
     */
    static final Pattern PRIVATE_KEY = Pattern.compile(
            "(?s)(-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----)(.*?)(?=-----END [A-Z0-9 ]{0,40}PRIVATE KEY-----|\\s*\\z)");
    /**
     * How the tokens that say what they are by their start begin: GitHub's ({@code ghp_}, {@code gho_},
     * {@code ghu_}, {@code ghs_}, {@code ghr_}, {@code github_pat_}), GitLab's ({@code glpat-},
     * {@code glrt-}, {@code glptt-}), Slack's ({@code xoxb-}, {@code xoxp-}, {@code xoxa-},
     * {@code xoxr-}, {@code xoxs-}, {@code xoxe-}, {@code xapp-}), a Google OAuth access token
     * ({@code ya29.}, as {@code gcloud auth print-access-token} prints it), Stripe's secret and
     * restricted keys ({@code sk_live_}, {@code rk_live_}), PyPI's ({@code pypi-AgE}) and Docker Hub's
     * ({@code dckr_pat_}), as each is written.
     */
    static final List<String> TOKEN_PREFIXES = List.of("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
            "glrt-", "glptt-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xapp-", "ya29.", "sk_live_", "rk_live_",
            "pypi-AgE", "dckr_pat_");
    /** The {@link #TOKEN_PREFIXES} in lower case: the words of which {@link #PREFIXED_TOKEN} finds one. */
    static final List<String> TOKEN_PREFIX_WORDS = TOKEN_PREFIXES.stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
    /**
     * A token that starts with one of the {@link #TOKEN_PREFIXES} (group 1, as written), wherever it stands, alone
     * too: the rest of it (group 2), of 16 characters or more, is masked, the prefix stays to say
     * which kind of token was there ({@code ghp_[REDACTED]}). A shorter rest is a name
     * ({@code ghp_token}), not a token.
     */
    static final Pattern PREFIXED_TOKEN = Pattern.compile("(?<![A-Za-z0-9_-])("
            + TOKEN_PREFIXES.stream().map(Pattern::quote).collect(Collectors.joining("|"))
            + ")([A-Za-z0-9_-]{16,})");
    /** A value to try a name with: a field is a credential's when {@code name=}{@value} is masked. */
    private static final String SAMPLE_VALUE = "x";

    private Redaction() {
    }

    /** The text with every credential-like part replaced by {@link #MASK}; {@code null} stays {@code null}. */
    static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        // each pattern looks only at a text holding its words: its case-insensitive (ASCII) match is in its lower case
        Masked masked = new Masked(text);
        masked.ifHolding(PRIVATE_KEY_WORDS, t -> replace(PRIVATE_KEY, t));
        masked.ifHolding(List.of(HEADER_VALUE_WORD), t -> HEADER_VALUE.matcher(t).replaceAll(h -> Matcher.quoteReplacement(
                HeaderCredentials.isCredentialHeader(h.group(2)) ? h.group(1) + MASK : h.group())));
        masked.ifHolding(AUTHORIZATION_WORDS, t -> replace(AUTHORIZATION, replace(ESCAPED_AUTHORIZATION, t)));
        masked.ifHolding(List.of(BEARER_WORD), t -> replace(BEARER, t));
        masked.ifHolding(REGISTRY_AUTH_WORDS, t -> REGISTRY_AUTH.matcher(t).replaceAll(a -> Matcher.quoteReplacement(
                registryCredentials(a.group(2)) ? a.group(1) + MASK : a.group())));
        masked.ifHolding(NETRC_PASSWORD_WORDS, t -> replace(NETRC_PASSWORD, t));
        masked.ifHolding(ORACLE_PASSWORD_WORDS, t -> replace(ORACLE_PASSWORD, t));
        // password=..., "token": "...", DB_PASSWORD=..., "password": [...]
        masked.always(t -> CredentialNames.mask(t, MASK));
        // a parameter whose name says or is a credential's: ?sslpassword=, &sig=, #id_token=, ;jsessionid=, ?code=
        masked.always(t -> UrlCredentials.maskParameters(t, MASK));
        // an argument that is a credential: curl -u admin:..., --password ..., --token ..., mysql -p...
        masked.always(t -> CommandLineCredentials.mask(t, MASK));
        // https://deploy:...@host, https://ghp_...@github.com
        masked.always(t -> UrlCredentials.maskUserCredentials(t, MASK));
        // ghp_..., glpat-..., xoxb-... standing alone; last, so that the rules above mask them whole where they name them
        masked.ifHolding(TOKEN_PREFIX_WORDS, t -> replace(PREFIXED_TOKEN, t));
        return masked.text;
    }

    /**
     * A text as the steps of {@link #text} mask it, with its lower case, which the steps' looks read:
     * taken once, and again only after a step changed the text (most lines no step changes).
     */
    private static final class Masked {

        private String text;
        private String lower;

        Masked(String text) {
            this.text = text;
            this.lower = lower(text);
        }

        /** Runs {@code step} when the text holds one of the {@code words} (in lower case). */
        void ifHolding(List<String> words, UnaryOperator<String> step) {
            if (words.stream().anyMatch(lower::contains)) {
                always(step);
            }
        }

        /** Runs {@code step}, a rule that takes its own look. */
        void always(UnaryOperator<String> step) {
            String after = step.apply(text);
            if (!after.equals(text)) {
                text = after;
                lower = lower(after);
            }
        }
    }

    /** Whether a registry's {@code auth} is base64 for {@code user:password}, as Docker writes it. */
    private static boolean registryCredentials(String auth) {
        try {
            return new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8).indexOf(':') > 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether a name is a credential's ({@code deploy-token}, {@code dbPassword}, {@code api_key}):
     * whether {@code name=value} would be masked.
     */
    private static boolean credentialName(String name) {
        String pair = name + "=" + SAMPLE_VALUE;
        return !text(pair).equals(pair);
    }

    /**
     * A label's value: masked whole when its name is a credential's, otherwise passed through
     * {@link #text} like every other text (a repository URL with its job token in it).
     */
    private static String label(String name, String value) {
        if (value == null || value.isEmpty()) {
            return value;
        }
        return credentialName(name) ? MASK : text(value);
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    private static String replace(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return text;
        }
        return m.replaceAll(r -> r.group(2).equals(MASK) ? Matcher.quoteReplacement(r.group())
                : Matcher.quoteReplacement(r.group(1) + MASK));
    }

    /** A copy of the deployment with its texts passed through {@link #text} and its labels through {@link #label}. */
    static Deployment deployment(Deployment d) {
        Map<String, String> labels = new LinkedHashMap<>();
        d.labels().forEach((k, v) -> labels.put(k, label(k, v)));
        return new Deployment(text(d.service()), text(d.version()), text(d.previousVersion()),
                text(d.environment()), d.kind(), d.fixes().stream().map(Redaction::text).toList(), labels);
    }

    /** A copy of the report in which every text has been passed through {@link #text}. */
    static VerificationReport report(VerificationReport report) {
        Deployment deployment = deployment(report.deployment());
        List<ProbeReport> probes = new ArrayList<>();
        for (ProbeReport p : report.probes()) {
            probes.add(new ProbeReport(p.name(), text(p.description()), text(p.passWhen()), text(p.failWhen()),
                    p.limits(), p.measurementPolicy(), p.status(), p.passes(), p.failures(), p.inconclusive(), p.errors(),
                    text(p.brokenLimit()), measurements(p.measurements()), p.passRuns(), plot(p.plot())));
        }
        RollbackReport r = report.rollback();
        RollbackReport rollback = r == null ? RollbackReport.notNeeded()
                : new RollbackReport(r.outcome(), text(r.trigger()), r.attempts(), text(r.output()), text(r.error()),
                        r.startedAt(), r.finishedAt(), r.rollbackId(), r.sharedWith());
        return new VerificationReport(deployment, report.plan(), report.verdict(), text(report.reason()), probes,
                rollback, measurements(report.recheck()), report.rounds(), report.startedAt(), report.detectedAt(),
                report.finishedAt(), report.schedule(), new RecheckReport(report.recheckResult().status(),
                        text(report.recheckResult().reason()), report.recheckResult().rounds(), report.recheckResult().delay(),
                        report.recheckResult().only()),
                report.id(), report.confirmations().stream().map(c -> new dev.vigil.Confirmation(text(c.issue()), c.probe(),
                        c.tests().stream().map(Redaction::text).toList(), c.status(), text(c.explanation()), c.regression())).toList(),
                report.phase(), text(report.supersededBy()), report.watchPlan());
    }

    /** The plot with its labels and the threshold's source redacted (a source quotes a condition). */
    private static dev.vigil.Plot plot(dev.vigil.Plot plot) {
        List<dev.vigil.Plot.Series> series = plot.series().stream()
                .map(s -> new dev.vigil.Plot.Series(s.key(), text(s.label()))).toList();
        dev.vigil.Plot.Threshold t = plot.threshold();
        return new dev.vigil.Plot(series, t == null ? null : new dev.vigil.Plot.Threshold(t.value(), text(t.source())),
                plot.scale());
    }

    private static List<Measurement> measurements(List<Measurement> measurements) {
        return measurements.stream().map(Redaction::measurement).toList();
    }

    private static Measurement measurement(Measurement m) {
        List<ItemResult> items = m.items().stream()
                .map(i -> new ItemResult(text(i.id()), text(i.group()), text(i.name()), i.status(), i.duration(), text(i.message()),
                        i.tags()))
                .toList();
        return m.withResult(new ProbeResult(m.outcome(), fields(m.values()), text(m.explanation()), text(m.error()), items));
    }

    /**
     * The fields of a value that is an object (a measurement's values, a {@link Map}), each redacted
     * by its name too: a scalar or a list under a credential's name is masked whole, as {@code name=value} would be.
     */
    private static Map<String, Object> fields(Map<?, ?> fields) {
        Map<String, Object> copy = new LinkedHashMap<>();
        fields.forEach((k, v) -> {
            String name = String.valueOf(k);
            // a list under a credential's name ("password": ["a", "b"]) is masked whole, as a scalar is
            boolean scalar = v instanceof CharSequence || v instanceof Number || v instanceof Boolean || v instanceof List<?>
                    || v instanceof JsonNode n && n.isArray();
            copy.put(name, scalar && credentialName(name) ? MASK : value(v));
        });
        return copy;
    }

    private static Object value(Object value) {
        if (value instanceof CharSequence s) {
            return text(s.toString());
        }
        if (value instanceof JsonNode node) {
            return node(node);
        }
        if (value instanceof Map<?, ?> map) {
            return fields(map);
        }
        if (value instanceof List<?> list) {
            return list.stream().map(Redaction::value).toList();
        }
        return value;
    }

    private static JsonNode node(JsonNode node) {
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(text(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                boolean scalar = e.getValue().isValueNode() && !e.getValue().isNull() || e.getValue().isArray();
                copy.set(e.getKey(), scalar && credentialName(e.getKey()) ? JsonNodeFactory.instance.textNode(MASK)
                        : node(e.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> copy.add(node(n)));
            return copy;
        }
        return node;
    }
}
