package dev.vigil.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;

/**
 * The blocking client of webhooks: sends one request to each of a few targets, concurrently,
 * within one time budget, with a fresh connection pool per call that is closed hard at the end.
 * Immutable and thread-safe. Probes use {@link FleetClient} instead, which keeps its connections
 * and costs no thread per pending request.
 *
 * <p>httpclient's own retries are off: the engine decides what to retry. Redirects are followed
 * up to {@value #MAX_REDIRECTS} times when enabled. The {@code Authorization} header is sent only
 * to the host the request was addressed to, never to a host a redirect points at.
 */
final class HttpTransport {

    /** Redirects followed before giving up. */
    static final int MAX_REDIRECTS = 10;
    /** Most threads used at once for one fleet. */
    static final int MAX_PARALLEL = 256;

    private static final String USER_AGENT = "vigil-probe";
    private static final AtomicInteger THREAD_IDS = new AtomicInteger();

    private final String method;
    private final Map<String, String> headers;
    private final String body;
    private final Secret authorization;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final boolean followRedirects;
    private final long maxBodySize;
    private final Tls tls;
    /**
     * Whether a body past {@link #maxBodySize} is cut there, and one the server cut short kept as far
     * as it came (a webhook's answer), rather than a failure.
     */
    private boolean cutLongBodies;
    /** How far back a cut answer is shortened to the end of a word: longer than any credential. */
    private static final int LONGEST_WORD = 4096;

    HttpTransport(String method, Map<String, String> headers, String body, Secret authorization,
            Duration connectTimeout, Duration responseTimeout, boolean followRedirects, long maxBodySize, Tls tls) {
        this.method = Objects.requireNonNull(method, "method");
        this.headers = Map.copyOf(new LinkedHashMap<>(headers));
        this.body = body;
        this.authorization = authorization;
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.followRedirects = followRedirects;
        this.maxBodySize = maxBodySize;
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    /**
     * This transport, reading at most {@code maxBodySize} of a body and noting the cut, and keeping
     * what came of a body the server cut short (shorter than its {@code Content-Length}, a chunk
     * missing) with why the rest is missing, instead of failing the exchange: for a webhook, whose
     * status says whether it acted and whose answer is only shown, so that a long or broken answer to
     * a rollback that went through does not report it failed.
     */
    HttpTransport cuttingLongBodies() {
        this.cutLongBodies = true;
        return this;
    }

    String method() {
        return method;
    }

    Tls tls() {
        return tls;
    }

    /**
     * Sends the request to every target at once and waits at most {@code budget}.
     *
     * @param limit how messages name the limit that {@code budget} comes from ({@code timeout 2s})
     * @return one exchange per target, in order; a target without a full response by then is an
     *     error naming the budget
     * @throws InterruptedException when the calling thread is interrupted; every request is aborted first
     */
    List<Exchange> exchangeAll(List<Target> targets, Duration budget, String limit) throws InterruptedException {
        long start = System.nanoTime();
        long budgetNanos = Math.max(1, budget.toNanos());
        List<HttpUriRequestBase> requests = new ArrayList<>();
        for (Target target : targets) {
            requests.add(request(target));
        }
        List<Exchange> results = new ArrayList<>();
        CloseableHttpClient client = client(targets.size(), budget);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(Math.max(1, targets.size()), MAX_PARALLEL), r -> {
            Thread t = new Thread(r, "vigil-http-" + THREAD_IDS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Future<Exchange>> futures = new ArrayList<>();
        // The status each target answered with before its body was read: one whose body stalls past
        // the budget still said something (a webhook's 202 Accepted: the receiver took the rollback on).
        AtomicIntegerArray statuses = new AtomicIntegerArray(targets.size());
        try {
            for (int i = 0; i < targets.size(); i++) {
                Target target = targets.get(i);
                HttpUriRequestBase request = requests.get(i);
                int index = i;
                futures.add(pool.submit(() -> exchange(client, target, request, limit, status -> statuses.set(index, status))));
            }
            for (int i = 0; i < targets.size(); i++) {
                long remaining = budgetNanos - (System.nanoTime() - start);
                Future<Exchange> future = futures.get(i);
                Exchange result;
                try {
                    result = future.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    requests.get(i).cancel();
                    future.cancel(true);
                    result = Exchange.failed(targets.get(i), describe(targets.get(i))
                            + ": no complete response within " + limit + bodyUnfinished(statuses.get(i)), false);
                } catch (ExecutionException e) {
                    result = Exchange.failed(targets.get(i), describe(targets.get(i)) + ": " + e.getCause(), false);
                }
                results.add(result);
            }
            return results;
        } catch (InterruptedException e) {
            requests.forEach(HttpUriRequestBase::cancel);
            throw e;
        } finally {
            pool.shutdownNow();
            client.close(CloseMode.IMMEDIATE);
        }
    }

    private HttpUriRequestBase request(Target target) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, target.uri());
        boolean hasAccept = false;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            request.addHeader(h.getKey(), h.getValue());
            hasAccept |= h.getKey().equalsIgnoreCase("Accept");
        }
        if (!hasAccept) {
            request.addHeader("Accept", "*/*");
        }
        if (body != null) {
            request.removeHeaders("Content-Type");
            request.setEntity(new StringEntity(body, Failures.bodyType(headers, body)));
        }
        return request;
    }

