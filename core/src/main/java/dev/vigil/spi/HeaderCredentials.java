package dev.vigil.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parts of a credential header's value ({@code Authorization}, {@code Cookie}, {@code X-Api-Key})
 * that a server may echo alone, so that a probe or webhook masks them in what it is answered as it
 * masks the whole value: the one rule for every module that sends such headers.
 *
 * <p>Stateless and thread-safe.
 */
public final class HeaderCredentials {

    /**
     * Parts shorter than this are not masked on their own: scheme and cookie names ({@code Bearer},
     * {@code Basic}, {@code theme}) would be masked wherever they appear.
     */
    public static final int MIN_PART_LENGTH = 8;

    /**
     * Words in a header's name that make its value a credential: besides keys, tokens and passwords,
     * a signed identity ({@code X-Goog-IAP-JWT-Assertion}, {@code Cf-Access-Jwt-Assertion}) and a
     * request's signature ({@code X-Hub-Signature-256}, {@code X-Shopify-Hmac-Sha256}), which prove
     * who sent it as a token does.
     */
    private static final List<String> CREDENTIAL_WORDS = List.of("auth", "key", "token", "secret", "passw", "passphrase",
            "cookie", "credential", "signature", "hmac", "session", "jwt", "assertion");

    private HeaderCredentials() {
    }

    /**
     * Whether a request header's name says that its value is a credential: it holds {@code auth},
     * {@code key}, {@code token}, {@code secret}, {@code passw}, {@code passphrase}, {@code cookie},
     * {@code credential}, {@code signature}, {@code hmac}, {@code session}, {@code jwt} or
     * {@code assertion}, in any case ({@code Authorization}, {@code Cookie}, {@code X-Api-Key},
     * {@code X-Session-Id}, {@code X-Request-Signature}, {@code X-Goog-IAP-JWT-Assertion}). The
     * configuration keeps such a header's value secret, and so do the probes and webhooks that send it.
     *
     * @param name the header's name
     * @return {@code true} when its value is to be masked
     */
    public static boolean isCredentialHeader(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return CREDENTIAL_WORDS.stream().anyMatch(n::contains);
    }

    /**
     * The parts of a credential header's value that a server may echo alone: each piece between
     * blanks, {@code ;} and {@code ,} (the credentials after a scheme, {@code Bearer <token>},
     * {@code Key <key>}; a token, base64 padded with {@code =}) and the value of each
     * {@code name=value} piece (a cookie's, {@code theme=dark; session=<id>}), of at least
     * {@value #MIN_PART_LENGTH} characters, each once, in the order found.
     *
     * @param value the header's value; {@code null} has none
     * @return the parts, never {@code null}; the value itself is among them only when it is one piece
     *     (blanks around it aside)
     */
    public static List<String> parts(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String piece : value.strip().split("[\\s;,]+")) {
            int equals = piece.indexOf('=');
            for (String part : equals > 0 ? List.of(piece, piece.substring(equals + 1)) : List.of(piece)) {
                if (part.length() >= MIN_PART_LENGTH && !out.contains(part)) {
                    out.add(part);
                }
            }
        }
        return out;
    }
}
