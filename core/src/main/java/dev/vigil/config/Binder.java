package dev.vigil.config;

import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.ProbeLimits;
import dev.vigil.RecheckPlan;
import dev.vigil.VerificationPlan;
import dev.vigil.history.HistorySettings;
import dev.vigil.RollbackPolicy;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.spi.ConfigKey;
import dev.vigil.Probe;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.RollbackTrigger;
import dev.vigil.spi.RollbackTriggerFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds layers of flat properties and the environment to a {@link BoundConfig}, collecting every
 * problem. One instance binds once; not thread-safe.
 */
final class Binder {

    private static final Logger LOG = LoggerFactory.getLogger(Binder.class);
    private static final int MAX_PLACEHOLDER_DEPTH = 16;

    /** One value as given, with where it came from. */
    record Item(Key key, String writtenKey, String raw, String envVar) {
    }

    /** A value with its placeholders resolved, and the environment variables and keys it was made from. */
    private record Resolved(String value, Set<String> envRefs, Set<Key> keyRefs, boolean failed) {
    }

    private record Pending(Key key, String displayKey, String message) {
    }

    private final String prefix;
    private final List<String> prefixSegments;
    private final Map<String, String> env;
    private final Map<String, ProbeFactory> factories;
    private final Map<String, RollbackTriggerFactory> triggerFactories;

    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Set<String> probeNames = new LinkedHashSet<>();
    private final Map<String, ProbeFactory> probeFactories = new HashMap<>();
    private final Map<String, Resolved> resolved = new HashMap<>();
    private final Set<String> resolving = new HashSet<>();
    private final List<Pending> problems = new ArrayList<>();

    Binder(String prefix, Map<String, String> env, Map<String, ProbeFactory> factories,
            Map<String, RollbackTriggerFactory> triggerFactories) {
        this.prefix = prefix;
        this.prefixSegments = Keys.split(prefix).stream().map(Key::canonical).toList();
        this.env = env;
        this.factories = factories;
        this.triggerFactories = triggerFactories;
    }

    /**
     * Binds: the layers in order, then the environment, then {@code top} (the command line's
     * options), all before any placeholder is resolved, so that placeholders see the top values.
     *
     * @throws ConfigurationException listing every problem
     */
    BoundConfig bind(List<Layer> layers, Layer top, VigilConfig options) {
        for (Layer layer : layers) {
            merge(fileItems(layer));
        }
        merge(envItems());
        merge(fileItems(top));
        for (Item item : List.copyOf(items.values())) {
            resolve(item);
        }
        checkKeys();
        DeploymentDefaults deployment = bindDeployment();
        VerificationPlan plan = bindPlan();
        RollbackPolicy policy = bindRollbackPolicy();
        RecheckPlan recheck = bindRecheck();
        RollbackTrigger trigger = bindRollbackTrigger(policy);
        HistorySettings history = bindHistory();
        List<BoundProbe> probes = new ArrayList<>();
        for (String name : probeNames) {
            bindProbe(name, plan).ifPresent(probes::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(finish());
        }
        LOG.debug("bound {} probes from {}", probes.size(), layers.stream().map(Layer::name).toList());
        return new BoundConfig(prefix, deployment, plan, probes, trigger, policy, recheck, history, effective(), options,
                secretValues());
    }

    // ---------------------------------------------------------------- sources

    private Map<String, Item> fileItems(Layer layer) {
        Map<String, Item> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : layer.entries().entrySet()) {
            Key key = parse(e.getKey());
            if (key == null) {
                checkPrefixTypo(e.getKey());
                continue;
            }
            Item item = new Item(key, e.getKey(), e.getValue(), null);
            Item earlier = out.put(key.text(), item);
            if (earlier != null && !earlier.writtenKey().equals(item.writtenKey())) {
                problem(key, e.getKey(), "set twice in " + layer.name() + ", also as " + earlier.writtenKey()
                        + "; keep one spelling");
            }
        }
        return out;
    }

    /** A key such as {@code vigl.plan.duration} is almost certainly meant for Vigil: say so rather than ignore it. */
    private void checkPrefixTypo(String written) {
        String first = Key.canonical(Keys.split(written.trim()).get(0));
        String expected = prefixSegments.get(0);
        if (expected.length() >= 4 && !first.equals(expected) && Keys.distance(first, expected) == 1) {
            problems.add(new Pending(null, written, "unknown key; did you mean " + expected
                    + written.trim().substring(Math.min(written.trim().length(), Keys.split(written.trim()).get(0).length())) + "?"));
        }
    }

