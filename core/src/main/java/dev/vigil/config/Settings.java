package dev.vigil.config;

import dev.vigil.VigilException;
import dev.vigil.condition.ConditionSyntaxException;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeSettings;
import dev.vigil.spi.RollbackSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The values of one section, one probe or one rollback trigger, read by relative key; malformed
 * values become problems naming the full key. Used by one thread during binding.
 */
final class Settings implements ProbeSettings, RollbackSettings {

    private final Items items;
    private final Secrets secrets;
    private final String section;
    private final String group;
    private final Map<String, ConfigKey> keys;
    private Duration timeout = dev.vigil.MeasurementPolicy.DEFAULT_TIMEOUT;
    private dev.vigil.VerificationPlan plan;
    private boolean criteriaRead;

    /**
     * @param group the probe's or trigger's name, or {@code null} for a section's own keys
     * @param keys the keys the group's factory declares, for the description of a missing one
     */
    Settings(Items items, Secrets secrets, String section, String group, Map<String, ConfigKey> keys) {
        this.items = items;
        this.secrets = secrets;
        this.section = section;
        this.group = group;
        this.keys = keys == null ? Map.of() : keys;
    }

    /** Whether the key is given but a placeholder in it has no value: reported already, with the key. */
    boolean unresolved(String rel) {
        return items.unresolved(key(rel));
    }

    private Key key(String rel) {
        return Key.relative(section, group, Objects.requireNonNull(rel, "key"));
    }

    /** A given key as a message names it: as written, and the environment variable it came from. */
    String named(String rel) {
        return items.named(key(rel));
    }

    @Override
    public String probeName() {
        return group;
    }

    @Override
    public String fullKey(String rel) {
        return items.prefix() + "." + key(rel).text();
    }

    /** Blanks out the configuration's secrets, as known now, from any text. */
    @Override
    public java.util.function.UnaryOperator<String> redactor() {
        List<String> values = secrets.values();
        return text -> Secrets.scrub(text, values);
    }

    @Override
    public boolean secret(String rel) {
        return secrets.isSecret(key(rel));
    }

    @Override
    public Optional<String> string(String rel) {
        return items.valueOf(key(rel)).filter(v -> !v.isBlank());
    }

    @Override
    public Optional<String> requiredString(String rel) {
        Optional<String> value = string(rel);
        if (value.isEmpty() && !items.unresolved(key(rel))) {
            ConfigKey declared = keys.get(key(rel).name());
            String what = declared == null || declared.description().isEmpty() ? "" : " (" + declared.description() + ")";
            String needer = section.equals(CoreKeys.ROLLBACK) ? "the " + group + " rollback trigger" : "a probe of this type";
            problem(rel, "missing; " + needer + " needs it" + what);
        }
        return value;
    }

    @Override
    public Optional<Integer> integer(String rel) {
        // A whole number too large to count ("max-failures=99999999999") is named as such, not as "not a whole number".
        boolean digits = string(rel).map(t -> t.trim().matches("[+-]?\\d+")).orElse(false);
        return typed(rel, Values::integer, digits ? "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE
                : "must be a whole number");
    }

    @Override
    public Optional<Double> number(String rel) {
        return typed(rel, Values::number, "must be a number");
    }

    @Override
    public Optional<Boolean> bool(String rel) {
        return typed(rel, Values::bool, "must be true or false");
    }

    /**
     * A duration; for a key other than the millisecond-scale ones ({@link #MILLISECOND_KEYS}), a
     * bare number from 1 to 999 is a problem, as for {@link #coarseDuration}: a probe type's
     * {@code connect-timeout=5} is 5 seconds meant, and 5 ms fails almost any connection.
     */
    @Override
    public Optional<Duration> duration(String rel) {
        if (MILLISECOND_KEYS.contains(rel)) {
            return exactDuration(rel);
        }
        return coarseDuration(rel, "s", "is almost surely a unit left out");
    }

    /** Duration keys whose values are commonly a few hundred milliseconds: a bare number there is meant as written. */
    static final java.util.Set<String> MILLISECOND_KEYS = java.util.Set.of("retry-backoff", "backoff", "slower-than");

    private Optional<Duration> exactDuration(String rel) {
        Optional<Duration> value = typed(rel, Values::duration, "not a duration; " + Values.DURATION_FORMS);
        // The engine, the reports and the probes count time in milliseconds: beyond that a Duration overflows them.
        if (value.isPresent() && value.get().compareTo(Values.LONGEST_DURATION) > 0) {
            problem(rel, "is longer than a count of milliseconds holds (at most " + Values.LONGEST_DURATION.toDays() + "d)");
            return Optional.empty();
        }
        return value;
    }

