package dev.vigil.prometheus;

import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.analysis.CanaryAnalysis;
import dev.vigil.analysis.CanaryJudges;
import dev.vigil.condition.ConditionSyntaxException;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.InvalidSettingsException;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes {@code type=prometheus} probes from configuration ({@code vigil.probes.<name>.*}). Found
 * by {@link java.util.ServiceLoader}; the public constructor exists for it alone. Stateless and
 * thread-safe.
 *
 * <pre>
 * vigil.probes.error-rate.type=prometheus
 * vigil.probes.error-rate.base-url=http://prometheus:9090
 * vigil.probes.error-rate.query=sum(rate(http_requests_total{status=~"5.."}[1m])) / sum(rate(http_requests_total[1m]))
 * vigil.probes.error-rate.fail-when=value &gt; 0.01
 * </pre>
 */
public final class PrometheusProbeFactory implements ProbeFactory {

    /** The type this factory answers to. */
    public static final String TYPE = "prometheus";

    /** What a duration looks like before it is read: a number with a unit, or ISO-8601; anything else is named with 'off'. */
    private static final Pattern DURATION_LIKE = Pattern.compile("[+-]?\\d+[a-zA-Z]{0,2}|[+-]?[pP]\\S+");

    private static final List<ConfigKey> OWN_KEYS = List.of(
            ConfigKey.of("base-url", Kind.STRING, null,
                    "Address of the Prometheus HTTP API, with its path prefix if any (http://host:9090/prometheus); required."),
            ConfigKey.of("query", Kind.STRING, null,
                    "PromQL query judged each round; each series gives 'value' and 'labels' to the conditions."),
            ConfigKey.of("canary-query", Kind.STRING, null,
                    "Canary mode: PromQL for the new version, judged against baseline-query (names canary, baseline, ratio)."),
            ConfigKey.of("baseline-query", Kind.STRING, null,
                    "Canary mode: PromQL for the version running before, compared with canary-query."),
            ConfigKey.of("canary-errors-query", Kind.STRING, null,
                    "Counts mode: the canary's errors counted during the round, e.g. sum(increase(...[10s])) or vector(0); needs judge."),
            ConfigKey.of("canary-requests-query", Kind.STRING, null,
                    "Counts mode: the canary's requests counted during the round."),
            ConfigKey.of("baseline-errors-query", Kind.STRING, null,
                    "Counts mode: the baseline's errors counted during the round."),
            ConfigKey.of("baseline-requests-query", Kind.STRING, null,
                    "Counts mode: the baseline's requests counted during the round."),
            ConfigKey.of("canary-histogram-query", Kind.STRING, null,
                    "Histogram mode: the canary's histogram bucket increments during the round by le, e.g. "
                            + "sum by (le) (increase(http_server_requests_seconds_bucket{...}[10s])); needs judge=sequential."),
            ConfigKey.of("baseline-histogram-query", Kind.STRING, null,
                    "Histogram mode: the baseline's bucket increments during the round by le, with the same buckets."),
            ConfigKey.of(BucketUnit.KEY, Kind.STRING, BucketUnit.DEFAULT.configValue(),
                    "Histogram mode: the unit of le, seconds (_seconds_bucket) or milliseconds (OpenTelemetry's "
                            + "_milliseconds_bucket, prom-client's _ms_bucket); slower-than is compared with the bounds in it."),
            ConfigKey.of(BaselineHistoryQueries.KEY, Kind.STRING, "30m",
                    "Counts and histogram modes: how far back the baseline's own rounds are asked for, once per verification, "
                            + "for the sequential judge to learn their noise from; a duration, or off (0)."),
            ConfigKey.of(BaselineHistoryQueries.STEP_KEY, Kind.DURATION, null,
                    "Counts and histogram modes: the length of one past round of baseline-history; default: the longest "
                            + "range selector [10s] of the baseline queries."),
            ConfigKey.of("allow-warnings", Kind.STRING, null,
                    "A regular expression: Prometheus warnings and infos it finds still let a measurement pass (any other makes it "
                            + "inconclusive)."),
            ConfigKey.of("on-no-data", Kind.STRING, OnNoData.DEFAULT.configValue(),
                    "What an empty result means: inconclusive, fail or pass."),
            ConfigKey.of("range", Kind.DURATION, null,
                    "Range mode: judge every point of the last range (5m) instead of the value at the round's time."),
            ConfigKey.of("step", Kind.DURATION, "15s",
                    "Range mode: the distance between points."),
            ConfigKey.of("method", Kind.STRING, "auto",
                    "How queries are sent: auto (GET, POST for a long query), get or post."),
            ConfigKey.secret("bearer-token", Kind.STRING,
                    "Token sent as 'Authorization: Bearer'; exclusive with username and password."),
            ConfigKey.of("username", Kind.STRING, null, "User name for HTTP basic authentication."),
            ConfigKey.secret("password", Kind.STRING, "Password for HTTP basic authentication."),
            ConfigKey.of("headers", Kind.MAP, null,
                    "Headers sent with every query, such as headers.X-Scope-OrgID for a multi-tenant back end."),
            ConfigKey.of("trust-store", Kind.STRING, null,
                    "PKCS12 or JKS file of the certificates to trust instead of the JDK's default ones."),
            ConfigKey.secret("trust-store-password", Kind.STRING, "Password of the trust-store."),
            ConfigKey.of("max-response-size", Kind.SIZE, "10MB",
                    "Largest response read; a larger one is an error."));

