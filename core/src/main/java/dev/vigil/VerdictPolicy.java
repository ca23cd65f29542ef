package dev.vigil;

import dev.vigil.Tracker.Standing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules that turn the probes' standings into a verdict: pure functions of the measurements so
 * far, without time, threads or side effects, so that timelines can drive them directly.
 *
 * <ol>
 *   <li><b>Limits, at once.</b> A probe that breaks {@code max-failures} or
 *       {@code max-consecutive-errors} makes the deployment {@link Verdict#UNHEALTHY} in that round.</li>
 *   <li><b>Inconclusive is sticky, not final.</b> A probe that breaks {@code max-inconclusive} can no
 *       longer make the verdict {@code HEALTHY}, but the bake goes on and its later failures still
 *       count.</li>
 *   <li><b>The end of the bake is judged on the state at the end.</b> When the planned rounds are
 *       over, every probe whose latest measurement is not a {@code PASS} (and that has not broken
 *       {@code max-inconclusive}) is measured again, alone, once every interval, until its latest
 *       measurement is a {@code PASS} or it breaks a limit — at most {@link #settlingCap} extra rounds: as many as
 *       were planned, and no more than an hour's worth. A probe whose {@code PASS} is older than an
 *       interval when an extra round is due is measured in it too.
 *       A probe that is still not passing then leaves the state at the end unknown.</li>
 *   <li><b>{@code HEALTHY}</b> needs every probe within its limits and its latest measurement a
 *       {@code PASS}; anything else that is not {@code UNHEALTHY} is {@code INCONCLUSIVE}, and only
 *       then does {@code on-inconclusive} apply.</li>
 *   <li><b>Rounds that were skipped did not watch.</b> Rounds that ran to their end but skipped more
 *       than a tenth of their planned rounds (the host was suspended or starved) are never
 *       {@code HEALTHY}: a bake's end is then inconclusive, and so is a watch's or a re-check's.</li>
 * </ol>
 */
final class VerdictPolicy {

    /** A verdict and the sentence that names the rule behind it. */
    record Decision(Verdict verdict, String reason) {
        Decision {
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(reason, "reason");
        }
    }

    private VerdictPolicy() {
    }

    /** Rule 1: the sentences of the probes that broke a limit of health, if any did. */
    static Optional<String> unhealthy(List<Standing> standings) {
        List<String> broken = standings.stream().map(Standing::unhealthy).filter(Objects::nonNull).toList();
        return broken.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", broken));
    }

    /** Rule 3: the probes that must be measured again before the bake can end, by name. */
    static List<String> toSettle(List<Standing> standings) {
        return standings.stream()
                .filter(s -> s.unhealthy() == null && s.inconclusiveLimit() == null && !s.endsInPass())
                .map(Standing::name).toList();
    }

    /**
     * Rule 3: how many extra rounds the end of a bake may take ({@link VerificationPlan#extraRounds()}):
     * as many as the bake planned, but no more than fit in an hour (at least one); a watch of a day, or
     * a bake of hours, must not run as long again on a probe that keeps being inconclusive (a job's
     * deadline would end it as aborted, with no verdict at all).
     */
    static int settlingCap(VerificationPlan plan) {
        return plan.extraRounds();
    }

    /**
     * Rule 4: the verdict when no more rounds run and no probe broke a limit of health.
     *
     * @param rounds the rounds run, extra ones included
     * @param settlingRounds the extra rounds run by the end-of-bake rule
     */
    static Decision atEnd(VerificationPlan plan, List<Standing> standings, int rounds, int settlingRounds) {
        List<String> missing = withoutEvidence(standings, settlingRounds);
        if (missing.isEmpty()) {
            String reason = "all " + standings.size() + (standings.size() == 1 ? " probe" : " probes")
                    + " passed within their limits over " + rounds + (rounds == 1 ? " round" : " rounds")
                    + " (" + Durations.format(plan.duration()) + " bake), each with a PASS as its latest measurement";
            if (settlingRounds > 0) {
                reason += "; the end of the bake took " + settlingRounds + " extra "
                        + (settlingRounds == 1 ? "round" : "rounds") + " until every probe passed again (end-of-bake rule)";
            }
            return new Decision(Verdict.HEALTHY, reason);
        }
        String reason = String.join("; ", missing);
        List<String> failedUncounted = standings.stream()
                .filter(s -> s.latest() != null && Boolean.TRUE.equals(s.latest().values().get(ProbeResult.FAILURE_NOT_COUNTED)))
                .map(Standing::name).toList();
        if (plan.onInconclusive() == VerificationPlan.OnInconclusive.PASS && !failedUncounted.isEmpty()) {
            // A failure on old data is not the new version's, but it is no sign of health either.
            return new Decision(Verdict.INCONCLUSIVE, reason + "; not accepted by on-inconclusive=pass: the latest round of "
                    + (failedUncounted.size() == 1 ? "probe " : "probes ") + String.join(", ", failedUncounted)
                    + " failed on data from before the verification started, which is not counted against the new"
                    + " version but does not show it healthy either");
        }
        return onInconclusive(plan, reason);
    }

    /**
     * Rule 4: why the state at the end is not known to be healthy, a sentence for each probe that
     * broke {@code max-inconclusive} or whose latest measurement is not a {@code PASS}; empty when
     * every probe ends in a {@code PASS}.
     */
    static List<String> withoutEvidence(List<Standing> standings, int settlingRounds) {
        return standings.stream().map(s -> withoutEvidence(s, settlingRounds)).filter(Objects::nonNull).toList();
    }

    /**
     * The reason of a {@link Bake} that was not a bake, in its own words: the rounds of a watch or of
     * the re-check after a rollback judged by these rules say {@code (6s re-check)}, {@code the end
     * of the re-check} and name their rule {@code end-of-re-check rule} ({@code end-of-watch rule}),
     * not {@code bake}.
     *
     * @param phase what ran the rounds: {@code watch} or {@code re-check}
     */
    static String inWordsOf(String phase, String reason) {
        return reason == null ? null
                : reason.replace(" bake)", " " + phase + ")").replace("the end of the bake", "the end of the " + phase)
                        .replace("end-of-bake rule", "end-of-" + phase + " rule");
    }

    /**
     * Rule 5: whether rounds that ran to their end skipped more than a tenth of their planned
     * rounds (the host was suspended or starved, or rounds overran): they did not watch, and a late
     * measurement or two at the end says nothing about the time skipped, so they are never
     * {@link Verdict#HEALTHY}.
     */
    static boolean skippedTooMany(Schedule schedule) {
        return schedule.skipped() * 10 > schedule.planned();
    }

    /** Rule 5's sentence: how many rounds the bake, watch or re-check measured and which it skipped, with why. */
    static String skipped(String phase, int roundsRun, Schedule schedule) {
        return "the " + phase + " measured only " + roundsRun + (roundsRun == 1 ? " round: " : " rounds: ")
                + schedule.skipped() + " of its " + schedule.planned() + " planned rounds skipped ("
                + String.join("; ", schedule.notes()) + "); no limit was broken in the rounds measured, but a " + phase
                + " that skipped more than a tenth of its rounds did not watch and proves nothing";
    }

    /** Applies {@code on-inconclusive} to an inconclusive end. */
    static Decision onInconclusive(VerificationPlan plan, String reason) {
        return switch (plan.onInconclusive()) {
            case FAIL -> new Decision(Verdict.INCONCLUSIVE, reason);
            case ROLLBACK -> new Decision(Verdict.UNHEALTHY, reason + "; treated as unhealthy because on-inconclusive=rollback");
            case PASS -> new Decision(Verdict.HEALTHY, reason + "; accepted because on-inconclusive=pass");
        };
    }

    /** Why this probe does not show a healthy state at the end, or {@code null} when it does. */
    private static String withoutEvidence(Standing s, int settlingRounds) {
        if (s.inconclusiveLimit() != null) {
            return s.inconclusiveLimit();
        }
        if (s.endsInPass()) {
            return null;
        }
        Measurement latest = s.latest();
        if (latest == null) {
            return "probe " + s.name() + " was never measured; the service's state at the end of the bake is unknown";
        }
        String detail = latest.outcome() == Outcome.ERROR ? latest.error() : latest.explanation();
        String sentence = "probe " + s.name() + ": "
                + (s.trailing() == 1 ? "the last measurement was " : "the last " + s.trailing() + " measurements were ")
                + latest.outcome() + (detail == null || detail.isBlank() ? "" : " (" + detail + ")")
                + "; the service's state at the end of the bake is unknown";
        if (settlingRounds > 0) {
            sentence += " (end-of-bake rule: measured again in " + settlingRounds + " extra "
                    + (settlingRounds == 1 ? "round" : "rounds") + " without a PASS)";
        }
        return sentence;
    }
}
