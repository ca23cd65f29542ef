package dev.vigil.config;

import dev.vigil.Plot;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.List;
import java.util.Map;

/** A factory found through {@code META-INF/services}, as a probe module's would be. */
public final class ServiceLoadedFactory implements ProbeFactory {

    /** For {@link java.util.ServiceLoader}. */
    public ServiceLoadedFactory() {
    }

    @Override
    public String type() {
        return "constant";
    }

    @Override
    public List<ConfigKey> keys() {
        return List.of(ConfigKey.of("value", ConfigKey.Kind.NUMBER, "1", "The value measured."));
    }

    @Override
    public Probe create(ProbeSettings settings) {
        double value = settings.number("value").orElse(1.0);
        return settings.criteria(Map.of("value", ValueType.NUMBER), "value == 1")
                .map(c -> (Probe) new Constant(c, value))
                .orElseThrow(() -> InvalidSettingsException.reported(settings));
    }

    /** Measures the configured value every round; its timeline plots {@code value} against its condition. */
    private record Constant(Criteria criteria, double value) implements Probe {

        @Override
        public ProbeResult measure(ProbeContext context) {
            return criteria.judge(Map.of("value", value));
        }

        @Override
        public String passWhen() {
            return criteria.passWhen();
        }

        @Override
        public String failWhen() {
            return criteria.failWhen();
        }

        @Override
        public Plot plot() {
            return Plot.fromConditions(criteria.passWhen(), criteria.failWhen(), "value");
        }
    }
}