    /**
     * A probe with a canary {@code judge} is inconclusive while its evidence accumulates (before
     * {@code min-samples}); unless {@code max-inconclusive} is set, that is not held against it. A
     * bake that ends without the judge reaching a decision is still inconclusive, never healthy.
     */
    @Override
    public ProbeLimits defaultLimits(ProbeSettings settings) {
        ProbeLimits defaults = ProbeLimits.defaults();
        return settings.string(CanaryJudges.KEY_JUDGE).isPresent() ? defaults.withMaxInconclusive(ProbeLimits.UNLIMITED) : defaults;
    }

    /**
     * A canary probe (canary and baseline queries, counts or histograms) is left out of the re-check
     * after a rollback unless {@code recheck=true}: without a canary its queries answer nothing.
     */
    @Override
    public boolean defaultRecheck(ProbeSettings settings) {
        return java.util.stream.Stream.of(CanaryProbe.KEYS, CountQueries.KEYS, HistogramQueries.KEYS).flatMap(List::stream)
                .filter(key -> key.startsWith("canary-")).noneMatch(key -> settings.string(key).isPresent());
    }

    /** The probe's own keys followed by the canary-analysis keys ({@link CanaryJudges#KEYS}, {@link CanaryJudges#HISTOGRAM_KEYS}). */
    private static final List<ConfigKey> KEYS;

    static {
        List<ConfigKey> keys = new ArrayList<>(OWN_KEYS);
        keys.addAll(CanaryJudges.KEYS);
        keys.addAll(CanaryJudges.HISTOGRAM_KEYS);
        KEYS = List.copyOf(keys);
    }

    /** For {@link java.util.ServiceLoader}; use {@link PrometheusProbe#builder()} in code. */
    public PrometheusProbeFactory() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String description() {
        return "a PromQL query against Prometheus (or Thanos, Mimir, Cortex, VictoriaMetrics), judged series by series";
    }

    @Override
    public List<ConfigKey> keys() {
        return KEYS;
    }

