package dev.vigil.prometheus;

import dev.vigil.Preflight;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The part of a Prometheus probe's online check that looks for an {@code @} at a fixed time
 * ({@code rate(x[1m] @ 1767268740)}, {@link QueryReach#fixedTimes()}): such a selector reads the
 * same data in every round, whatever the round's time, so a query that passes before the deployment
 * passes in every round however the new version does. During a verification a passing round that
 * reads only before the start is {@code INCONCLUSIVE}; this check says so before the deployment, as
 * a {@link Preflight.Status#WARNING} naming the query's key, the modifier and its time. Reads the
 * query text only, no request. Stateless; thread-safe.
 */
final class FixedTimeCheck {

    private FixedTimeCheck() {
    }

    /**
     * Adds each {@code @} at a fixed time in the probe's queries to the check of one measurement.
     *
     * @param measured what the measurement and the other checks found
     * @param queries each query of the probe by its configuration key, in order
     * @return {@code measured}, or a {@code WARNING} naming each {@code @} at a fixed time
     */
    static Preflight check(Preflight measured, Map<String, String> queries) {
        List<String> fixed = new ArrayList<>();
        queries.forEach((key, promql) -> QueryReach.of(promql).fixedTimes()
                .forEach(r -> fixed.add(key + ": " + r.by() + " reads at " + r.time() + " in every round")));
        if (fixed.isEmpty()) {
            return measured;
        }
        return PreflightWarnings.raised(measured,
                measured.message() + "; but " + String.join("; ", fixed) + ": an @ at a fixed time reads the same data"
                        + " whatever the round's time, and one before the deployment never sees the new version; anchor it"
                        + " at the round's time (@ end(), or no @)");
    }
}
