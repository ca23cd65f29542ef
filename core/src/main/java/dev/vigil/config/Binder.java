package dev.vigil.config;

import dev.vigil.RecheckPlan;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.VerificationPlan;
import dev.vigil.WatchPlan;
import dev.vigil.history.HistorySettings;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.RollbackTriggerFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds layers of flat properties and the environment to a {@link BoundConfig}, collecting every
 * problem. The steps are its collaborators': {@link Items} merges what is given,
 * {@link EnvironmentKeys} matches the environment onto keys, {@link Placeholders} resolves
 * {@code ${...}}, {@link KeyCheck} reports unknown keys, {@link SectionBinder} and
 * {@link ProbeBinder} bind the sections and the probes, and {@link Secrets} keeps secrets out of
 * every message. One instance binds once; not thread-safe.
 */
final class Binder {

    private static final Logger LOG = LoggerFactory.getLogger(Binder.class);

    private final String prefix;
    private final Map<String, String> env;
    private final Map<String, ProbeFactory> factories;
    private final Map<String, RollbackTriggerFactory> triggerFactories;
    private final Items items;
    private final Secrets secrets;

    Binder(String prefix, Map<String, String> env, Map<String, ProbeFactory> factories,
            Map<String, RollbackTriggerFactory> triggerFactories) {
        this.prefix = prefix;
        this.env = env;
        this.factories = factories;
        this.triggerFactories = triggerFactories;
        this.items = new Items(prefix, env, factories);
        this.secrets = new Secrets(items, env, triggerFactories);
    }

    /**
     * Binds: the layers in order, then the environment, then {@code top} (the command line's
     * options), all before any placeholder is resolved, so that placeholders see the top values.
     *
     * @throws ConfigurationException listing every problem
     */
    BoundConfig bind(List<Layer> layers, Layer top) {
        for (Layer layer : layers) {
            items.merge(items.read(layer));
        }
        EnvironmentKeys environment = new EnvironmentKeys(items, env, factories, triggerFactories);
        items.merge(withoutClearing(environment.read()));
        environment.checkFiles();
        items.merge(items.read(top));
        items.checkWrittenEmpty();
        items.resolveAll();
        new KeyCheck(items, triggerFactories).check();
        SectionBinder sections = new SectionBinder(items, secrets, triggerFactories);
        DeploymentDefaults deployment = sections.deployment();
        sections.valuesInCommandsAndQueries();
        sections.valuesInRegexMatchers();
        VerificationPlan plan = sections.plan();
        RollbackPolicy policy = sections.rollbackPolicy();
        RecheckPlan recheck = sections.recheck();
        RollbackTrigger trigger = sections.rollbackTrigger(policy);
        HistorySettings history = sections.history();
        boolean requirePastConfirmations = sections.requirePastConfirmations();
        if (requirePastConfirmations && !history.enabled()) {
            items.problem(prefix + "." + CoreKeys.REGRESSIONS + ".require-past-confirmations", "needs the release history,"
                    + " which remembers the confirmed fixes: set " + prefix + "." + CoreKeys.HISTORY + ".enabled=true");
        }
        ProbeBinder probeBinder = new ProbeBinder(items, secrets, factories);
        List<BoundProbe> probes = new ArrayList<>();
        for (String name : items.probeNames()) {
            probeBinder.bind(name, plan).ifPresent(probes::add);
        }
        WatchPlan watch = sections.watch(plan, probeBinder.unwatched(), probeBinder.watchMaxFailures());
        recheck = recheck.withUnchecked(probeBinder.unrechecked()).withOnly(probeBinder.recheckOnly());
        checkBaked(recheck, probes);
        checkWatch(watch, recheck, probes);
        new FixCheck(items, deployment).check(probes, recheck);
        if (!items.problems().isEmpty()) {
            // Nobody gets these probes: what they opened (clients, threads) must end here.
            probes.forEach(p -> close(p.probe()));
            throw new ConfigurationException(finish());
        }
        LOG.debug("bound {} probes from {}", probes.size(), layers.stream().map(Layer::name).toList());
        return new BoundConfig(prefix, deployment, plan, probes, trigger, policy, recheck, history, effective(),
                secrets.values(), requirePastConfirmations, watch);
    }

    /** Closes a probe nobody will use; a probe that fails to close is logged without its message. */
    private static void close(dev.vigil.Probe probe) {
        try {
            probe.close();
        } catch (RuntimeException e) {
            LOG.warn("a probe of a configuration with problems failed to close: {}", e.getClass().getSimpleName());
        }
    }

    /**
     * The environment's items but those that are empty over a value the files give: each of those is
     * a problem naming its variable. A CI system sets a variable it copies from an undefined one to
     * the empty string; taken as given, an empty {@code VIGIL_ROLLBACK_COMMAND} would leave no
     * rollback and an empty previous version would make the rollback command return to none.
     */
    private Map<String, Item> withoutClearing(Map<String, Item> fromEnv) {
        Map<String, Item> out = new LinkedHashMap<>();
        fromEnv.forEach((text, item) -> {
            Key key = item.key();
            boolean clears = item.raw().isBlank() && items.all().stream().anyMatch(given -> !given.raw().isBlank()
                    && (given.key().text().equals(text)
                    || key.sub() == null && given.key().sub() == null && given.key().base().equals(key.base())));
            if (clears) {
                items.problem(item.envVar(), "set but empty: it would clear " + prefix + "." + (key.sub() == null ? key.base() : key).text()
                        + ", which the configuration gives; unset the variable, or give it a value");
            } else {
                out.put(text, item);
            }
        });
        return out;
    }

