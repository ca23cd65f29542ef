package dev.vigil.prometheus;

import dev.vigil.Durations;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.condition.Criteria;
import dev.vigil.prometheus.PrometheusProbe.HttpMethod;
import dev.vigil.spi.HeaderCredentials;
import dev.vigil.spi.UrlCredentials;
import dev.vigil.spi.UrlPorts;
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
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.net.ssl.SSLContext;
import org.apache.hc.core5.ssl.SSLContextBuilder;

/**
 * Builds a {@link PrometheusProbe}; start with {@link PrometheusProbe#builder()}. Set the base URL,
 * then one mode: {@link #query} (with {@link #passWhen} or {@link #failWhen}), {@link #canary}
 * (with conditions or a {@link #judge}), {@link #counts} or {@link #histogram}. Each setter rejects an impossible
 * value at once with an {@link IllegalArgumentException} whose message starts with the
 * configuration key ({@code base-url must be an http or https URL}); {@link #build()} rejects
 * missing and conflicting settings. The probe built does not change when the builder changes
 * afterwards. Not thread-safe.
 */
public final class PrometheusProbeBuilder {

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
    private long maxResponseBytes = PrometheusProbe.DEFAULT_MAX_RESPONSE_BYTES;
    private HttpMethod method = HttpMethod.AUTO;
    private Duration connectTimeout = PrometheusProbe.DEFAULT_CONNECT_TIMEOUT;
    private CountQueries counts;
    private HistogramQueries histogram;
    private BucketUnit bucketUnit;
    private Pattern allowWarnings;
    private Clock clock = Clock.systemUTC();
    private UnaryOperator<String> redactor = UnaryOperator.identity();
    /** The longest range, baseline-history and step: what {@link Duration#toMillis()} holds. */
    private static final Duration MAX_HISTORY_DURATION = Duration.ofMillis(Long.MAX_VALUE);

    private Duration historyLookback;
    private Duration historyStep;

    /** Use {@link PrometheusProbe#builder()}. */
    PrometheusProbeBuilder() {
    }

    /**
     * The address of Prometheus' HTTP API, with its path prefix when it is served under one
     * ({@code http://host:9090/prometheus}); {@code /api/v1/query} is appended. Required.
     * Trailing slashes are dropped.
     *
     * @param value the URL; surrounding blanks are ignored
     * @return this builder
     * @throws IllegalArgumentException when it is not an absolute http or https URL, its port is
     *     out of range, or it carries credentials, a query or a fragment
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder baseUrl(String value) {
        Objects.requireNonNull(value, "baseUrl");
        try {
            return baseUrl(new URI(value.trim()));
        } catch (URISyntaxException e) {
            if (!value.contains("://")) {
                // 127.0.0.1:9090: "Illegal character in scheme name" would not say that the scheme is missing.
                throw new InvalidSetting("base-url", "must be an http or https URL with a host, such as"
                        + " http://prometheus:9090: '" + Texts.url(value.trim()) + "' has no scheme");
            }
            throw new InvalidSetting("base-url", "must be an http or https URL: '" + Texts.url(value) + "' ("
                    + e.getReason() + ")");
        }
    }

    /**
     * Like {@link #baseUrl(String)}.
     *
     * @param value the URL
     * @return this builder
     * @throws IllegalArgumentException when it is not an absolute http or https URL, its port is
     *     out of range, or it carries credentials, a query or a fragment
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder baseUrl(URI value) {
        Objects.requireNonNull(value, "baseUrl");
        String scheme = value.getScheme() == null ? "" : value.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || value.getHost() == null) {
            throw new InvalidSetting("base-url", "must be an http or https URL with a host, such as"
                    + " http://prometheus:9090: '" + Texts.url(value.toString()) + "'");
        }
        if (value.getRawUserInfo() != null || value.getRawPath() != null && value.getRawPath().indexOf('@') >= 0) {
            throw new InvalidSetting("base-url", "must not carry credentials ('" + Texts.url(value.toString())
                    + "'): set username and password, or bearer-token");
        }
        if (value.getRawQuery() != null || value.getRawFragment() != null) {
            throw new InvalidSetting("base-url", "must not have a query or a fragment: '" + Texts.url(value.toString())
                    + "'");
        }
        String port = UrlPorts.problem(value);
        if (port != null) {
            throw new InvalidSetting("base-url", port + ": '" + Texts.url(value.toString()) + "'");
        }
        String text = value.toString();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        this.baseUrl = URI.create(text);
        return this;
    }

    /**
     * The PromQL query whose result is judged. One of this, {@link #canary} and {@link #counts}
     * is required.
     *
     * @param value the query, evaluated at the round's time (or over the {@link #range})
     * @return this builder
     * @throws IllegalArgumentException when {@code value} is {@code null} or blank
     */
    public PrometheusProbeBuilder query(String value) {
        this.query = requireText("query", value);
        return this;
    }

