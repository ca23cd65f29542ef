package dev.vigil.prometheus;

import dev.vigil.Durations;
import dev.vigil.Outcome;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.prometheus.PrometheusClient.PrometheusQueryException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * What every mode of {@link PrometheusProbe} shares to run its queries in a round: the
 * {@link PrometheusClient}, the instant or range window, the round's deadline, and the rule on
 * Prometheus' warnings. Checks that each answer has the result type the window asks for.
 *
 * <p>Immutable apart from the client's connection pool; thread-safe.
 */
final class QueryRunner implements AutoCloseable {

    private static final AtomicLong QUERY_THREADS = new AtomicLong();

    private final URI baseUrl;
    private final PrometheusClient client;
    private final Duration range;
    private final Duration step;
    private final Clock clock;
    /**
     * Prometheus' notes about a query that leave its answer whole, quoted but never making it
     * {@code INCONCLUSIVE}: {@code metric might not be a counter} (a {@code rate} over a name without
     * {@code _total}; an info in newer Prometheus, a warning before) and {@code input to
     * histogram_quantile needed to be fixed for monotonicity} (sent for classic {@code p99}
     * queries whose buckets were scraped a moment apart). Every other warning or info may mean data
     * was left out.
     */
    static final Pattern ADVISORY = Pattern.compile(
            "metric might not be a counter|needed to be fixed for monotonicity");

    private final Pattern allowWarnings;
    private final List<String> headerNames;
    private final boolean trustStore;

    /**
     * @param baseUrl the base URL the client queries, for descriptions
     * @param client the client, owned (closed) by this runner
     * @param range the window of a range query, or {@code null} for instant queries
     * @param step the distance between the points of a range query, or {@code null}
     * @param clock the clock compared with the round's deadline
     * @param allowWarnings the warnings that still let a measurement pass, or {@code null}
     * @param headerNames the names of the extra headers, in the order they were set, for {@code toString}
     * @param trustStore whether the client trusts a key store of its own instead of the JDK's
     */
    QueryRunner(URI baseUrl, PrometheusClient client, Duration range, Duration step, Clock clock, Pattern allowWarnings,
            List<String> headerNames, boolean trustStore) {
        this.baseUrl = baseUrl;
        this.client = client;
        this.range = range;
        this.step = step;
        this.clock = clock;
        this.allowWarnings = allowWarnings;
        this.headerNames = List.copyOf(headerNames);
        this.trustStore = trustStore;
    }

    URI baseUrl() {
        return baseUrl;
    }

    /** The base URL as descriptions show it, its credentials masked as the client's messages mask them. */
    String shownBaseUrl() {
        return client.endpoint("");
    }

    /**
     * For a range query, the time from which a series' newest point shows the round's time: two
     * steps before its end (Prometheus answers a point on every step while a series exists, and
     * none after it stopped); {@code null} for an instant query.
     */
    Instant fresh(Window window) {
        return range == null ? null : window.end().minus(step.multipliedBy(2));
    }

    /** The time a round's queries cover. */
    Window window(ProbeContext context) {
        return Window.of(context, range);
    }

    /**
     * What is left of the round's deadline. When the probe's clock and the round's disagree by
     * more than the timeout (a round in virtual time), the whole timeout.
     *
     * @throws PrometheusQueryException when nothing is left
     */
    Duration timeLeft(ProbeContext context) {
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

    /**
     * Runs several queries at once, each within the time {@code left}: the first on the calling
     * thread, the others on threads of their own. A failure of any is the failure of all.
     *
     * @param keys the configuration key of each query, for messages
     */
    List<QueryResult> fetchAll(List<String> queries, List<String> keys, Window window, Duration left) {
        List<Callable<QueryResult>> calls = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            String promql = queries.get(i);
            String key = keys.get(i);
            calls.add(() -> fetch(promql, key, window, left));
        }
        return runAll(calls);
    }

    /**
     * Runs several range queries over {@code [start, end]} at once, each within the time
     * {@code left}, whatever this runner's own window: the baseline's past
     * ({@link BaselineHistoryQueries}). Each answer must be a matrix.
     *
     * @param keys the configuration key of each query, for messages
     */
    List<QueryResult> fetchRanges(List<String> queries, List<String> keys, Instant start, Instant end, Duration rangeStep,
            Duration left) {
        List<Callable<QueryResult>> calls = new ArrayList<>();
        for (int i = 0; i < queries.size(); i++) {
            String promql = queries.get(i);
            String key = keys.get(i);
            calls.add(() -> {
                QueryResult result = client.range(promql, start, end, rangeStep, left);
                if (!QueryResult.MATRIX.equals(result.resultType())) {
                    throw new PrometheusQueryException(key + " over a range returned a " + result.resultType()
                            + ", not a matrix");
                }
                return result;
            });
        }
        return runAll(calls);
    }

