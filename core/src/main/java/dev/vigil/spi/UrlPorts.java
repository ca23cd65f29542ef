package dev.vigil.spi;

import java.net.URI;

/**
 * The port of a URL a module connects to: {@link URI} reads any number of digits after the host's
 * colon as its port ({@code https://prom:99999}), and the HTTP client refuses it only when it
 * connects, in every round. Modules check it when the URL is configured, naming the key.
 *
 * <p>Stateless and thread-safe.
 */
public final class UrlPorts {

    /** The largest TCP port. */
    public static final int MAX_PORT = 65535;

    private UrlPorts() {
    }

    /**
     * What is wrong with the URL's port, or {@code null} when it has none (the scheme's default) or
     * a usable one: {@code port 99999 is out of range (1 to 65535)}. Port 0 is refused too: nothing
     * can be connected to on it.
     *
     * @param uri the URL, parsed
     * @return the problem, without the URL (the caller names it, masked as it shows URLs), or {@code null}
     */
    public static String problem(URI uri) {
        int port = uri.getPort();
        return port == 0 || port > MAX_PORT ? "port " + port + " is out of range (1 to " + MAX_PORT + ")" : null;
    }
}
