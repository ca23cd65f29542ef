package dev.vigil.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * Kayenta's style: collects samples (for counts, each round's rate is one sample per version) and
 * takes one Mann-Whitney U test when both versions reach {@code min-samples}, or later if the test
 * could not find a regression with so few samples (3 against 3 at a confidence of 0.95: the
 * smallest p-value is 1/20, not below 0.05); a test that can only pass would end the bake HEALTHY
 * whatever the canary does. Testing once keeps
 * the false-regression probability at {@code 1 - confidence}; the decision is then final, but after
 * a pass a round in which a version had no data is {@code INSUFFICIENT_DATA}: no evidence of health.
 *
 * <p>Tolerance is a shift of {@code tolerance * |median(baseline)|}: for {@code increase} the test
 * is of H0 "canary - baseline <= shift" against "canary is shifted above it".
 */
final class MannWhitneyJudge implements CanaryJudge {

    private final CanaryAnalysis analysis;
    private final DoubleList canary = new DoubleList();
    private final DoubleList baseline = new DoubleList();
    private final RoundKind kind = new RoundKind();
    private CanaryResult decided;

    MannWhitneyJudge(CanaryAnalysis analysis) {
        this.analysis = analysis;
    }

    @Override
    public CanaryResult observe(CanaryRound round) {
        kind.check(round);
        if (decided != null) {
            return decided.decision() == CanaryDecision.NO_REGRESSION ? idle(round).orElse(decided) : decided;
        }
        if (round instanceof CanaryRound.Samples s) {
            canary.addAll(s.canaryView());
            baseline.addAll(s.baselineView());
        } else if (round instanceof CanaryRound.Histogram) {
            throw new IllegalArgumentException("the mann-whitney judge does not take histograms: use judge=sequential");
        } else if (round instanceof CanaryRound.Counts c) {
            if (c.canaryTrials() > 0) {
                canary.add((double) c.canaryEvents() / c.canaryTrials());
            }
            if (c.baselineTrials() > 0) {
                baseline.add((double) c.baselineEvents() / c.baselineTrials());
            }
        }
        int min = analysis.minSamples();
        if (canary.size() < min || baseline.size() < min) {
            Map<String, Object> values = base(CanaryDecision.INSUFFICIENT_DATA);
            return new CanaryResult(CanaryDecision.INSUFFICIENT_DATA, values, "mann-whitney: waiting for "
                    + min + " samples per version before testing (canary " + canary.size() + ", baseline "
                    + baseline.size() + ")");
        }
        double smallest = smallestPValue(canary.size(), baseline.size(), analysis.direction());
        if (!(smallest < analysis.alpha())) {
            // Testing now could only pass: wait for a round that gives the test a chance to find a regression.
            return new CanaryResult(CanaryDecision.INSUFFICIENT_DATA, base(CanaryDecision.INSUFFICIENT_DATA),
                    "mann-whitney: waiting for more samples: with " + canary.size() + " vs " + baseline.size()
                            + " samples the smallest p-value the test can give is " + Fmt.num(smallest)
                            + ", not below 1 - confidence = " + Fmt.num(analysis.alpha()));
        }
        decided = test(canary.toArray(), baseline.toArray());
        return decided;
    }

    /**
     * The smallest p-value Mann-Whitney's exact test gives for samples of {@code n} and {@code m}
     * values, when every canary value lies beyond every baseline value: {@code 1 / C(n + m, n)}, and
     * twice that for {@code either} (two-sided, or two one-sided tests at half the level each).
     */
    static double smallestPValue(int n, int m, Direction direction) {
        int k = Math.min(n, m);
        double ways = 1;
        for (int i = 1; i <= k && ways < 1e300; i++) {
            ways = ways * (n + m - k + i) / i;
        }
        double one = 1 / ways;
        return direction == Direction.EITHER ? Math.min(1, 2 * one) : one;
    }

