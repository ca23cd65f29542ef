package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;

/**
 * Counts one probe's measurements against its limits and keeps them for the report, in bounded
 * memory however long it runs ({@link MeasurementLog}: every measurement while there are few, then
 * the ones that explain a decision whole and runs of {@code PASS} as summaries). Used by one
 * verifying thread only. What the counts mean for the verdict is {@link VerdictPolicy}'s business.
 */
final class Tracker {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_LOCAL_TIME.withZone(ZoneOffset.UTC);

    private final ProbeSpec spec;
    /** How many of the latest rounds FAILs count in against {@code max-failures}; 0: all of them. */
    private final int windowRounds;
    /** The window as configured, for the sentence of a broken limit; {@code null} without a window. */
    private final Duration window;
    /**
     * The FAILs within the window, oldest first: at most {@code max-failures + 1} of them (and one a
     * round), so that memory stays bounded however long a watch runs.
     */
    private final ArrayDeque<Measurement> windowFailures = new ArrayDeque<>();
    /** The most FAILs the window has held at once, for the sentence of a watch that tolerated them. */
    private int mostInWindow;
    /** What the limit on FAILs is called: {@code watch-max-failures} when the watch sets the probe's own. */
    private final String maxFailuresKey;
    private final MeasurementLog log = new MeasurementLog();
    private int passes;
    private int failures;
    private int inconclusive;
    private int errors;
    private int consecutiveErrors;
    /** How many measurements in a row, up to the latest, share the latest one's outcome. */
    private int trailing;
    private String unhealthy;
    private String inconclusiveLimit;
    /** Whether a measurement ran items (a JUnit suite's tests): a later {@code PASS} without any is carried over. */
    private boolean ranItems;
    /** Whether a measurement after round 1 was taken afresh, not a {@code PASS} carried over from an earlier round. */
    private boolean measuredAfterFirstRound;
    /** When the first measurement was taken: a limit broken on a later (UTC) day says its date too. */
    private Instant firstAt;

    /** A tracker that counts FAILs over all its rounds. */
    Tracker(ProbeSpec spec) {
        this(spec, null);
    }

    /**
     * A tracker for the rounds of this watch: FAILs count against {@code max-failures} within its
     * failure window only, when it has one.
     *
     * @param watch the watch, or {@code null} for a bake
     */
    Tracker(ProbeSpec spec, WatchPlan watch) {
        this.spec = spec;
        this.windowRounds = watch == null ? 0 : watch.windowRounds();
        this.window = windowRounds == 0 ? null : watch.failureWindow();
        this.maxFailuresKey = watch != null && watch.watchMaxFailures().containsKey(spec.name()) ? "watch-max-failures" : "max-failures";
    }

    String name() {
        return spec.name();
    }

    ProbeSpec spec() {
        return spec;
    }

    /** Records a measurement, counting it against the limits. */
    void record(Measurement m) {
        // A PASS without items after a run with items is an earlier run's PASS carried over (a suite
        // that runs once per verification), not a measurement of the service now.
        boolean carried = m.outcome() == Outcome.PASS && m.items().isEmpty() && ranItems;
        ranItems |= !m.items().isEmpty();
        measuredAfterFirstRound |= m.round() > 1 && !carried;
        if (firstAt == null) {
            firstAt = m.time();
        }
        Measurement previous = log.latest();
        trailing = previous != null && previous.outcome() == m.outcome() ? trailing + 1 : 1;
        log.add(m);
        ProbeLimits limits = spec.limits();
        switch (m.outcome()) {
            case PASS -> {
                passes++;
                consecutiveErrors = 0;
            }
            case FAIL -> {
                failures++;
                consecutiveErrors = 0;
                if (windowRounds > 0) {
                    countInWindow(m, limits.maxFailures());
                } else if (failures > limits.maxFailures() && unhealthy == null) {
                    unhealthy = "probe " + name() + " failed " + times(failures) + " (" + maxFailuresKey + " "
                            + limits.maxFailures() + "): " + m.explanation() + at(m);
                }
            }
            case ERROR -> {
                errors++;
                consecutiveErrors++;
                if (consecutiveErrors > limits.maxConsecutiveErrors() && unhealthy == null) {
                    unhealthy = "probe " + name() + " could not measure " + times(consecutiveErrors)
                            + " in a row (max-consecutive-errors " + limits.maxConsecutiveErrors() + "): " + m.error() + at(m);
                }
            }
            case INCONCLUSIVE -> {
                inconclusive++;
                consecutiveErrors = 0;
                if (inconclusive > limits.maxInconclusive() && inconclusiveLimit == null) {
                    inconclusiveLimit = "probe " + name() + " was inconclusive " + times(inconclusive)
                            + " (max-inconclusive " + limits.maxInconclusive() + "): " + m.explanation() + at(m);
                }
            }
        }
    }

    /**
     * Counts a FAIL within the failure window: the FAILs of rounds that are no longer among the
     * window's latest {@link #windowRounds} drop out, and one more than {@code max-failures} left
     * breaks the limit.
     */
    private void countInWindow(Measurement m, int maxFailures) {
        while (!windowFailures.isEmpty() && windowFailures.peekFirst().round() <= m.round() - windowRounds) {
            windowFailures.removeFirst();
        }
        windowFailures.addLast(m);
        if (windowFailures.size() > maxFailures + 1L) {
            windowFailures.removeFirst();
        }
        mostInWindow = Math.max(mostInWindow, windowFailures.size());
        if (windowFailures.size() > maxFailures && unhealthy == null) {
            String span = Durations.format(window);
            String first = windowFailures.size() > 1 ? ", the first" + at(windowFailures.peekFirst()) : "";
            unhealthy = "probe " + name() + " failed " + times(windowFailures.size()) + " " + within(span, windowFailures.peekFirst(), m) + first
                    + " (" + maxFailuresKey + " " + maxFailures + " per watch-failure-window " + span + "; " + failures
                    + " in the whole watch): " + m.explanation() + at(m);
        }
    }