    /**
     * Reads the mode from the keys present (a histogram query: histogram mode; any count query:
     * counts mode; {@code canary-query} or {@code baseline-query}: canary mode; else a single
     * query), then that mode's settings.
     * Reports every problem on its key and throws {@link InvalidSettingsException} when there was one.
     */
    @Override
    public Probe create(ProbeSettings settings) {
        Problems problems = new Problems(settings);
        PrometheusProbeBuilder builder = PrometheusProbe.builder();

        settings.requiredString("base-url").ifPresentOrElse(url -> problems.apply(() -> builder.baseUrl(url)),
                problems::alreadyReported);

        Optional<String> query = settings.string("query");
        Optional<String> canary = settings.string("canary-query");
        Optional<String> baseline = settings.string("baseline-query");
        boolean canaryMode = canary.isPresent() || baseline.isPresent();
        List<Optional<String>> countQueries = CountQueries.KEYS.stream().map(settings::string).toList();
        List<Optional<String>> histogramQueries = HistogramQueries.KEYS.stream().map(settings::string).toList();
        boolean histogramMode = histogramQueries.stream().anyMatch(Optional::isPresent);
        if (!histogramMode && settings.string(CanaryJudges.KEY_SLOWER_THAN).isPresent()) {
            problems.add(CanaryJudges.KEY_SLOWER_THAN, "needs canary-histogram-query and baseline-histogram-query "
                    + "(it names the slow requests of a histogram)");
        }
        if (!histogramMode && settings.string(BucketUnit.KEY).isPresent()) {
            problems.add(BucketUnit.KEY, "needs canary-histogram-query and baseline-histogram-query (it is the unit of "
                    + "their le labels)");
        }
        settings.plan().ifPresent(plan -> queryKeys().forEach(key -> settings.string(key)
                .map(promql -> OffsetCheck.problem(promql, plan, settings::planKey)).ifPresent(problem -> problems.add(key, problem))));
        Probe made;
        if (histogramMode) {
            made = histogram(settings, problems, builder, histogramQueries,
                    query.isPresent() || canaryMode || countQueries.stream().anyMatch(Optional::isPresent));
        } else if (countQueries.stream().anyMatch(Optional::isPresent)) {
            made = counts(settings, problems, builder, countQueries, query.isPresent() || canaryMode);
        } else if (canaryMode) {
            made = canary(settings, problems, builder, canary, baseline, query.isPresent());
        } else {
            made = query(settings, problems, builder, query);
        }
        if (made == null) {
            throw InvalidSettingsException.reported(settings);
        }
        return made;
    }

    /** Every key that holds a query: {@code query} and the {@code *-query} keys of the other modes. */
    private static List<String> queryKeys() {
        return KEYS.stream().map(ConfigKey::name).filter(k -> k.equals("query") || k.endsWith("-query")).toList();
    }

    /** Single-query mode: {@code query} and conditions over {@link PrometheusProbe#NAMES}; no judge. */
    private static Probe query(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder,
            Optional<String> query) {
        if (query.isEmpty()) {
            problems.add("query", "is required (or canary-query and baseline-query)");
        } else {
            problems.apply(() -> builder.query(query.get()));
        }
        options(settings, problems, builder);
        noHistory(settings, problems);
        if (settings.string(CanaryJudges.KEY_JUDGE).isPresent()) {
            problems.add(CanaryJudges.KEY_JUDGE, "needs canary-query and baseline-query (canary analysis compares the two)");
        } else {
            criteria(settings, problems, builder, PrometheusProbe.NAMES);
        }
        return build(settings, problems, builder);
    }

