package dev.vigil.report;

import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.PassRun;
import dev.vigil.ProbeReport;
import dev.vigil.RecheckReport;
import dev.vigil.ScheduleReport;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** Text formatting shared by the report renderers. Stateless and thread-safe. */
final class Format {

    private Format() {
    }

    /**
     * The items of the probe's latest measurement that has any (the tests of a JUnit probe's
     * latest run): the state at the end. A measurement carried over from an earlier round has none.
     */
    static List<ItemResult> latestItems(ProbeReport p) {
        for (int i = p.measurements().size() - 1; i >= 0; i--) {
            if (!p.measurements().get(i).items().isEmpty()) {
                return p.measurements().get(i).items();
            }
        }
        return List.of();
    }

    /**
     * A probe's measurements kept whole and its runs of {@code PASS} in the order taken, each stretch
     * of adjacent runs (no measurement kept whole between them) merged into one {@link PassRun}: what
     * a table or a list of measurements shows, one entry per kept measurement and one per stretch.
     *
     * @return {@link Measurement}s and {@link PassRun}s, in order
     */
    static List<Object> entries(ProbeReport p) {
        List<Object> out = new ArrayList<>(p.measurements().size() + 8);
        List<PassRun> stretch = new ArrayList<>();
        int next = 0;
        List<PassRun> runs = p.passRuns();
        for (Measurement m : p.measurements()) {
            while (next < runs.size() && runs.get(next).lastRound() < m.round()) {
                stretch.add(runs.get(next++));
            }
            if (!stretch.isEmpty()) {
                out.add(merge(stretch));
                stretch.clear();
            }
            out.add(m);
        }
        while (next < runs.size()) {
            stretch.add(runs.get(next++));
        }
        if (!stretch.isEmpty()) {
            out.add(merge(stretch));
        }
        return out;
    }

    /** Adjacent runs as one: the counts added, the ranges widened, the means weighted by their counts. */
    static PassRun merge(List<PassRun> runs) {
        if (runs.size() == 1) {
            return runs.get(0);
        }
        PassRun first = runs.get(0);
        PassRun last = runs.get(runs.size() - 1);
        int count = 0;
        Map<String, double[]> sums = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (PassRun run : runs) {
            count += run.count();
            run.values().forEach((name, r) -> {
                double[] s = sums.computeIfAbsent(name, n -> new double[] {Double.POSITIVE_INFINITY, 0, Double.NEGATIVE_INFINITY, 0});
                s[0] = Math.min(s[0], r.min());
                s[1] += r.mean() * r.count();
                s[2] = Math.max(s[2], r.max());
                s[3] += r.count();
                units.putIfAbsent(name, r.unit());
            });
        }
        Map<String, PassRun.ValueRange> values = new LinkedHashMap<>();
        sums.forEach((name, s) -> values.put(name, new PassRun.ValueRange(s[0], Math.max(s[0], Math.min(s[2], s[1] / s[3])),
                s[2], (int) s[3], units.get(name))));
        return new PassRun(first.firstRound(), last.lastRound(), first.from(), last.to(), count, values);
    }

