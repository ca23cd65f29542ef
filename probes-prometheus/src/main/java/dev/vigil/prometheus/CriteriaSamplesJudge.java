package dev.vigil.prometheus;

import dev.vigil.Plot;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.condition.Criteria;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** The default {@link SamplesJudge}: {@code pass-when} / {@code fail-when} over canary, baseline and ratio. */
final class CriteriaSamplesJudge implements SamplesJudge {

    private final Criteria criteria;
    private final ConditionScan scan;

    CriteriaSamplesJudge(Criteria criteria) {
        this.criteria = Objects.requireNonNull(criteria, "criteria");
        this.scan = ConditionScan.of(criteria);
    }

    @Override
    public ProbeResult judge(Samples canary, Samples baseline, ProbeContext context) {
        String oneCanary = singleSeriesProblem("canary-query", canary);
        String oneBaseline = singleSeriesProblem("baseline-query", baseline);
        if (oneCanary != null || oneBaseline != null) {
            return ProbeResult.error(oneCanary != null ? oneCanary : oneBaseline);
        }
        double c = mean(canary);
        double b = mean(baseline);
        // 0 against 0 (no error in either version) is no difference: 1, not 0/0. Without it a
        // condition on the ratio could never pass a release whose versions are both clean.
        double ratio = c == 0 && b == 0 ? 1 : c / b;
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("canary", c);
        values.put("baseline", b);
        values.put("ratio", ratio);
        for (Map.Entry<String, Object> entry : values.entrySet()) {
            double v = (Double) entry.getValue();
            // NaN is missing data; an infinity (a ratio over a zero baseline) compares like a number
            if (Double.isNaN(v) && scan.uses(entry.getKey()) && !scan.testsNaN()) {
                return ProbeResult.inconclusive(values, Judging.nonFinite(entry.getKey(), v));
            }
        }
        ProbeResult judged = criteria.judge(values);
        Map<String, Object> all = new LinkedHashMap<>(values);
        judged.values().forEach(all::putIfAbsent);
        all.put("canary-points", canary.size());
        all.put("baseline-points", baseline.size());
        return judged.outcome() == dev.vigil.Outcome.ERROR
                ? ProbeResult.error(judged.error(), all)
                : ProbeResult.of(judged.outcome(), all, judged.explanation());
    }

    @Override
    public Plot plot() {
        return Plot.tested(criteria.passWhen(), criteria.failWhen(), "ratio").orElseGet(() -> {
            Plot both = Plot.of(new Plot.Series("canary", "canary"), new Plot.Series("baseline", "baseline"));
            return Plot.tested(criteria.passWhen(), criteria.failWhen(), "canary", "baseline")
                    .map(one -> both.withThreshold(one.threshold().value(), one.threshold().source()))
                    .orElse(both);
        });
    }

    private static String singleSeriesProblem(String key, Samples samples) {
        if (samples.series().size() == 1) {
            return null;
        }
        List<String> names = samples.series().stream().limit(3).map(Series::selector).collect(Collectors.toList());
        return key + " returned " + samples.series().size() + " series (" + String.join(", ", names)
                + (samples.series().size() > 3 ? ", ..." : "") + "); the default judge compares one number per side:"
                + " aggregate the query, e.g. sum(...) or avg(...)";
    }

    /** The mean of every point; NaN when any point is NaN, so that the NaN rule applies. */
    private static double mean(Samples samples) {
        double[] values = samples.values();
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    @Override
    public String toString() {
        return "SamplesJudge[" + criteria + "]";
    }
}