    /**
     * Canary mode: {@code canary-query} and {@code baseline-query}, judged by a canary analysis
     * ({@code judge}) or by conditions over {@link PrometheusProbe#CANARY_NAMES}.
     *
     * @param withQuery whether {@code query} is set too, a conflict
     */
    private static Probe canary(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder,
            Optional<String> canary, Optional<String> baseline, boolean withQuery) {
        if (withQuery) {
            problems.add("query", "cannot be combined with canary-query and baseline-query: set one or the other");
        } else if (canary.isEmpty()) {
            problems.add("canary-query", "is required together with baseline-query");
        } else if (baseline.isEmpty()) {
            problems.add("baseline-query", "is required together with canary-query");
        } else {
            problems.apply(() -> builder.canary(canary.get(), baseline.get()));
        }
        options(settings, problems, builder);
        noHistory(settings, problems);
        if (settings.string(CanaryJudges.KEY_JUDGE).isPresent()) {
            Optional<CanaryAnalysis> analysis = CanaryJudges.fromSettings(settings);
            if (analysis.isPresent()) {
                builder.judge(SamplesJudge.canaryAnalysis(analysis.get()));
            } else {
                problems.alreadyReported();
            }
            if (settings.string("pass-when").isPresent() || settings.string("fail-when").isPresent()) {
                settings.criteria(PrometheusProbe.CANARY_NAMES, null);
                problems.add(CanaryJudges.KEY_JUDGE, "replaces pass-when and fail-when: remove the conditions or the judge");
            }
        } else {
            criteria(settings, problems, builder, PrometheusProbe.CANARY_NAMES);
        }
        return build(settings, problems, builder);
    }

    /** Reads {@code pass-when} and {@code fail-when} over {@code names} into the builder. */
    private static void criteria(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder,
            Map<String, ValueType> names) {
        Optional<Criteria> criteria = settings.criteria(names, null);
        if (criteria.isPresent()) {
            builder.criteria(criteria.get());
        } else {
            problems.alreadyReported();
        }
    }

    /** Counts mode: the four count queries and a canary judge; no condition. */
    private static Probe counts(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder,
            List<Optional<String>> queries, boolean otherMode) {
        if (otherMode) {
            problems.add(CountQueries.KEYS.get(0), "cannot be combined with query or canary-query: set one mode");
        }
        for (int i = 0; i < queries.size(); i++) {
            if (queries.get(i).isEmpty()) {
                problems.add(CountQueries.KEYS.get(i), "is required together with the other count queries");
            }
        }
        Optional<CanaryAnalysis> analysis = Optional.empty();
        if (settings.string(CanaryJudges.KEY_JUDGE).isEmpty()) {
            problems.add(CanaryJudges.KEY_JUDGE, "is required for counts: judge=sequential feeds them to the count test");
        } else {
            analysis = CanaryJudges.fromSettings(settings);
            if (analysis.isEmpty()) {
                problems.alreadyReported();
            }
        }
        if (settings.string("pass-when").isPresent() || settings.string("fail-when").isPresent()) {
            settings.criteria(PrometheusProbe.CANARY_NAMES, null);
            problems.add(CanaryJudges.KEY_JUDGE, "judges the counts: remove pass-when and fail-when");
        }
        options(settings, problems, builder);
        history(settings, problems, builder);
        if (!problems.any()) {
            CanaryAnalysis judge = analysis.orElseThrow();
            problems.apply(() -> builder.counts(queries.get(0).get(), queries.get(1).get(), queries.get(2).get(),
                    queries.get(3).get(), judge));
        }
        return build(settings, problems, builder);
    }

