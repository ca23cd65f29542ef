package dev.vigil.analysis;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Anytime-valid tests checked every round. Each keeps an e-process: a non-negative process whose
 * expectation stays at most 1 while the canary is no worse than the baseline (beyond the
 * tolerance), so that by Ville's inequality it ever reaches {@code 1 / alpha} with probability at
 * most {@code alpha}, however often it is looked at. A regression is declared when it does.
 *
 * <ul>
 *   <li>Counts: {@link CountTest}, a mixture of likelihood ratios on the conditional binomial,
 *       each raised to one over the dispersion of the errors learnt from the rounds (bursts).</li>
 *   <li>Histograms: {@link ShareTest}, the count test on the requests above one bucket bound
 *       ({@code slower-than}), or {@link ShiftTest}, a log-rank test of the whole distribution per
 *       round with the round-to-round wobble learnt from the rounds.</li>
 *   <li>Samples: {@link MeanTest}, the scale-invariant sequential t-test on the rounds' paired
 *       differences of means, with the spread between a round's values (instances) as extra
 *       evidence of the noise.</li>
 * </ul>
 * See docs/canary-analysis.md for the mathematics.
 */
final class SequentialJudge implements CanaryJudge {

    private final CanaryAnalysis analysis;
    private final BaselineHistory history;
    private final RoundKind kind = new RoundKind();
    private CountTest counts;
    private MeanTest means;
    private ShareTest shares;
    private ShiftTest shifts;
    private CanaryResult decided;
    /** Both versions' trials (requests) fed so far, which every running total of the tests is at most. */
    private long trials;

    SequentialJudge(CanaryAnalysis analysis, BaselineHistory history) {
        this.analysis = analysis;
        this.history = history;
    }

    /** Whether the baseline's past rounds of this kind are there to learn from. */
    private boolean learnsFrom(boolean histograms) {
        return history.usable() && history.histograms() == histograms;
    }

    @Override
    public CanaryResult observe(CanaryRound round) {
        kind.check(round);
        if (decided != null) {
            return decided;
        }
        count(round);
        CanaryResult result;
        if (round instanceof CanaryRound.Counts c) {
            if (counts == null) {
                counts = new CountTest(analysis.direction(), analysis.tolerance());
                if (learnsFrom(false)) {
                    counts.learn(history.eventsView(), history.trialsView());
                }
            }
            counts.add(c);
            result = c.complete() ? countResult() : idle(idleSide(c), counts.eValue(), counts.rounds(), "round");
        } else if (round instanceof CanaryRound.Histogram h) {
            result = histogram(h);
        } else {
            if (means == null) {
                means = new MeanTest(analysis.direction(), analysis.tolerance());
            }
            CanaryRound.Samples s = (CanaryRound.Samples) round;
            means.add(s);
            result = s.complete() ? meanResult() : idle(idleSide(s), means.eValue(), means.rounds(), "paired round");
        }
        if (result.decision() == CanaryDecision.REGRESSION) {
            decided = result;
        }
        return result;
    }

    /**
     * Adds the round's trials (both versions' requests) to {@link #trials}, or refuses the round
     * before any test has seen it when that would pass {@code Long.MAX_VALUE}: the running totals
     * (each version's events and trials, requests per band, the pooled requests of the share test)
     * are all at most it, and counts that large are no counts of requests (a gauge read as a counter,
     * a value Prometheus extrapolated from garbage) but would wrap around to wrong, negative totals.
     *
     * @throws IllegalArgumentException naming the counts, with the judge as it was
     */
    private void count(CanaryRound round) {
        long canary;
        long baseline;
        if (round instanceof CanaryRound.Counts c) {
            canary = c.canaryTrials();
            baseline = c.baselineTrials();
        } else if (round instanceof CanaryRound.Histogram h) {
            // Each version's total fits: the histogram checked it.
            canary = java.util.Arrays.stream(h.canaryView()).sum();
            baseline = java.util.Arrays.stream(h.baselineView()).sum();
        } else {
            return;
        }
        if (canary > Long.MAX_VALUE - baseline || trials > Long.MAX_VALUE - canary - baseline) {
            throw new IllegalArgumentException("this round's " + canary + " canary and " + baseline + " baseline requests"
                    + (trials > 0 ? " and the " + trials + " before them" : "") + " add up to more than " + Long.MAX_VALUE
                    + ", the most a count can hold: these are no counts of requests, and the round is not judged");
        }
        trials += canary + baseline;
    }

