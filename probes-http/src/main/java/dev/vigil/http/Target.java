package dev.vigil.http;

import java.net.URI;

/**
 * One instance to measure.
 *
 * @param uri where to send the request
 * @param name how reports name it: the instance from {@code instances}, or the URL without user info
 */
record Target(URI uri, String name) {

    /** Parses and checks a URL: http or https with a host. */
    static URI parseUrl(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("'" + display(url) + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("'" + display(url) + "' must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("'" + display(url) + "' has no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + display(url) + "' holds credentials: set username and password "
                    + "(or bearer-token) instead, so that they stay secret");
        }
        return uri;
    }

    /** The URL with any user info ({@code user:password@}, up to the authority's last {@code @}) redacted. */
    static String display(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#]*@", "$1" + Secret.REDACTED + "@");
    }

    static Target of(String url) {
        return new Target(parseUrl(url), display(url.strip()));
    }
}
