package dev.vigil.config;

import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.RollbackTriggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks every key given against the keys known: the sections, the keys of each section, those a
 * probe's type or a rollback trigger declares, whether a key is a list or takes sub-keys. An
 * unknown key is a problem with the nearest known one as a suggestion, or the list of known ones.
 * The keys of a probe whose type is unknown are left to the probe's own problem ("unknown probe
 * type"). Holds no state of its own.
 */
final class KeyCheck {

    private final Items items;
    private final Map<String, RollbackTriggerFactory> triggerFactories;

    KeyCheck(Items items, Map<String, RollbackTriggerFactory> triggerFactories) {
        this.items = items;
        this.triggerFactories = triggerFactories;
    }

    /** Records a problem for each key given that is not known. */
    void check() {
        String prefix = items.prefix();
        for (Item item : items.all()) {
            Key key = item.key();
            if (key.section().isEmpty()) {
                items.problem(key, items.display(item), "unknown key; expected " + prefix + ".<section>.<key> with a section among "
                        + String.join(", ", CoreKeys.SECTIONS));
            } else if (!CoreKeys.SECTIONS.contains(key.section())) {
                items.problem(key, items.display(item), "unknown key; " + Keys.suggest(key.section(), CoreKeys.SECTIONS)
                        .map(s -> "did you mean " + prefix + "." + s + "?")
                        .orElse("known sections: " + String.join(", ", CoreKeys.SECTIONS)));
            } else if (key.section().equals(CoreKeys.PROBES)) {
                if (key.group() == null || key.name() == null) {
                    items.problem(key, items.display(item), "unknown key; expected " + prefix + ".probes.<name>.<key>");
                } else if (items.factoryOf(key.group()) != null) {
                    ProbeFactory factory = items.factoryOf(key.group());
                    checkKey(item, CoreKeys.byName(CoreKeys.PROBE_KEYS, factory.keys()), "type " + factory.type());
                }
            } else if (key.section().equals(CoreKeys.ROLLBACK) && key.group() != null) {
                checkTriggerKey(item);
            } else if (key.name() == null) {
                items.problem(key, items.display(item), "unknown key; expected " + prefix + "." + key.section() + ".<key>");
            } else if (key.section().equals(CoreKeys.ROLLBACK) && triggerFactories.containsKey(key.name())) {
                items.problem(key, items.display(item), "needs sub-keys: " + prefix + "." + key.text() + ".<key>");
            } else {
                checkKey(item, CoreKeys.byName(CoreKeys.section(key.section()), List.of()), prefix + "." + key.section());
            }
        }
    }

    /** A key under {@code vigil.rollback.<name>}: one the trigger of that name knows, and the trigger must exist. */
    private void checkTriggerKey(Item item) {
        String prefix = items.prefix();
        Key key = item.key();
        RollbackTriggerFactory factory = triggerFactories.get(key.group());
        if (key.group().equals(CoreKeys.RECHECK)) {
            checkKey(item, CoreKeys.byName(CoreKeys.RECHECK_KEYS, List.of()), prefix + "." + CoreKeys.ROLLBACK + "." + CoreKeys.RECHECK);
        } else if (factory != null) {
            checkKey(item, CoreKeys.byName(factory.keys(), List.of()), prefix + "." + CoreKeys.ROLLBACK + "." + factory.name());
        } else if (CoreKeys.ROLLBACK_KEYS.stream().anyMatch(k -> k.name().equals(key.group()))) {
            items.problem(key, items.display(item), "unknown key; " + key.group() + " takes no sub-keys");
        } else {
            List<String> known = new ArrayList<>(List.of(CoreKeys.COMMAND));
            known.addAll(triggerFactories.keySet());
            items.problem(key, items.display(item), "unknown key; " + Keys.suggest(key.group(), triggerFactories.keySet())
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
        } else if (declared.kind() == ConfigKey.Kind.MAP && key.sub() == null && !items.valueOf(key).orElse("").isEmpty()) {
            problem = "needs sub-keys: " + key.name() + ".<name>=<value>";
        }
        if (problem != null) {
            items.problem(key, items.display(item), problem);
        }
    }
}
