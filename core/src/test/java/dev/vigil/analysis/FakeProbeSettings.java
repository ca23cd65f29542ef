package dev.vigil.analysis;

import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ProbeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Probe settings from a map, recording problems the way the binder does. */
final class FakeProbeSettings implements ProbeSettings {

    final Map<String, String> values = new HashMap<>();
    final List<String> problems = new ArrayList<>();

    FakeProbeSettings with(String key, String value) {
        values.put(key, value);
        return this;
    }

    @Override
    public String probeName() {
        return "latency";
    }

    @Override
    public String fullKey(String key) {
        return "vigil.probes.latency." + key;
    }

    @Override
    public Optional<String> string(String key) {
        return Optional.ofNullable(values.get(key));
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
        return string(key).map(Integer::valueOf);
    }

    @Override
    public Optional<Double> number(String key) {
        return string(key).map(Double::valueOf);
    }

    @Override
    public Optional<Boolean> bool(String key) {
        return string(key).map(Boolean::valueOf);
    }

    @Override
    public Optional<Duration> duration(String key) {
        return Optional.empty();
    }

    @Override
    public Optional<Long> size(String key) {
        return Optional.empty();
    }

    @Override
    public List<String> list(String key) {
        return List.of();
    }

    @Override
    public Map<String, String> map(String key) {
        return Map.of();
    }

    @Override
    public Duration timeout() {
        return Duration.ofSeconds(10);
    }

    @Override
    public Optional<Criteria> criteria(Map<String, ValueType> declared, String defaultPassWhen) {
        return Optional.empty();
    }

    @Override
    public void problem(String key, String message) {
        problems.add(fullKey(key) + ": " + message);
    }
}
