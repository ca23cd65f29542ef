package dev.vigil.prometheus;

import dev.vigil.spi.CredentialNames;
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
        String result = text == null ? "" : text;
        for (String secret : CredentialNames.searchable(secrets)) {
            result = result.replace(secret, REDACTED);
        }
        return result;
    }

    /**
     * A URL as a message may show it: everything before its last {@code @} (user information,
     * whatever characters a password holds: {@code /}, {@code ?} and {@code #} end no password here)
     * and its parameters and fragment (a token in {@code ?token=} or {@code ;jsessionid=}, a signed
     * URL's signature) replaced by {@value #REDACTED}: {@code http://****@host/path?****}.
     */
    static String url(String url) {
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        String text = at < start ? url : url.substring(0, start) + REDACTED + url.substring(at);
        int cut = -1;
        for (int i = 0; i < text.length() && cut < 0; i++) {
            char c = text.charAt(i);
            cut = c == '?' || c == '#' || c == ';' ? i : -1;
        }
        return cut < 0 ? text : text.substring(0, cut + 1) + REDACTED;
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