    /**
     * Canary mode: both queries run every round and their samples go to the {@link #judge}
     * (by default the conditions over {@link PrometheusProbe#CANARY_NAMES}). Exclusive with
     * {@link #query} and {@link #counts}.
     *
     * @param canaryQueryValue the query for the new version
     * @param baselineQueryValue the query for the version it is compared with
     * @return this builder
     * @throws IllegalArgumentException naming the key of a {@code null} or blank query
     */
    public PrometheusProbeBuilder canary(String canaryQueryValue, String baselineQueryValue) {
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
     * {@link #query} and {@link #canary}; {@link #range} does not apply. Conditions are refused by
     * {@link #build()}: the judge replaces them.
     *
     * @param canaryErrors the errors of the new version during the round
     * @param canaryRequests the requests of the new version during the round
     * @param baselineErrors the errors of the baseline during the round
     * @param baselineRequests the requests of the baseline during the round
     * @param analysis the canary judge ({@link dev.vigil.analysis.CanaryJudges}), typically sequential
     * @return this builder
     * @throws IllegalArgumentException naming the key of a {@code null} or blank query
     * @throws NullPointerException when {@code analysis} is {@code null}
     */
    public PrometheusProbeBuilder counts(String canaryErrors, String canaryRequests, String baselineErrors, String baselineRequests,
            CanaryAnalysis analysis) {
        this.counts = new CountQueries(requireText(CountQueries.KEYS.get(0), canaryErrors),
                requireText(CountQueries.KEYS.get(1), canaryRequests), requireText(CountQueries.KEYS.get(2), baselineErrors),
                requireText(CountQueries.KEYS.get(3), baselineRequests), Objects.requireNonNull(analysis, "analysis"));
        return this;
    }

    /**
     * Histogram mode of canary analysis: two instant queries each round, each the increments of a
     * version's histogram buckets during the round by {@code le}, such as
     * {@code sum by (le) (increase(http_server_requests_seconds_bucket{version="2.4.1"}[10s]))}.
     * The cumulative buckets are made per band and judged by the histogram judge of
     * {@code analysis} (the share test with {@link CanaryAnalysis#slowerThan()}, else the shift test
     * of the whole distribution). Each side needs an {@code le="+Inf"} bucket and both sides the same
     * bounds (else the round is an {@code ERROR} naming the keys and the bounds); a counter reset
     * within the round is no data for that round ({@code INCONCLUSIVE}). Exclusive with
     * {@link #query}, {@link #canary} and {@link #counts}; {@link #range} does not apply. Conditions
     * are refused by {@link #build()}: the judge replaces them.
     *
     * @param canaryHistogram the canary's bucket increments during the round, by {@code le}
     * @param baselineHistogram the baseline's bucket increments during the round, by {@code le}
     * @param analysis the canary judge; must be {@link CanaryAnalysis.Method#SEQUENTIAL}
     * @return this builder
     * @throws IllegalArgumentException naming the key when a query is blank or the judge is not sequential
     * @throws NullPointerException when {@code analysis} is {@code null}
     */
    public PrometheusProbeBuilder histogram(String canaryHistogram, String baselineHistogram, CanaryAnalysis analysis) {
        Objects.requireNonNull(analysis, "analysis");
        if (analysis.method() != CanaryAnalysis.Method.SEQUENTIAL) {
            throw new InvalidSetting("judge", "must be sequential for histograms (" + analysis.method().key()
                    + " compares samples or counts)");
        }
        this.histogram = new HistogramQueries(requireText(HistogramQueries.KEYS.get(0), canaryHistogram),
                requireText(HistogramQueries.KEYS.get(1), baselineHistogram), analysis, BucketUnit.DEFAULT);
        return this;
    }

    /**
     * Histogram mode: the unit of the buckets' {@code le} labels. Default {@link BucketUnit#SECONDS}
     * ({@code http_server_requests_seconds_bucket}); {@link BucketUnit#MILLISECONDS} for
     * OpenTelemetry's {@code *_milliseconds_bucket} and prom-client's {@code *_ms_bucket}
     * histograms. The judge compares {@code slower-than} with the bounds in seconds and names the
     * bands in them. {@link #build()} refuses a unit that the bucket series named in the histogram
     * queries contradict ({@code _milliseconds_bucket} or {@code _ms_bucket} in seconds,
     * {@code _seconds_bucket} in milliseconds), and a unit in another mode.
     *
     * @param value the unit of {@code le}
     * @return this builder
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder bucketUnit(BucketUnit value) {
        this.bucketUnit = Objects.requireNonNull(value, "bucketUnit");
        return this;
    }

    /**
     * Counts and histogram modes: how far back the baseline's own past is asked for, once per
     * verification, so that the sequential judge learns from it how bursty the baseline's errors are
     * and how much its latency wobbles, and can decide in the first rounds on a calm service. The
     * baseline queries run as range queries over {@code [t - lookback, t - step]}, {@code t} the time
     * of the first judged round, one point per {@link #baselineHistoryStep step}. A failed, empty or
     * malformed answer leaves the judge as without it and the first judged round's explanation says
     * why; fewer than {@link dev.vigil.analysis.BaselineHistory#MIN_ROUNDS} past rounds with requests
     * are not used. Default {@link PrometheusProbe#DEFAULT_BASELINE_HISTORY} (30 minutes); zero switches it off.
     * {@link #build()} refuses it in the other modes, and a window that holds fewer steps than the
     * judge learns from.
     *
     * @param lookback how far back; zero for none
     * @return this builder
     * @throws IllegalArgumentException when {@code lookback} is {@code null} or negative
     */
    public PrometheusProbeBuilder baselineHistory(Duration lookback) {
        if (lookback == null || lookback.isNegative()) {
            throw new InvalidSetting(BaselineHistoryQueries.KEY, "must be a duration such as 30m, or off (0): " + lookback);
        }
        if (lookback.compareTo(MAX_HISTORY_DURATION) > 0) {
            throw new InvalidSetting(BaselineHistoryQueries.KEY, "is longer than a count of milliseconds holds: " + lookback);
        }
        this.historyLookback = lookback;
        return this;
    }

    /**
     * Counts and histogram modes: the length of one past round of the {@link #baselineHistory}.
     * Default: the longest range selector of the baseline queries ({@code increase(x[10s])} gives
     * 10 s), which is the round's length when the window is the interval; without one, and without
     * this, there is no history and the first judged round says so. {@link #build()} refuses a step
     * shorter than a range selector of the baseline queries: each past round would overlap the next,
     * and the last one the first judged round.
     *
     * @param step the length of one past round, at least 1 ms
     * @return this builder
     * @throws IllegalArgumentException when {@code step} is {@code null} or shorter than 1 ms
     */
    public PrometheusProbeBuilder baselineHistoryStep(Duration step) {
        if (step == null || step.compareTo(Duration.ofMillis(1)) < 0) {
            throw new InvalidSetting(BaselineHistoryQueries.STEP_KEY, "must be at least 1ms: " + step);
        }
        if (step.compareTo(MAX_HISTORY_DURATION) > 0) {
            throw new InvalidSetting(BaselineHistoryQueries.STEP_KEY, "is longer than a count of milliseconds holds: " + step);
        }
        this.historyStep = step;
        return this;
    }

    /**
     * Warnings of Prometheus (or a partial answer of Thanos, Mimir) that still let a measurement
     * pass: a regular expression found in each warning. By default any warning makes a passing
     * measurement {@code INCONCLUSIVE}, because a warned answer may miss series. Prometheus' infos
     * count as warnings: some say it left data out ({@code PromQL info: ignored histogram in sum
     * aggregation}), and the probe cannot tell those from the harmless ones.
     *
     * @param regex a regular expression, found anywhere in a warning to allow it
     * @return this builder
     * @throws IllegalArgumentException when the expression is blank or does not compile
     */
    public PrometheusProbeBuilder allowWarnings(String regex) {
        try {
            this.allowWarnings = Pattern.compile(requireText("allow-warnings", regex));
        } catch (PatternSyntaxException e) {
            throw new InvalidSetting("allow-warnings", "is not a regular expression: " + e.getDescription()
                    + " at index " + e.getIndex());
        }
        return this;
    }

    /**
     * The clock the probe compares with the round's deadline, and with the {@code Date} of each of
     * Prometheus' answers: when the two are more than 5 s apart, the answer is about another moment
     * than the round's, and it counts as a warned answer. Default {@link Clock#systemUTC()}.
     *
     * @param value the clock
     * @return this builder
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /**
     * What blanks the configuration's secrets out of the base URL wherever the probe shows it (its
     * messages, description, {@code toString()} and the client's log line): the factory's
     * {@link dev.vigil.spi.ProbeSettings#redactor()}, for a secret a placeholder puts into the path
     * ({@code /keys/${PROMETHEUS_API_KEY}}), which the probe cannot tell from a path. Default: none.
     *
     * @param value the function
     * @return this builder
     */
    PrometheusProbeBuilder redactor(UnaryOperator<String> value) {
        this.redactor = Objects.requireNonNull(value, "redactor");
        return this;
    }

    /**
     * The pass condition, over {@link PrometheusProbe#NAMES} (or {@link PrometheusProbe#CANARY_NAMES}
     * in canary mode). Parsed by {@link #build()}.
     *
     * @param condition the condition, or {@code null} or blank for none
     * @return this builder
     */
    public PrometheusProbeBuilder passWhen(String condition) {
        this.passWhen = condition;
        return this;
    }

    /**
     * The fail condition, over {@link PrometheusProbe#NAMES} (or {@link PrometheusProbe#CANARY_NAMES}
     * in canary mode). Parsed by {@link #build()}.
     *
     * @param condition the condition, or {@code null} or blank for none
     * @return this builder
     */
    public PrometheusProbeBuilder failWhen(String condition) {
        this.failWhen = condition;
        return this;
    }

    /**
     * Already parsed conditions; replaces {@link #passWhen} and {@link #failWhen}.
     *
     * @param value the conditions
     * @return this builder
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder criteria(Criteria value) {
        this.criteria = Objects.requireNonNull(value, "criteria");
        return this;
    }

    /**
     * The judge of canary mode. Default: {@link SamplesJudge#criteria} over the conditions.
     * A judge replaces the conditions: {@link #build()} refuses a judge together with
     * {@link #passWhen}, {@link #failWhen} or {@link #criteria}, and a judge without {@link #canary}.
     *
     * @param value the judge
     * @return this builder
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder judge(SamplesJudge value) {
        this.judge = Objects.requireNonNull(value, "judge");
        return this;
    }

    /**
     * What an empty result leads to. Default {@link OnNoData#INCONCLUSIVE}. {@link OnNoData#PASS} is
     * refused by {@link #build()} for a canary judge (counts, histograms, a canary analysis on
     * samples): a version without data is never evidence of health. A probe with {@link OnNoData#PASS}
     * cannot confirm a fix either: {@link dev.vigil.DeployVerifier.Builder#confirms} refuses it, since
     * a query of a metric that does not exist would confirm the fix in every round.
     *
     * @param value the outcome of an empty result
     * @return this builder
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder onNoData(OnNoData value) {
        this.onNoData = Objects.requireNonNull(value, "onNoData");
        return this;
    }

    /**
     * Range mode: query {@code [time - range, time]} with one point every {@code step}, and
     * judge every point.
     *
     * @param rangeValue the window, such as 5 minutes
     * @param stepValue the distance between points, or {@code null} for {@link PrometheusProbe#DEFAULT_STEP}
     * @return this builder
     * @throws IllegalArgumentException when either is not positive, the step is longer than
     *     the range, or the window holds more than {@link PrometheusProbe#MAX_POINTS} points
     */
    public PrometheusProbeBuilder range(Duration rangeValue, Duration stepValue) {
        Duration s = stepValue == null ? PrometheusProbe.DEFAULT_STEP : stepValue;
        if (rangeValue == null || rangeValue.isNegative() || rangeValue.isZero()) {
            throw new InvalidSetting("range", "must be positive: " + rangeValue);
        }
        // Compared as durations: a range such as 200000000000d holds more milliseconds than a long.
        if (rangeValue.compareTo(MAX_HISTORY_DURATION) > 0) {
            throw new InvalidSetting("range", "is longer than a count of milliseconds holds: " + rangeValue);
        }
        if (s.compareTo(Duration.ofMillis(1)) < 0) {
            throw new InvalidSetting("step", "must be at least 1ms: " + s);
        }
        if (s.compareTo(rangeValue) > 0) {
            throw new InvalidSetting("step", "(" + Durations.format(s) + ") must not be longer than range ("
                    + Durations.format(rangeValue) + ")");
        }
        if (rangeValue.dividedBy(s) + 1 > PrometheusProbe.MAX_POINTS) {
            throw new InvalidSetting("step", "is too small for range " + Durations.format(rangeValue)
                    + ": more than " + PrometheusProbe.MAX_POINTS + " points per series; Prometheus refuses that");
        }
        this.range = rangeValue;
        this.step = s;
        return this;
    }

    /**
     * Sends {@code Authorization: Bearer <token>}. Exclusive with {@link #basicAuth}:
     * {@link #build()} refuses both. The token is a secret: it appears in no message or report.
     *
     * @param token the token
     * @return this builder
     * @throws IllegalArgumentException when {@code token} is {@code null} or blank
     */
    public PrometheusProbeBuilder bearerToken(String token) {
        this.bearerToken = requireText("bearer-token", token);
        return this;
    }

    /**
     * Sends HTTP basic authentication. Exclusive with {@link #bearerToken}: {@link #build()}
     * refuses both. The password is a secret: it appears in no message or report.
     *
     * @param usernameValue the user name
     * @param passwordValue the password; may be empty
     * @return this builder
     * @throws IllegalArgumentException when {@code usernameValue} is {@code null} or blank
     * @throws NullPointerException when {@code passwordValue} is {@code null}
     */
    public PrometheusProbeBuilder basicAuth(String usernameValue, String passwordValue) {
        this.username = requireText("username", usernameValue);
        this.password = Objects.requireNonNull(passwordValue, "password");
        return this;
    }

    /**
     * Adds a header to every query, such as {@code X-Scope-OrgID} for the tenant of a
     * multi-tenant back end (Mimir, Cortex, Thanos, VictoriaMetrics). Values of headers whose
     * names suggest a credential ({@code Authorization}, {@code Cookie}, {@code *token*},
     * {@code *secret*}, {@code *api-key*}) are treated as secrets. A second value for the same
     * name replaces the first.
     *
     * @param name the header's name, an HTTP token
     * @param value the header's value, without line breaks
     * @return this builder
     * @throws IllegalArgumentException when the name is {@code null} or not a valid header name,
     *     or the value holds a line break
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder header(String name, String value) {
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
     * @param storePassword its password, or {@code null} when it has none; a secret
     * @return this builder
     * @throws NullPointerException when {@code path} is {@code null}
     */
    public PrometheusProbeBuilder trustStore(Path path, String storePassword) {
        this.trustStorePath = Objects.requireNonNull(path, "path");
        this.trustStorePassword = storePassword;
        return this;
    }

    /**
     * Most bytes read of a response; a larger one is an {@code ERROR}. Default 10 MiB
     * ({@link PrometheusProbe#DEFAULT_MAX_RESPONSE_BYTES}).
     *
     * @param value the limit in bytes; positive
     * @return this builder
     * @throws IllegalArgumentException when {@code value} is not positive
     */
    public PrometheusProbeBuilder maxResponseBytes(long value) {
        if (value < 1) {
            throw new InvalidSetting("max-response-size", "must be positive: " + value);
        }
        this.maxResponseBytes = value;
        return this;
    }

    /**
     * GET, POST, or GET with POST for long queries. Default {@link HttpMethod#AUTO}.
     *
     * @param value the HTTP method
     * @return this builder
     * @throws NullPointerException when {@code value} is {@code null}
     */
    public PrometheusProbeBuilder method(HttpMethod value) {
        this.method = Objects.requireNonNull(value, "method");
        return this;
    }

    /**
     * How long connecting may take. Default {@link PrometheusProbe#DEFAULT_CONNECT_TIMEOUT}.
     * The whole query is bounded by the round's deadline besides.
     *
     * @param value positive
     * @return this builder
     * @throws IllegalArgumentException when {@code value} is {@code null} or not positive
     */
    public PrometheusProbeBuilder connectTimeout(Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new InvalidSetting("connect-timeout", "must be positive: " + value);
        }
        this.connectTimeout = value;
        return this;
    }

    /**
     * Builds the probe, of the mode set. May be called again; each call builds a new probe (with a
     * connection pool of its own) from the settings as they are then.
     *
     * @return the probe; immutable and thread-safe
     * @throws IllegalArgumentException naming the key when a required setting is missing, two
     *     settings conflict ({@code on-no-data=pass} with a canary judge among them; conditions with a
     *     {@link #judge}, {@link #counts} or {@link #histogram}, which would not apply them), a
     *     baseline query is the same as the canary's (a version compared with itself), or the trust
     *     store cannot be read
     * @throws dev.vigil.condition.ConditionSyntaxException when a condition does not parse
     */
    public PrometheusProbe build() {
        if (baseUrl == null) {
            throw new InvalidSetting("base-url", "is required");
        }
        boolean canaryMode = canaryQuery != null;
        boolean conditions = criteria != null || passWhen != null && !passWhen.isBlank()
                || failWhen != null && !failWhen.isBlank();
        if (bearerToken != null && username != null) {
            throw new InvalidSetting("bearer-token", "cannot be combined with username and password: set one or the other");
        }
        if (histogram != null) {
            if (query != null || canaryMode || counts != null) {
                throw new InvalidSetting(HistogramQueries.KEYS.get(0), "cannot be combined with "
                        + (query != null ? "query" : canaryMode ? "canary-query and baseline-query" : "the count queries")
                        + ": set one mode");
            }
            if (range != null) {
                throw new InvalidSetting("range", "does not apply to histograms: count over the round with increase(...[interval])");
            }
            if (conditions) {
                throw new InvalidSetting("judge", "judges the histograms: remove pass-when and fail-when (they would not"
                        + " be applied)");
            }
            checkNoDataForJudge();
            requireTwoVersions(HistogramQueries.KEYS.get(0), histogram.canary(), HistogramQueries.KEYS.get(1), histogram.baseline());
            BucketUnit unit = bucketUnit == null ? BucketUnit.DEFAULT : bucketUnit;
            for (int i = 0; i < HistogramQueries.KEYS.size(); i++) {
                unit.check(HistogramQueries.KEYS.get(i), histogram.queries().get(i));
            }
            return new CanaryProbe(queryRunner(), null, onNoData, new HistogramQueries(histogram.canary(),
                    histogram.baseline(), histogram.analysis(), unit),
                    history(List.of(HistogramQueries.KEYS.get(1)), List.of(histogram.baseline())));
        }
        if (bucketUnit != null) {
            throw new InvalidSetting(BucketUnit.KEY, "applies to the histogram queries only (the unit of their le labels)");
        }
        if (counts != null) {
            if (query != null || canaryMode) {
                throw new InvalidSetting("canary-errors-query", "cannot be combined with "
                        + (query != null ? "query" : "canary-query and baseline-query") + ": set one mode");
            }
            if (range != null) {
                throw new InvalidSetting("range", "does not apply to counts: count over the round with increase(...[interval])");
            }
            if (conditions) {
                throw new InvalidSetting("judge", "judges the counts: remove pass-when and fail-when (they would not be"
                        + " applied)");
            }
            checkNoDataForJudge();
            requireTwoVersions(CountQueries.KEYS.get(0), counts.canaryErrors(), CountQueries.KEYS.get(2), counts.baselineErrors());
            requireTwoVersions(CountQueries.KEYS.get(1), counts.canaryRequests(), CountQueries.KEYS.get(3), counts.baselineRequests());
            return new CountsProbe(queryRunner(), null, onNoData, counts, history(CountQueries.KEYS.subList(2, 4),
                    List.of(counts.baselineErrors(), counts.baselineRequests())));
        }
        if (historyLookback != null || historyStep != null) {
            throw new InvalidSetting(historyLookback != null ? BaselineHistoryQueries.KEY : BaselineHistoryQueries.STEP_KEY,
                    "applies to the count and histogram queries only (the sequential judge learns from the baseline's "
                            + "past rounds of those)");
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
        if (judge != null && conditions) {
            throw new InvalidSetting("judge", "replaces pass-when and fail-when: remove the conditions or the judge (they"
                    + " would not be applied)");
        }
        Criteria parsed = criteria;
        if (parsed == null && conditions) {
            parsed = Criteria.of(passWhen, failWhen, canaryMode ? PrometheusProbe.CANARY_NAMES : PrometheusProbe.NAMES);
        }
        if (parsed == null && judge == null) {
            throw new InvalidSetting("pass-when", "or fail-when is required");
        }
        if (!canaryMode) {
            return new QueryProbe(queryRunner(), parsed, onNoData, query);
        }
        requireTwoVersions("canary-query", canaryQuery, "baseline-query", baselineQuery);
        SamplesJudge canaryJudge = judge == null ? SamplesJudge.criteria(parsed) : judge;
        if (canaryJudge instanceof AnalysisSamplesJudge) {
            checkNoDataForJudge();
        }
        return new CanaryProbe(queryRunner(), parsed, onNoData, canaryQuery, baselineQuery, canaryJudge);
    }

    /**
     * The canary's and the baseline's query must differ: the same query (a copied line, or
     * {@code ${vigil.deployment.version}} and {@code ${vigil.deployment.previous-version}} holding the
     * same version) compares a version with itself, and every round passes whatever the canary does.
     */
    private static void requireTwoVersions(String canaryKey, String canary, String baselineKey, String baseline) {
        if (canary.strip().replaceAll("\\s+", " ").equals(baseline.strip().replaceAll("\\s+", " "))) {
            throw new InvalidSetting(baselineKey, "is the same query as " + canaryKey + " (" + Texts.quote(baseline, List.of())
                    + "): the canary would be compared with itself and pass every round, whatever it does; select the"
                    + " baseline's series (the previous version, track=\"baseline\")");
        }
    }

    /**
     * A canary analysis (counts, histograms, {@code judge} on samples) never passes a round in which a
     * version has no data; {@code on-no-data=pass} would pass it before the judge sees it: a drained
     * canary, a dead target or a misspelt selector would pass every round, and the bake end
     * {@code HEALTHY} without a comparison.
     */
    private void checkNoDataForJudge() {
        if (onNoData == OnNoData.PASS) {
            throw new InvalidSetting("on-no-data", "cannot be pass for a canary judge: a version without data is no"
                    + " evidence of health, and every round without data would pass; keep inconclusive (the default) or"
                    + " fail, and append 'or vector(0)' to an errors count that is empty until the first error");
        }
    }

    /** The baseline's past as set, checked against the baseline queries. */
    private BaselineHistoryQueries history(List<String> keys, List<String> baselineQueries) {
        Duration lookback = historyLookback == null ? PrometheusProbe.DEFAULT_BASELINE_HISTORY : historyLookback;
        if (lookback.isZero()) {
            return BaselineHistoryQueries.OFF;
        }
        BaselineHistoryQueries history = new BaselineHistoryQueries(lookback, historyStep);
        history.check(keys, baselineQueries, historyLookback != null);
        return history;
    }

    /**
     * The client and the settings every mode shares, from the settings as they are now: the
     * builder may change afterwards without touching the probe.
     *
     * @throws IllegalArgumentException when the trust store cannot be read
     */
    private QueryRunner queryRunner() {
        SSLContext sslContext = trustStorePath == null ? null : loadTrustStore();
        List<String> secrets = new ArrayList<>();
        String authorization = null;
        if (bearerToken != null) {
            authorization = PrometheusClient.bearer(bearerToken);
            secrets.add(bearerToken);
        } else if (username != null) {
            authorization = PrometheusClient.basic(username, password);
            secrets.add(password);
            secrets.add(authorization.substring("Basic ".length()));
        }
        headers.forEach((name, value) -> {
            if (HeaderCredentials.isCredentialHeader(name)) {
                secrets.add(value);
                secrets.addAll(HeaderCredentials.parts(value));
            }
        });
        if (trustStorePassword != null) {
            secrets.add(trustStorePassword);
        }
        // A base URL with user info, a query or a fragment is refused; a path may still hold a
        // credential parameter (;token=) or a secret the configuration put there.
        String shownBaseUrl = redactor.apply(UrlCredentials.maskParameters(baseUrl.toString(), Texts.REDACTED));
        PrometheusClient client = new PrometheusClient(baseUrl, shownBaseUrl, authorization, headers, secrets, sslContext,
                maxResponseBytes, method, connectTimeout, clock);
        return new QueryRunner(baseUrl, client, range, step, clock, allowWarnings, List.copyOf(headers.keySet()),
                sslContext != null);
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

}
