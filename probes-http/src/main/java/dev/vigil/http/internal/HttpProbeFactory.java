package dev.vigil.http.internal;

import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.Probe;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.List;

/**
 * {@code type=http}: an HTTP request to a URL or a fleet of instances, judged by
 * {@code pass-when} / {@code fail-when} (default {@code status >= 200 && status < 400}). Found by
 * {@link java.util.ServiceLoader}; stateless and thread-safe. Public only for the service loader.
 */
public final class HttpProbeFactory implements ProbeFactory {

    /** For {@link java.util.ServiceLoader}. */
    public HttpProbeFactory() {
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public String description() {
        return "an HTTP request to a URL or a fleet of instances, judged on status, latency, headers and body";
    }

    @Override
    public List<ConfigKey> keys() {
        return HttpSettings.KEYS;
    }

    @Override
    public Probe create(ProbeSettings settings) {
        return HttpSettings.create(settings, false);
    }
}
