package dev.vigil.prometheus;

import dev.vigil.VerificationPlan;
import java.time.Duration;
import java.time.Instant;

/**
 * A query whose newest data is older, at every round's time, than the bake is long: an
 * {@code offset} longer than the bake ({@code rate(x[5m] offset 1h)} in a 5-minute bake) reads only
 * data from before the deployment in every round, so that every round that would pass is
 * {@code INCONCLUSIVE} and the probe can never pass the new version. Read from the query text and
 * the plan, without a request. Stateless; thread-safe.
 */
final class OffsetCheck {

    private OffsetCheck() {
    }

    private static String format(Duration d) {
        return d.isZero() ? "0s" : dev.vigil.Durations.format(d);
    }

    /**
     * Why the query reads only data from before the deployment in every round the plan can run,
     * its extra rounds included ({@link VerificationPlan}: at most as many again after the planned
     * ones), or {@code null}. A selector at a fixed time ({@code @ 1767268740}) is left to the online
     * check ({@link FixedTimeCheck}), a reach that cannot be read to the rounds.
     */
    static String problem(String promql, VerificationPlan plan) {
        QueryReach reach = QueryReach.of(promql);
        Instant at = Instant.parse("2100-01-01T00:00:00Z");
        Instant hourLater = at.plus(Duration.ofHours(1));
        QueryReach.Reading newest = reach.newest(at, at, at);
        QueryReach.Reading later = reach.newest(hourLater, hourLater, hourLater);
        if (newest == null || later == null || !Duration.between(newest.time(), later.time()).equals(Duration.ofHours(1))) {
            return null;
        }
        Duration behind = Duration.between(newest.time(), at);
        Duration lastRound = plan.initialDelay().plus(plan.interval().multipliedBy(2L * plan.rounds() - 1));
        if (behind.compareTo(lastRound) <= 0) {
            return null;
        }
        return "reads no data newer than " + format(behind) + " before each round's time (" + newest.by()
                + "), longer than the bake: initial-delay " + format(plan.initialDelay()) + " and duration "
                + format(plan.duration()) + " (vigil.plan.*), whose last round, the end-of-bake rule's extra"
                + " rounds included, is due " + format(lastRound) + " after the start; every round would read"
                + " only data from before the deployment and be INCONCLUSIVE, never a pass of the new version: shorten"
                + " the offset to less than the bake, or lengthen vigil.plan.duration";
    }
}