    /**
     * After a pass, a round in which a version had no data: the decision stands, but this round is no
     * evidence that the canary is healthy now (a drained canary that is still scraped, an HTTP canary
     * whose every answer failed), so it is {@code INSUFFICIENT_DATA}, as for the sequential judge.
     */
    private java.util.Optional<CanaryResult> idle(CanaryRound round) {
        if (round.complete()) {
            return java.util.Optional.empty();
        }
        String what = SequentialJudge.idleSide(round);
        Map<String, Object> values = new LinkedHashMap<>(decided.values());
        values.put("decision", CanaryDecision.INSUFFICIENT_DATA.name());
        return java.util.Optional.of(new CanaryResult(CanaryDecision.INSUFFICIENT_DATA, values, "mann-whitney: " + what
                + " this round: no evidence of health (decided at the horizon: "
                + decided.explanation().substring("mann-whitney: ".length()) + ")"));
    }

    private CanaryResult test(double[] c, double[] b) {
        double[] sortedC = c.clone();
        double[] sortedB = b.clone();
        Arrays.sort(sortedC);
        Arrays.sort(sortedB);
        double medianC = DoubleList.median(sortedC);
        double medianB = DoubleList.median(sortedB);
        double shift = analysis.tolerance() * Math.abs(medianB);
        double alpha = analysis.alpha();
        MannWhitneyUTest mw = MannWhitneyUTest.withDefaults();
        double u;
        double p;
        String alternative;
        switch (analysis.direction()) {
            case INCREASE -> {
                MannWhitneyUTest.Result r = mw.with(AlternativeHypothesis.GREATER_THAN).withMu(shift).test(c, b);
                u = r.getStatistic();
                p = r.getPValue();
                alternative = "higher";
            }
            case DECREASE -> {
                MannWhitneyUTest.Result r = mw.with(AlternativeHypothesis.LESS_THAN).withMu(-shift).test(c, b);
                u = r.getStatistic();
                p = r.getPValue();
                alternative = "lower";
            }
            default -> {
                if (shift == 0) {
                    MannWhitneyUTest.Result r = mw.with(AlternativeHypothesis.TWO_SIDED).test(c, b);
                    u = r.getStatistic();
                    p = r.getPValue();
                } else {
                    // Two one-sided tests, each at half the level (Bonferroni).
                    MannWhitneyUTest.Result up = mw.with(AlternativeHypothesis.GREATER_THAN).withMu(shift).test(c, b);
                    MannWhitneyUTest.Result down = mw.with(AlternativeHypothesis.LESS_THAN).withMu(-shift).test(c, b);
                    MannWhitneyUTest.Result best = up.getPValue() <= down.getPValue() ? up : down;
                    u = best.getStatistic();
                    p = Math.min(1, 2 * best.getPValue());
                }
                alternative = "different";
            }
        }
        if (Double.isNaN(p)) {
            // Every value tied: no evidence of any difference.
            p = 1;
        }
        double difference = medianC - medianB;
        double relative = medianB == 0 ? Double.NaN : difference / Math.abs(medianB);
        CanaryDecision decision = p < alpha ? CanaryDecision.REGRESSION : CanaryDecision.NO_REGRESSION;
        Map<String, Object> values = base(decision);
        values.put("statistic", u);
        values.put("p-value", p);
        values.put("effect", difference);
        if (!Double.isNaN(relative)) {
            values.put("relative-effect", relative);
        }
        values.put("canary-median", medianC);
        values.put("baseline-median", medianB);
        String effect = "median " + Fmt.num(medianC) + " vs " + Fmt.num(medianB)
                + (Double.isNaN(relative) ? "" : " (" + Fmt.percent(relative) + ")");
        String tol = analysis.tolerance() > 0 ? " beyond tolerance " + Fmt.num(analysis.tolerance()) : "";
        String sentence = decision == CanaryDecision.REGRESSION
                ? "mann-whitney: canary " + alternative + " than baseline" + tol + " (U=" + Fmt.num(u) + ", p="
                        + Fmt.below(p, alpha) + " < " + Fmt.num(alpha) + "), " + effect
                : "mann-whitney: no regression (U=" + Fmt.num(u) + ", p=" + Fmt.num(p) + " >= " + Fmt.num(alpha)
                        + "), " + effect;
        return new CanaryResult(decision, values, sentence + ", " + c.length + " vs " + b.length + " samples");
    }

    private Map<String, Object> base(CanaryDecision decision) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("judge", CanaryAnalysis.Method.MANN_WHITNEY.key());
        values.put("decision", decision.name());
        values.put("canary-n", canary.size());
        values.put("baseline-n", baseline.size());
        return values;
    }
}
