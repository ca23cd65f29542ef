package dev.vigil.internal;

import dev.vigil.Measurement;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Counts one probe's measurements against its limits. Used by one verifying thread only. */
final class Tracker {

    /** What a measurement did to the probe. */
    enum Break { NONE, UNHEALTHY, INCONCLUSIVE }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_LOCAL_TIME.withZone(ZoneOffset.UTC);

    private final ProbeSpec spec;
    private final List<Measurement> measurements = new ArrayList<>();
    private int passes;
    private int failures;
    private int inconclusive;
    private int errors;
    private int consecutiveErrors;
    private String brokenLimit;
    private Break broken = Break.NONE;

    Tracker(ProbeSpec spec) {
        this.spec = spec;
    }

    String name() {
        return spec.name();
    }

    Break broken() {
        return broken;
    }

    String brokenLimit() {
        return brokenLimit;
    }

    int passes() {
        return passes;
    }

    /** Records a measurement and says whether it broke a limit just now. */
    Break record(Measurement m) {
        measurements.add(m);
        ProbeLimits limits = spec.limits();
        switch (m.outcome()) {
            case PASS -> {
                passes++;
                consecutiveErrors = 0;
            }
            case FAIL -> {
                failures++;
                consecutiveErrors = 0;
                if (failures > limits.maxFailures() && broken == Break.NONE) {
                    return breakWith(Break.UNHEALTHY, "probe " + name() + " failed " + times(failures)
                            + " (max-failures " + limits.maxFailures() + "): " + m.explanation() + at(m));
                }
            }
            case ERROR -> {
                errors++;
                consecutiveErrors++;
                if (consecutiveErrors > limits.maxConsecutiveErrors() && broken == Break.NONE) {
                    return breakWith(Break.UNHEALTHY, "probe " + name() + " could not measure " + times(consecutiveErrors)
                            + " in a row (max-consecutive-errors " + limits.maxConsecutiveErrors() + "): "
                            + m.error() + at(m));
                }
            }
            case INCONCLUSIVE -> {
                inconclusive++;
                consecutiveErrors = 0;
                if (inconclusive > limits.maxInconclusive() && broken == Break.NONE) {
                    return breakWith(Break.INCONCLUSIVE, "probe " + name() + " was inconclusive " + times(inconclusive)
                            + " (max-inconclusive " + limits.maxInconclusive() + "): " + m.explanation() + at(m));
                }
            }
        }
        return Break.NONE;
    }

    /** Why this probe has no evidence at the end of the bake, or {@code null} when it has. */
    String missingEvidence() {
        if (passes > 0) {
            return null;
        }
        return "probe " + name() + " gave no passing measurement in " + measurements.size() + " rounds ("
                + failures + " failed, " + inconclusive + " inconclusive, " + errors + " errors)";
    }

    ProbeReport report(boolean finishedBake) {
        ProbeReport.Status status;
        if (broken == Break.UNHEALTHY) {
            status = ProbeReport.Status.FAILED;
        } else if (broken == Break.INCONCLUSIVE) {
            status = ProbeReport.Status.INCONCLUSIVE;
        } else if (!finishedBake) {
            status = ProbeReport.Status.NOT_DECIDED;
        } else {
            status = passes > 0 ? ProbeReport.Status.PASSED : ProbeReport.Status.INCONCLUSIVE;
        }
        return new ProbeReport(name(), safely(spec.probe()::description, "description"), safely(spec.probe()::passWhen, null),
                safely(spec.probe()::failWhen, null),
                spec.limits(), status, passes, failures, inconclusive, errors, brokenLimit, measurements);
    }

    /** What a probe says about itself; a probe that throws there still gets its report. */
    private static String safely(java.util.function.Supplier<String> call, String fallback) {
        try {
            return call.get();
        } catch (Exception | Error e) {
            return fallback == null ? null : fallback + " unavailable: " + Engine.describe(e);
        }
    }

    private Break breakWith(Break kind, String sentence) {
        broken = kind;
        brokenLimit = sentence;
        return kind;
    }

    private static String times(int n) {
        return n == 1 ? "once" : n + " times";
    }

    private static String at(Measurement m) {
        return m.time() == null ? "" : " at " + TIME.format(m.time().truncatedTo(ChronoUnit.SECONDS)) + "Z";
    }
}
