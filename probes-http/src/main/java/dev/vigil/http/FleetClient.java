package dev.vigil.http;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.nio.entity.AbstractBinAsyncEntityConsumer;
import org.apache.hc.core5.http.nio.support.AbstractAsyncResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The client of an HTTP probe: one non-blocking client (httpclient5's async client; HTTP/1.1 with
 * keep-alive, HTTP/2 where a TLS server offers it) kept from one round to the next, so that a round
 * reuses the connections of the one before and a pending request costs no thread. Each request has
 * the round's deadline: a black-holed instance is one pending request, cancelled at the deadline.
 *
 * <p>The client and its I/O threads start with the first request and end with {@link #close()};
 * a request after {@code close()} starts them again. Thread-safe.
 *
 * <p>{@code latency} runs from the moment a request is sent on an open connection to the last
 * byte of its body; the time spent getting the connection (pool lease, TCP connect, TLS handshake)
 * is reported apart as {@code connect-time}. httpclient's own retries are off: the engine decides
 * what to retry. Credential headers go only to the host a request was made for ({@link Credentials}).
 */
final class FleetClient implements AutoCloseable {

    /** Redirects followed before giving up. */
    static final int MAX_REDIRECTS = 10;
    /** Connections kept open for at most this long without being used. */
    static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofSeconds(2);

    /** Connect timeout when none is set: the round's deadline cancels a pending connect long before. */
    static final Timeout DEFAULT_CONNECT_TIMEOUT = Timeout.ofMinutes(1);

    /** Bytes buffered per connection and direction. */
    static final int BUFFER_SIZE = 2048;

    private static final String TIMING = "dev.vigil.http.timing";
    /** Marks an exchange of {@link #connectAll}: it ends once connected, before its request is sent. */
    private static final String CONNECT_ONLY = "dev.vigil.http.connect-only";
    private static final String USER_AGENT = "vigil-probe";
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FleetClient.class);

    private final String method;
    private final Map<String, String> headers;
    private final String body;
    private final ContentType bodyType;
    private final Credentials credentials;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final boolean followRedirects;
    private final long maxBodySize;
    private final Tls tls;
    private final int fleetSize;
    private CloseableHttpAsyncClient client;
    /** Whether a round gave up on an exchange, whose connect may be pending: cancelling does not end it, and a graceful close waits for it. */
    private volatile boolean abandonedConnects;

    /**
     * @param headers the plain headers (credential headers already taken out into {@code credentials})
     * @param fleetSize how many targets a round sends to at once: the pool keeps as many connections
     */
    FleetClient(String method, Map<String, String> headers, String body, Credentials credentials, Duration connectTimeout,
            Duration responseTimeout, boolean followRedirects, long maxBodySize, Tls tls, int fleetSize) {
        this.method = Objects.requireNonNull(method, "method");
        Map<String, String> plain = new LinkedHashMap<>(headers);
        this.bodyType = body == null ? null : Failures.bodyType(plain, body);
        plain.keySet().removeIf(name -> name.equalsIgnoreCase("Content-Type") && body != null);
        if (plain.keySet().stream().noneMatch(name -> name.equalsIgnoreCase("Accept"))) {
            plain.put("Accept", "*/*");
        }
        this.headers = Map.copyOf(plain);
        this.body = body;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.followRedirects = followRedirects;
        this.maxBodySize = maxBodySize;
        this.tls = Objects.requireNonNull(tls, "tls");
        this.fleetSize = Math.max(1, fleetSize);
    }

    Tls tls() {
        return tls;
    }

    /**
     * Whether the request may change the service: any method but {@code GET}, {@code HEAD},
     * {@code OPTIONS} and {@code TRACE}, which HTTP defines as safe (RFC 9110, 9.2.1).
     */
    boolean changesState() {
        return !java.util.Set.of("GET", "HEAD", "OPTIONS", "TRACE").contains(method.toUpperCase(Locale.ROOT));
    }

    /** The request's method, upper case. */
    String method() {
        return method.toUpperCase(Locale.ROOT);
    }

    /** How a request is named in messages: {@code GET pod-3}. */
    String describe(Target target) {
        return method + " " + target.name();
    }

    /**
     * Sends the request to every target at once and waits at most {@code budget}.
     *
     * @param limit how messages name the limit that {@code budget} comes from ({@code timeout 2s})
     * @return one exchange per target, in order; a target without a full response by then is an
     *     error naming the budget, and its request is cancelled
     * @throws InterruptedException when the calling thread is interrupted; every request is cancelled first
     */
    List<Exchange> exchangeAll(List<Target> targets, Duration budget, String limit) throws InterruptedException {
        return exchangeAll(targets, budget, limit, false);
    }

    /**
     * Connects to every target at once, as {@link #exchangeAll} sends, and sends nothing: an
     * exchange ends as soon as its connection is open (TLS handshake included), before its request
     * would be written. A host that does not resolve or accept a connection within {@code budget}
     * is an error naming its host and port; its attempt is cancelled.
     *
     * @param limit how messages name the limit that {@code budget} comes from ({@code timeout 2s})
     * @return one exchange per target, in order; a connected one holds an empty response
     * @throws InterruptedException when the calling thread is interrupted; every attempt is cancelled first
     */
    List<Exchange> connectAll(List<Target> targets, Duration budget, String limit) throws InterruptedException {
        return exchangeAll(targets, budget, limit, true);
    }

    private List<Exchange> exchangeAll(List<Target> targets, Duration budget, String limit, boolean connectOnly)
            throws InterruptedException {
        long start = System.nanoTime();
        long budgetNanos = Math.max(1, budget.toNanos());
        CloseableHttpAsyncClient http = client();
        RequestConfig config = RequestConfig.custom()
                .setResponseTimeout(Timeout.of(responseTimeout == null ? budget : Failures.shorter(responseTimeout, budget)))
                .setConnectionRequestTimeout(Timeout.of(budget))
                .setRedirectsEnabled(followRedirects)
                .setMaxRedirects(MAX_REDIRECTS)
                .setCircularRedirectsAllowed(false)
                .setAuthenticationEnabled(false)
                .build();
        List<Future<Response>> futures = new ArrayList<>(targets.size());
        List<Timing> timings = new ArrayList<>(targets.size());
        java.util.Set<String> instances = targets.size() < 2 ? java.util.Set.of() : targets.stream()
                .map(t -> Redirects.withoutQuery(Target.identity(t.uri()))).collect(java.util.stream.Collectors.toUnmodifiableSet());
        for (Target target : targets) {
            SimpleHttpRequest request = request(target);
            HttpClientContext context = HttpClientContext.create();
            context.setRequestConfig(config);
            Credentials.remember(context, request);
            if (connectOnly) {
                context.setAttribute(CONNECT_ONLY, Boolean.TRUE);
            }
            Timing timing = new Timing(System.nanoTime(), target.uri(), instances);
            context.setAttribute(TIMING, timing);
            timings.add(timing);
            futures.add(http.execute(SimpleRequestProducer.create(request), new CappedConsumer(maxBodySize, timing),
                    null, context, null));
        }
        List<Exchange> results = new ArrayList<>(targets.size());
        List<Future<Response>> late = new ArrayList<>();
        try {
            for (int i = 0; i < targets.size(); i++) {
                Future<Response> future = futures.get(i);
                long remaining = budgetNanos - (System.nanoTime() - start);
                Exchange exchange = remaining <= 0 && !future.isDone() ? null
                        : await(targets.get(i), future, timings.get(i), remaining, limit, connectOnly);
                if (exchange == null) {
                    late.add(future);
                    exchange = late(targets.get(i), timings.get(i), limit, connectOnly);
                }
                results.add(exchange);
            }
            return results;
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            throw e;
        } finally {
            // Cancelling closes each late connection: with thousands of them that takes a while, so it
            // happens after the measurement is handed back, not before its deadline.
            if (!late.isEmpty()) {
                // A late request may still be connecting (a host that never answers its SYN), as a late
                // connect of connectAll is: cancelling does not end that connect, so the close must not wait.
                abandonedConnects = true;
                CompletableFuture.runAsync(() -> late.forEach(f -> f.cancel(true)));
            }
        }
    }

    /** The exchange, or {@code null} when it is not complete in time (the caller cancels it). */
    private Exchange await(Target target, Future<Response> future, Timing timing, long remainingNanos, String limit,
            boolean connectOnly) throws InterruptedException {
        String where = connectOnly ? target.hostAndPort() : describe(target);
        try {
            return Exchange.ok(target, future.get(Math.max(0, remainingNanos), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return null;
        } catch (CancellationException e) {
            return late(target, timing, limit, connectOnly);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTransport.BodyTooLargeException) {
                return Exchange.failed(target, where + ": " + cause.getMessage(), false);
            }
            if (!timing.answered() && cause instanceof ConnectionClosedException) {
                // closed before the head of a response: as the blocking client says, and worth another attempt
                cause = new NoHttpResponseException(cause.getMessage());
            }
            return Failures.classify(target, where, cause, connectTimeout, responseTimeout);
        }
    }

    /** The failure of an exchange not complete within {@code limit}. */
    private Exchange late(Target target, Timing timing, String limit, boolean connectOnly) {
        if (connectOnly) {
            return Exchange.failed(target, target.hostAndPort() + " did not accept a connection within " + limit, false);
        }
        return Exchange.failed(target, describe(target) + ": no complete response within " + limit
                + (timing.connected() ? "" : " (still connecting)"), false);
    }

    private SimpleHttpRequest request(Target target) {
        SimpleRequestBuilder request = SimpleRequestBuilder.create(method).setUri(target.uri());
        headers.forEach(request::addHeader);
        if (body != null) {
            request.setBody(body, bodyType);
        }
        return request.build();
    }

    /**
     * Builds and starts the client now, if it is not yet: in a fresh JVM on a busy host its TLS
     * context and classes take about a second, which neither the check before deploying nor a
     * bake's first round must count against the service's answer ({@link FleetProbe#prepare}).
     */
    void start() {
        client();
    }

    /** Whether the client is built and started: {@link #start} or a request did it, and no close since. */
    synchronized boolean started() {
        return client != null;
    }

    private synchronized CloseableHttpAsyncClient client() {
        if (client == null) {
            client = build();
            client.start();
        }
        return client;
    }

    private CloseableHttpAsyncClient build() {
        ConnectionConfig connections = ConnectionConfig.custom()
                .setConnectTimeout(connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : Timeout.of(connectTimeout))
                .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
                .build();
        PoolingAsyncClientConnectionManagerBuilder pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(2 * fleetSize + 2)
                .setMaxConnPerRoute(fleetSize + 1)
                .setDefaultConnectionConfig(connections)
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.NEGOTIATE).build())
                .setTlsStrategy(tls.asyncStrategy());
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
                .setConnectionManager(pool.build())
                .setIOReactorConfig(IOReactorConfig.custom().setTcpNoDelay(true).build())
                // Small buffers per connection: a fleet of 2,000 keeps 2,000 connections open, and a
                // health answer is a few hundred bytes (a larger body still streams through).
                .setHttp1Config(Http1Config.custom().setBufferSize(BUFFER_SIZE).setInitialWindowSize(BUFFER_SIZE).build())
                .setThreadFactory(new DefaultThreadFactory("vigil-http-io", true))
                .setIoReactorExceptionCallback(FleetClient::ioReactorFailed)
                .disableAutomaticRetries()
                .disableContentCompression()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT)
                .addExecInterceptorBefore(ChainElement.CONNECT.name(), "vigil-connect-start", (request, entity, scope, chain, callback) -> {
                    timing(scope.clientContext).connecting();
                    chain.proceed(request, entity, scope, callback);
                })
                .addResponseInterceptorFirst((response, entity, context) -> timing(context).answer())
                .addExecInterceptorBefore(ChainElement.MAIN_TRANSPORT.name(), "vigil-sent", (request, entity, scope, chain, callback) -> {
                    timing(scope.clientContext).sending();
                    if (scope.clientContext.getAttribute(CONNECT_ONLY) != null) {
                        // Connected, and the request may change the service: it ends here, unsent.
                        callback.handleResponse(new BasicHttpResponse(HttpStatus.SC_NO_CONTENT), null);
                        callback.completed();
                        return;
                    }
                    chain.proceed(request, entity, scope, callback);
                });
        if (followRedirects) {
            builder.setRedirectStrategy(new SameHostRedirects());
        } else {
            builder.disableRedirectHandling();
        }
        if (!credentials.isEmpty()) {
            builder.addRequestInterceptorLast(credentials.interceptor());
        }
        return builder.build();
    }

    private static Timing timing(HttpContext context) {
        Object timing = context.getAttribute(TIMING);
        return timing instanceof Timing t ? t : new Timing(System.nanoTime(), null, java.util.Set.of());
    }

    /**
     * Follows a redirect only where the answer is still the URL's own ({@link Redirects}): the same
     * host name and path, give or take a trailing slash, as Kubernetes' {@code httpGet} probe
     * follows only the same host. Any other redirect (a single sign-on page, Spring Security's
     * {@code /login}) is the answer, and the exchange remembers where it pointed
     * ({@link Response#notFollowed}), since what answers there is not the service; each redirect
     * followed is remembered too ({@link Response#redirects}), so that the report says where the
     * answer came from. Nor is a redirect to another instance of the same fleet followed: its answer
     * is that instance's, counted already.
     */
    private static final class SameHostRedirects extends DefaultRedirectStrategy {
        @Override
        public boolean isRedirected(HttpRequest request, HttpResponse response, HttpContext context) throws ProtocolException {
            if (!super.isRedirected(request, response, context)) {
                return false;
            }
            URI location;
            URI from;
            try {
                location = getLocationURI(request, response, context);
                from = request.getUri();
            } catch (HttpException | URISyntaxException e) {
                // A Location the client cannot follow: it fails the exchange as it would anyway.
                return true;
            }
            Timing timing = timing(context);
            URI requested = timing.requested() == null ? from : timing.requested();
            Redirects.NotFollowed away = Redirects.notFollowed(requested, location);
            if (away == null) {
                away = Redirects.toAnotherInstance(requested, location, timing.instances());
            }
            if (away != null) {
                timing.notFollowed(away);
                return false;
            }
            timing.followed(from, location);
            return true;
        }
    }

    /**
     * What the I/O threads do with an exception of their own, outside any request: httpclient5's
     * default logs it at error level with its stack trace, which a user stopping the command-line
     * jar with Ctrl-C met as {@code [ERROR] async - null} and a {@code ClosedSelectorException}
     * (a selector closed under a reactor shutting down). The requests it touched fail on their own
     * and are reported as such; the exception is a debug line with its stack trace, and outside a
     * shutdown also a warning that names its class.
     */
    static void ioReactorFailed(Exception e) {
        boolean shutdown = e instanceof java.nio.channels.ClosedSelectorException
                || e instanceof java.nio.channels.CancelledKeyException;
        if (!shutdown) {
            LOG.warn("the HTTP client's I/O threads failed: {}", e.getClass().getName());
        }
        LOG.debug("the HTTP client's I/O threads failed", e);
    }

    /**
     * Closes the client, its connections and its I/O threads at once; after a round (a request or
     * {@link #connectAll}) gave up on a host, without waiting for its pending connect (a graceful
     * close would, up to five seconds). Idempotent.
     */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close(abandonedConnects ? CloseMode.IMMEDIATE : CloseMode.GRACEFUL);
            client = null;
            abandonedConnects = false;
        }
    }

    @Override
    public String toString() {
        return method.toUpperCase(Locale.ROOT) + " (TLS " + tls + ")";
    }

    /**
     * When one exchange got its connections and sent its request: the time spent connecting is
     * summed over the hops of a redirect; what is left of the whole is the latency. Also which
     * redirects it followed, and the one it did not. Written by I/O threads, read once the exchange
     * is complete.
     */
    private static final class Timing {
        private final long start;
        private final URI requested;
        private final java.util.Set<String> instances;
        private final AtomicLong connectNanos = new AtomicLong();
        private final List<String> hops = new CopyOnWriteArrayList<>();
        private volatile long hopStart;
        private volatile boolean connected;
        private volatile boolean answered;
        private volatile Redirects.NotFollowed notFollowed;

        /** @param instances the identities of the round's instances, without queries ({@link Redirects#toAnotherInstance}) */
        Timing(long start, URI requested, java.util.Set<String> instances) {
            this.start = start;
            this.requested = requested;
            this.instances = instances;
            this.hopStart = start;
        }

        URI requested() {
            return requested;
        }

        java.util.Set<String> instances() {
            return instances;
        }

        void connecting() {
            hopStart = System.nanoTime();
        }

        void sending() {
            connectNanos.addAndGet(System.nanoTime() - hopStart);
            connected = true;
        }

        boolean connected() {
            return connected;
        }

        void answer() {
            answered = true;
        }

        boolean answered() {
            return answered;
        }

        /** A redirect was followed. */
        void followed(URI from, URI to) {
            if (hops.isEmpty()) {
                hops.add(Redirects.shown(from));
            }
            hops.add(Redirects.shown(to));
        }

        /** A redirect was not followed: this response is the answer. */
        void notFollowed(Redirects.NotFollowed where) {
            notFollowed = where;
        }

        Response response(int status, Map<String, String> headers, String body, long endNanos) {
            long connect = connectNanos.get();
            return new Response(status, headers, body, Duration.ofNanos(Math.max(0, endNanos - start - connect)),
                    Duration.ofNanos(connect), hops, notFollowed);
        }
    }

    /** Reads the whole response, failing the exchange once the body passes {@code max-body-size}. */
    private static final class CappedConsumer extends AbstractAsyncResponseConsumer<Response, byte[]> {
        private final Timing timing;

        CappedConsumer(long maxBodySize, Timing timing) {
            super(() -> new CappedBody(maxBodySize));
            this.timing = timing;
        }

        @Override
        protected Response buildResult(HttpResponse response, byte[] entity, ContentType contentType) {
            long end = System.nanoTime();
            Map<String, String> responseHeaders = Response.headers(response.getHeaders());
            String text = entity == null ? ""
                    : new String(entity, Failures.charsetOf(contentType == null ? null : contentType.toString()));
            return timing.response(response.getCode(), responseHeaders, text, end);
        }

        @Override
        public void informationResponse(HttpResponse response, HttpContext context) {
            // 1xx answers carry nothing to judge
        }
    }

    /** A body kept in memory up to a cap. */
    private static final class CappedBody extends AbstractBinAsyncEntityConsumer<byte[]> {
        private final long cap;
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);

        CappedBody(long cap) {
            this.cap = cap;
        }

        @Override
        protected void streamStart(ContentType contentType) {
            // the type is read from the response head
        }

        @Override
        protected int capacityIncrement() {
            return BUFFER_SIZE;
        }

        @Override
        protected void data(ByteBuffer src, boolean endOfStream) throws IOException {
            if (bytes.size() + (long) src.remaining() > cap) {
                throw new HttpTransport.BodyTooLargeException("response body exceeds max-body-size " + Sizes.format(cap)
                        + " (more than " + cap + " bytes)");
            }
            byte[] chunk = new byte[src.remaining()];
            src.get(chunk);
            bytes.write(chunk, 0, chunk.length);
        }

        @Override
        protected byte[] generateContent() {
            return bytes.toByteArray();
        }

        @Override
        public void releaseResources() {
            // nothing held but the bytes
        }
    }
}
