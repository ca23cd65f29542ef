package dev.vigil.prometheus;

import dev.vigil.Deployment;
import dev.vigil.Durations;
import dev.vigil.Outcome;
import dev.vigil.Plot;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The single-query mode of {@link PrometheusProbe}: one PromQL query per round, every series (or,
 * with a range, every point) judged by the conditions over {@link PrometheusProbe#NAMES}.
 * Immutable; thread-safe.
 */
final class QueryProbe extends PrometheusProbe {

    private final String query;
    private final ConditionScan scan;
    /** How far back the query reads ({@code rate(x[1m] offset 5m)}: 6 m). */
    private final QueryReach reach;
    /** What an empty answer may mean ({@link Judging#emptyHint(String)}). */
    private final String emptyHint;

    /**
     * @param criteria the conditions; required in this mode
     * @param query the PromQL query
     */
    QueryProbe(QueryRunner queries, Criteria criteria, OnNoData onNoData, String query) {
        super(queries, criteria, onNoData);
        this.query = query;
        this.scan = ConditionScan.of(criteria);
        this.reach = QueryReach.of(query);
        this.emptyHint = Judging.emptyHint(query);
    }

    @Override
    ProbeResult measure(ProbeContext context, Window window, Duration left) {
        QueryResult result = queries.fetch(query, "query", window, left);
        return seenNothingNew(queries.withWarnings(Judging.points(result, criteria(), scan, onNoData(), queries.fresh(window),
                intoTheIncident(context, window), emptyHint), result.warnings()), context, window);
    }

    /**
     * Keeps a round from passing on data from before the verification started: when the newest time
     * any selector of the query reads at the round's time (the window's end) is before the start
     * ({@code rate(x[10s] offset 1m)} in a 6 s bake, an {@code @} at a fixed time before the
     * deployment), the query has seen nothing of the new version, and a pass is {@code INCONCLUSIVE}.
     * Anything but a pass, a reach that cannot be read and an unknown start are left as they are.
     */
    private ProbeResult seenNothingNew(ProbeResult m, ProbeContext context, Window window) {
        Optional<Instant> started = context.verificationStarted();
        if (m.outcome() != Outcome.PASS || started.isEmpty()) {
            return m;
        }
        QueryReach.Reading newest = reach.newest(window.end(), window.start() == null ? window.end() : window.start(),
                window.end());
        if (newest == null || !newest.time().isBefore(started.get())) {
            return m;
        }
        return ProbeResult.inconclusive(m.values(), m.explanation() + "; but the query reads only data from before the"
                + " verification started (" + newest.by() + "): its newest data is of " + newest.time() + ", "
                + Durations.format(Duration.between(newest.time(), started.get())) + " before the start (" + started.get()
                + "), so it has not seen version " + context.deployment().version()
                + " (was PASS); read the present to judge it: no offset longer than the time since the deployment, and no"
                + " @ at a fixed time (@ end(), or no @)");
    }

    /**
     * For a hotfix, why a point failing its condition is no failure: the query evaluated at the
     * point's time (an instant query's: the round's) reads data from before the verification started,
     * through a range selector ({@code rate(x[1m])} in the hotfix's first minute), an offset, a
     * subquery or an {@code @}, so it measures the incident the hotfix fixes too; rolled back for
     * it, the broken version would return. A point whose reach starts at or after the start judges
     * the hotfix alone, and so do all of them when the reach cannot be read: not known is treated
     * as reaching into the incident. {@code null} for a release, whose failing points stay failures:
     * the version before it is taken to have been healthy, so the failure is the new version's, diluted.
     */
    private Function<Instant, String> intoTheIncident(ProbeContext context, Window window) {
        Optional<Instant> started = context.verificationStarted();
        if (started.isEmpty() || context.deployment().kind() != Deployment.Kind.HOTFIX) {
            return null;
        }
        if (window.start() == null) {
            // An instant query reads at the round's time, whatever time its answer carries.
            String note = intoTheIncident(started.get(), window.end(), window.end(), window.end(), false);
            return t -> note;
        }
        return t -> intoTheIncident(started.get(), t, window.start(), window.end(), true);
    }

    private String intoTheIncident(Instant started, Instant at, Instant start, Instant end, boolean range) {
        String notCounted = "not counted as a failure of this hotfix: ";
        if (reach.unknown() != null) {
            return notCounted + "how far back the query reads is not known (" + reach.unknown() + "), so it may"
                    + " measure the incident the hotfix fixes; write its ranges and offsets as PromQL durations (5m, 1h30m)";
        }
        QueryReach.Reading reading = reach.reading(at, start, end);
        if (reading == null || !reading.time().isBefore(started)) {
            return null;
        }
        Duration clear = reach.clearAfter(started);
        return notCounted + (range ? "at this point " : "") + "the query reads from " + reading.time() + " ("
                + reading.by() + "), " + Durations.format(Duration.between(reading.time(), started))
                + " before the verification started (" + started + "), into the incident it fixes; "
                + (clear == null
                        ? "an @ at a fixed time before the verification started reads the incident in every round:"
                                + " anchor it at the round's time (@ end(), or no @) to judge the hotfix"
                        : "the " + (range ? "points" : "rounds") + " from " + started.plus(clear) + " on judge the hotfix"
                                + " alone (an initial-delay of " + Durations.format(clear) + " judges only it from the"
                                + " first round)");
    }

    /**
     * How far back a round reads: the query's longest range selector with its offset or subquery
     * ({@code rate(x[1m])}: 1 m), plus the window of a range query. Zero for what cannot be read
     * ({@code [$__rate_interval]}): the re-check's delay then stays the interval unless it is set.
     */
    @Override
    public Duration lookback() {
        Duration reads = reach.longestReach();
        Duration range = queries.range();
        return (reads == null ? Duration.ZERO : reads).plus(range == null ? Duration.ZERO : range);
    }

    /** {@code value} against the number the conditions compare it with. */
    @Override
    public Plot plot() {
        return Plot.fromConditions(criteria().passWhen(), criteria().failWhen(), "value");
    }

    /** {@code PromQL at http://host:9090: sum(rate(...))}, without secrets. */
    @Override
    public String description() {
        return "PromQL" + queries.windowText() + " at " + shownBaseUrl() + ": " + Texts.shorten(query, DESCRIPTION_QUERY_LENGTH);
    }

    @Override
    Map<String, String> queriesByKey() {
        return Map.of("query", query);
    }

    @Override
    void describeQueries(StringBuilder out) {
        out.append(", query=").append(Texts.shorten(query, DESCRIPTION_QUERY_LENGTH));
    }
}