    /**
     * Where the FAILs that broke the limit fell: {@code within 1h}; when rounds were skipped between
     * them (the host was suspended), the window's rounds and the time they really span, since the
     * window counts rounds run, not wall time, and "within 1h" would then be untrue.
     */
    private String within(String span, Measurement first, Measurement last) {
        if (first != last && first.time() != null && last.time() != null) {
            Duration between = Duration.between(first.time(), last.time());
            if (between.compareTo(window) > 0) {
                return "within the last " + windowRounds + " rounds run (watch-failure-window " + span + "; rounds were"
                        + " skipped, so they span " + Durations.format(between) + ")";
            }
        }
        return "within " + span;
    }

    /**
     * Why this probe's FAILs in a watch with a failure window broke no limit
     * ({@code 3 FAILs of health over the watch, never more than 2 within 1h}); {@code null} without
     * a window, without a FAIL, or when the probe broke a limit.
     */
    String toleratedInWindow() {
        if (windowRounds == 0 || failures == 0 || unhealthy != null) {
            return null;
        }
        return failures + (failures == 1 ? " FAIL of " : " FAILs of ") + name() + " over the watch, never more than "
                + mostInWindow + " within " + Durations.format(window);
    }

    /**
     * Whether any measurement after round 1 was taken afresh: false when every later round carried
     * round 1's {@code PASS} over (a JUnit suite that runs once per verification).
     */
    boolean measuredAfterFirstRound() {
        return measuredAfterFirstRound;
    }

    /** What the verdict policy needs to know, as it stands now. */
    Standing standing() {
        return new Standing(name(), spec.limits(), log.taken(), passes, failures, inconclusive, errors,
                consecutiveErrors, latest(), trailing, unhealthy, inconclusiveLimit);
    }

    private Measurement latest() {
        return log.latest();
    }

    /**
     * One probe's counts at a point of the verification. Immutable.
     *
     * @param latest the latest measurement, or {@code null} before the first
     * @param trailing how many measurements in a row, up to the latest, had the latest one's outcome
     * @param unhealthy the sentence naming the limit whose breaking makes the deployment unhealthy
     *     ({@code max-failures}, {@code max-consecutive-errors}), or {@code null}
     * @param inconclusiveLimit the sentence naming the broken {@code max-inconclusive}, or {@code null}
     */
    record Standing(String name, ProbeLimits limits, int measured, int passes, int failures, int inconclusive,
            int errors, int consecutiveErrors, Measurement latest, int trailing, String unhealthy,
            String inconclusiveLimit) {

        /** Whether the latest measurement is a PASS: the state at this moment is seen to be healthy. */
        boolean endsInPass() {
            return latest != null && latest.outcome() == Outcome.PASS;
        }
    }

    /**
     * The probe's report.
     *
     * @param settled how the verification ended for this probe: {@code null} when it ended before
     *     the bake did (another probe decided, or the caller aborted)
     */
    ProbeReport report(ProbeReport.Status settled) {
        ProbeReport.Status status;
        if (unhealthy != null) {
            status = ProbeReport.Status.FAILED;
        } else if (settled == null) {
            status = inconclusiveLimit != null ? ProbeReport.Status.INCONCLUSIVE : ProbeReport.Status.NOT_DECIDED;
        } else {
            status = settled;
        }
        String broken = unhealthy != null ? unhealthy : inconclusiveLimit;
        MeasurementLog.Snapshot kept = log.snapshot();
        return new ProbeReport(name(), safely(spec.probe()::description, "description"), safely(spec.probe()::passWhen, null),
                safely(spec.probe()::failWhen, null),
                spec.limits(), spec.measurement(), status, passes, failures, inconclusive, errors, broken, kept.measurements(),
                kept.passRuns(), plot());
    }

    /** What the probe's timeline plots; a probe that throws there, or says nothing, gets the automatic plot. */
    private Plot plot() {
        try {
            Plot plot = spec.probe().plot();
            return plot == null ? Plot.automatic() : plot;
        } catch (Exception | Error e) {
            return Plot.automatic();
        }
    }

    /**
     * What a probe says about itself; a probe that throws there still gets its report (and a
     * verifier its {@code toString}).
     */
    static String safely(java.util.function.Supplier<String> call, String fallback) {
        try {
            return call.get();
        } catch (Exception | Error e) {
            return fallback == null ? null : fallback + " unavailable: " + VigilException.describe(e);
        }
    }

    private static String times(int n) {
        return n == 1 ? "once" : n + " times";
    }

    /**
     * When a measurement was taken, for a broken limit's sentence: the time of day, and the date too
     * when it is a later day than the first measurement (a watch of days: "at 08:02:50Z" after a
     * weekend would not say which day).
     */
    private String at(Measurement m) {
        if (m.time() == null) {
            return "";
        }
        Instant t = m.time().truncatedTo(ChronoUnit.SECONDS);
        boolean sameDay = firstAt == null || LocalDate.ofInstant(firstAt, ZoneOffset.UTC).equals(LocalDate.ofInstant(t, ZoneOffset.UTC));
        return " at " + (sameDay ? TIME.format(t) + "Z" : t.toString());
    }
}