    /** The bake must measure something: not every probe may be measured in the re-check only. */
    private void checkBaked(RecheckPlan recheck, List<BoundProbe> probes) {
        if (!probes.isEmpty() && probes.stream().noneMatch(p -> recheck.baked(p.name()))) {
            items.problem(prefix + "." + CoreKeys.PROBES + "." + probes.get(0).name() + ".recheck",
                    "every probe has recheck=only: the bake would measure nothing; add a probe of the deployed version");
        }
    }

    /** A watch must measure something, and each measurement must fit in a round of the watch. */
    private void checkWatch(WatchPlan watch, RecheckPlan recheck, List<BoundProbe> probes) {
        if (!watch.enabled() || probes.isEmpty()) {
            return;
        }
        String plan = prefix + "." + CoreKeys.PLAN;
        List<BoundProbe> watched = probes.stream()
                .filter(p -> recheck.baked(p.name()) && !watch.unwatched().contains(p.name())).toList();
        if (watched.isEmpty() && probes.stream().anyMatch(p -> recheck.baked(p.name()))) {
            items.problem(plan + ".watch", "every probe has watch=false or recheck=only: the watch would measure nothing;"
                    + " set watch=true on one, or leave " + plan + ".watch out");
        }
        for (BoundProbe p : watched) {
            watch.limitProblem(p.name(), p.limits()).ifPresent(problem -> items.problem(plan + ".watch-failure-window", problem));
            if (p.measurement().timeout().compareTo(watch.interval()) > 0) {
                items.problem(plan + ".watch-interval", Values.format(watch.interval()) + " is shorter than the timeout of probe "
                        + p.name() + " (" + Values.format(p.measurement().timeout()) + "): a round of the watch would"
                        + " overrun into the next; raise watch-interval, or set " + prefix + ".probes." + p.name() + ".watch=false");
            }
        }
    }

    /**
     * The problems as reported: values of secret keys (and of misspelt ones that look secret)
     * redacted, a webhook's URL shown without its path ({@link Secrets#shown}), every secret scrubbed from values and messages, the environment variable a value
     * came from named, duplicates dropped.
     */
    private List<ConfigProblem> finish() {
        List<String> secretValues = secrets.values();
        List<ConfigProblem> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Items.Pending p : items.problems()) {
            String value = null;
            String message = p.message();
            if (p.key() != null) {
                Item item = items.get(p.key());
                if (item != null) {
                    Placeholders.Resolved r = items.placeholders().resolved(p.key());
                    boolean misspeltSecret = p.message().startsWith("unknown key") && Keys.nearSecretName(p.key().text());
                    value = secrets.isSecret(p.key()) || misspeltSecret ? Keys.REDACTED
                            : secrets.shown(p.key(), r != null && !r.failed() ? r.value() : item.raw());
                    if (!p.displayKey().equals(item.envVar())) {
                        message += Items.origin(item) + resolvedFrom(item, r);
                    }
                }
            }
            ConfigProblem problem = new ConfigProblem(p.displayKey(), Secrets.scrub(value, secretValues),
                    Secrets.scrub(message, secretValues));
            if (seen.add(problem.toString())) {
                out.add(problem);
            }
        }
        return out;
    }

    /**
     * For a value written in the configuration whose placeholders the environment resolved, what
     * resolved them, by name only: {@code  (written in the configuration, with ${INTERVAL} resolved
     * from the environment variable INTERVAL)}; nothing for a value from the environment itself or
     * without such placeholders. Otherwise a value a variable gave ({@code soon}) would read as the
     * file's own, and the file would be searched for it in vain.
     */
    private String resolvedFrom(Item item, Placeholders.Resolved r) {
        if (item.envVar() != null || r == null || r.failed()) {
            return "";
        }
        List<String> from = new ArrayList<>();
        r.envRefs().stream().filter(env::containsKey).sorted().forEach(var -> from.add(written(item.raw(), var) ? "${" + var + "} resolved from the environment variable " + var
                        : "a placeholder resolved from the environment variable " + var));
        return from.isEmpty() ? "" : " (written in the configuration, with " + String.join(", ", from) + ")";
    }

    /** Whether a raw value writes the placeholder {@code ${var}} or {@code ${var:default}} itself. */
    private static boolean written(String raw, String var) {
        return raw != null && (raw.contains("${" + var + "}") || raw.contains("${" + var + ":"));
    }

    /** The effective configuration, canonical keys, secrets redacted, webhooks' URLs without their paths. */
    private Map<String, String> effective() {
        List<String> secretValues = secrets.values();
        Map<String, String> out = new LinkedHashMap<>();
        for (Item item : items.all()) {
            out.put(prefix + "." + item.key().text(), secrets.isSecret(item.key()) ? Keys.REDACTED
                    : Secrets.scrub(secrets.shown(item.key(), items.valueOf(item.key()).orElse(item.raw())), secretValues));
        }
        return out;
    }
}
