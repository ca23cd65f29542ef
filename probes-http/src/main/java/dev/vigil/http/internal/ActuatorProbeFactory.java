package dev.vigil.http.internal;

import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.Probe;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.List;

/**
 * {@code type=actuator}: a Spring Boot actuator health endpoint ({@code /actuator/health} when the
 * URL has no path); passes on {@code UP}, fails on {@code DOWN} / {@code OUT_OF_SERVICE} naming
 * the failing components, inconclusive on {@code UNKNOWN}. Found by {@link java.util.ServiceLoader};
 * stateless and thread-safe. Public only for the service loader.
 */
public final class ActuatorProbeFactory implements ProbeFactory {

    /** For {@link java.util.ServiceLoader}. */
    public ActuatorProbeFactory() {
    }

    @Override
    public String type() {
        return "actuator";
    }

    @Override
    public String description() {
        return "a Spring Boot actuator health endpoint: UP passes, DOWN and OUT_OF_SERVICE fail naming the components";
    }

    @Override
    public List<ConfigKey> keys() {
        return HttpSettings.KEYS;
    }

    @Override
    public Probe create(ProbeSettings settings) {
        return HttpSettings.create(settings, true);
    }
}
