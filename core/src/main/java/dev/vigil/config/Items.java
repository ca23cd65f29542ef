package dev.vigil.config;

import dev.vigil.VigilException;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What a configuration gives, as the binding sees it: every {@link Item} by canonical key, merged
 * layer over layer; the names of the probes given; each value with its placeholders resolved (by
 * {@link Placeholders}, on first use); and the problems found so far, with the key they belong to.
 * Written keys are parsed here into {@link Key}s under the prefix. One per binding; not thread-safe.
 */
final class Items {

    /** A problem as found: the key it belongs to ({@code null} when it has none), the key to show, the message. */
    record Pending(Key key, String displayKey, String message) {
    }

    /**
     * A key written in a file in an environment variable's form ({@code VIGIL_PLAN_DURATION}): not
     * under the prefix, so no key, and it would be left out without a word.
     *
     * @param written the key as written
     * @param layer the name of the file
     * @param line the line it is written on, or {@code null} when the file does not say
     */
    record EnvironmentNamed(String written, String layer, Integer line) {
    }

    private final String prefix;
    private final List<String> prefixSegments;
    private final Map<String, ProbeFactory> factories;
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final Set<String> probeNames = new LinkedHashSet<>();
    private final List<Pending> problems = new ArrayList<>();
    private final List<EnvironmentNamed> environmentNamed = new ArrayList<>();
    /** The items a file gives without a value, and where: a problem when no later layer gives the key a value. */
    private final Map<Item, String> writtenEmpty = new java.util.HashMap<>();
    private final Placeholders placeholders;

    Items(String prefix, Map<String, String> env, Map<String, ProbeFactory> factories) {
        this.prefix = prefix;
        this.prefixSegments = Keys.split(prefix).stream().map(Key::canonical).toList();
        this.factories = factories;
        this.placeholders = new Placeholders(this, env);
    }

    String prefix() {
        return prefix;
    }

    Placeholders placeholders() {
        return placeholders;
    }

    // ---------------------------------------------------------------- what is given

