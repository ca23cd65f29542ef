package dev.vigil.config;

import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.RollbackTriggerFactory;
import dev.vigil.spi.UrlCredentials;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which values of a configuration are secret, and blanking them out of text. A value is secret by
 * its key's name ({@code token}, {@code password}: {@link Keys#secretName}; a request header's as
 * the probes take it, {@code headers.Cookie}: {@link Keys#credentialHeader}), because the probe type
 * or rollback trigger declares its key secret, or because a placeholder made it from a secret
 * environment variable or key. Holds no state of its own: it asks {@link Items} and the
 * {@link Placeholders} what has been resolved so far.
 */
final class Secrets {

    /**
     * The password of {@code scheme://user:password@host}: up to the {@code @} after which the host
     * has no {@code @} of its own, whatever else it holds ({@code @}, {@code /}, {@code ?},
     * {@code #}); a port ({@code host:8443/a@b}) is none.
     */
    private static final Pattern URL_PASSWORD = Pattern.compile(
            "(?i)\\b[a-z][a-z0-9+.-]*://[^/\\s:@\\[]*:(?!\\d+(?:[/?#]|$))(\\S+?)@(?![^\\s/?#]*@)");
    /**
     * A token given as the user of a URL without a password ({@code https://ghp_...@github.com}):
     * a user of 16 characters or more; a short one ({@code ssh://git@host}) is a user name.
     */
    private static final Pattern URL_USER_TOKEN = Pattern.compile(
            "(?i)\\b[a-z][a-z0-9+.-]*://([^/\\s:@\\[?#]{16,})@(?![^\\s/?#]*@)");
    /** A URL parameter: {@code ?name=value}, {@code &name=value}, {@code ;name=value}, {@code #name=value}. */
    private static final Pattern URL_PARAMETER = Pattern.compile("[?&;#]([^=&;#?/\\s'\"]+)=([^&;#\\s'\"]*)");

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
        if (key.sub() != null && Keys.secretName(key.sub())) {
            return true;
        }
        if (key.sub() != null && Keys.HEADERS.equals(key.name()) && Keys.credentialHeader(key.sub())) {
            return true;
        }
        return key.name() != null && declaredKeys(key).stream().anyMatch(k -> k.secret() && k.name().equals(key.name()));
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
     * ({@code scheme://user:password@host}, {@code postgres://:password@db}) and the value of a
     * URL parameter whose name looks secret ({@code ?password=...}, {@code &api_key=...},
     * {@code ;PASSWORD=...} in an H2 URL) or that carries a credential as {@link UrlCredentials}
     * counts them ({@code &sig=...}, {@code ?key=...}, {@code ;jsessionid=...}, {@code #id_token=...}),
     * as a history URL or a probe's URL or command holds them.
     */
    static List<String> embedded(String value) {
        if (value == null || value.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Matcher url = URL_PASSWORD.matcher(value);
        while (url.find()) {
            out.add(url.group(1));
        }
        Matcher user = URL_USER_TOKEN.matcher(value);
        while (user.find()) {
            out.add(user.group(1));
        }
        Matcher parameter = URL_PARAMETER.matcher(value);
        while (parameter.find()) {
            if (Keys.secretName(parameter.group(1)) || UrlCredentials.isCredentialParameter(parameter.group(1))) {
                out.add(parameter.group(2));
            }
        }
        return out;
    }

    private static void addSecret(List<String> out, String value) {
        // Very short values would blank out unrelated text; they are still redacted as whole values.
        if (value != null && value.length() >= 3 && !value.contains("${") && !out.contains(value)) {
            out.add(value);
        }
    }

    /** The text with each of the secrets, as {@link #values()} lists them, blanked out ({@link Keys#REDACTED}); {@code null} stays {@code null}. */
    static String scrub(String text, List<String> secrets) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, Keys.REDACTED);
        }
        return out;
    }
}
