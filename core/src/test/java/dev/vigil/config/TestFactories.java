package dev.vigil.config;

import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for the http and prometheus factories (their modules are not on core's classpath):
 * they declare the same kind of keys and hand back a probe that remembers what it was given.
 */
final class TestFactories {

    static final ProbeFactory HTTP = new Fake("http",
            List.of(ConfigKey.of("url", Kind.STRING, null, "The URL."),
                    ConfigKey.of("method", Kind.STRING, "GET", "The method."),
                    ConfigKey.of("follow-redirects", Kind.BOOLEAN, "false", "Follow redirects."),
                    ConfigKey.of("max-body", Kind.SIZE, "1MB", "Most body read."),
                    ConfigKey.of("headers", Kind.MAP, null, "Request headers."),
                    ConfigKey.of("instances", Kind.LIST, null, "Fleet of instances."),
                    ConfigKey.secret("bearer-token", Kind.STRING, "A bearer token.")),
            Map.of("status", ValueType.NUMBER, "latency", ValueType.DURATION, "body", ValueType.ANY),
            List.of("url"), null);

    static final ProbeFactory PROMETHEUS = new Fake("prometheus",
            List.of(ConfigKey.of("base-url", Kind.STRING, null, "Prometheus."),
                    ConfigKey.of("query", Kind.STRING, null, "PromQL."),
                    ConfigKey.of("on-no-data", Kind.STRING, "inconclusive", "No data."),
                    ConfigKey.of("step", Kind.DURATION, "1m", "Step."),
                    ConfigKey.secret("bearer-token", Kind.STRING, "A bearer token.")),
            Map.of("value", ValueType.NUMBER),
            List.of("base-url", "query"), null);

    private TestFactories() {
    }

    /** What a fake probe was configured with. */
    static final class FakeProbe implements Probe {
        final String type;
        final Map<String, Object> settings;
        final Criteria criteria;

        FakeProbe(String type, Map<String, Object> settings, Criteria criteria) {
            this.type = type;
            this.settings = settings;
            this.criteria = criteria;
        }

        @Override
        public ProbeResult measure(ProbeContext context) {
            return ProbeResult.error("fake probe does not measure");
        }

        @Override
        public String description() {
            return type + " " + settings.getOrDefault("url", settings.get("query"));
        }

        @Override
        public String passWhen() {
            return criteria.passWhen();
        }

        @Override
        public String failWhen() {
            return criteria.failWhen();
        }
    }

    private static final class Fake implements ProbeFactory {
        private final String type;
        private final List<ConfigKey> keys;
        private final Map<String, ValueType> names;
        private final List<String> required;
        private final String defaultPassWhen;

        Fake(String type, List<ConfigKey> keys, Map<String, ValueType> names, List<String> required, String defaultPassWhen) {
            this.type = type;
            this.keys = keys;
            this.names = names;
            this.required = required;
            this.defaultPassWhen = defaultPassWhen;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public List<ConfigKey> keys() {
            return keys;
        }

        @Override
        public Probe create(ProbeSettings settings) {
            Map<String, Object> values = new LinkedHashMap<>();
            boolean ok = true;
            for (String key : required) {
                ok &= settings.requiredString(key).map(v -> values.put(key, v)).isPresent() || values.containsKey(key);
            }
            for (ConfigKey key : keys) {
                if (required.contains(key.name())) {
                    continue;
                }
                switch (key.kind()) {
                    case BOOLEAN:
                        settings.bool(key.name()).ifPresent(v -> values.put(key.name(), v));
                        break;
                    case SIZE:
                        settings.size(key.name()).ifPresent(v -> values.put(key.name(), v));
                        break;
                    case DURATION:
                        settings.duration(key.name()).ifPresent(v -> values.put(key.name(), v));
                        break;
                    case MAP:
                        values.put(key.name(), settings.map(key.name()));
                        break;
                    case LIST:
                        values.put(key.name(), settings.list(key.name()));
                        break;
                    default:
                        settings.string(key.name()).ifPresent(v -> values.put(key.name(), v));
                }
            }
            values.put("timeout", settings.timeout());
            var criteria = settings.criteria(names, defaultPassWhen);
            return ok && criteria.isPresent() ? new FakeProbe(type, values, criteria.get()) : null;
        }
    }
}
