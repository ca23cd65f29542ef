package dev.vigil.prometheus;

import dev.vigil.ProbeResult;
import dev.vigil.Durations;
import dev.vigil.Outcome;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.prometheus.PrometheusClient.PrometheusQueryException;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.ssl.SSLContextBuilder;

/**
 * A probe that asks Prometheus (or a back end with its query API: Thanos, Mimir, Cortex,
 * VictoriaMetrics) a PromQL question every round and judges the answer.
 *
 * <pre>{@code
 * PrometheusProbe errorRate = PrometheusProbe.builder()
 *     .baseUrl("http://prometheus:9090")
 *     .query("sum(rate(http_requests_total{status=~\"5..\"}[1m])) / sum(rate(http_requests_total[1m]))")
 *     .failWhen("value > 0.01")
 *     .build();
 * }</pre>
 *
 * <h2>What is judged</h2>
 * <ul>
 *   <li>An instant query runs at the round's time ({@link ProbeContext#time()}). A vector is judged
 *   series by series with {@code value} (a number) and {@code labels} (a map:
 *   {@code labels.instance == "a"}); the measurement fails when any series fails, and the
 *   explanation names that series ({@code {instance="a",job="x"}}). A scalar is one value. A matrix
 *   or a string is an {@code ERROR} that names the type.</li>
 *   <li>A range query ({@link Builder#range}) covers {@code [time - range, time]}, never before
 *   {@link ProbeContext#verificationStarted()}, and judges every point: "no point above the
 *   threshold in the last 5 minutes". The explanation names the first failing point and its time,
 *   and says when the window was cut at the verification's start.</li>
 *   <li>No series at all: see {@link OnNoData} (default {@code INCONCLUSIVE}).</li>
 *   <li>NaN is missing data: a NaN series follows {@link OnNoData} on its own (with
 *   {@code INCONCLUSIVE} it is left out and named) and the other series are judged, unless the
 *   condition calls {@code isNaN} or {@code isInf}: then the value is handed to the condition as it
 *   is. A comparison with NaN is false, so {@code fail-when: value > 0.01} alone would pass a NaN;
 *   this rule prevents a false pass. Infinities compare as the numbers they are.</li>
 *   <li>Prometheus' warnings and a partial answer make a measurement that would pass
 *   {@code INCONCLUSIVE}, quoting them, unless every warning matches {@link Builder#allowWarnings}.</li>
 *   <li>Canary mode ({@link Builder#canary}): two queries each round, run at once, the samples
 *   handed to a {@link SamplesJudge}. Counts mode ({@link Builder#counts}): four counts for the
 *   count test of a canary judge.</li>
 *   <li>Every query of a round and every retry share the round's deadline
 *   ({@link ProbeContext#deadline()}).</li>
 * </ul>
 *
 * <h2>Failures</h2>
 * Prometheus' own errors ({@code errorType}, {@code error}, {@code warnings}) are quoted in the
 * measurement. A query Prometheus rejects ({@code bad_data}, {@code execution}, HTTP 4xx), a body
 * that is not Prometheus' JSON (cut short, an HTML page from a proxy; a short sanitized prefix is
 * quoted) and TLS failures are {@code ERROR}s. HTTP 5xx and 429, the error types {@code internal},
 * {@code timeout}, {@code canceled} and {@code unavailable}, timeouts and failed connections are
 * thrown as {@link dev.vigil.RetryableProbeException} so that the verifier retries them within
 * the round. The HTTP client never retries by itself and never follows redirects.
 *
 * <p>Thread-safe. Holds a connection pool: {@link #close()} it when done (an unclosed probe only
 * keeps idle connections until they are collected); a probe used after {@code close()} opens a
 * new pool. Secrets (bearer token,
 * password, credentials in headers) never appear in measurements, messages, logs or
 * {@link #toString()}.
 */
public final class PrometheusProbe implements Probe, AutoCloseable {

    /** The names a condition sees for each point: {@code value} (number) and {@code labels} (map). */
    public static final Map<String, ValueType> NAMES = Map.of("value", ValueType.NUMBER, "labels", ValueType.ANY);

