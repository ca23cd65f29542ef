package dev.vigil.http;

import dev.vigil.Durations;
import dev.vigil.spi.UrlCredentials;
import dev.vigil.spi.UrlPorts;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * One instance to measure.
 *
 * @param uri where to send the request
 * @param name how reports name it: the instance from {@code instances}, or the URL with its credentials redacted
 */
record Target(URI uri, String name) {

    /** {@code host:port}, the port the scheme's default when the URL gives none. */
    String hostAndPort() {
        return uri.getHost() + ":" + port();
    }

    private int port() {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /**
     * Whether a request could be sent, without sending one: the host resolves and its port accepts
     * a TCP connection within {@code timeout}.
     *
     * @return {@code null} when it does, else why not, naming the host and port
     */
    String connect(Duration timeout) {
        String host = uri.getHost();
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return "unknown host " + host + " (DNS)";
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port()), (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return null;
        } catch (SocketTimeoutException e) {
            return hostAndPort() + " did not accept a connection within " + Durations.format(timeout);
        } catch (ConnectException e) {
            return hostAndPort() + " refused the connection (nothing listens there, or a firewall rejects it)";
        } catch (IOException e) {
            // No route to the host, the network unreachable: the socket's words, which name no more than the address.
            return hostAndPort() + " cannot be reached" + (e.getMessage() == null || e.getMessage().isBlank() ? "" : ": " + e.getMessage());
        }
    }

    /** A scheme and a slash at the start of a URL ({@code http:/}, {@code ftp://}); none in {@code host:8080/health}. */
    private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/");

    /** Parses and checks a URL: http or https with a host. */
    static URI parseUrl(String url) {
        return parseUrl(url, Target::display);
    }

    /**
     * Parses and checks a URL: http or https with a host and a port in range.
     *
     * @param display how the URL is named in the exception's message
     */
    private static URI parseUrl(String url, java.util.function.UnaryOperator<String> display) {
        if (!SCHEME.matcher(url.strip()).lookingAt()) {
            // 127.0.0.1:8080/health gave "Illegal character in scheme name", localhost:8080/health a scheme "localhost".
            throw new IllegalArgumentException("'" + display.apply(url) + "' must be an http:// or https:// URL: its scheme is "
                    + "missing; write " + display.apply("http://" + url.strip()) + " (or https://)");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (java.net.URISyntaxException e) {
            // The reason alone: the JDK's message quotes the whole URL.
            throw new IllegalArgumentException("'" + display.apply(url) + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("'" + display.apply(url) + "' must be an http:// or https:// URL");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            String authority = uri.getRawAuthority();
            throw new IllegalArgumentException("'" + display.apply(url) + "' has no host"
                    + (authority != null && authority.contains("_") ? ": a host name may not hold '_' (RFC 1123), so it reads"
                            + " none; use a name without it (a Docker Compose service named sso_login: give it an alias"
                            + " such as sso-login) or the address" : ""));
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("'" + display.apply(url) + "' holds credentials: set username and password "
                    + "(or bearer-token) instead, so that they stay secret");
        }
        String port = UrlPorts.problem(uri);
        if (port != null) {
            throw new IllegalArgumentException("'" + display.apply(url) + "': " + port);
        }
        return uri;
    }

    /**
     * A webhook's URL as it is shown: its scheme, host and port, the rest elided
     * ({@link UrlCredentials#maskPath}: {@code https://hooks.slack.com/…}). Slack's, Teams' and
     * Discord's hooks carry their credential in the path, and a URL does not say whether its path is one.
     */
    static String webhookDisplay(String url) {
        return UrlCredentials.maskPath(url);
    }

    /** A webhook's target, named by {@link #webhookDisplay}, as are the errors of a URL that is none. */
    static Target webhook(String url) {
        return new Target(parseUrl(url, Target::webhookDisplay), webhookDisplay(url));
    }

    /**
     * The URL with its credentials redacted as every shown URL is ({@link UrlCredentials#mask}): any
     * user info whole and the value of every parameter that carries a credential ({@code ?token=},
     * {@code &sig=}, {@code ;jsessionid=}, {@code #access_token=}). Wherever the URL stands in the
     * text: a URL given with spaces around it is shown as given.
     */
    static String display(String url) {
        return UrlCredentials.mask(url, Secret.REDACTED);
    }

    /**
     * What makes two URLs name one instance: the scheme and host in lower case, the scheme's default
     * port written out, the path without {@code .} and {@code ..} segments ({@link URI#normalize()})
     * nor a trailing {@code /}, an empty path as {@code /}; the query as written. An IPv6 literal
     * is compared as the address it writes ({@link #hostOf}): {@code [::1]} and
     * {@code [0:0:0:0:0:0:0:1]} are one, and an IPv4-mapped one ({@code [::ffff:127.0.0.1]}) is its
     * IPv4 address. Host names are compared as written: {@code localhost} and {@code 127.0.0.1} are
     * not resolved.
     */
    static String identity(URI uri) {
        return identity(uri, comparableHost(uri.getHost()));
    }

    /** The host in lower case; an IPv6 literal parsed (never looked up) and written as {@link #hostOf} writes it. */
    private static String comparableHost(String host) {
        String lower = host.toLowerCase(java.util.Locale.ROOT);
        if (!lower.startsWith("[")) {
            return lower;
        }
        try {
            // A bracketed literal is parsed, never resolved: an invalid one throws without a lookup.
            return hostOf(InetAddress.getByName(lower));
        } catch (UnknownHostException e) {
            // A zone the system does not know ([fe80::1%25eth9]): compared as written.
            return lower;
        }
    }

    /** An address as identities hold it: {@code 127.0.0.1}, {@code [0:0:0:0:0:0:0:1]} (an IPv4-mapped one as IPv4). */
    private static String hostOf(InetAddress address) {
        return address instanceof java.net.Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    }

    private static String identity(URI uri, String host) {
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        String written = uri.normalize().getRawPath();
        String path = written == null || written.isEmpty() ? "/" : written;
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return scheme + "://" + host + ":" + port + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    /**
     * The instance's {@link #identity} with its host replaced by each address the host resolves to
     * now; none when it does not resolve. Two targets sharing one reach the same socket, whatever
     * their host names say.
     */
    java.util.Set<String> resolvedIdentities() {
        String host = uri.getHost();
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException | SecurityException e) {
            return java.util.Set.of();
        }
        java.util.Set<String> found = new java.util.TreeSet<>();
        for (InetAddress address : addresses) {
            found.add(identity(uri, hostOf(address)));
        }
        return found;
    }

    /** Whether the host is written as an address ({@code 10.0.0.5}, {@code [::1]}) or names the loopback, where no proxy routes by name. */
    boolean hostIsAnAddressOrLoopback() {
        String host = uri.getHost();
        if (host.startsWith("[") || host.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    static Target of(String url) {
        return new Target(parseUrl(url), display(url.strip()));
    }
}
