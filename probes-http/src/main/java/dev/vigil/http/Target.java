package dev.vigil.http;

import dev.vigil.spi.UrlCredentials;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * One instance to measure.
 *
 * @param uri where to send the request
 * @param name how reports name it: the instance from {@code instances}, or the URL with its credentials redacted
 */
record Target(URI uri, String name) {

    /**
     * User info: {@code user:password@}, the password running to the {@code @} after which the host
     * has no {@code @} of its own (it may hold {@code /}, {@code ?}, {@code #}, {@code @}; a port
     * is none), or anything up to the authority's last {@code @}.
     */
    private static final Pattern USER_INFO = Pattern.compile(
            "(?i)(\\b[a-z][a-z0-9+.-]*://)(?:[^/?#\\s@:\\[]*:(?!\\d+(?:[/?#]|$))\\S+?|[^/?#]*)@(?![^\\s/?#]*@)");

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

    /**
     * The URL with its credentials redacted: any user info ({@code user:password@}, up to the
     * authority's last {@code @}) and the value of every parameter that carries a credential as
     * {@link UrlCredentials} counts them ({@code ?token=}, {@code &password=}, {@code ;api_key=},
     * {@code &sig=}, {@code &X-Amz-Signature=}, {@code ?key=}, {@code ;jsessionid=}, {@code ?code=},
     * {@code #access_token=}). Wherever the URL stands in the text: a URL given with spaces around it
     * is shown as given.
     */
    static String display(String url) {
        String out = USER_INFO.matcher(url).replaceAll("$1" + Secret.REDACTED + "@");
        return UrlCredentials.maskParameters(out, Secret.REDACTED);
    }

    static Target of(String url) {
        return new Target(parseUrl(url), display(url.strip()));
    }
}