    /**
     * A duration whose key is meant in seconds or longer (a bake, an interval, a timeout, a
     * retention): as {@link #duration}, but a bare number from 1 to 999 is a problem. A bare number
     * is milliseconds, as Spring Boot reads it, so {@code duration=5} is a 5 ms bake: almost always
     * 5 minutes meant, and run as written it is a verdict on one instant. Zero, a bare number of
     * 1000 or more (a count of milliseconds) and any value with a unit ({@code 5ms} too) are read
     * as usual.
     *
     * @param unit the unit the key is usually given in ({@code m} for a bake), for the way out
     * @param misread what the value does when run as read, with {@code %s} for the duration
     */
    Optional<Duration> coarseDuration(String rel, String unit, String misread) {
        Optional<String> bare = smallBareNumber(rel, 1000);
        if (bare.isPresent()) {
            String n = bare.get();
            problem(rel, n + " (read as " + n + "ms: a bare number is milliseconds) " + String.format(Locale.ROOT, misread, n + "ms")
                    + "; write the unit: " + n + unit + " (or " + n + "ms if milliseconds are really meant)");
            return Optional.empty();
        }
        return exactDuration(rel);
    }

    /**
     * The key's value when it is a bare number from 1 to {@code below - 1} (a sign and leading zeros
     * allowed), written without them; empty otherwise.
     */
    private Optional<String> smallBareNumber(String rel, int below) {
        return string(rel).map(String::trim).filter(t -> t.matches("\\+?0*[1-9]\\d{0,3}"))
                .map(t -> t.replaceFirst("^\\+?0*", "")).filter(n -> Integer.parseInt(n) < below);
    }

    /**
     * A size; a bare number from 1 to 1023 is a problem. A bare number is bytes, as Spring Boot
     * reads it, and every size Vigil reads is a limit on what a probe receives: {@code max-body-size=1}
     * (1MB meant) refuses every answer as too large, an ERROR each round, and rolls a healthy
     * service back. Zero, 1024 or more and any value with a unit ({@code 64B} too) are read as usual.
     */
    @Override
    public Optional<Long> size(String rel) {
        Optional<String> bare = smallBareNumber(rel, 1024);
        if (bare.isPresent()) {
            String n = bare.get();
            problem(rel, n + " (read as " + n + (n.equals("1") ? " byte" : " bytes") + ": a bare number is bytes) would cut off or"
                    + " refuse almost any answer; write the unit: " + n + "KB or " + n + "MB (or " + n + "B if bytes are really meant)");
            return Optional.empty();
        }
        return typed(rel, Values::size, "not a size; " + Values.SIZE_FORMS);
    }

    private <T> Optional<T> typed(String rel, Function<String, Optional<T>> parser, String message) {
        Optional<String> text = string(rel);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<T> value = parser.apply(text.get());
        if (value.isEmpty()) {
            problem(rel, message);
        }
        return value;
    }

    @Override
    public List<String> list(String rel) {
        return elements(rel, null);
    }

    @Override
    public List<String> list(String rel, String emptyElement) {
        return elements(rel, Objects.requireNonNull(emptyElement, "emptyElement"));
    }

    /**
     * A list of issue ids ({@code vigil.deployment.fixes}, a probe's {@code confirms}) read as
     * {@link #list(String, String)} reads it: an empty id ({@code INC-1,${FIX:}} with the variable
     * unset) is a problem of its key, not an issue, and a fix's confirmation with it, lost without
     * a word.
     *
     * @param none what leaving the key out means, ending the problem's message ({@code the deployment
     *     fixes nothing})
     */
    List<String> issueIds(String rel, String none) {
        return list(rel, "an empty issue id in the list; give ids such as INC-1,INC-2, or leave the key out (or empty)"
                + " when " + Objects.requireNonNull(none, "none"));
    }