    private CanaryResult countResult() {
        double threshold = 1 / analysis.alpha();
        double e = counts.eValue();
        int rounds = counts.rounds();
        CanaryDecision decision = decide(e, threshold, rounds);
        Map<String, Object> values = base(decision, rounds);
        countValues(values, counts, "events", "trials");
        double ratio = counts.rateRatio();
        String rates = counts.canaryEvents() + "/" + counts.canaryTrials() + " vs " + counts.baselineEvents() + "/"
                + counts.baselineTrials() + " after " + Fmt.count(rounds, "round") + ", " + dispersionText();
        String ratioText = Double.isNaN(ratio) ? "no events yet"
                : Double.isInfinite(ratio) ? "events in the canary only" : "rate ratio " + Fmt.num(ratio);
        return new CanaryResult(decision, values, sentence(decision, ratioText, e, threshold, rounds) + ", " + rates);
    }

    /**
     * {@code dispersion 3.2 (learned from 8 rounds)}, or {@code dispersion 14 (assumed: too few rounds
     * with errors to learn it)}: a large one says the errors come in bursts, and the evidence was
     * discounted for it.
     */
    private String dispersionText() {
        return dispersionText(counts, counts.rounds());
    }

    /**
     * {@code dispersion 3.2 (learned from 8 rounds)}, {@code dispersion 1.1 (learned from 180 rounds
     * of the baseline's last 30m and 3 rounds)}, or {@code dispersion 14 (assumed: too few rounds with
     * errors to learn it)}.
     */
    private String dispersionText(CountTest test, int rounds) {
        String learned = test.historyRounds() > 0 && test.pastSetAside() == null
                ? "learned from " + history.describe() + " and " + Fmt.count(rounds, "round")
                : test.dispersionDf() > CountTest.DF_DISCOUNT ? "learned from " + Fmt.count(rounds, "round")
                : "assumed: too few rounds with " + (test == counts ? "errors" : "slow requests") + " to learn it";
        String aside = test.pastSetAside() == null ? "" : "; " + history.describe() + " set aside: " + test.pastSetAside();
        return "dispersion " + Fmt.num(Math.round(test.dispersion() * 10) / 10.0) + " (" + learned + aside + ")";
    }

    private CanaryResult meanResult() {
        double threshold = 1 / analysis.alpha();
        double e = means.eValue();
        int rounds = means.rounds();
        CanaryDecision decision = decide(e, threshold, rounds);
        Map<String, Object> values = base(decision, rounds);
        double t = means.tStatistic();
        if (Double.isFinite(t)) {
            values.put("statistic", t);
        }
        values.put("e-value", e);
        values.put("p-value", pValue(means.maxEValue()));
        String effectText = "no paired rounds yet";
        if (rounds > 0) {
            values.put("effect", means.meanDifference());
            if (Double.isFinite(means.relativeDifference())) {
                values.put("relative-effect", means.relativeDifference());
            }
            values.put("canary-mean", means.canaryMean());
            values.put("baseline-mean", means.baselineMean());
            values.put("canary-values", means.canaryValues());
            values.put("baseline-values", means.baselineValues());
            effectText = "mean " + Fmt.num(means.canaryMean()) + " vs " + Fmt.num(means.baselineMean())
                    + (Double.isFinite(means.relativeDifference()) ? " (" + Fmt.percent(means.relativeDifference()) + ")" : "")
                    + (Double.isNaN(t) ? "" : Double.isInfinite(t) ? ", no spread in the values" : ", t=" + Fmt.num(t));
        }
        String data = means.canaryValues() > rounds || means.baselineValues() > rounds
                ? " (" + means.canaryValues() + " canary and " + means.baselineValues() + " baseline values)" : "";
        return new CanaryResult(decision, values, sentence(decision, effectText, e, threshold, rounds)
                + " after " + Fmt.count(rounds, "paired round") + data);
    }

