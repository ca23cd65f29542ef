package dev.vigil.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves {@code ${NAME}} and {@code ${NAME:default}} in the values given: from the environment
 * first, then from other keys ({@code ${vigil.deployment.service}}), then from the environment
 * form of the name; defaults and values may hold placeholders themselves. An empty (or blank)
 * value counts as none: the default applies, and without a default it is a problem naming the
 * variable or key ({@code ${NAME:}} allows empty). Remembers each value
 * resolved, with the environment variables and keys it was made from, so that a value made from a
 * secret is known to be secret. A failed placeholder is a problem of the key that holds it.
 * One per binding; not thread-safe.
 */
final class Placeholders {

    /** How deeply placeholders may nest, in defaults and through other keys. */
    static final int MAX_DEPTH = 16;

    /**
     * A value with its placeholders resolved, and the environment variables and keys it was made
     * from; {@code defaults} holds, by name, the default a placeholder whose name says secret or
     * webhook ({@code ${HEALTH_TOKEN:dev-token}}) took when its variable had no value: that default
     * is then the secret, and the name is among {@code envRefs} as when the variable gives it.
     */
    record Resolved(String value, Set<String> envRefs, Set<Key> keyRefs, boolean failed, Map<String, String> defaults) {
    }

    private final Items items;
    private final Map<String, String> env;
    private final Map<String, Resolved> resolved = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();

    Placeholders(Items items, Map<String, String> env) {
        this.items = items;
        this.env = env;
    }

    /** The item's value resolved, at its first use; {@code null} when it refers to itself. */
    Resolved resolve(Item item) {
        String id = item.key().text();
        Resolved done = resolved.get(id);
        if (done != null) {
            return done;
        }
        if (!resolving.add(id)) {
            return null;
        }
        try {
            Set<String> envRefs = new LinkedHashSet<>();
            Set<Key> keyRefs = new LinkedHashSet<>();
            List<String> errors = new ArrayList<>();
            Map<String, String> defaults = new HashMap<>();
            String value = substitute(item.raw(), envRefs, keyRefs, defaults, errors, 0);
            for (String error : errors) {
                items.problem(item.key(), items.display(item), error);
            }
            Resolved r = new Resolved(value, envRefs, keyRefs, !errors.isEmpty(), Map.copyOf(defaults));
            resolved.put(id, r);
            return r;
        } finally {
            resolving.remove(id);
        }
    }

    /** The key's value as resolved so far, without resolving it; {@code null} when it has not been. */
    Resolved resolved(Key key) {
        return resolved.get(key.text());
    }

