package dev.vigil.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Which URL parameters carry a credential, and masking their values: the one rule behind every
 * place that shows a URL (reports, configuration messages, the release history's settings and
 * messages, the HTTP probe's measurements and logs), so that all of them mask the same parameters.
 *
 * <p>A parameter carries a credential when its name, in any case, holds one of the words
 * {@code password}, {@code passwd}, {@code passphrase}, {@code token}, {@code secret},
 * {@code credential}, {@code authorization}, {@code api-key} ({@code api_key}, {@code apikey}),
 * {@code access_key} or {@code private_key} ({@code accessKey}, {@code private-key}: an API's key, as
 * some take it in the query), {@code signature} or a session id's ({@code jsessionid}, {@code PHPSESSID},
 * {@code session_id}), or is one of {@code key} (an API key), {@code sig} (an Azure SAS signature),
 * {@code pass} ({@code ?user=a&pass=...}), {@code pwd},
 * {@code code} (an OAuth authorization code), {@code auth} or {@code ticket} (a one-time CAS
 * ticket). So {@code ?access_token=}, {@code #id_token=} (an OAuth redirect's fragment),
 * {@code &X-Amz-Signature=}, {@code &X-Amz-Security-Token=}, {@code ;jsessionid=} and
 * {@code ?code=} are masked, and {@code ?keyword=}, {@code &status_code=}, {@code &state=} and
 * {@code &client_id=} are not.
 *
 * <p>A URL's user info is a credential in part or whole. Its password ({@code scheme://user:password@host},
 * also {@code redis://:password@host}) runs to the {@code @} after which the host has no {@code @}
 * of its own, so a password holding an unencoded {@code @}, {@code /}, {@code ?}, {@code #} or
 * {@code ;} is found whole; a port is none ({@code https://host:8443/users/a@b}). A user without a
 * password is a token when it has {@value #TOKEN_LENGTH} characters or more
 * ({@code https://ghp_...@github.com}, as git accepts it) and a name otherwise ({@code ssh://git@host}):
 * {@link #userCredentials} and {@link #maskUserCredentials} find those, for text that quotes URLs
 * among other words. Where a URL is given to be connected to, any user info is the credential
 * ({@link #userInfo}, {@link #maskUserInfo}). JSON whose writer escapes slashes
 * ({@code https:\/\/user:password@host}) counts as well.
 *
 * <p>A webhook's URL may carry its credential in the path instead: {@link #maskPath} shows no more
 * of it than the scheme, host and port.
 *
 * <p>Stateless and thread-safe.
 */
public final class UrlCredentials {

    private static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i).*(?:password|passwd|passphrase|token|secret|credential|authorization|api[-_]?key|(?:access|private)[-_]?key"
                    + "|signature|sess(?:ion)?[-_]?id).*|key|sig|pass|pwd|code|auth|ticket");
    /**
     * Where a parameter of a query, of a path segment ({@code ;jsessionid=}) or of a fragment starts:
     * its separator, its name and {@code =}. Its value ({@link #valueEnd}) runs to the next parameter,
     * the end of the URL or a quote; a {@code ;} that starts no {@code name=} is part of the value
     * ({@code ?sig=ab;cd}). A value starting with {@code =} is a comparison ({@code &&code==1}), not a
     * parameter. The value is found by a loop, not by the pattern: a pattern repeating a group once a
     * part nests as deep as the value has parts, and a value of a few thousand characters (a fleet's
     * {@code urls}, a {@code Location} of {@code ;} parts) overflowed the stack.
     */
    private static final Pattern PARAMETER_START = Pattern.compile("([?&;#])([^=&;#?/\\s'\"]+)=");

    /**
     * What follows a URL's scheme: {@code ://}, or {@code :\/\/} in JSON whose writer escapes
     * slashes (PHP's {@code json_encode}, as a webhook receiver echoing the request may answer).
     */
    private static final List<String> SLASHES_SPELLED = List.of("://", ":\\/\\/");
    /** {@link #SLASHES_SPELLED} as a pattern. */
    private static final String SLASHES = SLASHES_SPELLED.stream().map(Pattern::quote).collect(Collectors.joining("|", "(?:", ")"));
    /** Where a URL's user info starts: after its scheme and {@link #SLASHES_SPELLED}. */
    private static final String SCHEME = "(?i)\\b[a-z][a-z0-9+.-]*" + SLASHES;
    /** {@code user:password}, the password as the class comment says; a port is none. */
    private static final String USER_AND_PASSWORD = "(?<user>[^/\\s:@\\[]*):(?!\\d+(?:[/?#\\\\]|$))(?<password>\\S+?)";
    /** The {@code @} that ends user info: the host after it has none of its own. */
    private static final String USER_INFO_END = "@(?![^\\s/?#]*@)";
    /** A URL's user info in a text, where a blank ends a URL: {@code user:password} or a user alone. */
    private static final Pattern USER_INFO = Pattern.compile(
            SCHEME + "(?:" + USER_AND_PASSWORD + "|(?<alone>[^/\\s@\\[?#]*))" + USER_INFO_END);
    /**
     * The user info of one URL given to be connected to: as {@link #USER_INFO}, but a user info that
     * is no {@code user:password} runs to the authority's last {@code @}, blanks and all.
     */
    private static final Pattern URL_USER_INFO = Pattern.compile(
            SCHEME + "(?:" + USER_AND_PASSWORD + "|(?<alone>[^/?#]*))" + USER_INFO_END);

    /** The shortest user of a URL without a password that is taken for a token. */
    public static final int TOKEN_LENGTH = 16;

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
        for (int[] p : parameterSpans(text)) {
            out.add(Map.entry(text.substring(p[1], p[2] - 1), text.substring(p[2], p[3])));
        }
        return out;
    }

    /**
     * Each parameter in a text as {@code {separator, name start, value start, value end}}, in order and
     * apart, as {@link #PARAMETER_START} and {@link #valueEnd} find them.
     */
    private static List<int[]> parameterSpans(String text) {
        List<int[]> out = new ArrayList<>();
        Matcher m = PARAMETER_START.matcher(text);
        int from = 0;
        while (from < text.length() && m.find(from)) {
            int end = valueEnd(text, m.end());
            if (end == m.end()) {
                from = m.start() + 1;
            } else {
                out.add(new int[] {m.start(), m.start(2), m.end(), end});
                from = end;
            }
        }
        return out;
    }

    /** Where a value starting at {@code start} ends: {@code start} when there is none (a {@code ==}, a blank). */
    private static int valueEnd(String text, int start) {
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            boolean ends = c == '&' || c == '#' || c == '\'' || c == '"' || isBlank(c)
                    || c == '=' && i == start || c == ';' && startsParameterName(text, i + 1);
            if (ends) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Whether a parameter's {@code name=} starts at {@code at}. */
    static boolean startsParameterName(String text, int at) {
        int i = at;
        while (i < text.length() && "=&;#?/'\"".indexOf(text.charAt(i)) < 0 && !isBlank(text.charAt(i))) {
            i++;
        }
        return i > at && i < text.length() && text.charAt(i) == '=';
    }

    /** What {@code \\s} matches in a pattern: space, tab, line feed, vertical tab, form feed, carriage return. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
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
        List<int[]> values = new ArrayList<>();
        for (int[] p : parameterSpans(text)) {
            if (isCredentialParameter(text.substring(p[1], p[2] - 1))) {
                values.add(new int[] {p[2], p[3]});
            }
        }
        return Masks.replace(text, values, mask);
    }

    /**
     * The user info of every URL in a text, whole ({@code user:password}, a user alone), as the
     * class comment finds it: what a URL to connect to must not show. A user info that is no
     * {@code user:password} runs to the authority's last {@code @}, blanks and all
     * ({@code https://ad min@host}), as a text that is one URL has it.
     *
     * @param text the text; {@code null} has none
     * @return the user infos in the order found, never {@code null}
     */
    public static List<String> userInfo(String text) {
        return Masks.texts(text, userInfoSpans(text, true));
    }

    /**
     * A text with the user info of every URL in it replaced by a mask, whole, as {@link #userInfo}
     * finds it: {@code https://****@host/x}.
     *
     * @param text the text; {@code null} stays {@code null}
     * @param mask what replaces each user info
     * @return the masked text
     */
    public static String maskUserInfo(String text, String mask) {
        return Masks.replace(text, userInfoSpans(text, true), mask);
    }

    /**
     * A URL given to be connected to as a message, a log, a setting's description or a report may
     * show it: its user info masked whole ({@link #maskUserInfo}, first: a password may hold
     * {@code ?}, {@code ;}, {@code #} or {@code @}) and then the value of every parameter that carries
     * a credential ({@link #maskParameters}): {@code https://****@host/x?page=2&token=****}. The one
     * masking of such a URL: the HTTP probe's targets, the Prometheus probe's base URL, the release
     * history's URL and its settings all show a URL through it.
     *
     * @param url the URL, or a text that quotes one; {@code null} stays {@code null}
     * @param mask what replaces the user info and each credential parameter's value
     * @return the URL as it may be shown
     */
    public static String mask(String url, String mask) {
        return maskParameters(maskUserInfo(url, mask), mask);
    }

    /**
     * The credentials in the user info of the URLs in a text: each password, and each user without
     * a password of {@value #TOKEN_LENGTH} characters or more, as the class comment says.
     *
     * @param text the text; {@code null} has none
     * @return the credentials in the order found, never {@code null}
     */
    public static List<String> userCredentials(String text) {
        return Masks.texts(text, userInfoSpans(text, false));
    }

    /**
     * A text with every credential {@link #userCredentials} finds replaced by a mask:
     * {@code https://deploy:****@git.example/x}, {@code https://****@github.com/x}; a user name stays.
     *
     * @param text the text; {@code null} stays {@code null}
     * @param mask what replaces each credential
     * @return the masked text
     */
    public static String maskUserCredentials(String text, String mask) {
        return Masks.replace(text, userInfoSpans(text, false), mask);
    }

    /** Where the user infos ({@code whole}) or their credentials stand in a text, in order. */
    private static List<int[]> userInfoSpans(String text, boolean whole) {
        return text != null && mayHoldUserInfo(text) ? everyUserInfoSpan(text, whole) : new ArrayList<>();
    }

    /**
     * Whether a text may hold a URL's user info: whether it holds one of the {@link #SLASHES_SPELLED}
     * and the {@code @} that ends user info. Most lines a program prints hold none.
     */
    static boolean mayHoldUserInfo(String text) {
        return text.indexOf('@') >= 0 && SLASHES_SPELLED.stream().anyMatch(text::contains);
    }

    /** As {@link #userInfoSpans}, looking at the whole text, whatever {@link #mayHoldUserInfo} says. */
    static List<int[]> everyUserInfoSpan(String text, boolean whole) {
        List<int[]> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        Matcher m = (whole ? URL_USER_INFO : USER_INFO).matcher(text);
        while (m.find()) {
            if (m.group("alone") != null) {
                if (whole || m.group("alone").length() >= TOKEN_LENGTH) {
                    out.add(new int[] {m.start("alone"), m.end("alone")});
                }
            } else {
                out.add(whole ? new int[] {m.start("user"), m.end("password")} : new int[] {m.start("password"), m.end("password")});
            }
        }
        return out;
    }
}
