package dev.vigil.prometheus;

import dev.vigil.VerificationPlan;
import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

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
     * its extra rounds included ({@link VerificationPlan#extraRounds()}: as many again after the
     * planned ones, at most an hour of them), or {@code null}. A selector at a fixed time ({@code @ 1767268740}) is left to the online
     * check ({@link FixedTimeCheck}), a reach that cannot be read to the rounds.
     *
     * @param planKey the full key of a plan setting as the configuration names it ({@code duration}
     *     to {@code vigil.plan.duration})
     */
    static String problem(String promql, VerificationPlan plan, UnaryOperator<String> planKey) {
        Reach reach = Reach.of(promql, plan);
        if (reach == null || reach.behind.compareTo(reach.lastRound) <= 0) {
            return null;
        }
        return "reads no data newer than " + format(reach.behind) + " before each round's time (" + reach.by
                + "), longer than the bake: " + planKey.apply("initial-delay") + " " + format(plan.initialDelay()) + " and "
                + planKey.apply("duration") + " " + format(plan.duration()) + ", whose last round, the end-of-bake rule's extra"
                + " rounds included, is due " + format(reach.lastRound) + " after the start; every round would read"
                + " only data from before the deployment and be INCONCLUSIVE, never a pass of the new version: shorten"
                + " the offset to less than the bake, or lengthen " + planKey.apply("duration");
    }

    /**
     * Why every planned round of the plan reads only data from before the deployment although the
     * end-of-bake rule's extra rounds would not (an offset of 6m in a 5-minute bake), or {@code null}:
     * those planned rounds are all {@code INCONCLUSIVE}, and only the extra rounds can judge. Longer
     * offsets are a {@link #problem}.
     *
     * @param key the query's configuration key ({@code query}), to name it
     */
    static String warning(String key, String promql, VerificationPlan plan) {
        Reach reach = Reach.of(promql, plan);
        if (reach == null || reach.behind.compareTo(reach.lastPlanned) <= 0 || reach.behind.compareTo(reach.lastRound) > 0) {
            return null;
        }
        Duration firstJudged = plan.initialDelay().plus(plan.interval().multipliedBy(plan.rounds()));
        return key + " reads no data newer than " + format(reach.behind) + " before each round's time (" + reach.by
                + "), longer than the planned rounds last: initial-delay " + format(plan.initialDelay()) + ", interval "
                + format(plan.interval()) + " and duration " + format(plan.duration()) + " put the last planned round "
                + format(reach.lastPlanned) + " after the start; every planned round would read only data from before the"
                + " deployment and be INCONCLUSIVE, and only the end-of-bake rule's extra rounds, from " + format(firstJudged)
                + " after the start, could judge the new version: shorten the offset to at most " + format(reach.lastPlanned)
                + ", or lengthen the duration so that the planned rounds run on past " + format(reach.behind) + " after the start";
    }

    /** How far behind each round's time the query reads, and when the plan's rounds are due. */
    private record Reach(Duration behind, String by, Duration lastPlanned, Duration lastRound) {

        /** {@code null} when the query reads the present or a reach not tied to the round's time. */
        static Reach of(String promql, VerificationPlan plan) {
            QueryReach reach = QueryReach.of(promql);
            Instant at = Instant.parse("2100-01-01T00:00:00Z");
            Instant hourLater = at.plus(Duration.ofHours(1));
            QueryReach.Reading newest = reach.newest(at, at, at);
            QueryReach.Reading later = reach.newest(hourLater, hourLater, hourLater);
            if (newest == null || later == null || !Duration.between(newest.time(), later.time()).equals(Duration.ofHours(1))) {
                return null;
            }
            long rounds = plan.rounds();
            return new Reach(Duration.between(newest.time(), at), newest.by(),
                    plan.initialDelay().plus(plan.interval().multipliedBy(rounds - 1)),
                    plan.initialDelay().plus(plan.interval().multipliedBy(rounds + plan.extraRounds() - 1)));
        }
    }
}