    private CanaryResult histogram(CanaryRound.Histogram given) {
        Bands kept = analysis.slowerThan() != null ? (shares == null ? null : shares.bands()) : (shifts == null ? null : shifts.bands());
        if (kept != null && kept.known() && !java.util.Arrays.equals(kept.boundsView(), given.boundsView())) {
            double[] gone = Bands.missing(kept.boundsView(), given.boundsView());
            if (gone.length > 0) {
                return otherBounds(kept, given, gone);
            }
            // Bounds added since the first round: cumulative buckets count the first round's bands exactly.
            CanaryResult r = judged(Bands.onto(given, kept.boundsView()));
            return new CanaryResult(r.decision(), r.values(), r.explanation() + "; this round's buckets have bounds the"
                    + " first round had not, " + Bands.describe(Bands.missing(given.boundsView(), kept.boundsView()))
                    + ": counted onto the first round's bands");
        }
        return judged(given);
    }

    private CanaryResult judged(CanaryRound.Histogram h) {
        if (analysis.slowerThan() != null) {
            if (shares == null) {
                shares = new ShareTest(analysis.direction(), analysis.tolerance(), analysis.slowerThan());
                if (learnsFrom(true)) {
                    shares.learn(history.boundsView(), history.bandsView());
                }
            }
            shares.add(h);
            if (!h.complete()) {
                return idle(idleSide(h), shares.counts().eValue(), shares.counts().rounds(), "round");
            }
            return shareResult();
        }
        if (shifts == null) {
            shifts = new ShiftTest(analysis.direction(), analysis.tolerance());
            if (learnsFrom(true)) {
                shifts.learn(history.boundsView(), history.bandsView());
            }
        }
        shifts.add(h);
        return idle(h).orElseGet(this::shiftResult);
    }

    /**
     * A round whose buckets lack a bound the first round had (a release or a scrape configuration
     * that changed the buckets during the bake): {@code INSUFFICIENT_DATA}, nothing added, naming the
     * bounds gone and those new. Its requests cannot be counted onto the first round's bands, on
     * which the judge's earlier rounds, its chosen band and its totals rest; mixing layouts would
     * compare a band with another. A round with more bounds than the first is counted onto them instead.
     */
    private CanaryResult otherBounds(Bands kept, CanaryRound.Histogram h, double[] gone) {
        double[] added = Bands.missing(h.boundsView(), kept.boundsView());
        String what = "the histogram's buckets changed since the first round: " + Bands.describe(gone)
                + " no longer there" + (added.length == 0 ? "" : ", " + Bands.describe(added) + " new")
                + " (the first round's " + Bands.describe(kept.boundsView()) + ", this round's " + Bands.describe(h.boundsView())
                + "), so its requests cannot be counted on the bands of the earlier rounds; nothing judged";
        return shares != null ? idle(what, shares.counts().eValue(), shares.counts().rounds(), "round")
                : idle(what, shifts.eValue(), shifts.rounds(), "round");
    }

    /**
     * Which version had no data in a round that is not {@link CanaryRound#complete() complete}:
     * {@code the canary served no request} (counts, histograms), {@code the baseline had no value}
     * (samples), {@code neither the canary nor the baseline served a request}.
     */
    static String idleSide(CanaryRound round) {
        boolean canaryIdle;
        boolean baselineIdle;
        String verb = "served";
        String thing = "request";
        if (round instanceof CanaryRound.Counts c) {
            canaryIdle = c.canaryTrials() == 0;
            baselineIdle = c.baselineTrials() == 0;
        } else if (round instanceof CanaryRound.Histogram h) {
            canaryIdle = java.util.Arrays.stream(h.canary()).sum() == 0;
            baselineIdle = java.util.Arrays.stream(h.baseline()).sum() == 0;
        } else {
            CanaryRound.Samples s = (CanaryRound.Samples) round;
            canaryIdle = s.canaryView().length == 0;
            baselineIdle = s.baselineView().length == 0;
            verb = "had";
            thing = "value";
        }
        return canaryIdle && baselineIdle ? "neither the canary nor the baseline " + verb + " a " + thing
                : (canaryIdle ? "the canary " : "the baseline ") + verb + " no " + thing;
    }

