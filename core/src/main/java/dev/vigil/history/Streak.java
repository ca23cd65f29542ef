package dev.vigil.history;

import dev.vigil.Verdict;
import java.util.List;

/**
 * The quiet-release streak of a run of deployments: consecutive deployments that ended
 * {@code HEALTHY} with no rollback. Immutable.
 *
 * <p>An {@code ABORTED} verification is not counted as a deployment: it neither extends nor breaks a
 * streak. Every other verdict that is not quiet ({@code UNHEALTHY}, {@code INCONCLUSIVE}) breaks it.
 *
 * @param current the quiet releases in a row at the end (0 when the latest deployment was not quiet)
 * @param longest the longest run of quiet releases
 */
public record Streak(int current, int longest) {

    /** No deployments. */
    public static final Streak NONE = new Streak(0, 0);

    /**
     * The streak of records given oldest first (as {@link HistoryStore#releases} returns them).
     *
     * @param records one service's records, oldest first
     * @return the current and the longest streak
     */
    public static Streak of(List<ReleaseRecord> records) {
        int current = 0;
        int longest = 0;
        for (ReleaseRecord r : records) {
            if (r.verdict() == Verdict.ABORTED) {
                continue;
            }
            current = r.quiet() ? current + 1 : 0;
            longest = Math.max(longest, current);
        }
        return new Streak(current, longest);
    }

    /**
     * The streak before the last counted deployment: what a rollback ended.
     *
     * @param records one service's records, oldest first, the deployment in question last
     * @return the streak as it was before that deployment
     */
    public static Streak before(List<ReleaseRecord> records) {
        int last = records.size() - 1;
        while (last >= 0 && records.get(last).verdict() == Verdict.ABORTED) {
            last--;
        }
        return last < 0 ? NONE : of(records.subList(0, last));
    }
}
