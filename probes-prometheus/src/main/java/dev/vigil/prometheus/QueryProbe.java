package dev.vigil.prometheus;

import dev.vigil.Plot;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import java.time.Duration;

/**
 * The single-query mode of {@link PrometheusProbe}: one PromQL query per round, every series (or,
 * with a range, every point) judged by the conditions over {@link PrometheusProbe#NAMES}.
 * Immutable; thread-safe.
 */
final class QueryProbe extends PrometheusProbe {

    private final String query;
    private final ConditionScan scan;

    /**
     * @param criteria the conditions; required in this mode
     * @param query the PromQL query
     */
    QueryProbe(QueryRunner queries, Criteria criteria, OnNoData onNoData, String query) {
        super(queries, criteria, onNoData);
        this.query = query;
        this.scan = ConditionScan.of(criteria);
    }

    @Override
    ProbeResult measure(ProbeContext context, Window window, Duration left) {
        QueryResult result = queries.fetch(query, "query", window, left);
        return queries.withWarnings(Judging.points(result, criteria(), scan, onNoData(), queries.fresh(window)),
                result.warnings());
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