    /** Runs the first call on this thread and the others on threads of their own; a failure of any is the failure of all. */
    private List<QueryResult> runAll(List<Callable<QueryResult>> calls) {
        List<FutureTask<QueryResult>> others = new ArrayList<>();
        for (int i = 1; i < calls.size(); i++) {
            FutureTask<QueryResult> task = new FutureTask<>(calls.get(i));
            Thread thread = new Thread(task, "vigil-prometheus-query-" + QUERY_THREADS.incrementAndGet());
            thread.setDaemon(true);
            thread.start();
            others.add(task);
        }
        try {
            List<QueryResult> results = new ArrayList<>();
            results.add(calls.get(0).call());
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
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new PrometheusQueryException("querying failed: " + e);
        } finally {
            others.forEach(task -> task.cancel(true));
        }
    }

    /**
     * The label names of the series of {@code metric} over the {@code window} before {@code end}
     * ({@link PrometheusClient#labelNames}), within the time {@code left}: empty when it has none.
     */
    List<String> labelNames(String metric, Instant end, Duration window, Duration left) {
        return client.labelNames(metric, end.minus(window), end, left);
    }

    /** One instant query at {@code time} ({@link PrometheusClient#instant}), within the time {@code left}, whatever the probe's mode. */
    QueryResult instant(String promql, Instant time, Duration left) {
        return client.instant(promql, time, left);
    }

    /**
     * Whether an answer with these warnings may be relied on: none, or every one matches
     * {@code allow-warnings}.
     */
    boolean trusted(List<String> warnings) {
        return warnings.stream().allMatch(this::accepted);
    }

    /**
     * Whether a warning leaves the answer whole: it matches {@code allow-warnings}, or it is one of
     * Prometheus' notes that no data was left out ({@link #ADVISORY}).
     */
    private boolean accepted(String warning) {
        return ADVISORY.matcher(warning).find() || allowWarnings != null && allowWarnings.matcher(warning).find();
    }

    /**
     * Runs one query and checks that its result type fits the window: a vector or a scalar for an
     * instant query, a matrix for a range query, of which only the points inside the window count.
     *
     * @param key the configuration key of the query, for messages
     */
    QueryResult fetch(String promql, String key, Window window, Duration left) {
        QueryResult result = window.start() == null
                ? client.instant(promql, window.end(), left)
                : client.range(promql, window.start(), window.end(), step, left);
        String type = result.resultType();
        if (range == null && (QueryResult.VECTOR.equals(type) || QueryResult.SCALAR.equals(type))) {
            return result;
        }
        if (range != null && QueryResult.MATRIX.equals(type)) {
            return result.within(window.start(), window.end());
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
    ProbeResult withWarnings(ProbeResult m, List<String> warnings) {
        if (warnings.isEmpty()) {
            return m;
        }
        List<String> unexpected = warnings.stream().filter(w -> !accepted(w)).toList();
        String text = m.explanation() + "; Prometheus warned: " + String.join("; ", warnings);
        if (unexpected.isEmpty() || m.outcome() == Outcome.FAIL || m.outcome() == Outcome.ERROR) {
            return m.withExplanation(text);
        }
        return ProbeResult.inconclusive(m.values(), text + " (was " + m.outcome() + "; a partial or warned answer"
                + " proves nothing; allow-warnings=<regex> accepts the warnings you expect)");
    }

    /**
     * The measurement of a round whose answers carry warnings that {@code allow-warnings} does not
     * accept, for a judge that accumulates evidence over the rounds (counts, histograms): a partial
     * answer may miss series of either version, so its counts are not fed to the judge, where they
     * would weigh in every later round, and the round is {@code INCONCLUSIVE}, no data for it.
     *
     * @return the measurement, or {@code null} when the warnings are accepted (or there are none)
     */
    ProbeResult unjudged(List<String> warnings) {
        if (trusted(warnings)) {
            return null;
        }
        return ProbeResult.inconclusive(java.util.Map.of(), "Prometheus warned: " + String.join("; ", warnings)
                + "; a partial or warned answer proves nothing and is not fed to the judge: no data for this round"
                + " (allow-warnings=<regex> accepts the warnings you expect)");
    }

    /** The window of a range query, or {@code null} for instant queries. */
    Duration range() {
        return range;
    }

    /** {@code " over the last 5m every 15s"} for a range query, else empty: for descriptions. */
    String windowText() {
        return range == null ? "" : " over the last " + Durations.format(range) + " every " + Durations.format(step);
    }

    /** Appends range, step, the kind of authentication, header names and a custom trust store, without secrets. */
    void describeTransport(StringBuilder out) {
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
    }

    /** Builds the client and readies its JSON reader, without a query ({@link PrometheusClient#start}). */
    void prepare() {
        client.start();
    }

    /** Whether the client is built. */
    boolean prepared() {
        return client.started();
    }

    /** Closes the client's connection pool. Idempotent; a later query opens a new one. */
    @Override
    public void close() {
        client.close();
    }
}
