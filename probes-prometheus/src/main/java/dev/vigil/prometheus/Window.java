package dev.vigil.prometheus;

import dev.vigil.Durations;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The time a round's query covers: the round's time for an instant query; for a range query
 * {@code [time - range, time]}, never reaching before the verification started, so that a hotfix
 * is not judged on the incident it fixes. The first rounds of a verification then see the part of
 * the window there is, and say so.
 *
 * @param start the first instant of a range query, or {@code null} for an instant query
 * @param end the round's time
 * @param note what the measurement says when the window was cut at the verification's start, or {@code null}
 */
record Window(Instant start, Instant end, String note) {

    /**
     * The window of a round.
     *
     * @param context the round; its time is not before the verification started ({@link #beforeTheVerification}
     *     answers such a round without a query)
     * @param range the range of a range query, or {@code null} for an instant query
     */
    static Window of(ProbeContext context, Duration range) {
        Instant time = context.time();
        if (range == null) {
            return new Window(null, time, null);
        }
        Instant start = time.minus(range);
        Optional<Instant> started = context.verificationStarted();
        if (started.isPresent() && started.get().isAfter(start)) {
            // Never after the round's time: a round before the verification started queries nothing
            // (beforeTheVerification).
            Instant cut = started.get();
            return new Window(cut, time, "the window starts when the verification started (" + cut + "): "
                    + Durations.format(Duration.between(cut, time)) + " of range " + Durations.format(range) + " so far");
        }
        return new Window(start, time, null);
    }

    /**
     * An {@code INCONCLUSIVE} measurement when the round's time is before the verification started:
     * the wall clock stepped back (an NTP step, a resumed virtual machine), and a query at that time,
     * instant or range, would measure the version before the deployment; nothing is queried.
     */
    static Optional<ProbeResult> beforeTheVerification(ProbeContext context) {
        Optional<Instant> started = context.verificationStarted();
        if (started.isEmpty() || !context.time().isBefore(started.get())) {
            return Optional.empty();
        }
        return Optional.of(ProbeResult.inconclusive(java.util.Map.of(), "the round's time " + context.time()
                + " is before the verification started (" + started.get() + "): the clock stepped back "
                + Durations.format(Duration.between(context.time(), started.get()))
                + ", and a query at that time would measure the version before the deployment; nothing was queried"));
    }

    /** The measurement with the note added to its explanation, when there is one. */
    ProbeResult noted(ProbeResult m) {
        if (note == null) {
            return m;
        }
        return m.withExplanation(m.explanation() + "; " + note);
    }
}
