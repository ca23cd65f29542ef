package dev.vigil;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When the rounds of one verification run, on the time source's monotonic reading only.
 *
 * <p>Round {@code k} (counting from 0) is due at {@code start + initial-delay + k × interval}. A
 * round starts at its due tick, or at once when it is already due. When a round overran, or the
 * wait before it took longer than asked (a suspended process), the ticks that passed meanwhile are
 * skipped and counted — never run back to back, which would measure the same moment several
 * times. The planned ticks are {@code 0 .. plan.rounds() - 1}; the end-of-bake rule's extra rounds
 * take the ticks after them. Only planned rounds count as skipped ({@link #skipped()}): a tick
 * that passed during the end-of-bake rule costs no extra round (it runs as many as it would have,
 * later), so it is noted but not counted. Used by the verifying thread only.
 */
final class Schedule {

    /** Skips named one by one in the report; a long watch on a starved host counts the rest in one more note. */
    static final int MAX_NOTES = 20;

    private final TimeSource time;
    private final long first;
    private final long interval;
    private final long longestWait;
    private final int planned;
    /** The first {@link #MAX_NOTES} skips, each in a sentence; the ones after are only counted. */
    private final List<String> notes = new ArrayList<>();
    private int unlistedSkips;
    private int unlistedRounds;
    /** The tick of the round that ran last, -1 before the first. */
    private int tick = -1;
    private int skipped;
    private int lastRound;
    private long lastRoundNanos;
    private long lastWaitAsked;

    Schedule(TimeSource time, VerificationPlan plan, long startNanos) {
        this.time = time;
        this.first = startNanos + Durations.nanos(plan.initialDelay());
        this.interval = Math.max(1, Durations.nanos(plan.interval()));
        this.longestWait = Math.max(interval, Durations.nanos(plan.initialDelay()));
        this.planned = plan.rounds();
    }

    /**
     * Waits until the next round is due and says whether it is one of the planned rounds. Ticks
     * that passed while waiting or during the previous round are skipped; planned ones are counted,
     * and those of the end-of-bake rule only noted.
     *
     * @param settling whether the planned rounds are over and the end-of-bake rule is running
     * @return whether the round about to run is planned; {@code false} when the planned rounds are
     *     over (and, when {@code settling} is false, nothing is waited for)
     */
    boolean awaitNext(boolean settling) throws InterruptedException {
        int next = tick + 1;
        if (!settling && next >= planned) {
            return false;
        }
        long now = time.nanoTime();
        long wait = dueAt(next) - now;
        if (wait > 0) {
            lastWaitAsked = Math.min(wait, longestWait);
            TimeSources.sleepUntil(time, now, now + lastWaitAsked, longestWait);
        } else {
            lastWaitAsked = 0;
        }
        long late = time.nanoTime() - dueAt(next);
        int missed = late >= interval ? (int) Math.min(Integer.MAX_VALUE - next - 1L, late / interval) : 0;
        int target = next + missed;
        if (missed > 0) {
            int counted = settling ? 0 : Math.min(target, planned) - next;
            skipped += counted;
            String note = settling ? "end-of-bake rule: the next extra round came " + missed
                    + (missed == 1 ? " interval" : " intervals") + " late: " + cause()
                    : counted > 0 ? counted + (counted == 1 ? " round" : " rounds") + " skipped: " + cause() : null;
            if (note != null && notes.size() < MAX_NOTES) {
                notes.add(note);
            } else if (note != null) {
                unlistedSkips++;
                unlistedRounds += counted;
            }
        }
        if (!settling && target >= planned) {
            // The planned rounds are over; the end-of-bake rule starts with the tick that is due now.
            tick = target - 1;
            return false;
        }
        tick = target;
        return true;
    }

    /** The previous round ended; how long it took decides what a skip is blamed on. */
    void roundEnded(int round, long tookNanos) {
        lastRound = round;
        lastRoundNanos = tookNanos;
    }

    private String cause() {
        if (lastRound > 0 && lastRoundNanos >= interval) {
            return "round " + lastRound + " took " + Durations.format(Duration.ofNanos(lastRoundNanos));
        }
        return "the wait for the next round took longer than the " + Durations.format(Duration.ofNanos(lastWaitAsked))
                + " asked for (the process was suspended or starved)";
    }

    /** Planned rounds skipped; never more than {@link #planned()}. */
    int skipped() {
        return skipped;
    }

    /** The skips, each in a sentence: the first {@link #MAX_NOTES}, then how many more there were. */
    List<String> notes() {
        if (unlistedSkips == 0) {
            return List.copyOf(notes);
        }
        List<String> all = new ArrayList<>(notes);
        all.add(unlistedSkips + " more " + (unlistedSkips == 1 ? "skip" : "skips") + " after those, "
                + unlistedRounds + (unlistedRounds == 1 ? " planned round" : " planned rounds") + " in all, not listed one by one");
        return List.copyOf(all);
    }

    int planned() {
        return planned;
    }

    private long dueAt(int k) {
        try {
            return Math.addExact(first, Math.multiplyExact(k, interval));
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

}