    /** The elements of a list; an empty one is a problem with {@code emptyMessage}, or dropped when it is {@code null}. */
    private List<String> elements(String rel, String emptyMessage) {
        Key base = key(rel).base();
        List<Item> indexed = new ArrayList<>(items.below(base).stream().filter(i -> i.key().index() != null).toList());
        List<String> out = new ArrayList<>();
        if (!indexed.isEmpty()) {
            indexed.sort(Comparator.comparingInt(i -> i.key().index()));
            for (Item item : indexed) {
                Optional<String> value = items.valueOf(item.key()).map(String::trim);
                if (value.isPresent() && !value.get().isEmpty()) {
                    out.add(value.get());
                } else if (emptyMessage != null) {
                    items.problem(item.key(), emptyMessage);
                }
            }
            return List.copyOf(out);
        }
        String value = items.valueOf(base).filter(v -> !v.isBlank()).orElse(null);
        if (value == null) {
            return List.of();
        }
        boolean empty = false;
        for (String element : value.split(",", -1)) {
            if (!element.isBlank()) {
                out.add(element.trim());
            } else {
                empty = true;
            }
        }
        if (empty && emptyMessage != null) {
            items.problem(base, emptyMessage);
        }
        return List.copyOf(out);
    }

    @Override
    public Map<String, String> map(String rel) {
        Key base = key(rel).base();
        Map<String, String> out = new LinkedHashMap<>();
        for (Item item : items.below(base)) {
            if (item.key().sub() != null) {
                items.valueOf(item.key()).ifPresent(v -> out.put(item.key().sub(), v));
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    void timeout(Duration value) {
        this.timeout = value;
    }

    @Override
    public Optional<dev.vigil.VerificationPlan> plan() {
        return Optional.ofNullable(plan);
    }

    @Override
    public String planKey(String key) {
        return items.prefix() + "." + CoreKeys.PLAN + "." + key;
    }

    void plan(dev.vigil.VerificationPlan value) {
        this.plan = value;
    }

    boolean criteriaRead() {
        return criteriaRead;
    }

    @Override
    public Optional<Criteria> criteria(Map<String, ValueType> declared, String defaultPassWhen) {
        criteriaRead = true;
        Optional<String> pass = string("pass-when");
        Optional<String> fail = string("fail-when");
        if (pass.isEmpty() && fail.isEmpty()) {
            if (items.unresolved(key("pass-when")) || items.unresolved(key("fail-when"))) {
                return Optional.empty();
            }
            if (defaultPassWhen == null) {
                problem("pass-when", "missing: a probe needs pass-when or fail-when (this type has no default)");
                return Optional.empty();
            }
            pass = Optional.of(defaultPassWhen);
        }
        // Each condition alone first, so that a mistake in both is reported for both.
        boolean ok = pass.map(p -> parses("pass-when", p, null, declared)).orElse(true)
                & fail.map(f -> parses("fail-when", null, f, declared)).orElse(true);
        if (ok && parses(pass.isPresent() ? "pass-when" : "fail-when", pass.orElse(null), fail.orElse(null), declared)) {
            return Optional.of(Criteria.of(pass.orElse(null), fail.orElse(null), declared));
        }
        return Optional.empty();
    }

    private boolean parses(String rel, String pass, String fail, Map<String, ValueType> declared) {
        try {
            Criteria.of(pass, fail, declared);
            return true;
        } catch (ConditionSyntaxException e) {
            String message = e.getMessage() == null ? "cannot be parsed" : e.getMessage();
            if (message.startsWith(rel + ": ")) {
                message = message.substring(rel.length() + 2);
            }
            problem(rel, message);
        } catch (RuntimeException e) {
            // Named by its class: a probe type's fault (a null among its declared names) may have no message.
            problem(rel, "cannot be used: " + VigilException.describe(e));
        }
        return false;
    }

    /** Whether {@code value} is at least {@code min}; if not, that is a problem of the key. */
    boolean atLeast(String rel, int value, int min) {
        if (value < min) {
            problem(rel, "must be at least " + min);
            return false;
        }
        return true;
    }

    /** Whether the duration is longer than zero; if not, that is a problem of the key. */
    boolean positive(String rel, Duration d) {
        if (d.isNegative() || d.isZero()) {
            problem(rel, "must be longer than zero");
            return false;
        }
        return true;
    }

    /** Whether the duration is zero or longer; if not, that is a problem of the key. */
    boolean atLeastZero(String rel, Duration d) {
        if (d.isNegative()) {
            problem(rel, "must not be negative");
            return false;
        }
        return true;
    }

    /** The constant of {@code type} a value names, case and {@code -} for {@code _} aside; {@code null} and a problem when none. */
    <E extends Enum<E>> E enumValue(String rel, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.trim().replace('-', '_'))) {
                return e;
            }
        }
        problem(rel, "must be one of " + String.join(", ",
                Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()));
        return null;
    }

    @Override
    public void problem(String rel, String message) {
        items.problem(key(rel), Objects.requireNonNull(message, "message"));
    }

    @Override
    public String toString() {
        return "Settings[" + items.prefix() + "." + section + (group == null ? "" : "." + group) + "]";
    }
}
