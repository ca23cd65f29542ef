package dev.vigil.config;

import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.RollbackTriggerFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Matches environment variables under the prefix ({@code VIGIL_PROBES_HEALTH_URL}) onto keys. An
 * underscore may stand for a dot or a dash, so a variable is matched against the keys its section,
 * probe type or rollback trigger declares, the longest that fits winning; one that matches none
 * is a problem with a suggestion. {@code VIGIL_PROBES_<NAME>_TYPE} may introduce a probe. A file's key
 * written in a variable's form, which no file reads, is a problem naming the key the variable would
 * set ({@link #checkFiles()}). One per binding; not thread-safe.
 */
final class EnvironmentKeys {

    private static final Logger LOG = LoggerFactory.getLogger(EnvironmentKeys.class);

    private final Items items;
    private final Map<String, String> env;
    private final Map<String, ProbeFactory> factories;
    private final Map<String, RollbackTriggerFactory> triggerFactories;
    /** The factory of each probe by the type given for it, placeholders in the type resolved as well as they can be. */
    private final Map<String, ProbeFactory> probeFactories = new HashMap<>();

    EnvironmentKeys(Items items, Map<String, String> env, Map<String, ProbeFactory> factories,
            Map<String, RollbackTriggerFactory> triggerFactories) {
        this.items = items;
        this.env = env;
        this.factories = factories;
        this.triggerFactories = triggerFactories;
    }

    /**
     * The items the environment gives, matched against the keys known once the files are merged.
     * Variables naming no section ({@code VIGIL_SERVICE}, given to rollback commands) are ignored.
     */
    Map<String, Item> read() {
        String envPrefix = Keys.envForm(items.prefix()) + "_";
        Map<String, String> vars = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name != null && value != null && name.toUpperCase(Locale.ROOT).startsWith(envPrefix)) {
                vars.put(name, value);
            }
        });
        Map<String, Item> out = new LinkedHashMap<>();
        // First the probe types: they may introduce a probe and they decide which keys the others may name.
        Map<String, String> types = new LinkedHashMap<>();
        for (String name : items.probeNames()) {
            Item type = items.get(Key.probeType(name));
            if (type != null) {
                types.put(name, type.raw());
            }
        }
        for (Map.Entry<String, String> var : vars.entrySet()) {
            String rest = var.getKey().toUpperCase(Locale.ROOT).substring(envPrefix.length());
            Optional<Key> key = typeKey(rest);
            if (key.isPresent()) {
                String probe = key.get().group();
                items.probeNames().add(probe);
                types.put(probe, var.getValue());
                out.put(key.get().text(), new Item(key.get(), var.getKey(), var.getValue(), var.getKey()));
            }
        }
        types.forEach((probe, type) -> {
            String guess = typeGuess(type);
            ProbeFactory factory = guess == null ? null : factories.get(guess);
            if (factory != null) {
                probeFactories.put(probe, factory);
            }
        });
        for (Map.Entry<String, String> var : vars.entrySet()) {
            String rest = var.getKey().toUpperCase(Locale.ROOT).substring(envPrefix.length());
            Optional<Key> key = envKey(rest, var.getKey(), items::problem);
            key.ifPresent(k -> out.putIfAbsent(k.text(), new Item(k, var.getKey(), var.getValue(), var.getKey())));
        }
        return out;
    }

    /**
     * The type key of a probe that the rest of a variable's name after the prefix names
     * ({@code PROBES_HEALTH_TYPE}): of the probe given under that name, else of a new one.
     */
    private Optional<Key> typeKey(String rest) {
        String probesPrefix = Keys.envForm(CoreKeys.PROBES) + "_";
        if (!rest.startsWith(probesPrefix) || !rest.endsWith("_TYPE") || rest.length() <= probesPrefix.length() + "_TYPE".length()) {
            return Optional.empty();
        }
        String middle = rest.substring(probesPrefix.length(), rest.length() - "_TYPE".length());
        String probe = items.probeNames().stream().filter(p -> Keys.envForm(p).equals(middle)).findFirst()
                .orElse(middle.toLowerCase(Locale.ROOT).replace('_', '-'));
        return Optional.of(Key.probeType(probe));
    }

    /**
     * Records a problem for each key a file gives in an environment variable's form
     * ({@link Items#environmentNamed()}), naming the key that variable would set, as {@link #read()}
     * matches it. Call after {@link #read()}, which finds the probes' types.
     */
    void checkFiles() {
        for (Items.EnvironmentNamed named : items.environmentNamed()) {
            String rest = named.written().toUpperCase(Locale.ROOT).substring(Keys.envForm(items.prefix()).length() + 1);
            Optional<Key> key = typeKey(rest).or(() -> envKey(rest, named.written(), (var, message) -> { }));
            String where = named.layer() + (named.line() == null ? "" : ", line " + named.line());
            items.problem(named.written(), "an environment variable's name, which a file does not read (" + where + ")"
                    + key.map(k -> ": write the key as " + items.prefix() + "." + k.text() + ", or set the variable in the environment")
                            .orElse(", and no key's either; write the key as " + items.prefix() + ".<section>.<key>"));
        }
    }

    /** Matches the rest of a variable's name after the prefix onto a key; what matches none goes to {@code problem}. */
    private Optional<Key> envKey(String rest, String var, BiConsumer<String, String> problem) {
        for (String section : List.of(CoreKeys.DEPLOYMENT, CoreKeys.PLAN, CoreKeys.ROLLBACK, CoreKeys.HISTORY,
                CoreKeys.REGRESSIONS)) {
            String start = Keys.envForm(section) + "_";
            if (rest.startsWith(start)) {
                String tail = rest.substring(start.length());
                Optional<Key> key = envMatch(section, null, CoreKeys.section(section), tail);
                String recheck = Keys.envForm(CoreKeys.RECHECK) + "_";
                if (key.isEmpty() && section.equals(CoreKeys.ROLLBACK) && tail.startsWith(recheck)) {
                    // The built-in sub-section vigil.rollback.recheck.*, as the files give it.
                    String keyPart = tail.substring(recheck.length());
                    key = envMatch(section, CoreKeys.RECHECK, CoreKeys.RECHECK_KEYS, keyPart);
                    if (key.isEmpty()) {
                        unknownEnv(var, keyPart, CoreKeys.RECHECK_KEYS, problem);
                    }
                    return key;
                }
                RollbackTriggerFactory trigger = key.isEmpty() && section.equals(CoreKeys.ROLLBACK) ? triggerOfEnv(tail) : null;
                if (trigger != null) {
                    String keyPart = tail.substring(Keys.envForm(trigger.name()).length() + 1);
                    key = envMatch(section, trigger.name(), trigger.keys(), keyPart);
                    if (key.isEmpty()) {
                        unknownEnv(var, keyPart, trigger.keys(), problem);
                    }
                } else if (key.isEmpty()) {
                    unknownEnv(var, tail, envNames(section), problem);
                }
                return key;
            }
        }
        String start = Keys.envForm(CoreKeys.PROBES) + "_";
        if (!rest.startsWith(start)) {
            LOG.debug("environment variable {} names no configuration key; ignored", var);
            return Optional.empty();
        }
        String probePart = rest.substring(start.length());
        String probe = items.probeNames().stream()
                .filter(p -> probePart.startsWith(Keys.envForm(p) + "_"))
                .max(Comparator.comparingInt(String::length)).orElse(null);
        if (probe == null) {
            // A misspelt probe name (VIGIL_PROBES_HELTH_URL) is suggested as a misspelt key is.
            List<String> known = new ArrayList<>();
            for (String p : items.probeNames()) {
                List<ConfigKey> keys = new ArrayList<>(CoreKeys.PROBE_KEYS);
                Optional.ofNullable(probeFactories.get(p)).ifPresent(f -> keys.addAll(f.keys()));
                keys.forEach(k -> known.add(Keys.envForm(p) + "_" + Keys.envForm(k.name())));
            }
            problem.accept(var, "names no configured probe (known: " + String.join(", ", items.probeNames()) + ")"
                    + Keys.suggest(probePart, known).map(s -> "; did you mean " + var.substring(0, var.length() - probePart.length())
                            + s + "?").orElse("")
                    + "; a new probe needs " + Keys.envForm(items.prefix()) + "_PROBES_<NAME>_TYPE");
            return Optional.empty();
        }
        String keyPart = probePart.substring(Keys.envForm(probe).length() + 1);
        if (keyPart.equals("TYPE")) {
            return Optional.empty();
        }
        ProbeFactory factory = probeFactories.get(probe);
        List<ConfigKey> keys = new ArrayList<>(CoreKeys.PROBE_KEYS);
        if (factory != null) {
            keys.addAll(factory.keys());
        }
        Optional<Key> key = envMatch(CoreKeys.PROBES, probe, keys, keyPart);
        if (key.isEmpty() && factory != null) {
            unknownEnv(var, keyPart, keys, problem);
        }
        return key;
    }

    /** The trigger whose sub-section the rest of a {@code VIGIL_ROLLBACK_} variable starts with ({@code WEBHOOK_URL}), or {@code null}. */
    private RollbackTriggerFactory triggerOfEnv(String rest) {
        return triggerFactories.values().stream()
                .filter(f -> rest.startsWith(Keys.envForm(f.name()) + "_"))
                .max(Comparator.comparingInt(f -> f.name().length())).orElse(null);
    }

    /** Matches the rest of a variable name against keys: {@code PASS_WHEN}, {@code FIXES_0}, {@code HEADERS_X_ORG}. */
    private static Optional<Key> envMatch(String section, String probe, List<ConfigKey> keys, String rest) {
        ConfigKey best = null;
        for (ConfigKey k : keys) {
            String form = Keys.envForm(k.name());
            boolean matches = rest.equals(form)
                    || (k.kind() == ConfigKey.Kind.LIST && rest.matches(java.util.regex.Pattern.quote(form) + "_\\d{1,6}"))
                    || (k.kind() == ConfigKey.Kind.MAP && rest.startsWith(form + "_") && rest.length() > form.length() + 1);
            if (matches && (best == null || form.length() > Keys.envForm(best.name()).length())) {
                best = k;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        String form = Keys.envForm(best.name());
        Key key = new Key(section, probe, best.name(), null, null);
        if (rest.equals(form)) {
            return Optional.of(key);
        }
        String tail = rest.substring(form.length() + 1);
        if (best.kind() == ConfigKey.Kind.LIST) {
            return Optional.of(new Key(section, probe, best.name(), Integer.parseInt(tail), null));
        }
        return Optional.of(key.withSub(tail.toLowerCase(Locale.ROOT).replace('_', '-')));
    }

    /**
     * The environment forms of a section's keys; for {@code rollback} also those of its
     * sub-sections, the re-check and every trigger ({@code WEBHOOK_URL}), so that a misspelt
     * sub-section gets a suggestion as in a file.
     */
    private List<String> envNames(String section) {
        List<String> names = new ArrayList<>(CoreKeys.section(section).stream().map(k -> Keys.envForm(k.name())).toList());
        if (section.equals(CoreKeys.ROLLBACK)) {
            CoreKeys.RECHECK_KEYS.forEach(k -> names.add(Keys.envForm(CoreKeys.RECHECK + "." + k.name())));
            triggerFactories.values().forEach(f -> f.keys().forEach(k -> names.add(Keys.envForm(f.name() + "." + k.name()))));
        }
        return names;
    }

    private void unknownEnv(String var, String rest, List<ConfigKey> keys, BiConsumer<String, String> problem) {
        unknownEnv(var, rest, keys.stream().map(k -> Keys.envForm(k.name())).toList(), problem);
    }

    private void unknownEnv(String var, String rest, Collection<String> envNames, BiConsumer<String, String> problem) {
        Optional<String> suggestion = Keys.suggest(rest, envNames);
        problem.accept(var, "environment variable names no known key"
                + suggestion.map(s -> "; did you mean " + var.substring(0, var.length() - rest.length()) + s + "?").orElse(""));
    }

    private String typeGuess(String raw) {
        if (raw == null) {
            return null;
        }
        String value = items.placeholders().expand(raw);
        return value.trim().toLowerCase(Locale.ROOT);
    }
}
