package dev.vigil.http.internal;

import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.List;

/** What {@code type=http} and {@code type=actuator} share: their keys, their limits, their reading. */
abstract class HttpFamilyFactory implements ProbeFactory {

    private final boolean actuator;

    HttpFamilyFactory(boolean actuator) {
        this.actuator = actuator;
    }

    @Override
    public final List<ConfigKey> keys() {
        return HttpSettings.ALL_KEYS;
    }

    @Override
    public final ProbeLimits defaultLimits(ProbeSettings settings) {
        return HttpSettings.defaultLimits(settings);
    }

    /**
     * A canary fleet ({@code baseline-urls}) is left out of the re-check after a rollback unless
     * {@code recheck=true}: its canary instances are gone then.
     */
    @Override
    public final boolean defaultRecheck(ProbeSettings settings) {
        return settings.list("baseline-urls").isEmpty();
    }

    @Override
    public final Probe create(ProbeSettings settings) {
        Probe made = HttpSettings.create(settings, actuator);
        if (made == null) {
            throw InvalidSettingsException.reported(settings);
        }
        return made;
    }
}