    /** The canonical key for a written key under the prefix, or {@code null} when it is not under the prefix. */
    Key parse(String written) {
        List<String> segs = Keys.split(written.trim());
        int n = prefixSegments.size();
        if (segs.size() < n) {
            return null;
        }
        for (int i = 0; i < n; i++) {
            if (!Key.canonical(segs.get(i)).equals(prefixSegments.get(i))) {
                return null;
            }
        }
        List<String> rest = segs.subList(n, segs.size());
        if (rest.isEmpty()) {
            return new Key("", null, null, null, null);
        }
        String section = Key.canonical(rest.get(0));
        int nameAt = 1;
        String group = null;
        // A probe's keys are always in its group; a rollback trigger's go one level deeper than command.
        if (section.equals(CoreKeys.PROBES) && rest.size() > 1) {
            group = Key.unbracket(List.of(rest.get(1))).get(0);
            nameAt = 2;
        } else if (section.equals(CoreKeys.ROLLBACK) && rest.size() > 2) {
            group = Key.canonical(rest.get(1));
            nameAt = 2;
        }
        if (rest.size() <= nameAt) {
            return new Key(section, group, null, null, null);
        }
        Key key = Key.withName(section, group, rest.get(nameAt));
        if (rest.size() > nameAt + 1) {
            key = key.withSub(String.join(".", Key.unbracket(rest.subList(nameAt + 1, rest.size()))));
        }
        return key;
    }

    /** Puts a layer over what is there; a list given in the layer replaces the whole list below it. */
    private void merge(Map<String, Item> layer) {
        for (Item item : layer.values()) {
            if (item.key().section().equals(CoreKeys.PROBES) && item.key().group() != null) {
                probeNames.add(item.key().group());
            }
            Key base = item.key().base();
            if (item.key().sub() == null) {
                items.values().removeIf(old -> !layer.containsKey(old.key().text()) && old.key().sub() == null
                        && old.key().base().equals(base) && (item.key().index() != null || old.key().index() != null));
            }
        }
        for (Map.Entry<String, Item> e : layer.entrySet()) {
            items.remove(e.getKey());
            items.put(e.getKey(), e.getValue());
        }
    }

