package dev.vigil;

import java.util.List;
import java.util.Objects;

/**
 * How the rounds of one verification went against its plan. Immutable.
 *
 * <p>Rounds are timed on a monotonic clock. A round that overran its interval, or a process that
 * was suspended between two rounds, makes the next round start at the next due tick: the ticks in
 * between are skipped and counted here, never run back to back. After the planned rounds, the
 * end-of-bake rule may measure probes whose latest measurement was not a {@code PASS} for a few
 * extra rounds; those are counted in {@code settlingRounds}. A tick that passes during those extra
 * rounds costs none of them (they run later, as many as before), so it is noted but not counted as
 * skipped: {@code skippedRounds} is at most {@code plannedRounds}.
 *
 * @param plannedRounds the rounds the plan asked for ({@link VerificationPlan#rounds()})
 * @param skippedRounds the planned rounds not run because their tick had passed
 * @param settlingRounds the extra rounds run after the planned ones by the end-of-bake rule
 * @param notes each skip in a sentence ({@code 2 rounds skipped: round 4 took 41s}; during the
 *     end-of-bake rule {@code end-of-bake rule: the next extra round came 3 intervals late: round 7
 *     took 41s}); empty when the rounds ran as planned
 */
public record ScheduleReport(int plannedRounds, int skippedRounds, int settlingRounds, List<String> notes) {

    /**
     * Copies the notes.
     *
     * @param plannedRounds the rounds the plan asked for
     * @param skippedRounds the planned rounds not run because their tick had passed
     * @param settlingRounds the extra rounds run by the end-of-bake rule
     * @param notes each skip in a sentence; not {@code null}
     * @throws NullPointerException when {@code notes} is {@code null} or holds {@code null}
     */
    public ScheduleReport {
        notes = List.copyOf(Objects.requireNonNull(notes, "notes"));
    }

    /**
     * Rounds as planned: nothing skipped, no extra round.
     *
     * @param plannedRounds the rounds the plan asked for
     * @return a report with no skipped or extra round and no notes
     */
    public static ScheduleReport asPlanned(int plannedRounds) {
        return new ScheduleReport(plannedRounds, 0, 0, List.of());
    }
}
