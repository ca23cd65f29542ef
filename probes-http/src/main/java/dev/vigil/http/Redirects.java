package dev.vigil.http;

import dev.vigil.spi.UrlCredentials;
import java.net.URI;
import java.util.List;

/**
 * Which redirects an HTTP probe follows, and how they are shown. A redirect is followed when what
 * answers after it is still the URL the probe names: the same host name and the same path, give or
 * take a trailing slash, whatever the scheme, port or query ({@code http://checkout/health} to
 * {@code https://checkout/health/}). Any other redirect is itself the answer and is not followed:
 * to another host (a single sign-on page elsewhere), or to another path on the same host (Spring
 * Security's {@code /login}, oauth2-proxy's {@code /oauth2/sign_in}), where the page that answers
 * is not the service's own answer. Stateless.
 */
final class Redirects {

    private static final String OTHER_HOST = "another host";
    private static final String OTHER_PATH = "another path";

    private Redirects() {
    }

    /**
     * A redirect that was not followed: where it pointed, and what it left.
     *
     * @param location where it pointed: {@code scheme://host[:port]} for another host,
     *     {@code scheme://host[:port]/path} for another path ({@code ?****} when it had a query)
     * @param left {@code another host} or {@code another path}
     */
    record NotFollowed(String location, String left) {

        boolean otherHost() {
            return left.equals(OTHER_HOST);
        }
    }

    /**
     * Whether a redirect from a request for {@code requested} to {@code location} is one the probe
     * does not follow, and why.
     *
     * @param requested the URL the probe named (not the hop before, so that a chain cannot walk away)
     * @param location where the redirect points, resolved against the request
     * @return {@code null} when it is followed
     */
    static NotFollowed notFollowed(URI requested, URI location) {
        if (requested.getHost() == null || location.getHost() == null && location.getRawAuthority() == null) {
            // Nothing to compare: the client fails the exchange on such a Location, as it would anyway.
            return null;
        }
        if (location.getHost() == null) {
            // A host name java.net.URI does not read (sso_login.corp: an underscore) but the client does,
            // and would follow: not the URL's host, which URI reads.
            return new NotFollowed(origin(location), OTHER_HOST);
        }
        if (!location.getHost().equalsIgnoreCase(requested.getHost())) {
            return new NotFollowed(origin(location), OTHER_HOST);
        }
        if (!withoutTrailingSlash(location.getRawPath()).equals(withoutTrailingSlash(requested.getRawPath()))) {
            return new NotFollowed(shown(location), OTHER_PATH);
        }
        return null;
    }

    /** {@code scheme://host[:port]}: no user information, path or query. */
    static String origin(URI uri) {
        if (uri.getHost() == null) {
            String authority = uri.getRawAuthority() == null ? "" : uri.getRawAuthority();
            return uri.getScheme() + "://" + authority.substring(authority.lastIndexOf('@') + 1);
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    }

    /**
     * {@code scheme://host[:port]/path}, its path's credential parameters masked as every shown URL's
     * are ({@link UrlCredentials#mask}: {@code /cart;jsessionid=****}), then {@code ?****} when the URL
     * has a query or a fragment: a one-time ticket or a state may be in them.
     */
    static String shown(URI uri) {
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        boolean more = uri.getRawQuery() != null || uri.getRawFragment() != null;
        return UrlCredentials.mask(origin(uri) + path, Secret.REDACTED) + (more ? "?" + Secret.REDACTED : "");
    }

    /** The redirects followed, as a chain from the URL requested to the one that answered: {@code a -> b -> c}. */
    static String chain(List<String> hops) {
        return String.join(" -> ", hops);
    }

    private static String withoutTrailingSlash(String path) {
        String p = path == null ? "" : path;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
