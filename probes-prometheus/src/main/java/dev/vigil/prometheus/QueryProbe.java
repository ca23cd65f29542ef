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
import java.util.Optional;

/**
 * The single-query mode of {@link PrometheusProbe}: one PromQL query per round, every series (or,
 * with a range, every point) judged by the conditions over {@link PrometheusProbe#NAMES}.
 * Immutable; thread-safe.
 */
final class QueryProbe extends PrometheusProbe {

    private final String query;
    private final ConditionScan scan;
    /** The longest range selector of the query ({@code rate(x[1m])}: 1 m), or {@code null}. */
    private final Duration reach;

    /**
     * @param criteria the conditions; required in this mode
     * @param query the PromQL query
     */
    QueryProbe(QueryRunner queries, Criteria criteria, OnNoData onNoData, String query) {
        super(queries, criteria, onNoData);
        this.query = query;
        this.scan = ConditionScan.of(criteria);
        this.reach = BaselineHistoryQueries.longestRange(query);
    }

    @Override
    ProbeResult measure(ProbeContext context, Window window, Duration left) {
        QueryResult result = queries.fetch(query, "query", window, left);
        ProbeResult judged = queries.withWarnings(Judging.points(result, criteria(), scan, onNoData(), queries.fresh(window)),
                result.warnings());
        return judged.outcome() == Outcome.FAIL ? intoTheIncident(context, window, judged) : judged;
    }

    /**
     * A hotfix's {@code FAIL} of an instant query that reaches before the verification started is
     * {@code INCONCLUSIVE}: a range selector inside the query ({@code rate(x[1m])} in the hotfix's
     * first minute) measures the incident the hotfix fixes too, and a failure on it is no failure
     * of the hotfix; rolled back for it, the broken version would return. The rounds after it
     * judge the hotfix alone. A release's is left a {@code FAIL}: the version before it is taken to
     * have been healthy, so the failure is the new version's, diluted.
     */
    private ProbeResult intoTheIncident(ProbeContext context, Window window, ProbeResult failed) {
        Optional<Instant> started = context.verificationStarted();
        // A range= query is left as it is: its points from one range selector after the start on
        // are the hotfix's alone, and which point failed is the judging's to say.
        if (reach == null || window.start() != null || started.isEmpty()
                || context.deployment().kind() != Deployment.Kind.HOTFIX) {
            return failed;
        }
        Instant from = window.end().minus(reach);
        if (!from.isBefore(started.get())) {
            return failed;
        }
        return ProbeResult.inconclusive(failed.values(), failed.explanation() + "; not counted as a failure of this hotfix:"
                + " the query's range of " + Durations.format(reach) + " reaches " + Durations.format(Duration.between(from, started.get()))
                + " before the verification started (" + started.get() + "), into the incident it fixes; the rounds from "
                + started.get().plus(reach) + " on judge the hotfix alone (range= or an initial-delay of "
                + Durations.format(reach) + " judges only it from the first round)");
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
    void describeQueries(StringBuilder out) {
        out.append(", query=").append(Texts.shorten(query, DESCRIPTION_QUERY_LENGTH));
    }
}
