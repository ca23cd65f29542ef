package dev.vigil.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which URL parameters carry a credential, and masking their values: the one rule behind every
 * place that shows a URL (reports, configuration messages, the release history's settings and
 * messages, the HTTP probe's measurements and logs), so that all of them mask the same parameters.
 *
 * <p>A parameter carries a credential when its name, in any case, holds one of the words
 * {@code password}, {@code passwd}, {@code passphrase}, {@code token}, {@code secret},
 * {@code credential}, {@code authorization}, {@code api-key} ({@code api_key}, {@code apikey}),
 * {@code signature} or a session id's ({@code jsessionid}, {@code PHPSESSID}, {@code session_id}),
 * or is one of {@code key} (an API key), {@code sig} (an Azure SAS signature), {@code pwd},
 * {@code code} (an OAuth authorization code), {@code auth} or {@code ticket} (a one-time CAS
 * ticket). So {@code ?access_token=}, {@code #id_token=} (an OAuth redirect's fragment),
 * {@code &X-Amz-Signature=}, {@code &X-Amz-Security-Token=}, {@code ;jsessionid=} and
 * {@code ?code=} are masked, and {@code ?keyword=}, {@code &status_code=}, {@code &state=} and
 * {@code &client_id=} are not.
 *
 * <p>A webhook's URL may carry its credential in the path instead: {@link #maskPath} shows no more
 * of it than the scheme, host and port.
 *
 * <p>Stateless and thread-safe.
 */
public final class UrlCredentials {

    private static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i).*(?:password|passwd|passphrase|token|secret|credential|authorization|api[-_]?key|signature"
                    + "|sess(?:ion)?[-_]?id).*|key|sig|pwd|code|auth|ticket");
    /**
     * A parameter of a query, of a path segment ({@code ;jsessionid=}) or of a fragment: the value
     * runs to the next parameter, the end of the URL or a quote; a {@code ;} that starts no
     * {@code name=} is part of the value ({@code ?sig=ab;cd}). A value starting with {@code =} is
     * a comparison ({@code &&code==1}), not a parameter.
     */
    private static final Pattern PARAMETER = Pattern.compile(
            "([?&;#])([^=&;#?/\\s'\"]+)=((?:[^=&;#\\s'\"]|;(?![^=&;#?/\\s'\"]+=))(?:[^&;#\\s'\"]|;(?![^=&;#?/\\s'\"]+=))*)");

    /** What stands for the part of a URL {@link #maskPath} does not show. */
    public static final String ELIDED = "…";

    private UrlCredentials() {
    }

    /**
     * Whether a URL parameter of this name carries a credential.
     *
     * @param name the parameter's name as the URL spells it ({@code X-Amz-Signature}); {@code null} is none
     * @return whether its value is to be masked
     */
    public static boolean isCredentialParameter(String name) {
        return name != null && CREDENTIAL_NAME.matcher(name).matches();
    }

    /**
     * A URL whose path may itself be the credential, as a webhook's is (Slack's
     * {@code https://hooks.slack.com/services/T000/B000/XXXX}, a Teams or Discord hook), as it may be
     * shown: {@code scheme://host[:port]}, then {@code /…} when anything comes after the host (path,
     * parameters, fragment): {@code https://hooks.slack.com/…}. User info is elided the same way
     * ({@code https://…@host/…}). A URL with nothing after the host, or only {@code /}, is shown with
     * the rest ({@code https://hooks.example/}); a text that is not a URL with a host is {@value #ELIDED} alone.
     *
     * @param url the URL; {@code null} stays {@code null}; blanks around it are dropped
     * @return the URL as it may be shown
     */
    public static String maskPath(String url) {
        if (url == null) {
            return null;
        }
        String text = url.strip();
        java.net.URI uri = absolute(text);
        if (uri == null) {
            return ELIDED;
        }
        String authority = uri.getRawAuthority();
        int at = authority.lastIndexOf('@');
        String origin = uri.getScheme() + "://" + (at < 0 ? authority : ELIDED + "@" + authority.substring(at + 1));
        String rest = rest(text, uri);
        return rest.isEmpty() || rest.equals("/") ? origin + rest : origin + "/" + ELIDED;
    }

    /**
     * What {@link #maskPath} leaves out of a URL after its host: the path with the parameters and the
     * fragment ({@code /services/T000/B000/XXXX}), to blank out of a text that quotes it alone.
     *
     * @param url the URL; blanks around it are dropped
     * @return what follows the host; {@code null} when nothing or only {@code /} does, or for a text
     *     that is not a URL with a host
     */
    public static String afterHost(String url) {
        String text = url == null ? "" : url.strip();
        java.net.URI uri = absolute(text);
        if (uri == null) {
            return null;
        }
        String rest = rest(text, uri);
        return rest.isEmpty() || rest.equals("/") ? null : rest;
    }

    /** What follows the authority of {@code uri}, parsed from {@code text}. */
    private static String rest(String text, java.net.URI uri) {
        return text.substring(uri.getScheme().length() + "://".length() + uri.getRawAuthority().length());
    }

    /**
     * The URL with a scheme and a host that a text is, or {@code null}. An authority that is no host
     * (and port) is none: {@code https://ci:pa/ss@host/x} is a password holding a {@code /}, not a
     * host {@code ci:pa}.
     */
    private static java.net.URI absolute(String text) {
        try {
            java.net.URI uri = new java.net.URI(text);
            return uri.getScheme() == null || uri.getRawAuthority() == null || uri.getHost() == null ? null : uri;
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /**
     * Every URL parameter in a text, as {@link #maskParameters} finds them: each {@code name=value} of
     * a query, of a path segment ({@code ;jsessionid=}) or of a fragment, in the URLs anywhere in the
     * text, the value running to the next parameter, the end of the URL or a quote. For code that
     * keeps the values of some of them (those {@link #isCredentialParameter} names) to blank out of
     * other text.
     *
     * @param text the text; {@code null} has none
     * @return the parameters in the order found, as name and value; never {@code null}
     */
    public static List<Map.Entry<String, String>> parameters(String text) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        Matcher m = PARAMETER.matcher(text);
        while (m.find()) {
            out.add(Map.entry(m.group(2), m.group(3)));
        }
        return out;
    }

    /**
     * A text with the value of every credential parameter of the URLs in it replaced by a mask:
     * {@code https://host/x?sv=1&sig=****}. Everything else, user info included, is left as it is.
     *
     * @param text the text; {@code null} stays {@code null}
     * @param mask what replaces each value ({@code ****})
     * @return the masked text
     */
    public static String maskParameters(String text, String mask) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        Matcher m = PARAMETER.matcher(text);
        return m.replaceAll(r -> Matcher.quoteReplacement(isCredentialParameter(r.group(2))
                ? r.group(1) + r.group(2) + "=" + mask : r.group()));
    }
}
