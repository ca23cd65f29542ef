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
 * is not the service's own answer. In a fleet, a redirect to another of its instances (a service
 * whose canonical base URL is one instance's port) is not followed either: that instance's answer
 * would be counted twice, and this one's not at all. Stateless.
 */
final class Redirects {

    private static final String OTHER_HOST = "another host";
    private static final String OTHER_PATH = "another path";
    private static final String OTHER_INSTANCE = "another instance of the fleet";

    private Redirects() {
    }

    /**
     * A redirect that was not followed: where it pointed, and what it left.
     *
     * @param location where it pointed: {@code scheme://host[:port]} for another host,
     *     {@code scheme://host[:port]/path} for another path ({@code ?****} when it had a query)
     * @param left {@code another host}, {@code another path} or {@code another instance of the fleet}
     */
    record NotFollowed(String location, String left) {

        /** Whether it left the URL's path on the same host, which setting the URL that answers itself avoids. */
        boolean otherPath() {
            return left.equals(OTHER_PATH);
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

    /**
     * Whether a redirect that {@link #notFollowed} lets through points at another instance of the
     * fleet: the identity ({@link Target#identity}) of one of {@code instances} other than
     * {@code requested}'s, the query aside.
     *
     * @param requested the URL the probe named
     * @param location where the redirect points, resolved against the request
     * @param instances the identities of the fleet's instances, without their queries; empty for one URL
     * @return {@code null} when it is followed
     */
    static NotFollowed toAnotherInstance(URI requested, URI location, java.util.Set<String> instances) {
        if (instances.isEmpty() || location.getHost() == null || location.getScheme() == null || requested.getHost() == null) {
            return null;
        }
        String there = withoutQuery(Target.identity(location));
        return instances.contains(there) && !there.equals(withoutQuery(Target.identity(requested)))
                ? new NotFollowed(shown(location), OTHER_INSTANCE) : null;
    }

    /** An identity without its query: an instance redirected to with a query added is still that instance. */
    static String withoutQuery(String identity) {
        int query = identity.indexOf('?');
        return query < 0 ? identity : identity.substring(0, query);
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
