package dev.vigil.spi;

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
