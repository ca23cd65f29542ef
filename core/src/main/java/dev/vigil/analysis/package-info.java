/**
 * Canary analysis: judges that compare a new version (the canary) with the running one (the
 * baseline) round after round and decide whether it regressed.
 *
 * <p>{@link dev.vigil.analysis.CanaryJudges} makes a {@link dev.vigil.analysis.CanaryAnalysis}
 * (from code or from a probe's configuration keys); its
 * {@link dev.vigil.analysis.CanaryAnalysis#measure measure} hook turns each round's canary and
 * baseline data into a {@link dev.vigil.ProbeResult}. Two judges: {@code mann-whitney}, a
 * fixed-horizon test in Spinnaker Kayenta's style, and {@code sequential}, anytime-valid tests
 * whose false-regression probability stays below {@code 1 - confidence} however often they are
 * checked.
 */
package dev.vigil.analysis;
