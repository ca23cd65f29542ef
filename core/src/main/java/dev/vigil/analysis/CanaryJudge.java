package dev.vigil.analysis;

/**
 * Compares a canary with its baseline, round after round, within one verification.
 *
 * <p>A judge is stateful: sequential judges accumulate evidence across rounds, the fixed-horizon
 * judge accumulates samples until its horizon. Make a new one per verification with
 * {@link CanaryAnalysis#newJudge()}, or let {@link CanaryAnalysis#measure} keep it in the probe's
 * per-verification state. A {@link CanaryDecision#REGRESSION} is final: later rounds repeat it.
 *
 * <p>Not thread-safe: feed it from one thread at a time (the engine measures a probe once per round).
 */
public interface CanaryJudge {

    /**
     * Adds one round's observations and says what the judge concludes now.
     *
     * @param round this round's samples or counts (increments, not totals since the start)
     * @return the decision with the evidence; never {@code null}
     * @throws IllegalArgumentException when the round's kind does not fit this judge (never for the
     *     built-in judges, which accept both kinds, but not mixed within one verification), or when
     *     the round cannot be added to what the judge holds: histogram bands other than the first
     *     round's, or counts that would take the requests of the verification past
     *     {@code Long.MAX_VALUE} (no counts of requests). The judge is then as it was before the call
     */
    CanaryResult observe(CanaryRound round);
}
