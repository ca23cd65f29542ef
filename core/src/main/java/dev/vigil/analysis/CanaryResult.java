package dev.vigil.analysis;

import dev.vigil.ProbeResult;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link CanaryJudge} concluded after a round, with the evidence. Immutable.
 *
 * @param decision the conclusion
 * @param values the evidence by name, in a stable order: {@code judge}, {@code decision},
 *     {@code canary-n} and {@code baseline-n} (observations seen so far) always; then, when computed,
 *     {@code statistic}, {@code p-value}, {@code e-value}, {@code dispersion} (the sequential judge on
 *     counts: the errors' variance-to-mean ratio it assumed), {@code effect} (canary against baseline:
 *     a ratio for counts and Mann-Whitney, a difference of means for the sequential mean test, the
 *     hazard ratio for the histogram shift test: above 1, the canary is slower), for histograms
 *     {@code band} (the band named in the explanation) and {@code wobble} (the shift test's
 *     round-to-round standard deviation in log hazard ratio), and confidence bounds
 * @param explanation one sentence with the numbers, for reports; never {@code null}
 */
public record CanaryResult(CanaryDecision decision, Map<String, Object> values, String explanation) {

    /**
     * Validates and copies.
     *
     * @param decision the conclusion; not {@code null}
     * @param values the evidence by name; copied, keeping its order; {@code null} means none
     * @param explanation one sentence with the numbers; {@code null} becomes the empty string
     * @throws NullPointerException when {@code decision} is {@code null}
     */
    public CanaryResult {
        Objects.requireNonNull(decision, "decision");
        values = values == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        explanation = explanation == null ? "" : explanation;
    }

    /**
     * This result as a probe measurement: {@code REGRESSION -> FAIL}, {@code NO_REGRESSION -> PASS},
     * {@code INSUFFICIENT_DATA -> INCONCLUSIVE}, with the same values and explanation.
     *
     * @return the measurement; a new one on each call
     */
    public ProbeResult toMeasurement() {
        return ProbeResult.of(decision.outcome(), values, explanation);
    }
}