    /** The names the default {@link SamplesJudge} offers: {@code canary}, {@code baseline}, {@code ratio}. */
    public static final Map<String, ValueType> CANARY_NAMES = Map.of(
            "canary", ValueType.NUMBER, "baseline", ValueType.NUMBER, "ratio", ValueType.NUMBER);

    /** Default cap on a response body: 10 MiB. A larger answer is an {@code ERROR}. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

    /** Default step of a range query: 15 seconds. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(15);

    /** Default connect timeout: 5 seconds (the probe's timeout bounds the whole request anyway). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Most points a range query may ask for per series, as Prometheus allows. */
    public static final int MAX_POINTS = 11_000;

    /**
     * With {@link HttpMethod#AUTO}, a query whose URL-encoded parameters are longer than this many
     * characters is sent as a POST form instead of a GET.
     */
    public static final int MAX_GET_QUERY_LENGTH = 2000;

    private static final int DESCRIPTION_QUERY_LENGTH = 120;
    private static final AtomicLong QUERY_THREADS = new AtomicLong();
    private static final Set<String> SENSITIVE_HEADER_WORDS = Set.of(
            "authorization", "cookie", "token", "secret", "password", "api-key", "apikey");

    private final URI baseUrl;
    private final String query;
    private final String canaryQuery;
    private final String baselineQuery;
    private final Criteria criteria;
    private final SamplesJudge judge;
    private final ConditionScan scan;
    private final OnNoData onNoData;
    private final Duration range;
    private final Duration step;
    private final List<String> headerNames;
    private final boolean trustStore;
    private final CountQueries counts;
    private final Pattern allowWarnings;
    private final Clock clock;
    private final PrometheusClient client;

    /** How queries are sent to Prometheus. */
    public enum HttpMethod {
        /** GET while the parameters stay under {@link #MAX_GET_QUERY_LENGTH} characters, else POST. The default. */
        AUTO,
        /** Always GET (some read-only proxies allow nothing else). */
        GET,
        /** Always POST with an {@code application/x-www-form-urlencoded} body. */
        POST;

        /**
         * Reads {@code auto}, {@code get} or {@code post}, in any case.
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static HttpMethod parse(String text) {
            String value = text == null ? "" : text.trim().toUpperCase(Locale.ROOT);
            for (HttpMethod m : values()) {
                if (m.name().equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("'" + text + "' is not one of auto, get, post");
        }
    }

    private PrometheusProbe(Builder b, SSLContext sslContext) {
        this.baseUrl = b.baseUrl;
        this.query = b.query;
        this.canaryQuery = b.canaryQuery;
        this.baselineQuery = b.baselineQuery;
        this.criteria = b.criteria;
        this.judge = b.judge;
        this.scan = ConditionScan.of(b.criteria);
        this.onNoData = b.onNoData;
        this.range = b.range;
        this.step = b.step;
        this.headerNames = List.copyOf(b.headers.keySet());
        this.trustStore = sslContext != null;
        this.counts = b.counts;
        this.allowWarnings = b.allowWarnings;
        this.clock = b.clock;
        List<String> secrets = new ArrayList<>();
        String authorization = null;
        if (b.bearerToken != null) {
            authorization = PrometheusClient.bearer(b.bearerToken);
            secrets.add(b.bearerToken);
        } else if (b.username != null) {
            authorization = PrometheusClient.basic(b.username, b.password);
            secrets.add(b.password);
            secrets.add(authorization.substring("Basic ".length()));
        }
        b.headers.forEach((name, value) -> {
            if (sensitive(name)) {
                secrets.add(value);
            }
        });
        if (b.trustStorePassword != null) {
            secrets.add(b.trustStorePassword);
        }
        this.client = new PrometheusClient(baseUrl, authorization, b.headers, secrets, sslContext,
                b.maxResponseBytes, b.method, b.connectTimeout);
    }

    /** A builder; {@link Builder#baseUrl}, a query and a condition are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the query (or the canary and baseline queries, or the four count queries, all at once)
     * at the round's time and judges the answer. Every query and every retry of the round shares
     * the round's deadline ({@link ProbeContext#deadline()}).
     *
     * @throws dev.vigil.RetryableProbeException for a transient failure: HTTP 5xx or 429, a
     *     busy or unavailable Prometheus, a timeout, a refused connection
     */
    @Override
    public ProbeResult measure(ProbeContext context) {
        try {
            Duration left = timeLeft(context);
            Window window = Window.of(context, range);
            if (query != null) {
                QueryResult result = fetch(query, "query", window, left);
                return window.noted(withWarnings(Judging.points(result, criteria, scan, onNoData, range != null),
                        result.warnings()));
            }
            if (counts != null) {
                List<QueryResult> results = fetchAll(counts.queries(), CountQueries.KEYS, window, left);
                List<String> warnings = new ArrayList<>();
                results.forEach(r -> warnings.addAll(r.warnings()));
                return withWarnings(counts.judge(results, onNoData, context), warnings);
            }
            return window.noted(measureCanary(context, window, left));
        } catch (PrometheusQueryException e) {
            return ProbeResult.error(e.getMessage());
        }
    }

