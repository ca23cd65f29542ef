package dev.vigil.analysis;

import dev.vigil.Outcome;

/**
 * What a {@link CanaryJudge} concludes about the canary after a round.
 */
public enum CanaryDecision {
    /** The canary is worse than the baseline beyond the tolerance, at the configured confidence: fail now. */
    REGRESSION(Outcome.FAIL),
    /** No regression was found and the judge has seen enough to say so: pass. */
    NO_REGRESSION(Outcome.PASS),
    /** Not enough data to conclude either way yet. */
    INSUFFICIENT_DATA(Outcome.INCONCLUSIVE);

    private final Outcome outcome;

    CanaryDecision(Outcome outcome) {
        this.outcome = outcome;
    }

    /**
     * The measurement outcome this decision maps to: {@code REGRESSION -> FAIL},
     * {@code NO_REGRESSION -> PASS}, {@code INSUFFICIENT_DATA -> INCONCLUSIVE}.
     *
     * @return the outcome; never {@code null}
     */
    public Outcome outcome() {
        return outcome;
    }
}