    /** A text with its placeholders replaced as well as they can be; what fails is left out, unreported. */
    String expand(String text) {
        return substitute(text, new HashSet<>(), new HashSet<>(), new HashMap<>(), new ArrayList<>(), 0);
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:default}}: from the environment first, then from other keys. */
    private String substitute(String text, Set<String> envRefs, Set<Key> keyRefs, Map<String, String> defaults,
            List<String> errors, int depth) {
        if (text == null || !text.contains("${")) {
            return text;
        }
        if (depth > MAX_DEPTH) {
            errors.add("placeholders nested too deeply");
            return "";
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            if (start < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            int end = closing(text, start + 2);
            if (end < 0) {
                errors.add("placeholder starting at column " + (start + 1) + " has no closing '}'");
                out.append(text, start, text.length());
                break;
            }
            String content = text.substring(start + 2, end);
            int colon = separator(content);
            String name = (colon < 0 ? content : content.substring(0, colon)).trim();
            String fallback = colon < 0 ? null : content.substring(colon + 1);
            int errorsBefore = errors.size();
            String value = lookup(name, envRefs, keyRefs, errors);
            // A CI system copies an undefined variable as the empty string: an empty URL, token or
            // rollback command argument is a pipeline mistake, not a value. So an empty (or blank)
            // value takes the default, as an unset one does, and without a default is an error;
            // ${NAME:} is how to say that empty is meant.
            if (value != null && value.isBlank()) {
                if (fallback != null) {
                    value = null;
                } else if (errors.size() == errorsBefore && !failedKey(name)) {
                    errors.add("placeholder ${" + name + "} is empty: " + source(name)
                            + " is set but empty; give it a value, or a default as ${" + name + ":default}"
                            + " (${" + name + ":} when empty is meant)");
                }
            }
            if (value == null) {
                if (fallback != null) {
                    value = substitute(fallback, envRefs, keyRefs, defaults, errors, depth + 1);
                    // The default stands in for the secret the variable would have given.
                    if (Keys.secretName(name) || Keys.webhookName(name)) {
                        envRefs.add(name);
                        defaults.putIfAbsent(name, value);
                    }
                } else {
                    if (Keys.secretName(name)) {
                        envRefs.add(name);
                    }
                    errors.add("placeholder ${" + name + "} has no value: set " + whereToSet(name)
                            + " or give a default as ${" + name + ":default}");
                    value = "";
                }
            }
            out.append(value);
            i = end + 1;
        }
        return out.toString();
    }

    /** Whether the name is a key whose own placeholders failed: that is reported already, with that key. */
    private boolean failedKey(String name) {
        if (env.containsKey(name)) {
            return false;
        }
        Key key = items.parse(name);
        Resolved r = key == null ? null : resolved.get(key.text());
        return r != null && r.failed();
    }

    /**
     * Where a placeholder without a value can get one, for messages. A name such as
     * {@code vigil.deployment.previous-version} is no environment variable a shell can set: the key
     * is, or the variable of its upper-case form.
     */
    private static String whereToSet(String name) {
        String env = Keys.envForm(name);
        return env.equals(name) ? "the environment variable " + name
                : "the key " + name + " (or the environment variable " + env + ")";
    }

    /** What a placeholder's value was taken from, for messages: the environment variable or the key. */
    private String source(String name) {
        if (env.containsKey(name)) {
            return "the environment variable " + name;
        }
        Key key = items.parse(name);
        if (key != null && items.get(key) != null) {
            return "the key " + name;
        }
        return "the environment variable " + Keys.envForm(name);
    }

    /**
     * The value the environment gives a placeholder of this name, found as a placeholder's is: the
     * variable of that name, else (when no key of that name is given) the variable of its upper-case
     * form. {@code null} when a key, or nothing, gives it.
     */
    String fromEnvironment(String name) {
        String fromEnv = env.get(name);
        if (fromEnv != null) {
            return fromEnv;
        }
        Key key = items.parse(name);
        return key != null && items.get(key) != null ? null : env.get(Keys.envForm(name));
    }

    private String lookup(String name, Set<String> envRefs, Set<Key> keyRefs, List<String> errors) {
        if (name.isEmpty()) {
            errors.add("placeholder ${} names nothing");
            return null;
        }
        String fromEnv = env.get(name);
        if (fromEnv != null) {
            envRefs.add(name);
            return fromEnv;
        }
        Key key = items.parse(name);
        Item item = key == null ? null : items.get(key);
        if (item != null) {
            Resolved r = resolve(item);
            if (r == null) {
                errors.add("placeholder ${" + name + "} refers to itself through other keys");
                return "";
            }
            keyRefs.add(item.key());
            keyRefs.addAll(r.keyRefs());
            envRefs.addAll(r.envRefs());
            return r.value();
        }
        String relaxed = env.get(Keys.envForm(name));
        if (relaxed != null) {
            envRefs.add(Keys.envForm(name));
            return relaxed;
        }
        return null;
    }

    private static int closing(String text, int from) {
        int depth = 1;
        for (int j = from; j < text.length(); j++) {
            if (text.startsWith("${", j)) {
                depth++;
                j++;
            } else if (text.charAt(j) == '}' && --depth == 0) {
                return j;
            }
        }
        return -1;
    }

    private static int separator(String content) {
        int depth = 0;
        for (int j = 0; j < content.length(); j++) {
            if (content.startsWith("${", j)) {
                depth++;
                j++;
            } else if (content.charAt(j) == '}') {
                depth--;
            } else if (content.charAt(j) == ':' && depth == 0) {
                return j;
            }
        }
        return -1;
    }
}
