package dev.vigil.testkit;

import dev.vigil.condition.ConditionSyntaxException;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ProbeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small {@link ProbeSettings} over a map of keys relative to the probe, recording problems as
 * {@code vigil.probes.<name>.<key>: <message>}: lets a probe module test its {@code ProbeFactory}
 * (and a canary judge its settings) without the configuration binder. Not thread-safe.
 */
public final class MapProbeSettings implements ProbeSettings {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final List<String> SECRET_WORDS =
            List.of("token", "password", "passwd", "secret", "authorization", "credential", "api-key", "apikey");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KB|MB|GB)?");

    private final String name;
    private final Map<String, String> values;
    private final List<String> problems = new ArrayList<>();

    /** Settings of probe {@code name} holding {@code values}; see {@link #of}. */
    public MapProbeSettings(String name, Map<String, String> values) {
        this.name = name;
        this.values = new LinkedHashMap<>(values);
    }

    /** Settings of probe {@code name} holding {@code values}. */
    public static MapProbeSettings of(String name, Map<String, String> values) {
        return new MapProbeSettings(name, values);
    }

    /** A copy with one more value. */
    public MapProbeSettings with(String key, String value) {
        Map<String, String> more = new LinkedHashMap<>(values);
        more.put(key, value);
        return new MapProbeSettings(name, more);
    }

    /** The problems recorded so far, each {@code full-key: message}. */
    public List<String> problems() {
        return problems;
    }

    @Override
    public String probeName() {
        return name;
    }

    @Override
    public String fullKey(String key) {
        return "vigil.probes." + name + "." + key;
    }

    @Override
    public Optional<String> string(String key) {
        String value = values.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    @Override
    public Optional<String> requiredString(String key) {
        Optional<String> value = string(key);
        if (value.isEmpty()) {
            problem(key, "is required");
        }
        return value;
    }

    /** By name only, as the binder does for keys not declared secret: the last part holds token, password, secret... */
    @Override
    public boolean secret(String key) {
        String name = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return SECRET_WORDS.stream().anyMatch(name::contains);
    }

    /** A whole number, trimmed; anything else is a problem of the key, as the binder records it. */
    @Override
    public Optional<Integer> integer(String key) {
        return parsed(key, text -> Optional.of(Integer.parseInt(text)), "must be a whole number");
    }

    /** A finite decimal number, trimmed; anything else (NaN too) is a problem of the key, as the binder records it. */
    @Override
    public Optional<Double> number(String key) {
        return parsed(key, text -> Optional.of(Double.parseDouble(text)).filter(Double::isFinite), "must be a number");
    }

    /**
     * {@code true}, {@code false} and the aliases the binder takes ({@code yes}/{@code no},
     * {@code on}/{@code off}, {@code 1}/{@code 0}); anything else is a problem of the key, not {@code false}.
     */
    @Override
    public Optional<Boolean> bool(String key) {
        return parsed(key, text -> {
            String word = text.toLowerCase(Locale.ROOT);
            return TRUE_WORDS.contains(word) ? Optional.of(true) : FALSE_WORDS.contains(word) ? Optional.of(false) : Optional.empty();
        }, "must be true or false");
    }

    private static final List<String> TRUE_WORDS = List.of("true", "yes", "on", "1");
    private static final List<String> FALSE_WORDS = List.of("false", "no", "off", "0");

    /** The value trimmed and parsed; one that does not parse is recorded as {@code message} and read as none. */
    private <T> Optional<T> parsed(String key, java.util.function.Function<String, Optional<T>> parser, String message) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Optional<T> value;
        try {
            value = parser.apply(text.get().trim());
        } catch (NumberFormatException e) {
            value = Optional.empty();
        }
        if (value.isEmpty()) {
            problem(key, message);
        }
        return value;
    }

    @Override
    public Optional<Duration> duration(String key) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = DURATION.matcher(text.get().trim());
        if (!m.matches()) {
            problem(key, "must be a duration: '" + text.get() + "'");
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return Optional.of(switch (unit) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofMillis(n);
        });
    }

    @Override
    public Optional<Long> size(String key) {
        Optional<String> text = string(key);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SIZE.matcher(text.get().trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            problem(key, "must be a size: '" + text.get() + "'");
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        return Optional.of(switch (unit) {
            case "KB" -> n * 1024;
            case "MB" -> n * 1024 * 1024;
            case "GB" -> n * 1024 * 1024 * 1024;
            default -> n;
        });
    }

    @Override
    public List<String> list(String key) {
        return string(key).map(s -> List.of(s.split(","))).orElse(List.of());
    }

    /** The elements trimmed; an empty one is a problem of the key, recorded once, as the binder records it. */
    @Override
    public List<String> list(String key, String emptyElement) {
        String value = string(key).orElse("");
        List<String> elements = new ArrayList<>();
        boolean empty = false;
        for (String element : value.isBlank() ? new String[0] : value.split(",", -1)) {
            empty |= element.isBlank();
            if (!element.isBlank()) {
                elements.add(element.strip());
            }
        }
        if (empty) {
            problem(key, emptyElement);
        }
        return List.copyOf(elements);
    }

    @Override
    public Map<String, String> map(String key) {
        Map<String, String> result = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(key + ".")) {
                result.put(k.substring(key.length() + 1), v);
            }
        });
        return result;
    }

    @Override
    public Duration timeout() {
        return duration("timeout").orElse(Duration.ofSeconds(10));
    }

    @Override
    public Optional<Criteria> criteria(Map<String, ValueType> declared, String defaultPassWhen) {
        String pass = values.get("pass-when");
        String fail = values.get("fail-when");
        if (pass == null && fail == null) {
            if (defaultPassWhen == null) {
                problem("pass-when", "or fail-when is required");
                return Optional.empty();
            }
            pass = defaultPassWhen;
        }
        try {
            return Optional.of(Criteria.of(pass, fail, declared));
        } catch (ConditionSyntaxException | IllegalArgumentException e) {
            problem(e.getMessage().startsWith("fail-when") ? "fail-when" : "pass-when", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void problem(String key, String message) {
        problems.add(fullKey(key) + ": " + message);
    }
}