    /**
     * Environment variables under the prefix ({@code VIGIL_PROBES_HEALTH_URL}), resolved by matching
     * them against the known keys, because an underscore may stand for a dot or a dash. Variables
     * naming no section ({@code VIGIL_SERVICE}, given to rollback commands) are ignored.
     */
    private Map<String, Item> envItems() {
        String envPrefix = Keys.envForm(prefix) + "_";
        Map<String, String> vars = new TreeMap<>();
        env.forEach((name, value) -> {
            if (name != null && value != null && name.toUpperCase(Locale.ROOT).startsWith(envPrefix)) {
                vars.put(name, value);
            }
        });
        Map<String, Item> out = new LinkedHashMap<>();
        String probesPrefix = Keys.envForm(CoreKeys.PROBES) + "_";
        // First the probe types: they may introduce a probe and they decide which keys the others may name.
        Map<String, String> types = new LinkedHashMap<>();
        for (String name : probeNames) {
            Item type = items.get(new Key(CoreKeys.PROBES, name, "type", null, null).text());
            if (type != null) {
                types.put(name, type.raw());
            }
        }
        for (Map.Entry<String, String> var : vars.entrySet()) {
            String rest = var.getKey().toUpperCase(Locale.ROOT).substring(envPrefix.length());
            if (rest.startsWith(probesPrefix) && rest.endsWith("_TYPE")) {
                String middle = rest.substring(probesPrefix.length(), rest.length() - "_TYPE".length());
                String probe = probeNames.stream().filter(p -> Keys.envForm(p).equals(middle)).findFirst()
                        .orElse(middle.toLowerCase(Locale.ROOT).replace('_', '-'));
                if (!middle.isEmpty()) {
                    probeNames.add(probe);
                    types.put(probe, var.getValue());
                    Key key = new Key(CoreKeys.PROBES, probe, "type", null, null);
                    out.put(key.text(), new Item(key, var.getKey(), var.getValue(), var.getKey()));
                }
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
            Optional<Key> key = envKey(rest, var.getKey());
            key.ifPresent(k -> out.putIfAbsent(k.text(), new Item(k, var.getKey(), var.getValue(), var.getKey())));
        }
        return out;
    }

    private Optional<Key> envKey(String rest, String var) {
        for (String section : List.of(CoreKeys.DEPLOYMENT, CoreKeys.PLAN, CoreKeys.ROLLBACK, CoreKeys.HISTORY)) {
            String start = Keys.envForm(section) + "_";
            if (rest.startsWith(start)) {
                String tail = rest.substring(start.length());
                Optional<Key> key = envMatch(section, null, CoreKeys.section(section), tail);
                RollbackTriggerFactory trigger = key.isEmpty() && section.equals(CoreKeys.ROLLBACK) ? triggerOfEnv(tail) : null;
                if (trigger != null) {
                    String keyPart = tail.substring(Keys.envForm(trigger.name()).length() + 1);
                    key = envMatch(section, trigger.name(), trigger.keys(), keyPart);
                    if (key.isEmpty()) {
                        unknownEnv(var, keyPart, trigger.keys());
                    }
                } else if (key.isEmpty()) {
                    unknownEnv(var, tail, CoreKeys.section(section));
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
        String probe = probeNames.stream()
                .filter(p -> probePart.startsWith(Keys.envForm(p) + "_"))
                .max(Comparator.comparingInt(String::length)).orElse(null);
        if (probe == null) {
            problems.add(new Pending(null, var, "names no configured probe (known: " + String.join(", ", probeNames)
                    + "); a new probe needs " + Keys.envForm(prefix) + "_PROBES_<NAME>_TYPE"));
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
            unknownEnv(var, keyPart, keys);
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

    private void unknownEnv(String var, String rest, List<ConfigKey> keys) {
        List<String> envNames = keys.stream().map(k -> Keys.envForm(k.name())).toList();
        Optional<String> suggestion = Keys.suggest(rest, envNames);
        problems.add(new Pending(null, var, "environment variable names no known key"
                + suggestion.map(s -> "; did you mean " + var.substring(0, var.length() - rest.length()) + s + "?").orElse("")));
    }

    private String typeGuess(String raw) {
        if (raw == null) {
            return null;
        }
        String value = raw.contains("${") ? substitute(raw, new HashSet<>(), new HashSet<>(), new ArrayList<>(), 0) : raw;
        return value.trim().toLowerCase(Locale.ROOT);
    }

    // ---------------------------------------------------------------- placeholders

    private Resolved resolve(Item item) {
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
            String value = substitute(item.raw(), envRefs, keyRefs, errors, 0);
            for (String error : errors) {
                problem(item.key(), display(item), error);
            }
            Resolved r = new Resolved(value, envRefs, keyRefs, !errors.isEmpty());
            resolved.put(id, r);
            return r;
        } finally {
            resolving.remove(id);
        }
    }

    /** Replaces {@code ${NAME}} and {@code ${NAME:default}}: from the environment first, then from other keys. */
    private String substitute(String text, Set<String> envRefs, Set<Key> keyRefs, List<String> errors, int depth) {
        if (text == null || !text.contains("${")) {
            return text;
        }
        if (depth > MAX_PLACEHOLDER_DEPTH) {
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
            String value = lookup(name, envRefs, keyRefs, errors);
            if (value == null) {
                if (fallback != null) {
                    value = substitute(fallback, envRefs, keyRefs, errors, depth + 1);
                } else {
                    if (Keys.secretName(name)) {
                        envRefs.add(name);
                    }
                    errors.add("placeholder ${" + name + "} has no value: set the environment variable " + name
                            + " or give a default as ${" + name + ":default}");
                    value = "";
                }
            }
            out.append(value);
            i = end + 1;
        }
        return out.toString();
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
        Key key = parse(name);
        Item item = key == null ? null : items.get(key.text());
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

    // ---------------------------------------------------------------- keys

    private void checkKeys() {
        for (Item item : items.values()) {
            Key key = item.key();
            if (key.section().isEmpty()) {
                problem(key, display(item), "unknown key; expected " + prefix + ".<section>.<key> with a section among "
                        + String.join(", ", CoreKeys.SECTIONS));
            } else if (!CoreKeys.SECTIONS.contains(key.section())) {
                problem(key, display(item), "unknown key; " + Keys.suggest(key.section(), CoreKeys.SECTIONS)
                        .map(s -> "did you mean " + prefix + "." + s + "?")
                        .orElse("known sections: " + String.join(", ", CoreKeys.SECTIONS)));
            } else if (key.section().equals(CoreKeys.PROBES)) {
                if (key.group() == null || key.name() == null) {
                    problem(key, display(item), "unknown key; expected " + prefix + ".probes.<name>.<key>");
                } else if (factoryOf(key.group()) != null) {
                    ProbeFactory factory = factoryOf(key.group());
                    checkKey(item, CoreKeys.byName(CoreKeys.PROBE_KEYS, factory.keys()), "type " + factory.type());
                }
            } else if (key.section().equals(CoreKeys.ROLLBACK) && key.group() != null) {
                checkTriggerKey(item);
            } else if (key.name() == null) {
                problem(key, display(item), "unknown key; expected " + prefix + "." + key.section() + ".<key>");
            } else if (key.section().equals(CoreKeys.ROLLBACK) && triggerFactories.containsKey(key.name())) {
                problem(key, display(item), "needs sub-keys: " + prefix + "." + key.text() + ".<key>");
            } else {
                checkKey(item, CoreKeys.byName(CoreKeys.section(key.section()), List.of()), prefix + "." + key.section());
            }
        }
    }

    /** A key under {@code vigil.rollback.<name>}: one the trigger of that name knows, and the trigger must exist. */
    private void checkTriggerKey(Item item) {
        Key key = item.key();
        RollbackTriggerFactory factory = triggerFactories.get(key.group());
        if (key.group().equals(CoreKeys.RECHECK)) {
            checkKey(item, CoreKeys.byName(CoreKeys.RECHECK_KEYS, List.of()), prefix + "." + CoreKeys.ROLLBACK + "." + CoreKeys.RECHECK);
        } else if (factory != null) {
            checkKey(item, CoreKeys.byName(factory.keys(), List.of()), prefix + "." + CoreKeys.ROLLBACK + "." + factory.name());
        } else if (CoreKeys.ROLLBACK_KEYS.stream().anyMatch(k -> k.name().equals(key.group()))) {
            problem(key, display(item), "unknown key; " + key.group() + " takes no sub-keys");
        } else {
            List<String> known = new ArrayList<>(List.of(CoreKeys.COMMAND));
            known.addAll(triggerFactories.keySet());
            problem(key, display(item), "unknown key; " + Keys.suggest(key.group(), triggerFactories.keySet())
                    .map(s -> "did you mean " + prefix + "." + CoreKeys.ROLLBACK + "." + s + "?")
                    .orElse("no rollback trigger '" + key.group() + "'; known triggers: " + String.join(", ", known)
                            + " (a trigger comes from its module's jar on the classpath)"));
        }
    }

    private void checkKey(Item item, Map<String, ConfigKey> known, String where) {
        Key key = item.key();
        ConfigKey declared = known.get(key.name());
        String problem = null;
        if (declared == null) {
            problem = "unknown key" + Keys.suggest(key.name(), known.keySet()).map(s -> "; did you mean " + s + "?")
                    .orElse(" for " + where + "; known keys: " + String.join(", ", known.keySet()));
        } else if (key.index() != null && declared.kind() != ConfigKey.Kind.LIST) {
            problem = "unknown key; " + key.name() + " is not a list";
        } else if (key.sub() != null && declared.kind() != ConfigKey.Kind.MAP) {
            problem = "unknown key; " + key.name() + " takes no sub-keys";
        } else if (declared.kind() == ConfigKey.Kind.MAP && key.sub() == null && !valueOf(key).orElse("").isEmpty()) {
            problem = "needs sub-keys: " + key.name() + ".<name>=<value>";
        }
        if (problem != null) {
            problem(key, display(item), problem);
        }
    }

    private ProbeFactory factoryOf(String probe) {
        String type = typeOf(probe);
        return type == null ? null : factories.get(type);
    }

    String typeOf(String probe) {
        return valueOf(new Key(CoreKeys.PROBES, probe, "type", null, null)).map(t -> t.trim().toLowerCase(Locale.ROOT)).orElse(null);
    }

    // ---------------------------------------------------------------- sections

    private DeploymentDefaults bindDeployment() {
        Settings s = new Settings(this, CoreKeys.DEPLOYMENT, null, null);
        Deployment.Kind kind = s.string("kind").map(k -> enumValue(s, "kind", k, Deployment.Kind.class))
                .orElse(Deployment.Kind.RELEASE);
        return new DeploymentDefaults(s.string("service").orElse(null), s.string("version").orElse(null),
                s.string("previous-version").orElse(null), s.string("environment").orElse(null),
                kind == null ? Deployment.Kind.RELEASE : kind, s.list("fixes"), s.map("labels"));
    }

    private VerificationPlan bindPlan() {
        Settings s = new Settings(this, CoreKeys.PLAN, null, null);
        Duration initialDelay = s.duration("initial-delay").filter(d -> atLeastZero(s, "initial-delay", d))
                .orElse(VerificationPlan.DEFAULT_INITIAL_DELAY);
        Duration interval = s.duration("interval").filter(d -> positive(s, "interval", d))
                .orElse(VerificationPlan.DEFAULT_INTERVAL);
        Duration duration = s.duration("duration").filter(d -> positive(s, "duration", d))
                .orElse(VerificationPlan.DEFAULT_DURATION);
        VerificationPlan.OnInconclusive onInconclusive = s.string("on-inconclusive")
                .map(v -> enumValue(s, "on-inconclusive", v, VerificationPlan.OnInconclusive.class))
                .orElse(VerificationPlan.OnInconclusive.FAIL);
        boolean dryRun = s.bool("dry-run").orElse(false);
        return new VerificationPlan(initialDelay, interval, duration,
                onInconclusive == null ? VerificationPlan.OnInconclusive.FAIL : onInconclusive, dryRun);
    }

    private HistorySettings bindHistory() {
        Settings s = new Settings(this, CoreKeys.HISTORY, null, null);
        boolean enabled = s.bool("enabled").orElse(true);
        String url = s.string("url").map(String::trim).orElse(null);
        if (url != null && !url.startsWith("jdbc:")) {
            s.problem("url", "not a JDBC URL; use jdbc:h2:file:/path/history or jdbc:postgresql://host:5432/db");
        }
        Duration retention = s.duration("retention").filter(d -> positive(s, "retention", d))
                .orElse(HistorySettings.DEFAULT_RETENTION);
        Duration window = s.duration("hotfix-window").filter(d -> atLeastZero(s, "hotfix-window", d))
                .orElse(HistorySettings.DEFAULT_HOTFIX_WINDOW);
        return new HistorySettings(enabled, url, s.string("username").orElse(null), s.string("password").orElse(null),
                retention, window);
    }

    private RecheckPlan bindRecheck() {
        Settings s = new Settings(this, CoreKeys.ROLLBACK, CoreKeys.RECHECK, CoreKeys.byName(CoreKeys.RECHECK_KEYS, List.of()));
        RecheckPlan recheck = RecheckPlan.defaults();
        Optional<Duration> delay = s.duration("delay").filter(d -> atLeastZero(s, "delay", d));
        if (delay.isPresent()) {
            recheck = recheck.withDelay(delay.get());
        }
        return recheck.withRounds(s.integer("rounds").filter(n -> atLeast(s, "rounds", n, 0)).orElse(RecheckPlan.DEFAULT_ROUNDS));
    }

    private RollbackPolicy bindRollbackPolicy() {
        Settings s = new Settings(this, CoreKeys.ROLLBACK, null, null);
        int attempts = s.integer("max-attempts").filter(n -> atLeast(s, "max-attempts", n, 1))
                .orElse(RollbackPolicy.DEFAULT_MAX_ATTEMPTS);
        Duration backoff = s.duration("backoff").filter(d -> atLeastZero(s, "backoff", d)).orElse(RollbackPolicy.DEFAULT_BACKOFF);
        Duration timeout = s.duration("timeout").filter(d -> positive(s, "timeout", d)).orElse(RollbackPolicy.DEFAULT_TIMEOUT);
        return new RollbackPolicy(attempts, backoff, timeout);
    }

    /**
     * The one trigger configured: {@code vigil.rollback.command} or a factory's sub-section
     * ({@code vigil.rollback.webhook.*}), with the policy's timeout. Every one given is bound, so
     * that all their problems are reported, and more than one is a problem too.
     */
    private RollbackTrigger bindRollbackTrigger(RollbackPolicy policy) {
        Settings s = new Settings(this, CoreKeys.ROLLBACK, null, null);
        Map<String, RollbackTrigger> given = new LinkedHashMap<>();
        Set<Integer> retryOnExitCodes = bindRetryOnExitCodes(s);
        if (s.string(CoreKeys.RETRY_ON_EXIT_CODES).isPresent() && s.string(CoreKeys.COMMAND).isEmpty()) {
            s.problem(CoreKeys.RETRY_ON_EXIT_CODES, "applies to " + s.fullKey(CoreKeys.COMMAND)
                    + " only, which is not set; other triggers say themselves what may be retried");
        }
        s.string(CoreKeys.COMMAND).ifPresent(command -> given.put(s.fullKey(CoreKeys.COMMAND),
                RollbackTriggers.shell(command, policy.timeout(), retryOnExitCodes)));
        for (String name : triggerNames()) {
            RollbackTriggerFactory factory = triggerFactories.get(name);
            Settings settings = new Settings(this, CoreKeys.ROLLBACK, name, CoreKeys.byName(factory.keys(), List.of()));
            settings.timeout(policy.timeout());
            Key key = new Key(CoreKeys.ROLLBACK, name, null, null, null);
            given.put(prefix + "." + key.text() + ".*", make(key, "rollback trigger " + name, () -> factory.create(settings)));
        }
        if (given.size() > 1) {
            problem(new Key(CoreKeys.ROLLBACK, null, null, null, null), prefix + "." + CoreKeys.ROLLBACK,
                    "one rollback trigger per deployment, but " + String.join(" and ", given.keySet()) + " are set; keep one");
        }
        RollbackTrigger trigger = given.values().stream().filter(Objects::nonNull).findFirst().orElse(null);
        List<String> secrets = secretValues();
        return trigger == null || secrets.isEmpty() ? trigger : new RedactingTrigger(trigger, secrets);
    }

    /** {@code vigil.rollback.retry-on-exit-codes}: exit codes from 1 to 255, or {@code none}. */
    private static Set<Integer> bindRetryOnExitCodes(Settings s) {
        List<String> given = s.list(CoreKeys.RETRY_ON_EXIT_CODES);
        if (given.isEmpty()) {
            return RollbackTriggers.DEFAULT_RETRY_ON_EXIT_CODES;
        }
        if (given.size() == 1 && given.get(0).equalsIgnoreCase("none")) {
            return Set.of();
        }
        Set<Integer> codes = new LinkedHashSet<>();
        for (String text : given) {
            Optional<Integer> code = Values.integer(text).filter(c -> c >= 1 && c <= 255);
            if (code.isEmpty()) {
                s.problem(CoreKeys.RETRY_ON_EXIT_CODES, "'" + text + "' is not an exit code from 1 to 255; give a list such as "
                        + RollbackTriggers.EX_TEMPFAIL + " or 75,69, or none to never run the command again");
                return RollbackTriggers.DEFAULT_RETRY_ON_EXIT_CODES;
            }
            codes.add(code.get());
        }
        return codes;
    }

    /** The sub-sections of {@code vigil.rollback} that name a known trigger, in the order given; the others are reported by {@link #checkKeys}. */
    private List<String> triggerNames() {
        return items.values().stream().map(Item::key)
                .filter(k -> k.section().equals(CoreKeys.ROLLBACK) && k.group() != null && triggerFactories.containsKey(k.group()))
                .map(Key::group).distinct().toList();
    }

    /**
     * Asks a factory for what it makes. A factory that throws, or that makes nothing without
     * recording why, becomes a problem of {@code key} naming {@code maker}.
     *
     * @return what was made, or {@code null}
     */
    private <T> T make(Key key, String maker, Supplier<T> factory) {
        String display = prefix + "." + key.text();
        int before = problems.size();
        try {
            T made = factory.get();
            if (made == null && problems.size() == before) {
                problem(key, display, maker + " made nothing and said no reason");
            }
            return made;
        } catch (InvalidSettingsException e) {
            if (problems.size() == before) {
                problem(key, display, maker + " rejected the settings: " + e.getMessage());
            }
            return null;
        } catch (RuntimeException e) {
            problem(key, display, maker + " failed: " + e.getMessage());
            return null;
        }
    }

    private Optional<BoundProbe> bindProbe(String name, VerificationPlan plan) {
        Key typeKey = new Key(CoreKeys.PROBES, name, "type", null, null);
        String display = prefix + "." + typeKey.text();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            problem(typeKey.base(), prefix + "." + CoreKeys.PROBES + "." + name,
                    "probe name is invalid: use letters, digits, '-', '_' and '.', starting with a letter or digit");
            return Optional.empty();
        }
        String type = typeOf(name);
        if (type == null || type.isEmpty()) {
            if (!unresolved(typeKey)) {
                problem(typeKey, display, "missing; known types: " + String.join(", ", factories.keySet()));
            }
            return Optional.empty();
        }
        ProbeFactory factory = factories.get(type);
        if (factory == null) {
            problem(typeKey, display, "unknown probe type '" + type + "'"
                    + Keys.suggest(type, factories.keySet()).map(s -> "; did you mean " + s + "?").orElse("")
                    + "; known types: " + String.join(", ", factories.keySet())
                    + " (a type comes from its module's jar on the classpath)");
            return Optional.empty();
        }
        Settings s = new Settings(this, CoreKeys.PROBES, name, CoreKeys.byName(CoreKeys.PROBE_KEYS, factory.keys()));
        ProbeLimits limits = bindLimits(s, factory.defaultLimits(s));
        MeasurementPolicy measurement = bindMeasurement(s, factory.defaultMeasurementPolicy(s), plan);
        s.timeout(measurement.timeout());
        Probe probe = make(typeKey, "probe type " + type, () -> factory.create(s));
        if (!s.criteriaRead() && (s.string("pass-when").isPresent() || s.string("fail-when").isPresent())) {
            Key key = new Key(CoreKeys.PROBES, name, s.string("pass-when").isPresent() ? "pass-when" : "fail-when", null, null);
            problem(key, prefix + "." + key.text(), "probes of type " + type + " take no condition");
        }
        return Optional.ofNullable(probe).map(p -> new BoundProbe(name, type, p, limits, measurement));
    }

    /** The limits of one probe: how much bad news it may give. */
    private static ProbeLimits bindLimits(Settings s, ProbeLimits d) {
        return new ProbeLimits(
                s.integer("max-failures").filter(n -> atLeast(s, "max-failures", n, 0)).orElse(d.maxFailures()),
                s.integer("max-consecutive-errors").filter(n -> atLeast(s, "max-consecutive-errors", n, 0))
                        .orElse(d.maxConsecutiveErrors()),
                s.integer("max-inconclusive").filter(n -> atLeast(s, "max-inconclusive", n, 0)).orElse(d.maxInconclusive()));
    }

    /**
     * How each measurement of one probe is attempted. A measurement must fit in a round: a
     * {@code timeout} longer than the plan's {@code interval} is a problem, and a default timeout
     * longer than it is shortened to it.
     */
    private MeasurementPolicy bindMeasurement(Settings s, MeasurementPolicy d, VerificationPlan plan) {
        if (d.timeout().compareTo(plan.interval()) > 0) {
            d = d.withTimeout(plan.interval());
        }
        Optional<Duration> timeout = s.duration("timeout").filter(t -> positive(s, "timeout", t));
        timeout.filter(t -> t.compareTo(plan.interval()) > 0).ifPresent(t -> s.problem("timeout",
                Values.format(t) + " is longer than " + prefix + "." + CoreKeys.PLAN + ".interval (" + Values.format(plan.interval())
                        + "): a round would overrun into the next one, whose turn is then skipped; lower the timeout or"
                        + " raise the interval"));
        return new MeasurementPolicy(
                timeout.orElse(d.timeout()),
                s.integer("max-attempts").filter(n -> atLeast(s, "max-attempts", n, 1)).orElse(d.maxAttempts()),
                s.duration("retry-backoff").filter(t -> atLeastZero(s, "retry-backoff", t)).orElse(d.retryBackoff()));
    }

    private static boolean atLeast(Settings s, String key, int value, int min) {
        if (value < min) {
            s.problem(key, "must be at least " + min);
            return false;
        }
        return true;
    }

    private static boolean positive(Settings s, String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            s.problem(key, "must be longer than zero");
            return false;
        }
        return true;
    }

    private static boolean atLeastZero(Settings s, String key, Duration d) {
        if (d.isNegative()) {
            s.problem(key, "must not be negative");
            return false;
        }
        return true;
    }

    private static <E extends Enum<E>> E enumValue(Settings s, String key, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim().replace('-', '_'))) {
                return e;
            }
        }
        s.problem(key, "must be one of " + String.join(", ",
                java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
        return null;
    }

    // ---------------------------------------------------------------- values and problems for Settings

    String prefix() {
        return prefix;
    }

    /** The resolved value of a key; empty when absent or when a placeholder failed. */
    Optional<String> valueOf(Key key) {
        Item item = items.get(key.text());
        if (item == null) {
            return Optional.empty();
        }
        Resolved r = resolve(item);
        return r == null || r.failed() ? Optional.empty() : Optional.of(r.value());
    }

    /** Whether the key is given but a placeholder in it could not be resolved (already reported). */
    boolean unresolved(Key key) {
        Item item = items.get(key.text());
        Resolved r = item == null ? null : resolve(item);
        return r != null && r.failed();
    }

    /** The entries below a key ({@code fixes[0]}, {@code headers.X-Name}), in order. */
    List<Item> below(Key base) {
        return items.values().stream()
                .filter(i -> i.key().base().equals(base) && (i.key().index() != null || i.key().sub() != null))
                .toList();
    }

    /** Whether a value is secret: by its key's name or declaration, or because it was made from a secret. */
    boolean isSecret(Key key) {
        return isSecret(key, 0);
    }

    /** Whether a key's name or its factory's declaration makes its value secret. */
    private boolean secretByKey(Key key) {
        if (key.name() != null && Keys.secretName(key.name())) {
            return true;
        }
        if (key.sub() != null && Keys.secretName(key.sub())) {
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
            ProbeFactory factory = factoryOf(key.group());
            return factory == null ? List.of() : factory.keys();
        }
        RollbackTriggerFactory factory = triggerFactories.get(key.group());
        return factory == null ? List.of() : factory.keys();
    }

    private boolean isSecret(Key key, int depth) {
        if (secretByKey(key)) {
            return true;
        }
        Item item = items.get(key.text());
        Resolved r = item == null ? null : resolved.get(key.text());
        if (r == null || depth > MAX_PLACEHOLDER_DEPTH) {
            return false;
        }
        return r.envRefs().stream().anyMatch(Keys::secretName)
                || r.keyRefs().stream().anyMatch(k -> !k.equals(key) && isSecret(k, depth + 1));
    }

    /** Every secret value given, longest first, to scrub from messages. */
    List<String> secretValues() {
        List<String> out = new ArrayList<>();
        for (Item item : items.values()) {
            Resolved r = resolved.get(item.key().text());
            if (secretByKey(item.key())) {
                addSecret(out, item.raw());
                if (r != null) {
                    addSecret(out, r.value());
                }
            }
            if (r != null) {
                r.envRefs().stream().filter(Keys::secretName).map(env::get).forEach(v -> addSecret(out, v));
            }
        }
        out.sort(Comparator.comparingInt(String::length).reversed());
        return out;
    }

    private static void addSecret(List<String> out, String value) {
        // Very short values would blank out unrelated text; they are still redacted as whole values.
        if (value != null && value.length() >= 3 && !value.contains("${") && !out.contains(value)) {
            out.add(value);
        }
    }

    String display(Item item) {
        return item.envVar() != null ? prefix + "." + item.key().text() : item.writtenKey();
    }

    void problem(Key key, String displayKey, String message) {
        problems.add(new Pending(key, displayKey, message));
    }

    /** A problem with a key given relative to a section or probe. */
    void problem(Key key, String message) {
        Item item = items.get(key.text());
        problem(key, item != null ? display(item) : prefix + "." + key.text(), message);
    }

    private List<ConfigProblem> finish() {
        List<String> secrets = secretValues();
        List<ConfigProblem> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Pending p : problems) {
            String value = null;
            String message = p.message();
            if (p.key() != null) {
                Item item = items.get(p.key().text());
                if (item != null) {
                    Resolved r = resolved.get(p.key().text());
                    boolean misspeltSecret = p.message().startsWith("unknown key") && Keys.nearSecretName(p.key().text());
                    value = isSecret(p.key()) || misspeltSecret ? Keys.REDACTED
                            : r != null && !r.failed() ? r.value() : item.raw();
                    if (item.envVar() != null && !p.displayKey().equals(item.envVar())) {
                        message += " (from environment variable " + item.envVar() + ")";
                    }
                }
            }
            ConfigProblem problem = new ConfigProblem(p.displayKey(), scrub(value, secrets), scrub(message, secrets));
            if (seen.add(problem.toString())) {
                out.add(problem);
            }
        }
        return out;
    }

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

    /** The effective configuration, canonical keys, secrets redacted. */
    private Map<String, String> effective() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Item item : items.values()) {
            out.put(prefix + "." + item.key().text(), isSecret(item.key()) ? Keys.REDACTED
                    : valueOf(item.key()).orElse(item.raw()));
        }
        return out;
    }
}
