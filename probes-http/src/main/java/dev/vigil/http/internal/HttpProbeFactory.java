package dev.vigil.http.internal;

/**
 * {@code type=http}: an HTTP request to a URL or a fleet of instances, judged by
 * {@code pass-when} / {@code fail-when} (default {@code status >= 200 && status < 400}). Found by
 * {@link java.util.ServiceLoader}; stateless and thread-safe. Public only for the service loader.
 */
public final class HttpProbeFactory extends HttpFamilyFactory {

    /** For {@link java.util.ServiceLoader}. */
    public HttpProbeFactory() {
        super(false);
    }

    @Override
    public String type() {
        return "http";
    }

    @Override
    public String description() {
        return "an HTTP request to a URL or a fleet of instances, judged on status, latency, headers and body";
    }
}