    /**
     * What is left of the round's deadline. When the probe's clock and the round's disagree by
     * more than the timeout (a round in virtual time), the whole timeout.
     */
    private Duration timeLeft(ProbeContext context) {
        Duration timeout = context.timeout();
        Duration left = Duration.between(clock.instant(), context.deadline());
        if (left.compareTo(timeout) > 0 || left.compareTo(timeout.negated()) < 0) {
            return timeout;
        }
        if (left.isZero() || left.isNegative()) {
            throw new PrometheusQueryException("no time left before the deadline of this round (timeout "
                    + Durations.format(timeout) + "): earlier attempts used it up");
        }
        return left;
    }

    private ProbeResult measureCanary(ProbeContext context, Window window, Duration left) {
        List<QueryResult> both = fetchAll(List.of(canaryQuery, baselineQuery), List.of("canary-query", "baseline-query"),
                window, left);
        QueryResult canary = both.get(0);
        QueryResult baseline = both.get(1);
        List<String> warnings = new ArrayList<>(canary.warnings());
        warnings.addAll(baseline.warnings());
        if (canary.series().isEmpty() || baseline.series().isEmpty()) {
            String which = canary.series().isEmpty() && baseline.series().isEmpty() ? "canary-query and baseline-query"
                    : canary.series().isEmpty() ? "canary-query" : "baseline-query";
            return withWarnings(Judging.noData(onNoData, which + " returned no data", null), warnings);
        }
        Samples canarySamples = new Samples(canaryQuery, canary.series(), canary.warnings());
        Samples baselineSamples = new Samples(baselineQuery, baseline.series(), baseline.warnings());
        ProbeResult judged;
        try {
            judged = judge.judge(canarySamples, baselineSamples, context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.error("interrupted while judging canary against baseline");
        } catch (Exception e) {
            return ProbeResult.error("the canary judge failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        if (judged == null) {
            return ProbeResult.error("the canary judge returned no measurement");
        }
        return withWarnings(judged, warnings);
    }

    /**
     * Runs several queries at once, each within the time {@code left}: the first on the calling
     * thread, the others on threads of their own. A failure of any is the failure of all.
     */
    private List<QueryResult> fetchAll(List<String> queries, List<String> keys, Window window, Duration left) {
        List<FutureTask<QueryResult>> others = new ArrayList<>();
        for (int i = 1; i < queries.size(); i++) {
            String promql = queries.get(i);
            String key = keys.get(i);
            FutureTask<QueryResult> task = new FutureTask<>(() -> fetch(promql, key, window, left));
            Thread thread = new Thread(task, "vigil-prometheus-query-" + QUERY_THREADS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
            others.add(task);
        }
        try {
            List<QueryResult> results = new ArrayList<>();
            results.add(fetch(queries.get(0), keys.get(0), window, left));
            for (FutureTask<QueryResult> task : others) {
                results.add(task.get());
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PrometheusQueryException("interrupted while querying " + client.endpoint(PrometheusClient.QUERY_PATH));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new PrometheusQueryException("querying failed: " + e.getCause());
        } finally {
            others.forEach(task -> task.cancel(true));
        }
    }

    /** Runs one query and checks that its result type fits the mode. */
    private QueryResult fetch(String promql, String key, Window window, Duration left) {
        QueryResult result = window.start() == null
                ? client.instant(promql, window.end(), left)
                : client.range(promql, window.start(), window.end(), step, left);
        String type = result.resultType();
        if (range == null && (QueryResult.VECTOR.equals(type) || QueryResult.SCALAR.equals(type))) {
            return result;
        }
        if (range != null && QueryResult.MATRIX.equals(type)) {
            return result;
        }
        String got = QueryResult.STRING.equals(type)
                ? "a string (" + Texts.quote(result.text(), List.of()) + "), not a number"
                : "a " + type;
        if (range == null && QueryResult.MATRIX.equals(type)) {
            got += " (a range vector such as x[5m]); an instant query must give a vector or a scalar:"
                    + " apply a function such as rate(...), or set range and step to judge every point";
        }
        throw new PrometheusQueryException(key + " returned " + got);
    }

    /**
     * Adds Prometheus' warnings (a partial answer is one) to the explanation. A warned answer may
     * miss series, so it proves nothing: a {@code PASS} or an {@code INCONCLUSIVE} becomes
     * {@code INCONCLUSIVE}, unless every warning matches {@code allow-warnings}. A {@code FAIL} or
     * an {@code ERROR} stays what it is: what is there already shows the problem.
     */
    private ProbeResult withWarnings(ProbeResult m, List<String> warnings) {
        if (warnings.isEmpty()) {
            return m;
        }
        List<String> unexpected = warnings.stream()
                .filter(w -> allowWarnings == null || !allowWarnings.matcher(w).find()).toList();
        String text = m.explanation() + "; Prometheus warned: " + String.join("; ", warnings);
        if (unexpected.isEmpty() || m.outcome() == Outcome.FAIL || m.outcome() == Outcome.ERROR) {
            return m.withExplanation(text);
        }
        return ProbeResult.inconclusive(m.values(), text + " (was " + m.outcome() + "; a partial or warned answer"
                + " proves nothing; allow-warnings=<regex> accepts the warnings you expect)");
    }

    /** {@code PromQL at http://host:9090: sum(rate(...))}, without secrets. */
    @Override
    public String description() {
        String window = range == null ? "" : " over the last " + Durations.format(range)
                + " every " + Durations.format(step);
        if (query != null) {
            return "PromQL" + window + " at " + baseUrl + ": " + Texts.shorten(query, DESCRIPTION_QUERY_LENGTH);
        }
        if (counts != null) {
            return "PromQL counts, canary vs baseline, judged by " + counts.analysis().describe() + " at " + baseUrl + ": "
                    + Texts.shorten(counts.canaryErrors(), DESCRIPTION_QUERY_LENGTH / 2) + " of "
                    + Texts.shorten(counts.canaryRequests(), DESCRIPTION_QUERY_LENGTH / 2);
        }
        return "PromQL canary vs baseline" + window + " at " + baseUrl + ": "
                + Texts.shorten(canaryQuery, DESCRIPTION_QUERY_LENGTH / 2) + " | "
                + Texts.shorten(baselineQuery, DESCRIPTION_QUERY_LENGTH / 2);
    }

    @Override
    public String passWhen() {
        return criteria == null ? null : criteria.passWhen();
    }

    @Override
    public String failWhen() {
        return criteria == null ? null : criteria.failWhen();
    }

    /** The base URL, with its path prefix and without a trailing slash. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** What an empty result leads to. */
    public OnNoData onNoData() {
        return onNoData;
    }

    /** Closes the connection pool. Idempotent. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("PrometheusProbe[base-url=").append(baseUrl);
        if (query != null) {
            out.append(", query=").append(Texts.shorten(query, DESCRIPTION_QUERY_LENGTH));
        } else if (counts != null) {
            for (int i = 0; i < CountQueries.KEYS.size(); i++) {
                out.append(", ").append(CountQueries.KEYS.get(i)).append('=')
                        .append(Texts.shorten(counts.queries().get(i), DESCRIPTION_QUERY_LENGTH));
            }
            out.append(", judge=").append(counts.analysis().describe());
        } else {
            out.append(", canary-query=").append(Texts.shorten(canaryQuery, DESCRIPTION_QUERY_LENGTH))
                    .append(", baseline-query=").append(Texts.shorten(baselineQuery, DESCRIPTION_QUERY_LENGTH))
                    .append(", judge=").append(judge);
        }
        if (criteria != null && criteria.passWhen() != null) {
            out.append(", pass-when=").append(criteria.passWhen());
        }
        if (criteria != null && criteria.failWhen() != null) {
            out.append(", fail-when=").append(criteria.failWhen());
        }
        out.append(", on-no-data=").append(onNoData.configValue());
        if (range != null) {
            out.append(", range=").append(Durations.format(range)).append(", step=").append(Durations.format(step));
        }
        String auth = client.authorizationKind();
        if (!auth.equals("none")) {
            out.append(", auth=").append(auth).append(' ').append(Texts.REDACTED);
        }
        if (!headerNames.isEmpty()) {
            out.append(", headers=").append(headerNames);
        }
        if (trustStore) {
            out.append(", trust-store=custom");
        }
        return out.append(']').toString();
    }

    private static boolean sensitive(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        return SENSITIVE_HEADER_WORDS.stream().anyMatch(name::contains);
    }

    /**
     * Builds a {@link PrometheusProbe}. Each setter rejects an impossible value at once with an
     * {@link IllegalArgumentException} whose message starts with the configuration key
     * ({@code base-url must be an http or https URL}); {@link #build()} rejects missing and
     * conflicting settings. Not thread-safe.
     */
    public static final class Builder {
        private URI baseUrl;
        private String query;
        private String canaryQuery;
        private String baselineQuery;
        private String passWhen;
        private String failWhen;
        private Criteria criteria;
        private SamplesJudge judge;
        private OnNoData onNoData = OnNoData.DEFAULT;
        private Duration range;
        private Duration step;
        private String bearerToken;
        private String username;
        private String password;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Path trustStorePath;
        private String trustStorePassword;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private HttpMethod method = HttpMethod.AUTO;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private CountQueries counts;
        private Pattern allowWarnings;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The address of Prometheus' HTTP API, with its path prefix when it is served under one
         * ({@code http://host:9090/prometheus}); {@code /api/v1/query} is appended. Required.
         *
         * @throws IllegalArgumentException when it is not an absolute http or https URL, or it
         *     carries credentials, a query or a fragment
         */
        public Builder baseUrl(String value) {
            Objects.requireNonNull(value, "baseUrl");
            try {
                return baseUrl(new URI(value.trim()));
            } catch (URISyntaxException e) {
                throw new InvalidSetting("base-url", "must be an http or https URL: '" + redactUserInfo(value) + "' ("
                        + e.getReason() + ")");
            }
        }

        /** Like {@link #baseUrl(String)}. */
        public Builder baseUrl(URI value) {
            Objects.requireNonNull(value, "baseUrl");
            String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || value.getHost() == null) {
                throw new InvalidSetting("base-url", "must be an http or https URL with a host, such as"
                        + " http://prometheus:9090: '" + redactUserInfo(value.toString()) + "'");
            }
            if (value.getRawUserInfo() != null) {
                throw new InvalidSetting("base-url", "must not carry credentials ('" + redactUserInfo(value.toString())
                        + "'): set username and password, or bearer-token");
            }
            if (value.getRawQuery() != null || value.getRawFragment() != null) {
                throw new InvalidSetting("base-url", "must not have a query or a fragment: '" + value + "'");
            }
            String text = value.toString();
            while (text.endsWith("/")) {
                text = text.substring(0, text.length() - 1);
            }
            this.baseUrl = URI.create(text);
            return this;
        }

        /** The PromQL query whose result is judged. Either this or {@link #canary} is required. */
        public Builder query(String value) {
            this.query = requireText("query", value);
            return this;
        }

        /**
         * Canary mode: both queries run every round and their samples go to the {@link #judge}
         * (by default the conditions over {@link #CANARY_NAMES}).
         */
        public Builder canary(String canaryQueryValue, String baselineQueryValue) {
            this.canaryQuery = requireText("canary-query", canaryQueryValue);
            this.baselineQuery = requireText("baseline-query", baselineQueryValue);
            return this;
        }

        /**
         * Counts mode: four instant queries each round, each one number counted during the round
         * (such as {@code sum(increase(http_server_requests_seconds_count{outcome="SERVER_ERROR",
         * version="2.4.1"}[10s])) or vector(0)}), fed to the count test of {@code analysis}. Use it for
         * error rates: the count test knows how many requests a ratio stands on, so it tells a real
         * regression from the noise of a quiet minute sooner than a ratio can. Exclusive with
         * {@link #query} and {@link #canary}; {@link #range} does not apply. Conditions are not used.
         *
         * @param analysis the canary judge ({@link dev.vigil.analysis.CanaryJudges}), typically sequential
         * @throws IllegalArgumentException naming the key of a blank query
         */
        public Builder counts(String canaryErrors, String canaryRequests, String baselineErrors, String baselineRequests,
                CanaryAnalysis analysis) {
            this.counts = new CountQueries(requireText(CountQueries.KEYS.get(0), canaryErrors),
                    requireText(CountQueries.KEYS.get(1), canaryRequests), requireText(CountQueries.KEYS.get(2), baselineErrors),
                    requireText(CountQueries.KEYS.get(3), baselineRequests), Objects.requireNonNull(analysis, "analysis"));
            return this;
        }

        /**
         * Warnings of Prometheus (or a partial answer of Thanos, Mimir) that still let a measurement
         * pass: a regular expression found in each warning. By default any warning makes a passing
         * measurement {@code INCONCLUSIVE}, because a warned answer may miss series.
         *
         * @throws IllegalArgumentException when the expression does not compile
         */
        public Builder allowWarnings(String regex) {
            try {
                this.allowWarnings = Pattern.compile(requireText("allow-warnings", regex));
            } catch (PatternSyntaxException e) {
                throw new InvalidSetting("allow-warnings", "is not a regular expression: " + e.getDescription()
                        + " at index " + e.getIndex());
            }
            return this;
        }

        /** The clock the probe compares with the round's deadline. Default {@link Clock#systemUTC()}. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The pass condition, over {@link #NAMES} (or {@link #CANARY_NAMES} in canary mode). */
        public Builder passWhen(String condition) {
            this.passWhen = condition;
            return this;
        }

        /** The fail condition, over {@link #NAMES} (or {@link #CANARY_NAMES} in canary mode). */
        public Builder failWhen(String condition) {
            this.failWhen = condition;
            return this;
        }

        /** Already parsed conditions; replaces {@link #passWhen} and {@link #failWhen}. */
        public Builder criteria(Criteria value) {
            this.criteria = Objects.requireNonNull(value, "criteria");
            return this;
        }

        /**
         * The judge of canary mode. Default: {@link SamplesJudge#criteria} over the conditions.
         * With a judge, conditions are optional.
         */
        public Builder judge(SamplesJudge value) {
            this.judge = Objects.requireNonNull(value, "judge");
            return this;
        }

        /** What an empty result leads to. Default {@link OnNoData#INCONCLUSIVE}. */
        public Builder onNoData(OnNoData value) {
            this.onNoData = Objects.requireNonNull(value, "onNoData");
            return this;
        }

        /**
         * Range mode: query {@code [time - range, time]} with one point every {@code step}, and
         * judge every point.
         *
         * @param rangeValue the window, such as 5 minutes
         * @param stepValue the distance between points, or {@code null} for {@link #DEFAULT_STEP}
         * @throws IllegalArgumentException when either is not positive, the step is longer than
         *     the range, or the window holds more than {@link #MAX_POINTS} points
         */
        public Builder range(Duration rangeValue, Duration stepValue) {
            Duration s = stepValue == null ? DEFAULT_STEP : stepValue;
            if (rangeValue == null || rangeValue.isNegative() || rangeValue.isZero()) {
                throw new InvalidSetting("range", "must be positive: " + rangeValue);
            }
            if (s.isNegative() || s.isZero() || s.toMillis() < 1) {
                throw new InvalidSetting("step", "must be at least 1ms: " + s);
            }
            if (s.compareTo(rangeValue) > 0) {
                throw new InvalidSetting("step", "(" + Durations.format(s) + ") must not be longer than range ("
                        + Durations.format(rangeValue) + ")");
            }
            if (rangeValue.toMillis() / s.toMillis() + 1 > MAX_POINTS) {
                throw new InvalidSetting("step", "is too small for range " + Durations.format(rangeValue)
                        + ": more than " + MAX_POINTS + " points per series; Prometheus refuses that");
            }
            this.range = rangeValue;
            this.step = s;
            return this;
        }

        /** Sends {@code Authorization: Bearer <token>}. Exclusive with {@link #basicAuth}. */
        public Builder bearerToken(String token) {
            this.bearerToken = requireText("bearer-token", token);
            return this;
        }

        /** Sends HTTP basic authentication. Exclusive with {@link #bearerToken}. */
        public Builder basicAuth(String usernameValue, String passwordValue) {
            this.username = requireText("username", usernameValue);
            this.password = Objects.requireNonNull(passwordValue, "password");
            return this;
        }

        /**
         * Adds a header to every query, such as {@code X-Scope-OrgID} for the tenant of a
         * multi-tenant back end (Mimir, Cortex, Thanos, VictoriaMetrics). Values of headers whose
         * names suggest a credential ({@code Authorization}, {@code Cookie}, {@code *token*},
         * {@code *secret*}, {@code *api-key*}) are treated as secrets.
         */
        public Builder header(String name, String value) {
            if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
                throw new InvalidSetting("headers", "has an invalid header name: '" + name + "'");
            }
            Objects.requireNonNull(value, "value");
            if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new InvalidSetting("headers." + name, "must not contain a line break");
            }
            headers.put(name, value);
            return this;
        }

        /**
         * Trusts the certificates in this key store (PKCS12 or JKS, detected) instead of the
         * JDK's default ones, for a Prometheus with a private certificate authority.
         *
         * @param path the key store file
         * @param storePassword its password, or {@code null} when it has none
         */
        public Builder trustStore(Path path, String storePassword) {
            this.trustStorePath = Objects.requireNonNull(path, "path");
            this.trustStorePassword = storePassword;
            return this;
        }

        /** Most bytes read of a response; a larger one is an {@code ERROR}. Default 10 MiB. */
        public Builder maxResponseBytes(long value) {
            if (value < 1) {
                throw new InvalidSetting("max-response-size", "must be positive: " + value);
            }
            this.maxResponseBytes = value;
            return this;
        }

        /** GET, POST, or GET with POST for long queries. Default {@link HttpMethod#AUTO}. */
        public Builder method(HttpMethod value) {
            this.method = Objects.requireNonNull(value, "method");
            return this;
        }

        /** How long connecting may take. Default {@link #DEFAULT_CONNECT_TIMEOUT}. */
        public Builder connectTimeout(Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidSetting("connect-timeout", "must be positive: " + value);
            }
            this.connectTimeout = value;
            return this;
        }

        /**
         * Builds the probe.
         *
         * @throws IllegalArgumentException naming the key when a required setting is missing, two
         *     settings conflict, or the trust store cannot be read
         * @throws dev.vigil.condition.ConditionSyntaxException when a condition does not parse
         */
        public PrometheusProbe build() {
            if (baseUrl == null) {
                throw new InvalidSetting("base-url", "is required");
            }
            boolean canaryMode = canaryQuery != null;
            if (counts != null) {
                if (query != null || canaryMode) {
                    throw new InvalidSetting("canary-errors-query", "cannot be combined with "
                            + (query != null ? "query" : "canary-query and baseline-query") + ": set one mode");
                }
                if (range != null) {
                    throw new InvalidSetting("range", "does not apply to counts: count over the round with increase(...[interval])");
                }
                return new PrometheusProbe(copyWith(criteria, null), trustStorePath == null ? null : loadTrustStore());
            }
            if (query == null && !canaryMode) {
                throw new InvalidSetting("query", "is required (or canary-query and baseline-query, or the four count queries)");
            }
            if (query != null && canaryMode) {
                throw new InvalidSetting("query", "cannot be combined with canary-query and baseline-query: set one or the other");
            }
            if (judge != null && !canaryMode) {
                throw new InvalidSetting("canary-query", "is required for a canary judge");
            }
            if (bearerToken != null && username != null) {
                throw new InvalidSetting("bearer-token", "cannot be combined with username and password: set one or the other");
            }
            Criteria conditions = criteria;
            boolean hasText = passWhen != null && !passWhen.isBlank() || failWhen != null && !failWhen.isBlank();
            if (conditions == null && hasText) {
                conditions = Criteria.of(passWhen, failWhen, canaryMode ? CANARY_NAMES : NAMES);
            }
            if (conditions == null && judge == null) {
                throw new InvalidSetting("pass-when", "or fail-when is required");
            }
            Builder copy = copyWith(conditions, canaryMode && judge == null ? SamplesJudge.criteria(conditions) : judge);
            return new PrometheusProbe(copy, trustStorePath == null ? null : loadTrustStore());
        }

        private Builder copyWith(Criteria conditions, SamplesJudge canaryJudge) {
            Builder copy = new Builder();
            copy.baseUrl = baseUrl;
            copy.query = query;
            copy.canaryQuery = canaryQuery;
            copy.baselineQuery = baselineQuery;
            copy.criteria = conditions;
            copy.judge = canaryJudge;
            copy.onNoData = onNoData;
            copy.range = range;
            copy.step = step;
            copy.bearerToken = bearerToken;
            copy.username = username;
            copy.password = password;
            copy.headers.putAll(headers);
            copy.trustStorePath = trustStorePath;
            copy.trustStorePassword = trustStorePassword;
            copy.maxResponseBytes = maxResponseBytes;
            copy.method = method;
            copy.connectTimeout = connectTimeout;
            copy.counts = counts;
            copy.allowWarnings = allowWarnings;
            copy.clock = clock;
            return copy;
        }

        private SSLContext loadTrustStore() {
            if (!Files.isReadable(trustStorePath)) {
                throw new InvalidSetting("trust-store", "cannot be read: " + trustStorePath);
            }
            try {
                char[] secret = trustStorePassword == null ? null : trustStorePassword.toCharArray();
                KeyStore store = KeyStore.getInstance(trustStorePath.toFile(), secret);
                return SSLContextBuilder.create().loadTrustMaterial(store, null).build();
            } catch (IOException | GeneralSecurityException e) {
                String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                if (trustStorePassword != null) {
                    reason = Texts.redact(reason, List.of(trustStorePassword));
                }
                throw new InvalidSetting("trust-store", "'" + trustStorePath + "' is not a readable PKCS12 or JKS key store"
                        + " (or trust-store-password is wrong): " + reason);
            }
        }

        private static String requireText(String key, String value) {
            if (value == null || value.isBlank()) {
                throw new InvalidSetting(key, "must not be blank");
            }
            return value;
        }

        private static String redactUserInfo(String url) {
            return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1" + Texts.REDACTED + "@");
        }
    }
}