    /** The items of a file or map layer under the prefix; a key written twice in it is a problem. */
    Map<String, Item> read(Layer layer) {
        Map<String, Item> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : layer.entries().entrySet()) {
            Key key = parse(e.getKey());
            if (key == null) {
                if (layer.written() && environmentForm(e.getKey())) {
                    List<Integer> lines = layer.lines(e.getKey());
                    environmentNamed.add(new EnvironmentNamed(e.getKey().trim(), layer.name(), lines.isEmpty() ? null : lines.get(0)));
                } else {
                    checkPrefixTypo(e.getKey());
                }
                continue;
            }
            Item item = new Item(key, e.getKey(), e.getValue(), null);
            List<Integer> lines = layer.lines(e.getKey());
            if (lines.size() > 1) {
                problem(key, e.getKey(), "set " + (lines.size() == 2 ? "twice" : lines.size() + " times") + " in " + layer.name()
                        + " (lines " + lines.stream().map(String::valueOf).collect(Collectors.joining(", "))
                        + "): the last value would replace the others without a word; keep one");
            }
            if (layer.written() && (e.getValue() == null || e.getValue().isBlank())) {
                writtenEmpty.put(item, layer.name() + (lines.isEmpty() ? "" : " (line " + lines.get(0) + ")"));
            }
            Item earlier = out.put(key.text(), item);
            if (earlier != null && !earlier.writtenKey().equals(item.writtenKey())) {
                problem(key, e.getKey(), "set twice in " + layer.name() + ", also as " + earlier.writtenKey()
                        + "; keep one spelling");
            }
        }
        return out;
    }

    /**
     * Whether a key is written as an environment variable under the prefix is named ({@code VIGIL_PLAN_DURATION},
     * in any case): letters, digits and underscores only, starting with the prefix's form and an underscore.
     */
    private boolean environmentForm(String written) {
        String start = Keys.envForm(prefix) + "_";
        String key = written.trim();
        return key.length() > start.length() && key.toUpperCase(Locale.ROOT).startsWith(start) && key.matches("[A-Za-z0-9_]+");
    }

    /** The keys files give in an environment variable's form, in the order read; see {@link EnvironmentNamed}. */
    List<EnvironmentNamed> environmentNamed() {
        return environmentNamed;
    }

    /** A key such as {@code vigl.plan.duration} is almost certainly meant for Vigil: say so rather than ignore it. */
    private void checkPrefixTypo(String written) {
        String first = Key.canonical(Keys.split(written.trim()).get(0));
        String expected = prefixSegments.get(0);
        if (expected.length() >= 4 && !first.equals(expected) && Keys.distance(first, expected) == 1) {
            problem(written, "unknown key; did you mean " + expected
                    + written.trim().substring(Math.min(written.trim().length(), Keys.split(written.trim()).get(0).length())) + "?");
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
    void merge(Map<String, Item> layer) {
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

    /** The item of a key, or {@code null} when it is not given. */
    Item get(Key key) {
        return items.get(key.text());
    }

    /** Every item, in the order given. */
    Collection<Item> all() {
        return Collections.unmodifiableCollection(items.values());
    }

    /** The names of the probes given, in the order first given; the environment may add to them. */
    Set<String> probeNames() {
        return probeNames;
    }

    /** The entries below a key ({@code fixes[0]}, {@code headers.X-Name}), in order. */
    List<Item> below(Key base) {
        return items.values().stream()
                .filter(i -> i.key().base().equals(base) && (i.key().index() != null || i.key().sub() != null))
                .toList();
    }

    /** Resolves the placeholders of every item now, so that their problems come first. */
    void resolveAll() {
        for (Item item : List.copyOf(items.values())) {
            placeholders.resolve(item);
        }
    }

    // ---------------------------------------------------------------- values

    /** The resolved value of a key; empty when absent or when a placeholder failed. */
    Optional<String> valueOf(Key key) {
        Item item = items.get(key.text());
        if (item == null) {
            return Optional.empty();
        }
        Placeholders.Resolved r = placeholders.resolve(item);
        return r == null || r.failed() ? Optional.empty() : Optional.of(r.value());
    }

    /**
     * Whether the key is given but a placeholder in it could not be resolved, or a file gives it
     * without a value (either already reported).
     */
    boolean unresolved(Key key) {
        Item item = items.get(key.text());
        if (item != null && writtenEmpty.containsKey(item)) {
            return true;
        }
        Placeholders.Resolved r = item == null ? null : placeholders.resolve(item);
        return r != null && r.failed();
    }

    /**
     * A key a file writes without a value ({@code vigil.rollback.command=}, YAML's {@code command:}) is a
     * problem unless a later layer gives it one: taken as given, it would silently mean the default or
     * none, though the person who wrote the line meant something. {@code ${NAME:}} says that an empty
     * value is meant.
     */
    void checkWrittenEmpty() {
        for (Item item : items.values()) {
            String where = writtenEmpty.get(item);
            if (where != null) {
                problem(item.key(), display(item), "has no value in " + where + ": an empty value would silently mean"
                        + " the default or none; give it a value, or leave the key out (${NAME:} says that an empty value is meant)");
            }
        }
    }

    /**
     * Whether a key of the probe or trigger that {@code key} belongs to has a placeholder that could
     * not be resolved: its problem says why the factory made nothing.
     */
    private boolean unresolvedIn(Key key) {
        return items.values().stream().anyMatch(i -> i.key().section().equals(key.section())
                && java.util.Objects.equals(i.key().group(), key.group()) && unresolved(i.key()));
    }

    /** The type a probe is given, trimmed and in lower case, or {@code null}. */
    String typeOf(String probe) {
        return valueOf(Key.probeType(probe)).map(t -> t.trim().toLowerCase(Locale.ROOT)).orElse(null);
    }

    /** The factory of a probe's type, or {@code null} when the type is not given or not known. */
    ProbeFactory factoryOf(String probe) {
        String type = typeOf(probe);
        return type == null ? null : factories.get(type);
    }

    // ---------------------------------------------------------------- problems

    /** How an item's key is shown: as written, or in canonical form when it came from the environment. */
    String display(Item item) {
        return item.envVar() != null ? prefix + "." + item.key().text() : item.writtenKey();
    }

    /** Where a given item's value came from, for a message about it: {@code  (from environment variable VIGIL_PLAN_WATCH)}, or nothing. */
    static String origin(Item item) {
        return item.envVar() == null ? "" : " (from environment variable " + item.envVar() + ")";
    }

    /**
     * A given key as a message names it: as written, and the environment variable it came from
     * ({@code vigil.plan.watch-interval (from environment variable VIGIL_PLAN_WATCH_INTERVAL)}).
     */
    String named(Key key) {
        Item item = items.get(key.text());
        return item == null ? prefix + "." + key.text() : display(item) + origin(item);
    }

    void problem(Key key, String displayKey, String message) {
        problems.add(new Pending(key, displayKey, message));
    }

    /**
     * A problem with a key given relative to a section or probe; none for a key whose placeholder
     * failed: that is its problem, reported already, and what a reader of the key says next ("is
     * required" of a url that is set) is about a value nobody gave.
     */
    void problem(Key key, String message) {
        if (unresolved(key)) {
            return;
        }
        Item item = items.get(key.text());
        problem(key, item != null ? display(item) : prefix + "." + key.text(), message);
    }

    /** A problem of something that is no key under the prefix: a misspelt prefix, an environment variable. */
    void problem(String displayKey, String message) {
        problems.add(new Pending(null, displayKey, message));
    }

    /** The problems found so far, in order. */
    List<Pending> problems() {
        return problems;
    }

    /**
     * Asks a factory for what it makes. A factory that throws, or that makes nothing without
     * recording why, becomes a problem of {@code key} naming {@code maker}.
     *
     * @return what was made, or {@code null}
     */
    <T> T make(Key key, String maker, Supplier<T> factory) {
        String display = prefix + "." + key.text();
        int before = problems.size();
        try {
            T made = factory.get();
            if (made == null && problems.size() == before && !unresolvedIn(key)) {
                problem(key, display, maker + " made nothing and said no reason");
            }
            return made;
        } catch (InvalidSettingsException e) {
            if (problems.size() == before && !unresolvedIn(key)) {
                problem(key, display, maker + " rejected the settings: " + VigilException.describe(e));
            }
            return null;
        } catch (RuntimeException e) {
            // Named by its class: a factory's NullPointerException has no message, and "failed: null" says nothing.
            problem(key, display, maker + " failed: " + VigilException.describe(e));
            return null;
        }
    }
}
