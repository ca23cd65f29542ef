package dev.vigil.config;

import dev.vigil.Probe;
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
                .map(c -> (Probe) context -> c.judge(Map.of("value", value)))
                .orElseThrow(() -> InvalidSettingsException.reported(settings));
    }
}