    /** {@code 1,234 PASS, rounds 5–1238, 10:00:00–13:25:40Z, latency 12–48 ms, mean 20 ms, status 200}. */
    static String passRun(PassRun run) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%,d", run.count())).append(" PASS, ")
                .append(run.firstRound() == run.lastRound() ? "round " + run.firstRound()
                        : "rounds " + run.firstRound() + "\u2013" + run.lastRound())
                .append(", ").append(span(run.from(), run.to()));
        String ranges = ranges(run);
        if (!ranges.isEmpty()) {
            out.append(", ").append(ranges);
        }
        return out.toString();
    }

    /** {@code latency 12–48 ms, mean 20 ms, status 200}: each value's range, a constant one as its value. */
    static String ranges(PassRun run) {
        StringJoiner out = new StringJoiner(", ");
        run.values().forEach((name, r) -> {
            String unit = r.unit().isEmpty() ? "" : " " + r.unit();
            if (r.min() == r.max()) {
                out.add(name + " " + number(r.min()) + unit);
            } else {
                out.add(name + " " + number(r.min()) + "\u2013" + number(r.max()) + unit + ", mean " + number(r.mean()) + unit);
            }
        });
        return out.toString();
    }

    /**
     * A time span in UTC to the second: {@code 10:00:00–13:25:40Z} within a day (the date is in the
     * kept measurements around it), {@code 2026-01-01T10:00:00Z–2026-01-02T09:00:00Z} across days.
     */
    static String span(Instant from, Instant to) {
        String a = from.truncatedTo(ChronoUnit.SECONDS).toString();
        String b = to.truncatedTo(ChronoUnit.SECONDS).toString();
        if (a.length() == 20 && b.length() == 20 && a.regionMatches(0, b, 0, 11)) {
            return a.substring(11, 19) + "\u2013" + b.substring(11);
        }
        return a + "\u2013" + b;
    }

    /** A number as short as it reads well: {@code 200}, {@code 12.35}, {@code 0.0312}, {@code 1.235e+06}. */
    static String number(double n) {
        if (n == Math.rint(n) && Math.abs(n) < 1e15) {
            return Long.toString((long) n);
        }
        if (Math.abs(n) >= 1e7 || Math.abs(n) < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", n);
        }
        return new java.math.BigDecimal(n).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** {@code 812ms}, {@code 30s}, {@code 5m}, {@code 1m30s}, {@code 1h5m}. */
    static String duration(Duration d) {
        if (d == null) {
            return "";
        }
        if (d.isNegative()) {
            return "-" + duration(d.negated());
        }
        if (d.toMillis() < 1000) {
            return d.toMillis() + "ms";
        }
        long seconds = d.getSeconds();
        long millis = d.toMillisPart();
        if (seconds < 60 && millis != 0) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        }
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        StringBuilder out = new StringBuilder();
        if (h > 0) {
            out.append(h).append('h');
        }
        if (m > 0) {
            out.append(m).append('m');
        }
        if (s > 0 || out.length() == 0) {
            out.append(s).append('s');
        }
        return out.toString();
    }

    /** {@code 4:05} (minutes and seconds), or {@code 1:04:05} past an hour. */
    /**
     * A label of the time axis: to a tenth of a second on an axis shorter than a minute (a tick
     * at 1.35 s must not read 0:01), {@link #clock} otherwise.
     */
    static String axis(Duration d, Duration span) {
        if (span.compareTo(Duration.ofMinutes(1)) < 0) {
            return String.format(Locale.ROOT, "%.1fs", Math.max(0, d.toMillis()) / 1000.0);
        }
        return clock(d);
    }

    static String clock(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
    }

    /** An instant to the millisecond, ISO-8601 in UTC; empty for {@code null}. */
    static String instant(Instant time) {
        return time == null ? "" : time.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** Seconds with three decimals, as JUnit XML wants them. */
    static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.3f", d == null ? 0.0 : Math.max(0, dev.vigil.Durations.nanos(d)) / 1e9);
    }

    /** A measured value as a person reads it: durations as {@code 812ms}, the rest as written. */
    static String value(Object value) {
        if (value instanceof Duration d) {
            return duration(d);
        }
        if ((value instanceof Double || value instanceof Float) && Double.isInfinite(((Number) value).doubleValue())) {
            // As report.json writes it, not Java's "Infinity".
            return ((Number) value).doubleValue() > 0 ? "+Inf" : "-Inf";
        }
        return String.valueOf(value);
    }

    /** {@code status=503, latency=812ms}. */
    static String values(Map<String, Object> values) {
        StringJoiner out = new StringJoiner(", ");
        values.forEach((k, v) -> out.add(k + "=" + value(v)));
        return out.toString();
    }

    /** One line about a measurement: {@code round 3 at 12:03:15Z: FAIL value(0.031) > 0.01}. */
    static String measurement(Measurement m) {
        StringBuilder out = new StringBuilder();
        out.append(m.round() == 0 ? "re-check" : "round " + m.round());
        if (m.time() != null) {
            out.append(" at ").append(instant(m.time()));
        }
        out.append(": ").append(m.outcome());
        String why = m.outcome() == Outcome.ERROR && m.error() != null ? m.error() : m.explanation();
        if (!why.isBlank()) {
            out.append(' ').append(why);
        }
        if (m.attempts() > 1) {
            out.append(" (").append(m.attempts()).append(" attempts)");
        }
        return out.toString();
    }

    /** What a probe's last measurement said, or an empty string when it took none. */
    static String lastExplanation(ProbeReport probe) {
        List<Measurement> ms = probe.measurements();
        if (ms.isEmpty()) {
            return "";
        }
        Measurement last = ms.get(ms.size() - 1);
        return last.outcome() == Outcome.ERROR && last.error() != null ? last.error() : last.explanation();
    }

    /** {@code checkout 2.4.1 (previous 2.4.0, production, hotfix for ISSUE-1)}. */
    /**
     * What only a watch's report has over its plan of rounds: the failure window its FAILs were
     * counted within and the probes' watch-only {@code max-failures}
     * ({@code "max-failures counted within watch-failure-window 1h (the last 60 rounds); watch-max-failures:
     * health 2"}); empty for a bake, or a watch that counts over the whole watch with the bake's limits.
     */
    static String watchLimits(VerificationReport report) {
        return report.watchPlan() == null ? "" : report.watchPlan().describeLimits();
    }

    /**
     * What the schedule did besides the planned rounds, as a parenthesis after the number of rounds
     * run ({@code " (6 planned; 1 extra by the end-of-bake rule; 2 rounds skipped: round 4 took 41s)"};
     * a watch's extra rounds are the end-of-watch rule's), or nothing when the rounds ran as planned.
     */
    static String scheduleNote(VerificationReport report) {
        ScheduleReport schedule = report.schedule();
        if (schedule == null || schedule.settlingRounds() == 0 && schedule.notes().isEmpty()) {
            return "";
        }
        StringBuilder note = new StringBuilder(" (").append(schedule.plannedRounds()).append(" planned");
        if (schedule.settlingRounds() > 0) {
            note.append("; ").append(schedule.settlingRounds()).append(" extra by the end-of-")
                    .append(report.watch() ? "watch" : "bake").append(" rule");
        }
        schedule.notes().forEach(n -> note.append("; ").append(n));
        return note.append(')').toString();
    }

    /** The re-check's judgement in a line: {@code HEALTHY: the previous version 2.4.0: all 2 probes passed ...}, or {@code null} when none ran. */
    static String recheck(VerificationReport report) {
        RecheckReport r = report.recheckResult();
        if (r.status() == RecheckReport.Status.NOT_RUN) {
            return null;
        }
        return r.status() + (r.status() == RecheckReport.Status.OFF ? " (" : ": ") + r.reason()
                + (r.status() == RecheckReport.Status.OFF ? ")" : "");
    }

    /**
     * Which probes of the re-check the bake and the watch left out ({@code recheck=only}), and so
     * are not among the probes above: {@code previous-version was measured in the re-check only
     * (recheck=only), not in the bake}; {@code null} when none.
     */
    static String recheckOnly(VerificationReport report) {
        java.util.Set<String> only = report.recheckResult().only();
        if (only.isEmpty()) {
            return null;
        }
        return String.join(", ", only) + (only.size() == 1 ? " was" : " were") + " measured in the re-check only"
                + " (recheck=only), not in the " + (report.watch() ? "watch" : "bake");
    }

    static String deployment(VerificationReport report) {
        var d = report.deployment();
        StringJoiner extra = new StringJoiner(", ", " (", ")").setEmptyValue("");
        if (d.previousVersion() != null) {
            extra.add("previous " + d.previousVersion());
        }
        if (d.environment() != null) {
            extra.add(d.environment());
        }
        if (d.kind() == dev.vigil.Deployment.Kind.HOTFIX) {
            extra.add(d.fixes().isEmpty() ? "hotfix" : "hotfix for " + String.join(", ", d.fixes()));
        }
        return d.service() + " " + d.version() + extra;
    }

    /**
     * One line per confirmation: {@code INC-123: CONFIRMED by probe smoke (CheckoutSmokeTest#coupons):
     * CheckoutSmokeTest#coupons passed}.
     */
    static String confirmation(dev.vigil.Confirmation c) {
        return (c.regression() ? "(earlier fix) " : "") + c.issue() + ": " + c.status() + " by probe " + c.probe()
                + (c.tests().isEmpty() ? "" : " (" + String.join(", ", c.tests()) + ")")
                + (c.explanation().isBlank() ? "" : ": " + c.explanation());
    }

    /**
     * What the report of a watch says of the deployment's fixes, which it does not judge again: a
     * watch follows only a {@code HEALTHY} bake, which needed each of them confirmed
     * ({@code INC-123: confirmed in the bake, which ended HEALTHY; ...}); {@code null} for a bake's
     * report, a deployment that fixes nothing, or a report that lists confirmations of its own.
     */
    static String confirmedInTheBake(VerificationReport report) {
        List<String> fixes = report.deployment().fixes().stream().distinct().toList();
        if (!report.watch() || fixes.isEmpty() || !report.confirmations().isEmpty()) {
            return null;
        }
        return confirmedInTheBake(String.join(", ", fixes));
    }

    /**
     * The words the console and every report of a watch say of fixes it does not judge again, so that
     * they say the same: {@code INC-123: confirmed in the bake, which ended HEALTHY; a watch does not
     * judge fixes again (the bake's report lists the confirmations)}.
     *
     * @param issues the issue ids, comma-separated
     * @return the sentence, starting with the issue ids
     */
    static String confirmedInTheBake(String issues) {
        return issues + ": confirmed in the bake, which ended HEALTHY; a watch does not judge fixes again"
                + " (the bake's report lists the confirmations)";
    }

    /**
     * What a rollback of a deployment that fixes issues withdraws, or {@code null} when it fixes
     * none or nothing was rolled back: {@code rolling back re-opens INC-123}.
     */
    static String reopens(VerificationReport report) {
        java.util.List<String> fixes = report.deployment().fixes();
        if (fixes.isEmpty()) {
            return null;
        }
        return switch (report.rollback().outcome()) {
            case ROLLED_BACK -> "rolling back re-opens " + String.join(", ", fixes) + ": "
                    + (report.deployment().previousVersion() == null ? "the previous version"
                            : report.deployment().previousVersion()) + " still has "
                    + (fixes.size() == 1 ? "it" : "them");
            case DRY_RUN -> "a rollback would re-open " + String.join(", ", fixes) + " (dry-run: nothing was rolled back)";
            case FAILED -> "the rollback failed; if it went through, it re-opened " + String.join(", ", fixes);
            case NOT_NEEDED -> null;
            case NOTIFIED -> "a rollback would re-open " + String.join(", ", fixes) + " (watch-action=notify: nothing was rolled back)";
        };
    }

    /** The time a verification took from start to finish. */
    static Duration elapsed(VerificationReport report) {
        if (report.startedAt() == null || report.finishedAt() == null) {
            return Duration.ZERO;
        }
        Duration d = Duration.between(report.startedAt(), report.finishedAt());
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** One word for a verdict and rollback together, for headings: {@code UNHEALTHY, rolled back}. */
    static String status(VerificationReport report) {
        String rollback = switch (report.rollback().outcome()) {
            case NOT_NEEDED -> "";
            case DRY_RUN -> ", rollback skipped (dry-run)";
            case ROLLED_BACK -> ", rolled back";
            case FAILED -> ", ROLLBACK FAILED: a person must act";
            case NOTIFIED -> ", not rolled back (watch-action=notify): a person must decide";
        };
        return report.verdict() + rollback;
    }
}
