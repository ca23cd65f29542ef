package dev.vigil.history;

import dev.vigil.Verdict;
import java.util.List;

/**
 * The quiet-release streak of a run of deployments: consecutive deployments that ended
 * {@code HEALTHY} with no rollback. Immutable.
 *
 * <p>An {@code ABORTED} verification is not counted as a deployment: it neither extends nor breaks a
 * streak. Every other verdict that is not quiet ({@code UNHEALTHY}, {@code INCONCLUSIVE}) breaks it.
 * A {@code HEALTHY} verification of the version that the deployment before it in the same
 * environment rolled back is not quiet either ({@link #quiet}): it measured what the rollback left
 * running, or the version found bad deployed again, not a release that went well.
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
        java.util.Set<String> quiet = quiet(records);
        int current = 0;
        int longest = 0;
        for (ReleaseRecord r : records) {
            if (r.verdict() == Verdict.ABORTED) {
                continue;
            }
            current = quiet.contains(r.id()) ? current + 1 : 0;
            longest = Math.max(longest, current);
        }
        return new Streak(current, longest);
    }

    /**
     * The ids of the quiet releases among records given oldest first: each {@link ReleaseRecord#quiet()}
     * one but a {@code HEALTHY} verification of the same version as the deployment before it in the
     * same environment, when that one was rolled back ({@link ReleaseRecord#rolledBack()}): a
     * verification run again after the rollback measures what the rollback left running, and a
     * version found bad and deployed again is no release that went well. {@code ABORTED}
     * verifications are no deployments and are passed over.
     *
     * @param records one service's records, oldest first
     * @return the ids of those that count as quiet releases
     */
    public static java.util.Set<String> quiet(List<ReleaseRecord> records) {
        java.util.Set<String> quiet = new java.util.HashSet<>();
        java.util.Map<String, ReleaseRecord> previous = new java.util.HashMap<>();
        for (ReleaseRecord r : records) {
            if (r.verdict() == Verdict.ABORTED) {
                continue;
            }
            ReleaseRecord before = previous.put(String.valueOf(r.deployment().environment()), r);
            boolean again = before != null && before.rolledBack() && before.deployment().version().equals(r.deployment().version());
            if (r.quiet() && !again) {
                quiet.add(r.id());
            }
        }
        return quiet;
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
