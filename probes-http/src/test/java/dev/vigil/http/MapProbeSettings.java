package dev.vigil.http;

import dev.vigil.condition.ConditionSyntaxException;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ProbeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A small {@link ProbeSettings} over a map of relative keys, recording problems, for factory tests. */
final class MapProbeSettings implements ProbeSettings {

    private static final Set<String> SECRETS = Set.of("bearer-token", "password", "trust-store-password");

    private final String name;
    private final Map<String, String> values;
    final List<String> problems = new ArrayList<>();

    MapProbeSettings(String name, Map<String, String> values) {
        this.name = name;
        this.values = new LinkedHashMap<>(values);
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
        return Optional.ofNullable(values.get(key)).filter(v -> !v.isBlank());
    }

    @Override
    public Optional<String> requiredString(String key) {
        Optional<String> v = string(key);
        if (v.isEmpty()) {
            problem(key, "is required");
        }
        return v;
    }

    @Override
    public Optional<Integer> integer(String key) {
        return string(key).map(Integer::parseInt);
    }

    @Override
    public Optional<Double> number(String key) {
        return string(key).map(Double::parseDouble);
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return string(key).map(Boolean::parseBoolean);
    }

    @Override
    public Optional<Duration> duration(String key) {
        return string(key).map(v -> v.endsWith("ms") ? Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)))
                : v.endsWith("s") ? Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)))
                : Duration.ofMillis(Long.parseLong(v)));
    }

    @Override
    public Optional<Long> size(String key) {
        return string(key).map(v -> v.endsWith("MB") ? Long.parseLong(v.substring(0, v.length() - 2)) * 1024 * 1024
                : v.endsWith("KB") ? Long.parseLong(v.substring(0, v.length() - 2)) * 1024
                : Long.parseLong(v));
    }

    @Override
    public List<String> list(String key) {
        return string(key).map(v -> Arrays.stream(v.split(",")).map(String::strip).toList()).orElse(List.of());
    }

    @Override
    public Map<String, String> map(String key) {
        Map<String, String> sub = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k.startsWith(key + ".")) {
                sub.put(k.substring(key.length() + 1), v);
            }
        });
        return sub;
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
            pass = defaultPassWhen;
        }
        try {
            return Optional.of(Criteria.of(pass, fail, declared));
        } catch (ConditionSyntaxException | IllegalArgumentException e) {
            problem(pass == null ? "fail-when" : "pass-when", e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void problem(String key, String message) {
        String value = values.get(key);
        String shown = value == null ? "" : " (value " + (SECRETS.contains(key) ? "****" : "'" + value + "'") + ")";
        problems.add(fullKey(key) + shown + ": " + message);
    }
}