    /**
     * A round of counts or samples in which a version had no data says nothing about the canary now:
     * never a PASS on the evidence of earlier rounds (a drained canary that is still scraped, an HTTP
     * canary whose every answer failed its condition), as for histograms.
     *
     * @param what {@code the canary served no request}, and the like
     */
    private CanaryResult idle(String what, double e, int rounds, String noun) {
        Map<String, Object> values = base(CanaryDecision.INSUFFICIENT_DATA, rounds);
        values.put("e-value", e);
        return new CanaryResult(CanaryDecision.INSUFFICIENT_DATA, values, "sequential: " + what
                + " this round: no evidence of health (e-value " + Fmt.num(e) + " after " + Fmt.count(rounds, noun) + ")");
    }

    /**
     * A round in which the canary or the baseline served no request says nothing about this round:
     * never a PASS on the evidence of earlier rounds (a drained canary that is still scraped).
     */
    private java.util.Optional<CanaryResult> idle(CanaryRound.Histogram h) {
        if (h.complete()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(idle(idleSide(h), shifts.eValue(), shifts.rounds(), "round"));
    }

    private CanaryResult shareResult() {
        if (!shares.ready()) {
            Map<String, Object> values = base(CanaryDecision.INSUFFICIENT_DATA, 0);
            return new CanaryResult(CanaryDecision.INSUFFICIENT_DATA, values, "sequential: no regression yet, "
                    + shares.waitingText());
        }
        CountTest counts = shares.counts();
        double threshold = 1 / analysis.alpha();
        double e = counts.eValue();
        int rounds = counts.rounds();
        CanaryDecision decision = decide(e, threshold, rounds);
        Map<String, Object> values = base(decision, rounds);
        values.put("band", shares.bandText());
        values.put("slower-than", Fmt.latency(shares.bands().bound(shares.bound())));
        countValues(values, counts, "slow", "requests");
        String text = shares.bandText() + ": " + shares.bands().shares(shares.bound()) + " (" + evidence(decision, e,
                threshold) + ") after "
                + Fmt.count(rounds, "round") + ", " + dispersionText(counts, rounds);
        return new CanaryResult(decision, values, verdict(decision) + text);
    }

    private CanaryResult shiftResult() {
        double threshold = 1 / analysis.alpha();
        double e = shifts.eValue();
        int rounds = shifts.rounds();
        CanaryDecision decision = decide(e, threshold, rounds);
        Map<String, Object> values = base(decision, rounds);
        Bands bands = shifts.bands();
        values.put("canary-requests", bands.canaryTotal());
        values.put("baseline-requests", bands.baselineTotal());
        values.put("e-value", e);
        values.put("p-value", pValue(shifts.maxEValue()));
        values.put("wobble", shifts.wobble());
        past(values, shifts.historyRounds() > 0 && !shifts.pastSetAside());
        double estimate = shifts.pooledEstimate();
        if (Double.isFinite(estimate)) {
            values.put("effect", Math.exp(estimate));
        }
        int at = shifts.largestShift(analysis.direction());
        String where;
        if (at < 0) {
            where = "no requests of both versions yet";
        } else if (shifts.badGap(at, analysis.direction()) > 0) {
            values.put("band", bands.bandAbove(at));
            where = "largest shift above " + Fmt.latency(bands.bound(at)) + " (band " + bands.bandAbove(at) + "): "
                    + bands.shares(at);
        } else {
            // No band where the canary is worse: the band of the largest shift would be one where both
            // are equal (0% against 0% above the slowest bound), which says nothing; name the largest
            // difference instead.
            int largest = shifts.largestShift(Direction.EITHER);
            values.put("band", bands.bandAbove(largest));
            where = "the canary is " + worse(analysis.direction()) + " in no band; largest difference above "
                    + Fmt.latency(bands.bound(largest)) + " (band " + bands.bandAbove(largest) + "): " + bands.shares(largest);
        }
        String learned = shifts.historyRounds() > 0 && !shifts.pastSetAside() ? "learned from " + history.describe()
                + " and " + Fmt.count(rounds, "round") : shifts.wobbleLearned() ? "learned from " + Fmt.count(rounds, "round")
                : "assumed: too few rounds to learn it";
        if (shifts.pastSetAside()) {
            learned += "; " + history.describe() + " set aside: the bake's rounds wobble far more than its past";
        }
        String text = where + " (" + evidence(decision, e, threshold) + ") after " + Fmt.count(rounds, "round") + ", round-to-round wobble "
                + Fmt.num(Math.round(shifts.wobble() * 100) / 100.0) + " (" + learned + ")";
        return new CanaryResult(decision, values, verdict(decision) + text);
    }

    /** How a worse canary differs in the direction judged: slower, faster or different. */
    private static String worse(Direction direction) {
        return switch (direction) {
            case INCREASE -> "slower";
            case DECREASE -> "faster";
            case EITHER -> "different";
        };
    }

    /** {@code sequential: canary slower than baseline: }, and the like, before a histogram's explanation. */
    private String verdict(CanaryDecision decision) {
        String slower = worse(analysis.direction());
        return switch (decision) {
            case REGRESSION -> "sequential: canary " + slower + " than baseline" + tolerance() + ", ";
            case NO_REGRESSION -> "sequential: no regression, ";
            case INSUFFICIENT_DATA -> "sequential: no regression yet, waiting for " + analysis.minSamples() + " rounds, ";
        };
    }

    private CanaryDecision decide(double e, double threshold, int rounds) {
        if (Double.isNaN(e)) {
            // Evidence that could not be computed is no evidence of health.
            return CanaryDecision.INSUFFICIENT_DATA;
        }
        if (e >= threshold) {
            return CanaryDecision.REGRESSION;
        }
        return rounds >= analysis.minSamples() ? CanaryDecision.NO_REGRESSION : CanaryDecision.INSUFFICIENT_DATA;
    }

    private String sentence(CanaryDecision decision, String effect, double e, double threshold, int rounds) {
        String evidence = evidence(decision, e, threshold);
        return switch (decision) {
            case REGRESSION -> "sequential: canary " + worse() + " than baseline" + tolerance() + " (" + evidence
                    + "), " + effect;
            case NO_REGRESSION -> "sequential: no regression (" + evidence + "), " + effect;
            case INSUFFICIENT_DATA -> "sequential: no regression yet, waiting for " + analysis.minSamples()
                    + " rounds (" + evidence + "), " + effect;
        };
    }

    /**
     * {@code e-value 52.25 >= 20}, or {@code e-value 19.9996 < 20}: an e-value just below the
     * threshold gets the digits that tell it from it, never {@code e-value 20 < 20}.
     */
    private static String evidence(CanaryDecision decision, double e, double threshold) {
        return decision == CanaryDecision.REGRESSION ? "e-value " + Fmt.num(e) + " >= " + Fmt.num(threshold)
                : "e-value " + Fmt.below(e, threshold) + " < " + Fmt.num(threshold);
    }

    private String worse() {
        return switch (analysis.direction()) {
            case INCREASE -> "higher";
            case DECREASE -> "lower";
            case EITHER -> "different";
        };
    }

    private String tolerance() {
        return analysis.tolerance() > 0 ? " beyond tolerance " + Fmt.num(analysis.tolerance()) : "";
    }

    /**
     * A count test's values: each version's events and trials under the given names
     * ({@code canary-events}, {@code baseline-trials}; {@code canary-slow} for the share test), the
     * e-value, p-value, dispersion, past rounds learnt from and the rate ratio as {@code effect}.
     */
    private void countValues(Map<String, Object> values, CountTest test, String events, String trials) {
        values.put("canary-" + events, test.canaryEvents());
        values.put("canary-" + trials, test.canaryTrials());
        values.put("baseline-" + events, test.baselineEvents());
        values.put("baseline-" + trials, test.baselineTrials());
        values.put("e-value", test.eValue());
        values.put("p-value", pValue(test.maxEValue()));
        values.put("dispersion", test.dispersion());
        past(values, test.historyRounds() > 0 && test.pastSetAside() == null);
        double ratio = test.rateRatio();
        if (Double.isFinite(ratio)) {
            values.put("effect", ratio);
        }
    }

    /** {@code past-rounds}: how many of the baseline's rounds before the canary the noise was learnt from, when it was. */
    private void past(Map<String, Object> values, boolean used) {
        if (used) {
            values.put("past-rounds", history.rounds());
        }
    }

    /** The anytime-valid p-value: 1 over the largest e-value seen so far. */
    private static double pValue(double maxE) {
        return Math.min(1, 1 / maxE);
    }

    private Map<String, Object> base(CanaryDecision decision, int rounds) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("judge", CanaryAnalysis.Method.SEQUENTIAL.key());
        values.put("decision", decision.name());
        values.put("canary-n", rounds);
        values.put("baseline-n", rounds);
        return values;
    }
}
