package dev.vigil.config;

import dev.vigil.spi.CommandLineCredentials;
import dev.vigil.spi.CredentialNames;
import dev.vigil.spi.HeaderCredentials;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.RollbackTriggerFactory;
import dev.vigil.spi.UrlCredentials;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Which values of a configuration are secret, and blanking them out of text. A value is secret by
 * its key's name ({@code token}, {@code password}: {@link Keys#secretName}; a request header's as
 * the probes take it, {@code headers.Cookie}: {@link HeaderCredentials#isCredentialHeader}), because the probe type
 * or rollback trigger declares its key secret, or because a placeholder made it from a secret
 * environment variable or key. A webhook's URL is a credential beyond its host
 * ({@code https://hooks.slack.com/services/T000/B000/XXXX}): it is shown as
 * {@code https://hooks.slack.com/…} ({@link #shown}) and blanked out of any other text. Holds no
 * state of its own: it asks {@link Items} and the {@link Placeholders} what has been resolved so far.
 */
final class Secrets {

    /**
     * The shortest path of a webhook's URL blanked out of text on its own: a hook's credential makes
     * its path long ({@code /services/T000/B000/XXXX}), and a short one ({@code /rollback}) is words.
     */
    private static final int MIN_WEBHOOK_PATH = 16;

    private final Items items;
    private final Map<String, String> env;
    private final Map<String, RollbackTriggerFactory> triggerFactories;

    Secrets(Items items, Map<String, String> env, Map<String, RollbackTriggerFactory> triggerFactories) {
        this.items = items;
        this.env = env;
        this.triggerFactories = triggerFactories;
    }

    /** Whether a value is secret: by its key's name or declaration, or because it was made from a secret. */
    boolean isSecret(Key key) {
        return isSecret(key, 0);
    }

    private boolean isSecret(Key key, int depth) {
        if (secretByKey(key)) {
            return true;
        }
        Item item = items.get(key);
        Placeholders.Resolved r = item == null ? null : items.placeholders().resolved(key);
        if (r == null || depth > Placeholders.MAX_DEPTH) {
            return false;
        }
        return r.envRefs().stream().anyMatch(Keys::secretName)
                || r.keyRefs().stream().anyMatch(k -> !k.equals(key) && isSecret(k, depth + 1));
    }

    /** Whether a key's name or its factory's declaration makes its value secret. */
    private boolean secretByKey(Key key) {
        if (key.name() != null && Keys.secretName(key.name())) {
            return true;
        }
        if (key.sub() != null && java.util.Arrays.stream(key.sub().split("\\.")).anyMatch(Keys::secretName)) {
            // under a credential's name at any depth: auth.private-key.prod, credentials[0].user
            return true;
        }
        if (credentialInList(key)) {
            return true;
        }
        if (key.sub() != null && Keys.HEADERS.equals(key.name()) && HeaderCredentials.isCredentialHeader(key.sub())) {
            return true;
        }
        return key.name() != null && declaredKeys(key).stream().anyMatch(k -> k.secret() && k.name().equals(key.name()));
    }

    /**
     * Whether a list's element is a credential of the command line the list spells out: a YAML list
     * given where a command is taken ({@code command: [deploy, --token, s3cret]}) is refused element
     * by element, and the element after {@code --token} is as much a credential as in the command's
     * text ({@link CommandLineCredentials}).
     */
    private boolean credentialInList(Key key) {
        if (key.index() == null || key.sub() != null) {
            return false;
        }
        Item own = items.get(key);
        if (own == null || own.raw() == null || own.raw().isEmpty()) {
            return false;
        }
        java.util.SortedMap<Integer, String> elements = new java.util.TreeMap<>();
        for (Item item : items.all()) {
            Key k = item.key();
            if (k.index() != null && k.sub() == null && k.base().equals(key.base()) && item.raw() != null) {
                elements.put(k.index(), item.raw().indexOf(' ') >= 0 && item.raw().indexOf('\'') < 0
                        ? "'" + item.raw() + "'" : item.raw());
            }
        }
        String element = own.raw();
        return CommandLineCredentials.values(String.join(" ", elements.values())).stream()
                .anyMatch(v -> element.equals(v) || v.length() >= CredentialNames.MIN_MASKED_LENGTH && element.contains(v));
    }

    /** The keys the factory of a key's probe or rollback trigger declares; empty when there is none. */
    private List<ConfigKey> declaredKeys(Key key) {
        if (key.group() == null) {
            return List.of();
        }
        if (key.section().equals(CoreKeys.PROBES)) {
            ProbeFactory factory = items.factoryOf(key.group());
            return factory == null ? List.of() : factory.keys();
        }
        RollbackTriggerFactory factory = triggerFactories.get(key.group());
        return factory == null ? List.of() : factory.keys();
    }

    /**
     * Whether a key's value is a webhook's URL, whose path is its credential: the key's name says so
     * ({@code vigil.rollback.webhook.url}), or an environment variable it was made from does
     * ({@code ${SLACK_WEBHOOK_URL}}).
     */
    boolean isWebhook(Key key) {
        if (Keys.webhookName(key.text())) {
            return true;
        }
        Placeholders.Resolved r = items.placeholders().resolved(key);
        return r != null && r.envRefs().stream().anyMatch(Keys::webhookName);
    }

    /**
     * A value as it is shown: a webhook's URL ({@link #isWebhook}) with no more than its scheme, host
     * and port ({@link UrlCredentials#maskPath}: {@code https://hooks.slack.com/…}), a webhook's url
     * key holding no URL but a {@code /} elided whole; any other value as it is.
     */
    String shown(Key key, String value) {
        if (value == null || !isWebhook(key)) {
            return value;
        }
        String masked = UrlCredentials.maskPath(value);
        if (!masked.equals(UrlCredentials.ELIDED)) {
            return masked;
        }
        // No URL: a webhook's url key with a '/' may hold a hook without its scheme; other keys of it
        // (trust-store=/etc/ssl/hooks.p12) are no URLs, and a text made from a hook
        // ("curl ${SLACK_WEBHOOK_URL}") has it scrubbed, as values() lists it.
        String name = key.name() == null ? "" : key.name().toLowerCase(java.util.Locale.ROOT);
        boolean urlKey = Keys.webhookName(key.text()) && (name.contains("url") || Keys.webhookName(name));
        return urlKey && value.contains("/") ? masked : value;
    }

    /** Every secret value given, longest first, to scrub from messages. */
    List<String> values() {
        List<String> out = new ArrayList<>();
        for (Item item : items.all()) {
            Placeholders.Resolved r = items.placeholders().resolved(item.key());
            if (secretByKey(item.key())) {
                addSecret(out, item.raw());
                if (r != null) {
                    addSecret(out, r.value());
                }
            }
            if (r != null) {
                r.envRefs().stream().filter(Keys::secretName).map(env::get).forEach(v -> addSecret(out, v));
                r.envRefs().stream().filter(Keys::webhookName).map(env::get).forEach(v -> addWebhookUrl(out, v));
                // ${HEALTH_TOKEN:dev-token} with the variable unset: the default is the secret.
                r.defaults().forEach((name, v) -> {
                    if (Keys.secretName(name)) {
                        addSecret(out, v);
                    }
                    if (Keys.webhookName(name)) {
                        addWebhookUrl(out, v);
                    }
                });
            }
            if (Keys.webhookName(item.key().text())) {
                addWebhookUrl(out, item.raw());
                addWebhookUrl(out, r == null ? null : r.value());
            }
            embedded(item.raw()).forEach(v -> addSecret(out, v));
            if (r != null && r.value() != null) {
                embedded(r.value()).forEach(v -> addSecret(out, v));
            }
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }

    /**
     * The credentials inside a value that is not secret as a whole: the password of a URL
     * ({@code scheme://user:password@host}, {@code postgres://:password@db}) or a token given as its
     * user ({@link UrlCredentials#userCredentials}) and the value of a
     * URL parameter whose name looks secret ({@code ?password=...}, {@code &api_key=...},
     * {@code ;PASSWORD=...} in an H2 URL) or that carries a credential as {@link UrlCredentials}
     * counts them ({@code &sig=...}, {@code ?key=...}, {@code ;jsessionid=...}, {@code #id_token=...}),
     * as a history URL or a probe's URL or command holds them; and a credential given as an argument
     * of a command ({@code curl -u admin:password}, {@code --token ...}, {@code mysql -p...}) as
     * {@link CommandLineCredentials} counts them, as a rollback command or a command probe holds them;
     * and the value a command gives a variable named like a credential ({@code DB_PASSWORD=...},
     * {@code -e API_TOKEN=...}, {@code --set db.password=...}, {@code "password": "..."}:
     * {@link CredentialNames}), as the reports' redaction masks {@code DB_PASSWORD=...}.
     */
    static List<String> embedded(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.addAll(UrlCredentials.userCredentials(value));
        for (Map.Entry<String, String> parameter : UrlCredentials.parameters(value)) {
            if (Keys.secretName(parameter.getKey()) || UrlCredentials.isCredentialParameter(parameter.getKey())) {
                out.add(parameter.getValue());
            }
        }
        out.addAll(CommandLineCredentials.values(value));
        out.addAll(CredentialNames.values(value));
        return out;
    }

    /**
     * A webhook's URL whose path is its credential: the URL, and its path with what follows when
     * long enough not to match ordinary text ({@link #MIN_WEBHOOK_PATH}).
     */
    private static void addWebhookUrl(List<String> out, String value) {
        String path = UrlCredentials.afterHost(value);
        if (path == null) {
            return;
        }
        addSecret(out, value.strip());
        if (path.length() >= MIN_WEBHOOK_PATH) {
            addSecret(out, path);
        }
    }

    private static void addSecret(List<String> out, String value) {
        // Very short values would blank out unrelated text; they are still redacted as whole values.
        if (value != null && value.length() >= CredentialNames.MIN_MASKED_LENGTH && !value.contains("${") && !out.contains(value)) {
            out.add(value);
        }
    }

    /**
     * The text with each of the secrets, as {@link #values()} lists them, blanked out
     * ({@link Keys#REDACTED}), and every URL's password masked where it stands, however short
     * ({@code postgres://vigil:******@db}); {@code null} stays {@code null}.
     */
    static String scrub(String text, List<String> secrets) {
        return UrlCredentials.maskUserCredentials(CredentialNames.scrub(text, secrets, Keys.REDACTED), Keys.REDACTED);
    }
}