    /** Histogram mode: the two histogram queries and a sequential canary judge; no condition. */
    private static Probe histogram(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder,
            List<Optional<String>> queries, boolean otherMode) {
        if (otherMode) {
            problems.add(HistogramQueries.KEYS.get(0), "cannot be combined with query, canary-query or the count queries: "
                    + "set one mode");
        }
        for (int i = 0; i < queries.size(); i++) {
            if (queries.get(i).isEmpty()) {
                problems.add(HistogramQueries.KEYS.get(i), "is required together with " + HistogramQueries.KEYS.get(1 - i));
            }
        }
        Optional<CanaryAnalysis> analysis = Optional.empty();
        if (settings.string(CanaryJudges.KEY_JUDGE).isEmpty()) {
            problems.add(CanaryJudges.KEY_JUDGE, "is required for histograms: judge=sequential compares the buckets");
        } else {
            analysis = CanaryJudges.fromSettings(settings);
            if (analysis.isEmpty()) {
                problems.alreadyReported();
            } else if (analysis.get().method() != CanaryAnalysis.Method.SEQUENTIAL) {
                problems.add(CanaryJudges.KEY_JUDGE, "must be sequential for histograms, was "
                        + analysis.get().method().key() + " (it compares samples or counts)");
            }
        }
        if (settings.string("pass-when").isPresent() || settings.string("fail-when").isPresent()) {
            settings.criteria(PrometheusProbe.CANARY_NAMES, null);
            problems.add(CanaryJudges.KEY_JUDGE, "judges the histograms: remove pass-when and fail-when");
        }
        settings.string(BucketUnit.KEY).ifPresent(text -> {
            try {
                builder.bucketUnit(BucketUnit.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add(BucketUnit.KEY, "must be one of " + BucketUnit.names() + ": '" + text + "'");
            }
        });
        options(settings, problems, builder);
        history(settings, problems, builder);
        if (!problems.any()) {
            CanaryAnalysis judge = analysis.orElseThrow();
            problems.apply(() -> builder.histogram(queries.get(0).get(), queries.get(1).get(), judge));
        }
        return build(settings, problems, builder);
    }

    /**
     * {@code baseline-history} (a duration, {@code 0} or {@code off}) and {@code baseline-history-step}
     * into the builder; counts and histogram modes only.
     */
    private static void history(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder) {
        Optional<String> lookback = settings.string(BaselineHistoryQueries.KEY);
        if (lookback.isPresent()) {
            String text = lookback.get().trim();
            if (text.equalsIgnoreCase("off")) {
                builder.baselineHistory(Duration.ZERO);
            } else if (!DURATION_LIKE.matcher(text).matches()) {
                problems.add(BaselineHistoryQueries.KEY, "must be a duration such as 30m, or off: '" + text + "'");
            } else {
                Optional<Duration> value = settings.duration(BaselineHistoryQueries.KEY);
                if (value.isEmpty()) {
                    problems.alreadyReported();
                } else if (value.get().isNegative()) {
                    problems.add(BaselineHistoryQueries.KEY, "must not be negative (0 or off switches it off): '" + text + "'");
                } else {
                    builder.baselineHistory(value.get());
                }
            }
        }
        if (settings.string(BaselineHistoryQueries.STEP_KEY).isPresent()) {
            Optional<Duration> step = settings.duration(BaselineHistoryQueries.STEP_KEY);
            if (step.isEmpty()) {
                problems.alreadyReported();
            } else if (step.get().toMillis() < 1) {
                problems.add(BaselineHistoryQueries.STEP_KEY, "must be at least 1ms: '"
                        + settings.string(BaselineHistoryQueries.STEP_KEY).get().trim() + "'");
            } else {
                builder.baselineHistoryStep(step.get());
            }
        }
    }

    /** In modes without a sequential judge of counts or histograms: the history keys are a mistake. */
    private static void noHistory(ProbeSettings settings, Problems problems) {
        for (String key : List.of(BaselineHistoryQueries.KEY, BaselineHistoryQueries.STEP_KEY)) {
            if (settings.string(key).isPresent()) {
                problems.add(key, "applies to the count and histogram queries only (the sequential judge learns from the "
                        + "baseline's past rounds of those)");
            }
        }
    }

    /** The settings every mode shares: on-no-data, method, range, credentials, headers, sizes, timeout, warnings. */
    private static void options(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder) {
        settings.string("allow-warnings").ifPresent(regex -> problems.apply(() -> builder.allowWarnings(regex)));
        settings.string("on-no-data").ifPresent(text -> {
            try {
                // on-no-data=pass with confirms= is refused where both are known: Confirmation.refusal
                builder.onNoData(OnNoData.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add("on-no-data", "must be one of " + OnNoData.names() + ": '" + text + "'");
            }
        });
        settings.string("method").ifPresent(text -> {
            try {
                builder.method(PrometheusProbe.HttpMethod.parse(text));
            } catch (IllegalArgumentException e) {
                problems.add("method", "must be one of auto, get, post: '" + text + "'");
            }
        });

        Optional<Duration> range = settings.duration("range");
        Optional<Duration> step = settings.duration("step");
        if (range.isPresent()) {
            problems.apply(() -> builder.range(range.get(), step.orElse(null)));
        } else if (step.isPresent()) {
            problems.add("step", "needs range (the window the points cover), such as range=5m");
        }

        Optional<String> token = settings.string("bearer-token");
        Optional<String> username = settings.string("username");
        Optional<String> password = settings.string("password");
        if (token.isPresent() && (username.isPresent() || password.isPresent())) {
            problems.add("bearer-token", "cannot be combined with username and password: set one or the other");
        } else if (token.isPresent()) {
            problems.apply(() -> builder.bearerToken(token.get()));
        } else if (username.isPresent() != password.isPresent()) {
            problems.add(username.isPresent() ? "password" : "username",
                    "is required together with " + (username.isPresent() ? "username" : "password"));
        } else if (username.isPresent()) {
            problems.apply(() -> builder.basicAuth(username.get(), password.get()));
        }

        for (Map.Entry<String, String> header : settings.map("headers").entrySet()) {
            problems.apply(() -> builder.header(header.getKey(), header.getValue()));
        }
        settings.size("max-response-size").ifPresent(size -> problems.apply(() -> builder.maxResponseBytes(size)));
        Duration timeout = settings.timeout();
        if (timeout != null && !timeout.isNegative() && !timeout.isZero()) {
            builder.connectTimeout(timeout.compareTo(PrometheusProbe.DEFAULT_CONNECT_TIMEOUT) < 0
                    ? timeout : PrometheusProbe.DEFAULT_CONNECT_TIMEOUT);
        }

        if (settings.string("trust-store").isEmpty() && settings.string("trust-store-password").isPresent()) {
            problems.add("trust-store-password", "needs trust-store");
        }
    }

    /** Builds the probe when nothing was wrong, reporting what {@code build()} still rejects. */
    private static Probe build(ProbeSettings settings, Problems problems, PrometheusProbeBuilder builder) {
        if (problems.any()) {
            return null;
        }
        Optional<String> trustStore = settings.string("trust-store");
        Optional<String> trustStorePassword = settings.string("trust-store-password");
        trustStore.ifPresent(path -> {
            Path file;
            try {
                file = Path.of(path);
            } catch (InvalidPathException e) {
                // A NUL or a character the file system refuses: said on the key, not as the probe type failing.
                problems.add("trust-store", "is not a file path (" + e.getReason() + "): '" + path.replace("\0", "\\0") + "'");
                return;
            }
            problems.apply(() -> builder.trustStore(file, trustStorePassword.orElse(null)));
        });
        builder.redactor(settings.redactor());
        try {
            return problems.any() ? null : builder.build();
        } catch (InvalidSetting e) {
            problems.add(e.key(), e.problem());
        } catch (ConditionSyntaxException | IllegalArgumentException e) {
            problems.add("pass-when", e.getMessage());
        }
        return null;
    }

    /** Collects problems through the settings and remembers whether there were any. */
    private static final class Problems {
        private final ProbeSettings settings;
        private boolean any;

        Problems(ProbeSettings settings) {
            this.settings = settings;
        }

        void add(String key, String message) {
            settings.problem(key, message);
            any = true;
        }

        /** A getter returned empty for a required value: it has reported the problem itself. */
        void alreadyReported() {
            any = true;
        }

        void apply(Runnable step) {
            try {
                step.run();
            } catch (InvalidSetting e) {
                add(e.key(), e.problem());
            }
        }

        boolean any() {
            return any;
        }
    }
}
