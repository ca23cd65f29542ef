package dev.vigil.prometheus;

import dev.vigil.Preflight;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.prometheus.PrometheusClient.PrometheusQueryException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
 *   <li>A range query ({@link PrometheusProbeBuilder#range}) covers {@code [time - range, time]}, never before
 *   {@link ProbeContext#verificationStarted()}, and judges every point: "no point above the
 *   threshold in the last 5 minutes". The explanation names the first failing point and its time,
 *   and says when the window was cut at the verification's start.</li>
 *   <li>For a hotfix ({@code Deployment.Kind.HOTFIX}), a failing instant query, or a failing point of
 *   a range query, that reads data from before {@link ProbeContext#verificationStarted()} (through a
 *   range selector, an {@code offset}, a subquery or an {@code @} modifier) measures the incident the
 *   hotfix fixes and is no failure: {@code INCONCLUSIVE}, or left out of a range when a point of its
 *   series reads the hotfix's time alone. A release's failures stay failures.</li>
 *   <li>In query and range modes, a round that would pass while every selector of the query reads
 *   only data from before {@link ProbeContext#verificationStarted()} (an {@code offset} longer than
 *   the time since it, an {@code @} at a fixed time before it) has seen nothing of the new version:
 *   {@code INCONCLUSIVE}, for a release as for a hotfix. A query whose reach cannot be read is left
 *   as it is.</li>
 *   <li>No series at all: see {@link OnNoData} (default {@code INCONCLUSIVE}).</li>
 *   <li>In every mode, a round that would pass while a range selector of {@code rate},
 *   {@code increase}, {@code irate}, {@code delta}, {@code idelta}, {@code deriv} or
 *   {@code predict_linear} holds at most one sample (a range shorter than two scrape intervals, which
 *   answers nothing, and {@code or vector(0)} reads as 0) is {@code INCONCLUSIVE}, naming the key,
 *   the selector and its range. A count that fails leaves the round as it is.</li>
 *   <li>NaN is missing data: a NaN series follows {@link OnNoData} on its own (with
 *   {@code INCONCLUSIVE} it is left out and named) and the other series are judged, unless the
 *   condition calls {@code isNaN}: then the value is handed to the condition as it is (calling
 *   {@code isInf} alone does not hand it over). A comparison with NaN is false, so {@code fail-when: value > 0.01} alone would pass a NaN;
 *   this rule prevents a false pass. Infinities compare as the numbers they are.</li>
 *   <li>Prometheus' warnings and a partial answer make a measurement that would pass
 *   {@code INCONCLUSIVE}, quoting them, unless every warning matches {@link PrometheusProbeBuilder#allowWarnings}.
 *   In counts and histogram modes, and to {@link SamplesJudge#canaryAnalysis}, such an answer is
 *   not fed to the judge (its evidence accumulates over the rounds): the round is
 *   {@code INCONCLUSIVE}, whatever it shows.</li>
 *   <li>Canary mode ({@link PrometheusProbeBuilder#canary}): two queries each round, run at once, the samples
 *   handed to a {@link SamplesJudge}. Counts mode ({@link PrometheusProbeBuilder#counts}): four counts for the
 *   count test of a canary judge. Histogram mode ({@link PrometheusProbeBuilder#histogram}): both versions'
 *   latency buckets by {@code le}, made per band for the histogram judge of a canary analysis.</li>
 *   <li>In counts and histogram modes the round that makes the sequential judge first asks the
 *   baseline's own queries over the time before it ({@link PrometheusProbeBuilder#baselineHistory}, the
 *   last 30 minutes by default), once per verification, so that the judge learns how bursty the
 *   baseline's errors are and how much its latency wobbles; a failed or unusable answer leaves the
 *   judge as without it, and that round's explanation says why.</li>
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
 * new pool. Secrets (bearer token, password, credentials in headers) never appear in
 * measurements, messages, logs or {@link #toString()}.
 *
 * <p>Made by {@link #builder()} only; each mode (single query, canary or histograms, counts) is an
 * implementation of its own inside this package.
 */
public abstract sealed class PrometheusProbe implements Probe, AutoCloseable permits QueryProbe, CanaryProbe, CountsProbe {

    /** The names a condition sees for each point: {@code value} (number) and {@code labels} (map). */
    public static final Map<String, ValueType> NAMES = Map.of("value", ValueType.NUMBER, "labels", ValueType.ANY);

    /** The names the default {@link SamplesJudge} offers: {@code canary}, {@code baseline}, {@code ratio}. */
    public static final Map<String, ValueType> CANARY_NAMES = Map.of(
            "canary", ValueType.NUMBER, "baseline", ValueType.NUMBER, "ratio", ValueType.NUMBER);

    /** Default cap on a response body: 10 MiB. A larger answer is an {@code ERROR}. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 10L * 1024 * 1024;

    /** Default step of a range query: 15 seconds. */
    public static final Duration DEFAULT_STEP = Duration.ofSeconds(15);

    /**
     * How far back counts and histogram modes ask for the baseline's own past unless set: 30 minutes
     * ({@link PrometheusProbeBuilder#baselineHistory}).
     */
    public static final Duration DEFAULT_BASELINE_HISTORY = Duration.ofMinutes(30);

    /** Default connect timeout: 5 seconds (the probe's timeout bounds the whole request anyway). */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** Most points a range query may ask for per series, as Prometheus allows. */
    public static final int MAX_POINTS = 11_000;

    /**
     * With {@link HttpMethod#AUTO}, a query whose URL-encoded parameters are longer than this many
     * characters is sent as a POST form instead of a GET.
     */
    public static final int MAX_GET_QUERY_LENGTH = 2000;

    /** How many characters of a query descriptions and {@code toString} show. */
    static final int DESCRIPTION_QUERY_LENGTH = 120;

    /** The client, the window and the deadline that every query of a round goes through. */
    final QueryRunner queries;
    private final Criteria criteria;
    private final OnNoData onNoData;

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
         * @param text the configured value; surrounding blanks are ignored
         * @return the method
         * @throws IllegalArgumentException naming the accepted values, also for {@code null}
         */
        public static HttpMethod parse(String text) {
            return ConfigValues.parse(HttpMethod.class, text);
        }
    }

    /**
     * @param queries what runs the queries; closed with this probe
     * @param criteria the conditions as configured, or {@code null} when the mode judges without them
     * @param onNoData what an empty result leads to
     */
    PrometheusProbe(QueryRunner queries, Criteria criteria, OnNoData onNoData) {
        this.queries = queries;
        this.criteria = criteria;
        this.onNoData = onNoData;
    }

    /**
     * A builder; {@link PrometheusProbeBuilder#baseUrl}, a query and a condition are required.
     *
     * @return a new builder; not thread-safe
     */
    public static PrometheusProbeBuilder builder() {
        return new PrometheusProbeBuilder();
    }

    /**
     * Runs the query (or the canary and baseline queries, or the four count queries, all at once)
     * at the round's time and judges the answer. Every query and every retry of the round shares
     * the round's deadline ({@link ProbeContext#deadline()}). A round that would pass while a range
     * selector of {@code rate}, {@code increase} or another function that needs two samples holds at
     * most one ({@code rate(x[1s])} scraped every second, read as 0 through {@code or vector(0)}) is
     * {@code INCONCLUSIVE} instead, naming the key, the selector and its range: the samples are
     * counted ({@code max(count_over_time(...))}) in the first round that would pass, a range that
     * holds two or more is not counted again in the verification, and a count that fails leaves
     * the round as it is.
     *
     * @throws dev.vigil.RetryableProbeException for a transient failure: HTTP 5xx or 429, a
     *     busy or unavailable Prometheus, a timeout, a refused connection
     */
    @Override
    public final ProbeResult measure(ProbeContext context) {
        Optional<ProbeResult> beforeStart = Window.beforeTheVerification(context);
        if (beforeStart.isPresent()) {
            return beforeStart.get();
        }
        try {
            Duration left = queries.timeLeft(context);
            Window window = queries.window(context);
            return SampleCheck.guard(window.noted(measure(context, window, left)), queriesByKey(), queries, context);
        } catch (PrometheusQueryException e) {
            return ProbeResult.error(e.getMessage());
        }
    }

    /**
     * Queries and judges one round, Prometheus' warnings applied ({@link QueryRunner#withWarnings}).
     *
     * @param window the time the queries cover
     * @param left what is left of the round's deadline
     * @throws PrometheusQueryException for an answer that is an {@code ERROR}
     */
    abstract ProbeResult measure(ProbeContext context, Window window, Duration left);

    /**
     * Checks before a deployment that Prometheus answers the probe's queries: one measurement, read
     * as {@link Probe#preflight} reads it ({@code PASS} is fine, {@code FAIL} and {@code INCONCLUSIVE}
     * are warnings, {@code ERROR} is an error); then, unless it is an error, the label names of each
     * selector of its queries are looked up ({@code /api/v1/labels}, the last hour, one request per
     * metric), and a label matcher whose label the metric does not carry
     * ({@code http_requests_total{status=~"5.."}} where the label is {@code code}) is a warning
     * naming the query's key, the selector and the labels there are: with {@code or vector(0)} such
     * a selector reads as 0 and passes. A metric without series in the last hour is a warning too. Last,
     * the samples in the range of each selector that {@code rate}, {@code increase} and the other
     * functions needing two samples read are counted ({@code max(count_over_time(...))}): a range
     * that holds at most one sample ({@code rate(x[1s])} scraped every second) answers nothing in
     * any round, which {@code or vector(0)} reads as 0 and passes, and is a warning naming the key,
     * the selector and its range. An {@code @} at a fixed time ({@code rate(x[1m] @ 1767268740)}),
     * which reads the same data in every round, is a warning naming the key and the modifier.
     *
     * @throws Exception whatever measuring throws; the caller turns it into an error
     */
    @Override
    public final Preflight preflight(ProbeContext context) throws Exception {
        Preflight measured = Probe.super.preflight(context);
        if (measured.status() == Preflight.Status.ERROR) {
            return measured;
        }
        Preflight labelled = LabelCheck.check(measured, queriesByKey(), queries, context);
        return FixedTimeCheck.check(SampleCheck.check(labelled, queriesByKey(), queries, context), queriesByKey());
    }

    /**
     * Builds the HTTP client and readies the JSON reader before the first round, without querying
     * Prometheus: in a fresh JVM on a busy host the first query took about a second and a half, most
     * of it for these two, inside the first round's timeout. Idempotent.
     */
    @Override
    public final void prepare() {
        queries.prepare();
    }

    /**
     * What this probe warns about the plan: a query whose offset leaves every planned round reading
     * only data from before the deployment, so that only the end-of-bake rule's extra rounds can
     * judge ({@code rate(x[1m] offset 6m)} in a 5-minute bake), then the mode's own warnings (a
     * canary judge's rounds that would overlap).
     *
     * @param plan the plan the probe is to run under
     * @return one sentence per warning; never {@code null}
     */
    @Override
    public final List<String> warnings(dev.vigil.VerificationPlan plan) {
        List<String> all = new ArrayList<>();
        queriesByKey().forEach((key, promql) -> Optional.ofNullable(OffsetCheck.warning(key, promql, plan)).ifPresent(all::add));
        all.addAll(roundWarnings(plan));
        return all;
    }

    /** The mode's own warnings about the plan ({@link #warnings}); none by default. */
    List<String> roundWarnings(dev.vigil.VerificationPlan plan) {
        return List.of();
    }

    /** Each query of this probe by its configuration key ({@code query}, {@code canary-errors-query}), in order. */
    abstract Map<String, String> queriesByKey();

    /** What this probe measures, with its base URL and its queries shortened; no secrets. */
    @Override
    public abstract String description();

    /** Appends the mode's queries (and judge) to {@link #toString()}, each as {@code , key=value}. */
    abstract void describeQueries(StringBuilder out);

    /** The conditions as configured, or {@code null}. */
    final Criteria criteria() {
        return criteria;
    }

    @Override
    public final String passWhen() {
        return criteria == null ? null : criteria.passWhen();
    }

    @Override
    public final String failWhen() {
        return criteria == null ? null : criteria.failWhen();
    }

    /**
     * The base URL, with its path prefix and without a trailing slash.
     *
     * @return the URL the API paths are appended to
     */
    public final URI baseUrl() {
        return queries.baseUrl();
    }

    /** The base URL as descriptions and {@code toString()} show it: a credential in its path masked. */
    final String shownBaseUrl() {
        return queries.shownBaseUrl();
    }

    /**
     * What an empty result leads to.
     *
     * @return the configured handling; {@link OnNoData#DEFAULT} unless set
     */
    public final OnNoData onNoData() {
        return onNoData;
    }

    /**
     * {@code on-no-data=pass} when it is set: a query without data passes, so this probe cannot
     * confirm a fix ({@link dev.vigil.DeployVerifier.Builder#confirms}, {@code confirms=} refuse it).
     *
     * @return why it passes without evidence and what to set instead; {@code null} for any other
     *     {@link OnNoData}
     */
    @Override
    public final String passesWithoutEvidence() {
        String judged = judgedAgainstTheBaseline();
        if (judged != null) {
            return dev.vigil.Confirmation.comparedWithTheBaseline(judged, "a query of the new version alone (query)");
        }
        // An empty result (a misspelt metric, a service that answers nothing) would confirm the fix each round.
        return onNoData != OnNoData.PASS ? null : "on-no-data=pass: a query without data passes, which is no evidence"
                + " that the fix works and would confirm it; leave on-no-data out (inconclusive) or set fail, and make an"
                + " errors count that stays empty until the first error read 0 with 'or vector(0)'";
    }

    /**
     * The keys of the queries a canary judge compares with the baseline ({@code canary-query,
     * baseline-query}), or {@code null} when no canary judge decides: such a probe cannot confirm a
     * fix ({@link #passesWithoutEvidence}). Conditions on canary and baseline are the user's to write
     * (they may ask for an improvement) and are not such a judge.
     */
    String judgedAgainstTheBaseline() {
        return null;
    }

    /** Closes the connection pool. Idempotent. */
    @Override
    public final void close() {
        queries.close();
    }

    /** The settings without secrets: {@code PrometheusProbe[base-url=..., query=..., ...]}. */
    @Override
    public final String toString() {
        StringBuilder out = new StringBuilder("PrometheusProbe[base-url=").append(shownBaseUrl());
        describeQueries(out);
        if (criteria != null && criteria.passWhen() != null) {
            out.append(", pass-when=").append(criteria.passWhen());
        }
        if (criteria != null && criteria.failWhen() != null) {
            out.append(", fail-when=").append(criteria.failWhen());
        }
        out.append(", on-no-data=").append(onNoData.configValue());
        queries.describeTransport(out);
        return out.append(']').toString();
    }
}
