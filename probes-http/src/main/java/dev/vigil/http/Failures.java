package dev.vigil.http;

import dev.vigil.Durations;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.CircularRedirectException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.RedirectException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;

/**
 * What the blocking and the non-blocking clients share: how a failed request is told in words a
 * person on call understands (and whether another attempt may help), and how a request body and a
 * response body are typed. Stateless.
 */
final class Failures {

    /** Longest error kept of a failed request: its URL and what the client said, a Location it quotes included. */
    static final int MAX_ERROR = 2 * Values.MAX_TEXT;

    private Failures() {
    }

    /**
     * Says what happened and whether it is worth another attempt: only failures before any
     * response (refused, reset, DNS, connect timeout, closed without a response) are.
     *
     * @param where the request as reports name it ({@code GET pod-3})
     * @param connectTimeout the configured connect timeout, or {@code null}
     * @param responseTimeout the configured response timeout, or {@code null}
     */
    static Exchange classify(Target target, String where, Throwable e, Duration connectTimeout, Duration responseTimeout) {
        Exchange found = told(target, where, e, connectTimeout, responseTimeout);
        // The client's messages quote URLs (a redirect's Location, with a one-time ?ticket= or a
        // signed URL's signature): shown as the probe shows its own URL, credentials masked. A
        // server writes that Location: kept to MAX_ERROR chars, so that no answer makes the error
        // long (the masking's patterns nest with a parameter's parts: thousands overflowed the stack).
        return new Exchange(found.target(), found.response(), Target.display(Values.cut(found.error(), MAX_ERROR)),
                found.retryable(), found.unsent());
    }

    private static Exchange told(Target target, String where, Throwable e, Duration connectTimeout, Duration responseTimeout) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CircularRedirectException || t instanceof RedirectException) {
                return Exchange.failed(target, where + ": redirect loop or too many redirects (" + t.getMessage() + ")", false);
            }
            if (t instanceof UnknownHostException) {
                return Exchange.unsent(target, where + ": unknown host " + t.getMessage() + " (DNS)");
            }
            if (t instanceof ConnectTimeoutException) {
                return Exchange.unsent(target, where + ": connect timed out"
                        + (connectTimeout == null ? "" : " after connect-timeout " + Durations.format(connectTimeout)));
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return Exchange.unsent(target, where + ": cannot connect: "
                        + String.valueOf(rootOf(t).getMessage()).replaceFirst("^Connect to .*? failed: ", ""));
            }
            if (t instanceof NoHttpResponseException) {
                return Exchange.failed(target, where + ": the server closed the connection without a response", true);
            }
            if (t instanceof SSLException) {
                return Exchange.failed(target, where + ": TLS failed: " + t.getMessage() + tlsHint(t), false);
            }
            if (t instanceof SocketTimeoutException) {
                return Exchange.failed(target, where + ": no response within response-timeout "
                        + (responseTimeout == null ? "" : Durations.format(responseTimeout)) + " (read timed out)", false);
            }
            if (t instanceof MalformedChunkCodingException || t instanceof ConnectionClosedException
                    || t instanceof ProtocolException) {
                return Exchange.failed(target, where + ": bad response: " + t.getMessage(), false);
            }
            if (t instanceof SocketException) {
                return Exchange.failed(target, where + ": connection failed: " + t.getMessage(), true);
            }
            if (t instanceof InterruptedIOException) {
                return Exchange.failed(target, where + ": interrupted: " + t.getMessage(), false);
            }
        }
        Throwable c = rootOf(e);
        return Exchange.failed(target, where + ": " + c.getClass().getSimpleName()
                + (c.getMessage() == null ? "" : ": " + c.getMessage()), false);
    }

    /**
     * The type a request body is sent with: the {@code Content-Type} header when there is one, JSON
     * when the body starts with <code>{</code> or <code>[</code>, UTF-8 text otherwise; always with a charset.
     */
    static ContentType bodyType(Map<String, String> headers, String body) {
        String declared = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                declared = h.getValue();
            }
        }
        ContentType type = declared != null ? ContentType.parseLenient(declared)
                : body.stripLeading().startsWith("{") || body.stripLeading().startsWith("[")
                        ? ContentType.APPLICATION_JSON : ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
        return type.getCharset() == null ? type.withCharset(StandardCharsets.UTF_8) : type;
    }

    /** The charset a response declares, or UTF-8 when it declares none or an unknown one. */
    static Charset charsetOf(String contentType) {
        try {
            ContentType type = ContentType.parseLenient(contentType);
            if (type != null && type.getCharset() != null) {
                return type.getCharset();
            }
        } catch (RuntimeException e) {
            // an unknown charset: read as UTF-8
        }
        return StandardCharsets.UTF_8;
    }

    /** The shorter of two limits, and at least 1 ms (a client takes no zero timeout). */
    static Duration shorter(Duration a, Duration b) {
        Duration m = a.compareTo(b) <= 0 ? a : b;
        return m.isZero() || m.isNegative() ? Duration.ofMillis(1) : m;
    }

    /**
     * What to look at after a TLS failure, by its cause: a trust store only helps a certificate no
     * trusted CA signed, not an expired one, one for another host or a server that speaks no TLS.
     */
    private static String tlsHint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException
                    || t instanceof CertPathValidatorException v && (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
                            || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
                return " (the server's certificate is outside its validity period)";
            }
            if (t instanceof CertPathBuilderException) {
                return " (for a private CA set trust-store)";
            }
            String message = String.valueOf(t.getMessage());
            if (t instanceof CertificateException && message.startsWith("No ")
                    && (message.contains("subject alternative") || message.contains("name matching"))) {
                return " (the server's certificate is not for this host name)";
            }
            if (message.contains("plaintext connection?")) {
                return " (the server answers without TLS on this port: http:// instead of https://?)";
            }
        }
        return "";
    }

    private static Throwable rootOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
