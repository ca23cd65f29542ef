package dev.vigil.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.Durations;
import dev.vigil.RetryableProbeException;
import dev.vigil.VigilException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.UrlEncodedFormEntity;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.message.BasicNameValuePair;
import org.apache.hc.core5.net.URIBuilder;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to Prometheus' HTTP query API. One instance per probe; thread-safe. Never retries by
 * itself (the engine retries {@link RetryableProbeException}s with resilience4j), never follows
 * redirects (credentials stay with the configured host), and reads at most
 * {@code maxResponseBytes} of a body.
 */
final class PrometheusClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PrometheusClient.class);

    static final String QUERY_PATH = "/api/v1/query";
    static final String RANGE_PATH = "/api/v1/query_range";
    static final String LABELS_PATH = "/api/v1/labels";

    /** Error types that say the server is busy, shutting down or failing inside: worth another attempt. */
    private static final java.util.concurrent.atomic.AtomicLong IO_THREADS = new java.util.concurrent.atomic.AtomicLong();
    private static final Set<String> TRANSIENT_ERROR_TYPES = Set.of("timeout", "canceled", "unavailable", "internal");

    /**
     * How far Prometheus' clock (the {@code Date} of its answer, to the second) may be from this
     * host's before an answer is taken to be about another moment than the round's: the round's
     * time comes from this host's clock, and Prometheus evaluates it on its own.
     */
    static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(5);

    /** An answer as Prometheus writes one, read by {@link #start} to load the JSON reader before the first round. */
    private static final byte[] WARM_UP = ("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":"
            + "[{\"metric\":{\"job\":\"vigil\"},\"value\":[0,\"0\"]}]}}").getBytes(StandardCharsets.UTF_8);

    private final URI baseUrl;
    private final String shownBaseUrl;
    private final String authorization;
    private final Map<String, String> headers;
    private final List<String> secrets;
    private final long maxResponseBytes;
    private final PrometheusProbe.HttpMethod method;
    /** Makes the TLS strategy of a client, or {@code null} for httpclient5's default (the JDK's CAs). */
    private final Supplier<TlsSocketStrategy> tls;
    private final Duration connectTimeout;
    /** This host's clock, compared with the {@code Date} of each answer. */
    private final java.time.Clock clock;
    private CloseableHttpClient http;

    /**
     * @param baseUrl the base URL the API paths are appended to
     * @param shownBaseUrl the base URL as messages and the log show it, its credentials masked
     */
    PrometheusClient(URI baseUrl, String shownBaseUrl, String authorization, Map<String, String> headers, List<String> secrets,
            SSLContext sslContext, long maxResponseBytes, PrometheusProbe.HttpMethod method, Duration connectTimeout,
            java.time.Clock clock) {
        this(baseUrl, shownBaseUrl, authorization, headers, secrets, () -> sslContext == null ? null
                : ClientTlsStrategyBuilder.create().setSslContext(sslContext).buildClassic(), maxResponseBytes, method, connectTimeout,
                clock);
    }

    /**
     * @param tls makes the TLS strategy when the client is built, or returns {@code null} for
     *     httpclient5's default
     * @param clock this host's clock, which the rounds' times come from
     */
    PrometheusClient(URI baseUrl, String shownBaseUrl, String authorization, Map<String, String> headers, List<String> secrets,
            Supplier<TlsSocketStrategy> tls, long maxResponseBytes, PrometheusProbe.HttpMethod method, Duration connectTimeout,
            java.time.Clock clock) {
        this.baseUrl = baseUrl;
        this.shownBaseUrl = shownBaseUrl;
        this.authorization = authorization;
        this.headers = Map.copyOf(headers);
        this.secrets = List.copyOf(secrets);
        this.maxResponseBytes = maxResponseBytes;
        this.method = method;
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
    }

    /**
     * Builds the pooled client now, if it is not yet, and readies what reading its first answer
     * needs (the JSON reader, on a canned answer), without sending anything: in a fresh JVM on a busy
     * host the two take about a second, which must not count against a round's timeout
     * ({@link PrometheusProbe#prepare}). What is left for the first query is its connection.
     */
    void start() {
        http();
        ResponseParser.result(ResponseParser.envelope(WARM_UP));
    }

    /** Whether the pooled client is built: {@link #start} or a query did it, and no close since. */
    synchronized boolean started() {
        return http != null;
    }

    /** The pooled client, made on first use and again after {@link #close()}. */
    private synchronized CloseableHttpClient http() {
        if (http == null) {
            http = build();
        }
        return http;
    }

    private CloseableHttpClient build() {
        PoolingHttpClientConnectionManagerBuilder connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(connectTimeout))
                        .setTimeToLive(1, TimeUnit.MINUTES)
                        .build())
                .setMaxConnPerRoute(8)
                .setMaxConnTotal(16);
        TlsSocketStrategy strategy = tls.get();
        if (strategy != null) {
            connections.setTlsSocketStrategy(strategy);
        }
        return HttpClients.custom()
                .setConnectionManager(connections.build())
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent("vigil-probes-prometheus")
                .build();
    }

    /** The {@code Authorization} value for a bearer token. */
    static String bearer(String token) {
        return "Bearer " + token;
    }

    /** The {@code Authorization} value for basic authentication, and the encoded form as a secret. */
    static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** An instant query at {@code time}. */
    QueryResult instant(String query, Instant time, Duration timeout) {
        List<NameValuePair> form = new ArrayList<>();
        form.add(new BasicNameValuePair("query", query));
        form.add(new BasicNameValuePair("time", seconds(time)));
        return result(QUERY_PATH, send(QUERY_PATH, form, timeout));
    }

    /** A range query over {@code [start, end]} with one point every {@code step}. */
    QueryResult range(String query, Instant start, Instant end, Duration step, Duration timeout) {
        List<NameValuePair> form = new ArrayList<>();
        form.add(new BasicNameValuePair("query", query));
        form.add(new BasicNameValuePair("start", seconds(start)));
        form.add(new BasicNameValuePair("end", seconds(end)));
        form.add(new BasicNameValuePair("step", seconds(step)));
        return result(RANGE_PATH, send(RANGE_PATH, form, timeout));
    }

    /**
     * The label names of the series of {@code metric} from {@code start} to {@code end}
     * ({@code /api/v1/labels?match[]=metric}), {@code __name__} among them while there is a series;
     * empty when there is none.
     */
    List<String> labelNames(String metric, Instant start, Instant end, Duration timeout) {
        List<NameValuePair> form = new ArrayList<>();
        form.add(new BasicNameValuePair("match[]", metric));
        form.add(new BasicNameValuePair("start", seconds(start)));
        form.add(new BasicNameValuePair("end", seconds(end)));
        ResponseParser.Envelope envelope = send(LABELS_PATH, form, timeout);
        JsonNode data = envelope.data();
        List<String> names = new ArrayList<>();
        if (data != null && data.isArray()) {
            data.forEach(name -> names.add(name.asText()));
        } else if (data != null && !data.isNull()) {
            throw new PrometheusQueryException("the answer of " + endpoint(LABELS_PATH) + " is not Prometheus' JSON:"
                    + " \"data\" is no list of label names");
        }
        return names;
    }

    /**
     * Where the API lives, for messages and the log: the base URL as it may be shown and the API
     * path, without the query.
     */
    String endpoint(String path) {
        return shownBaseUrl + path;
    }

    /** Sends a request and returns the envelope of a successful answer; anything else is thrown, as {@link #interpret} says. */
    private ResponseParser.Envelope send(String path, List<NameValuePair> form, Duration timeout) {
        String where = endpoint(path);
        HttpUriRequestBase request = request(path, form);
        request.setConfig(RequestConfig.custom()
                .setResponseTimeout(Timeout.of(timeout))
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .build());
        request.setHeader(HttpHeaders.ACCEPT, "application/json");
        headers.forEach(request::setHeader);
        if (authorization != null) {
            request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
        }
        LOG.debug("{} {}", request.getMethod(), where);
        Reply reply;
        Instant sent = clock.instant();
        try {
            reply = executeInterruptibly(request);
        } catch (TooLarge e) {
            throw new PrometheusQueryException("the answer of " + where + " is larger than " + maxResponseBytes
                    + " bytes (max-response-size): narrow the query, e.g. aggregate it with sum by (...)");
        } catch (SocketTimeoutException e) {
            throw new RetryableProbeException("no answer from " + where + " within " + Durations.format(timeout) + " (timeout)", e);
        } catch (InterruptedIOException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusQueryException("interrupted while querying " + where);
        } catch (ConnectException | NoRouteToHostException e) {
            throw new RetryableProbeException("cannot connect to " + where + ": " + message(e), e);
        } catch (UnknownHostException e) {
            throw new RetryableProbeException("unknown host " + baseUrl.getHost() + " in " + where, e);
        } catch (SSLException e) {
            throw new PrometheusQueryException("TLS with " + baseUrl.getHost() + " failed: " + message(e)
                    + " (is the server's certificate, issued for this host name, trusted? see trust-store)");
        } catch (IOException e) {
            throw new RetryableProbeException("querying " + where + " failed: " + message(e), e);
        }
        return clockSkew(interpret(where, reply), reply.date(), sent, clock.instant());
    }

    /**
     * The envelope, with a warning when the answer's {@code Date} shows Prometheus' clock more than
     * {@link #MAX_CLOCK_SKEW} behind this host's (the round's time is then in Prometheus' future,
     * where a range selector holds no sample yet and {@code or vector(0)} reads 0) or ahead of it
     * (the round's time is then in Prometheus' past: the first rounds read the version before the
     * deployment). A warning makes a passing measurement {@code INCONCLUSIVE} and keeps the answer
     * from a judge. Prometheus wrote the {@code Date}, to the second, between {@code sent} and
     * {@code received}.
     */
    private static ResponseParser.Envelope clockSkew(ResponseParser.Envelope envelope, String date, Instant sent,
            Instant received) {
        if (date == null) {
            return envelope;
        }
        Instant server;
        try {
            server = java.time.ZonedDateTime.parse(date.trim(), java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (java.time.DateTimeException e) {
            return envelope;
        }
        // The Date is cut to the second: Prometheus' clock read up to a second more.
        Duration behind = Duration.between(server, sent).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Duration ahead = Duration.between(received, server).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String warning;
        if (behind.minusSeconds(1).compareTo(MAX_CLOCK_SKEW) > 0) {
            warning = "Prometheus' clock is " + Durations.format(behind) + " behind this host's (its answer is dated " + date.trim()
                    + "): the round's time is in Prometheus' future, where a range such as [1m] holds no sample yet and"
                    + " 'or vector(0)' reads as 0; synchronise the clocks of both hosts (NTP)";
        } else if (ahead.compareTo(MAX_CLOCK_SKEW) > 0) {
            warning = "Prometheus' clock is " + Durations.format(ahead) + " ahead of this host's (its answer is dated " + date.trim()
                    + "): the round's time is in Prometheus' past, so the query reads data " + Durations.format(ahead)
                    + " older than the round, of the version before the deployment in the first rounds; synchronise the"
                    + " clocks of both hosts (NTP)";
        } else {
            return envelope;
        }
        List<String> warnings = new ArrayList<>(envelope.warnings());
        warnings.add(warning);
        return new ResponseParser.Envelope(envelope.status(), envelope.errorType(), envelope.error(), warnings, envelope.data());
    }

    /**
     * Runs the request on a thread of its own so that interrupting the caller aborts it at once:
     * httpclient5's classic I/O does not react to interruption by itself.
     */
    private Reply executeInterruptibly(HttpUriRequestBase request) throws IOException {
        java.util.concurrent.FutureTask<Reply> task = new java.util.concurrent.FutureTask<>(() -> http().execute(request, this::read));
        Thread io = new Thread(task, "vigil-prometheus-" + IO_THREADS.incrementAndGet());
        io.setDaemon(true);
        io.start();
        try {
            return task.get();
        } catch (InterruptedException e) {
            request.cancel();
            task.cancel(true);
            throw new java.io.InterruptedIOException("interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io2) {
                throw io2;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    private HttpUriRequestBase request(String path, List<NameValuePair> form) {
        URI target = URI.create(baseUrl + path);
        boolean post = switch (method) {
            case POST -> true;
            case GET -> false;
            case AUTO -> encodedLength(form) > PrometheusProbe.MAX_GET_QUERY_LENGTH;
        };
        if (post) {
            HttpPost request = new HttpPost(target);
            request.setEntity(new UrlEncodedFormEntity(form, StandardCharsets.UTF_8));
            return request;
        }
        try {
            return new HttpGet(new URIBuilder(target, StandardCharsets.UTF_8).addParameters(form).build());
        } catch (java.net.URISyntaxException e) {
            throw new PrometheusQueryException("cannot build a URL from " + target + ": " + e.getMessage());
        }
    }

    private static int encodedLength(List<NameValuePair> form) {
        int length = 0;
        for (NameValuePair pair : form) {
            length += pair.getName().length() + 2
                    + java.net.URLEncoder.encode(pair.getValue(), StandardCharsets.UTF_8).length();
        }
        return length;
    }

    /** Reads status, content type and at most {@code maxResponseBytes + 1} bytes of the body. */
    private Reply read(ClassicHttpResponse response) throws IOException {
        HttpEntity entity = response.getEntity();
        byte[] body = new byte[0];
        if (entity != null) {
            try (InputStream in = entity.getContent()) {
                // One byte more than the cap tells a larger answer; the cap at most what an array holds
                // (maxResponseBytes + 1 would overflow for Long.MAX_VALUE and read nothing).
                body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, maxResponseBytes) + 1);
            }
            if (body.length > maxResponseBytes) {
                throw new TooLarge();
            }
        }
        Header location = response.getFirstHeader(HttpHeaders.LOCATION);
        Header date = response.getFirstHeader(HttpHeaders.DATE);
        String type = entity == null || entity.getContentType() == null ? "" : entity.getContentType();
        return new Reply(response.getCode(), type, body, location == null ? null : location.getValue(),
                date == null ? null : date.getValue());
    }

    private ResponseParser.Envelope interpret(String where, Reply reply) {
        int code = reply.status();
        boolean transientStatus = code == 429 || code >= 500;
        ResponseParser.Envelope envelope;
        try {
            envelope = ResponseParser.envelope(reply.body());
        } catch (ResponseParser.NotPrometheusJson e) {
            String what = "HTTP " + code + (reply.contentType().isBlank() ? "" : " (" + mediaType(reply.contentType()) + ")")
                    + " from " + where;
            String quote = Texts.quote(reply.body(), secrets);
            if (transientStatus) {
                throw new RetryableProbeException(what + ": " + quote);
            }
            if (code >= 300 && code < 400) {
                throw new PrometheusQueryException(what + " redirects to " + (reply.location() == null ? "nowhere (no Location)"
                        : Texts.quote(Texts.url(reply.location()), secrets))
                        + ": set base-url to the address Prometheus answers at (redirects are not followed)");
            }
            if (code == 401 || code == 403) {
                throw new PrometheusQueryException(what + ": access denied; check bearer-token or username and password: " + quote);
            }
            if (code == 404) {
                throw new NotFound(what + ": not found; check base-url and its path prefix: " + quote, what);
            }
            throw new PrometheusQueryException(what + " is not Prometheus' JSON (" + message(e) + "): " + quote);
        }
        if (!envelope.success()) {
            String message = "Prometheus answered " + (envelope.errorType() == null ? "an error" : "'" + envelope.errorType() + "'")
                    + " (HTTP " + code + ") for " + where + ": "
                    + Texts.quote(envelope.error() == null ? "(no message)" : envelope.error(), secrets)
                    + warnings(envelope.warnings());
            boolean transientType = envelope.errorType() != null
                    && TRANSIENT_ERROR_TYPES.contains(envelope.errorType().toLowerCase(Locale.ROOT));
            if (transientStatus || transientType) {
                throw new RetryableProbeException(message);
            }
            throw new PrometheusQueryException(message);
        }
        if (code >= 300) {
            throw new PrometheusQueryException("HTTP " + code + " from " + where + " with a successful body: "
                    + Texts.quote(reply.body(), secrets));
        }
        return envelope;
    }

    /** The query result of a successful answer, its warnings without secrets. */
    private QueryResult result(String path, ResponseParser.Envelope envelope) {
        String where = endpoint(path);
        try {
            QueryResult result = ResponseParser.result(envelope);
            if (result.warnings().isEmpty()) {
                return result;
            }
            // Warnings go into explanations: a proxy or store that echoes a credential must not put it there.
            return new QueryResult(result.resultType(), result.series(), result.text(),
                    result.warnings().stream().map(w -> Texts.redact(w, secrets)).toList());
        } catch (ResponseParser.NotPrometheusJson e) {
            throw new PrometheusQueryException("the answer of " + where + " is not Prometheus' JSON: " + message(e));
        }
    }

    private String warnings(List<String> warnings) {
        return warnings.isEmpty() ? "" : "; warnings: " + Texts.redact(String.join("; ", warnings), secrets);
    }

    private static String mediaType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }

    private String message(Exception e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return Texts.redact(text, secrets);
    }

    /** Seconds since the epoch with millisecond precision: the form Prometheus reads fastest. */
    static String seconds(Instant time) {
        return BigDecimal.valueOf(time.getEpochSecond()).add(BigDecimal.valueOf(time.getNano(), 9))
                .setScale(3, java.math.RoundingMode.DOWN).toPlainString();
    }

    static String seconds(Duration duration) {
        return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString();
    }

    String authorizationKind() {
        if (authorization == null) {
            return "none";
        }
        return authorization.startsWith("Bearer ") ? "bearer" : "basic";
    }

    @Override
    public synchronized void close() {
        if (http != null) {
            http.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
            http = null;
        }
    }

    private record Reply(int status, String contentType, byte[] body, String location, String date) {
    }

    /** The body is larger than the cap; thrown out of the handler so the rest is never read. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** A failure not worth another attempt in this round: bad query, bad response, bad TLS. */
    static class PrometheusQueryException extends VigilException {
        private static final long serialVersionUID = 1L;

        PrometheusQueryException(String message) {
            super(message);
        }
    }

    /** An endpoint the server does not have (HTTP 404): a wrong base-url, or an API the server leaves out. */
    static final class NotFound extends PrometheusQueryException {
        private static final long serialVersionUID = 1L;

        /** {@code HTTP 404 (text/plain) from <url>}, without the advice. */
        private final String what;

        NotFound(String message, String what) {
            super(message);
            this.what = what;
        }

        String what() {
            return what;
        }
    }
}
