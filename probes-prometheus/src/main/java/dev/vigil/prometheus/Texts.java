package dev.vigil.prometheus;

import dev.vigil.spi.CredentialNames;
import dev.vigil.spi.UrlCredentials;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/** Text helpers for messages: short, printable, secret-free quotes of what came back. */
final class Texts {

    /** Most characters quoted from a response that could not be read. */
    static final int MAX_QUOTE = 160;

    static final String REDACTED = "****";

    private Texts() {
    }

    /**
     * The start of a body as one printable line: control characters become spaces, runs of
     * whitespace collapse, secrets are replaced by {@value #REDACTED}, and the text is cut at
     * {@value #MAX_QUOTE} characters with an ellipsis.
     */
    static String quote(byte[] body, Collection<String> secrets) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        // The whole body (read up to max-response-size) is redacted before it is cut: a secret cut
        // in two by a shorter prefix would show its first part.
        return quote(new String(body, StandardCharsets.UTF_8), secrets);
    }

    static String quote(String text, Collection<String> secrets) {
        String clean = redact(text, secrets);
        StringBuilder out = new StringBuilder();
        boolean space = false;
        for (int i = 0; i < clean.length() && out.length() < MAX_QUOTE; i++) {
            char c = clean.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\uFFFD') {
                space = out.length() > 0;
                continue;
            }
            if (space) {
                out.append(' ');
                space = false;
            }
            out.append(c);
        }
        boolean cut = out.length() >= MAX_QUOTE && clean.strip().length() > out.length();
        return "'" + out + (cut ? "...'" : "'");
    }

    static String redact(String text, Collection<String> secrets) {
        return CredentialNames.scrub(text == null ? "" : text, secrets, REDACTED);
    }

    /**
     * A URL as a message may show it (a refused base URL, where a server redirects to): masked as
     * every shown URL is ({@link UrlCredentials#mask}), then with everything before its last
     * {@code @} (user information, whatever characters a password holds: {@code http://vigil:12#pw@host}
     * is taken for a port and a fragment there) and its parameters and fragment (a one-time ticket or
     * a state under any name) replaced by {@value #REDACTED}: {@code http://****@host/path?****}.
     */
    static String url(String url) {
        String text = UrlCredentials.mask(url, REDACTED);
        int scheme = text.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = text.lastIndexOf('@');
        text = at < start ? text : text.substring(0, start) + REDACTED + text.substring(at);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '?' || c == '#' || c == ';') {
                return text.substring(0, i + 1) + REDACTED;
            }
        }
        return text;
    }

    /** A query cut to a length fit for a one-line description, never inside a character (an emoji's two chars). */
    static String shorten(String text, int max) {
        String line = text.strip().replaceAll("\\s+", " ");
        if (line.length() <= max) {
            return line;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(line.charAt(end - 1))) {
            end--;
        }
        return line.substring(0, end) + "...";
    }

    /** A number as a person reads it: {@code 0.031}, {@code 12}, {@code NaN}, {@code +Inf}. */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }
}