    private CloseableHttpClient client(int fleetSize, Duration budget) {
        Timeout whole = Timeout.of(budget.isZero() || budget.isNegative() ? Duration.ofMillis(1) : budget);
        Timeout connect = connectTimeout == null ? whole : Timeout.of(Failures.shorter(connectTimeout, budget));
        Timeout socket = responseTimeout == null ? whole : Timeout.of(Failures.shorter(responseTimeout, budget));
        int size = Math.max(2, fleetSize);
        PoolingHttpClientConnectionManagerBuilder cm = PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(size)
                .setMaxConnPerRoute(size)
                .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(socket).build())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(connect)
                        .setSocketTimeout(socket)
                        .build());
        cm.setTlsSocketStrategy(tls.strategy());
        PoolingHttpClientConnectionManager manager = cm.build();
        RequestConfig config = RequestConfig.custom()
                .setConnectionRequestTimeout(whole)
                .setResponseTimeout(socket)
                .setRedirectsEnabled(followRedirects)
                .setMaxRedirects(MAX_REDIRECTS)
                .setCircularRedirectsAllowed(false)
                .setAuthenticationEnabled(false)
                .setHardCancellationEnabled(true)
                .build();
        HttpClientBuilder builder = HttpClientBuilder.create()
                .setConnectionManager(manager)
                .setConnectionManagerShared(false)
                .setDefaultRequestConfig(config)
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableAuthCaching()
                .setUserAgent(USER_AGENT);
        if (!followRedirects) {
            builder.disableRedirectHandling();
        }
        if (authorization != null) {
            builder.addRequestInterceptorLast(Credentials.take(new LinkedHashMap<>(), authorization).interceptor());
        }
        return builder.build();
    }

    /** What a response whose head came but whose body did not finish in time said: its status; empty when none came. */
    private static String bodyUnfinished(int status) {
        return status == 0 ? "" : " (it answered " + status + ", but its body did not finish)";
    }

    private Exchange exchange(CloseableHttpClient client, Target target, HttpUriRequestBase request, String limit,
            IntConsumer answered) {
        HttpClientContext context = HttpClientContext.create();
        Credentials.remember(context, request);
        long start = System.nanoTime();
        ClassicHttpResponse response = null;
        int status = 0;
        try {
            response = client.executeOpen(null, request, context);
            status = response.getCode();
            answered.accept(status);
            Map<String, String> responseHeaders = Response.headers(response.getHeaders());
            String text = readBody(response.getEntity());
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            return Exchange.ok(target, new Response(status, responseHeaders, text, latency));
        } catch (BodyTooLargeException e) {
            request.cancel();
            return Exchange.failed(target, describe(target) + ": " + e.getMessage(), false);
        } catch (IOException | RuntimeException e) {
            boolean abortedAtDeadline = request.isCancelled() || Thread.currentThread().isInterrupted();
            request.cancel();
            if (abortedAtDeadline) {
                return Exchange.failed(target, describe(target) + ": no complete response within " + limit + bodyUnfinished(status), false);
            }
            return classify(target, e);
        } finally {
            if (response != null) {
                try {
                    response.close();
                } catch (IOException e) {
                    // The connection is discarded either way.
                }
            }
        }
    }

    private String readBody(HttpEntity entity) throws IOException {
        if (entity == null) {
            return "";
        }
        long declared = entity.getContentLength();
        if (declared > maxBodySize && !cutLongBodies) {
            throw new BodyTooLargeException("response body of " + declared + " bytes exceeds max-body-size "
                    + Sizes.format(maxBodySize));
        }
        Charset charset = Failures.charsetOf(entity.getContentType());
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Math.max(declared, 256), 64 * 1024));
        byte[] buffer = new byte[8192];
        try (InputStream in = entity.getContent()) {
            long total = 0;
            int n;
            while ((n = in.read(buffer)) >= 0) {
                total += n;
                if (total > maxBodySize) {
                    if (cutLongBodies) {
                        // The rest is not read; the connection is closed rather than reused.
                        out.write(buffer, 0, (int) (n - (total - maxBodySize)));
                        return toSpace(out.toString(charset)) + System.lineSeparator() + "[answer cut at "
                                + Sizes.format(maxBodySize) + "]";
                    }
                    throw new BodyTooLargeException("response body exceeds max-body-size " + Sizes.format(maxBodySize)
                            + " (more than " + maxBodySize + " bytes)");
                }
                out.write(buffer, 0, n);
            }
        } catch (BodyTooLargeException e) {
            throw e;
        } catch (org.apache.hc.core5.http.ConnectionClosedException | org.apache.hc.core5.http.MalformedChunkCodingException e) {
            // A body cut short (the receiver closed before the length it announced, a broken chunk):
            // the status already said what it did. A read that timed out or was cancelled is no such
            // answer: it stays a failure, as an answer not finished within the timeout is.
            if (!cutLongBodies) {
                throw e;
            }
            // In front, so that showing the answer's first characters shows it too.
            return "[the answer could not be read whole: " + e.getMessage() + "] " + out.toString(charset);
        }
        return out.toString(charset);
    }

    /**
     * A cut answer up to its last whitespace, at most {@link #LONGEST_WORD} characters back: the word
     * the cut fell in may be a credential, which cut in two is no longer the value masked.
     */
    private static String toSpace(String cut) {
        int floor = Math.max(0, cut.length() - LONGEST_WORD);
        int end = cut.length();
        while (end > floor && !Character.isWhitespace(cut.charAt(end - 1))) {
            end--;
        }
        return cut.substring(0, end);
    }

    private Exchange classify(Target target, Exception e) {
        return Failures.classify(target, describe(target), e, connectTimeout, responseTimeout);
    }

    String describe(Target target) {
        return method + " " + target.name();
    }

    @Override
    public String toString() {
        return method.toUpperCase(Locale.ROOT) + " (TLS " + tls + ")";
    }

    /** The body went past {@code max-body-size}. */
    static final class BodyTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException(String message) {
            super(message);
        }
    }
}
