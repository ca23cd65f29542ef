package dev.vigil;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One probe's measurements as a verification keeps them for its report: every one while they are
 * few, a bounded number however long the verification or watch runs. Used by one verifying thread
 * only.
 *
 * <p>The rule, for the measurements of one probe numbered {@code 0 .. n-1} in the order taken:
 * <ul>
 *   <li>While the probe has taken at most {@value #WHOLE_UP_TO} measurements, every one is kept
 *       whole (a bake of an hour at 10 s, or six hours at 1 min, keeps all of them).</li>
 *   <li>Once it has taken more, the rest of this rule applies to all its measurements, from the
 *       first on: a measurement is kept whole when it is the first ({@code 0}) or the last
 *       ({@code n-1}), when it is not a {@code PASS}, or when a measurement
 *       that is not a {@code PASS} lies at most {@value #CONTEXT} positions before or after it —
 *       so a failure, an error or an inconclusive measurement keeps the {@value #CONTEXT}
 *       measurements on either side of it. A {@code PASS} without a time is kept whole too (it
 *       cannot be placed in a run); the engine gives every measurement a time.</li>
 *   <li>Every other {@code PASS} is summarised into a {@link PassRun}: its count, rounds, time span,
 *       and per numeric value (numbers and durations, durations in milliseconds) its minimum,
 *       mean and maximum. Its other values (text, booleans) and its explanation are not kept.</li>
 *   <li>A run never spans a kept measurement. Runs start one measurement long; when a probe has
 *       {@value #MAX_RUNS}, the two adjacent runs with the fewest measurements together that no
 *       kept measurement separates are merged, and new runs grow to about the mean run length. So a probe keeps at most {@value #MAX_RUNS} runs, plus one per stretch of kept
 *       measurements when those alone separate them, each covering about {@code 1/}{@value #MAX_RUNS}
 *       of its summarised measurements: finer than a pixel column of a 700-pixel timeline.</li>
 * </ul>
 *
 * <p>{@code kept measurements + the runs' counts} is always the number of measurements taken.
 * Memory is therefore bounded by {@value #WHOLE_UP_TO} measurements, plus {@value #MAX_RUNS}
 * runs, plus the measurements that are not {@code PASS} with their context — which the probe's
 * limits ({@code max-failures}, {@code max-inconclusive}) bound for failures and inconclusive
 * measurements.
 */
final class MeasurementLog {

    /** Up to this many measurements of a probe, all are kept whole. */
    static final int WHOLE_UP_TO = 360;
    /** The measurements kept whole on either side of one that is not a {@code PASS}. */
    static final int CONTEXT = 3;
    /** The runs of {@code PASS} a probe keeps, unless kept measurements separate more. */
    static final int MAX_RUNS = 720;

    /** The measurements kept whole, in order; all of them while not summarising. */
    private final List<Measurement> kept = new ArrayList<>();
    /**
     * The latest unprotected {@code PASS} measurements, after every kept one and every run, at most
     * {@link #CONTEXT}: kept whole when a measurement that is not a {@code PASS} follows, else
     * summarised once {@code CONTEXT} newer ones have come.
     */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** The closed runs, in order. */
    private final List<Run> runs = new ArrayList<>();
    /** The run being filled, after every closed run and kept measurement; or {@code null}. */
    private Run open;
    private int taken;
    private int summarised;
    /** How many of the coming measurements are kept as the context after one that is not a PASS. */
    private int protectAfter;
    private boolean summarising;
    private Measurement latest;

    /** Records the next measurement. */
    void add(Measurement m) {
        int seq = taken++;
        latest = m;
        if (!summarising) {
            kept.add(m);
            if (taken > WHOLE_UP_TO) {
                startSummarising();
            }
            return;
        }
        next(m, seq);
    }

    /** How many measurements were recorded. */
    int taken() {
        return taken;
    }

    /** The latest measurement, or {@code null} before the first. */
    Measurement latest() {
        return latest;
    }

    /** The measurements kept whole and the runs, as they stand; the log is not changed. */
    Snapshot snapshot() {
        List<Measurement> whole = new ArrayList<>(kept.size() + 1);
        whole.addAll(kept);
        List<Run> all = new ArrayList<>(runs);
        if (!pending.isEmpty()) {
            // All but the last of the pending measurements are summarised: only the last is kept as such.
            Run tail = open == null ? null : open.copy();
            Pending last = pending.peekLast();
            for (Pending p : pending) {
                if (p == last) {
                    break;
                }
                if (tail == null) {
                    tail = new Run(p.seq());
                }
                tail.add(p.measurement(), p.seq());
            }
            if (tail != null) {
                all.add(tail);
            }
            whole.add(last.measurement());
        } else if (open != null) {
            all.add(open);
        }
        return new Snapshot(whole, all.stream().map(Run::toPassRun).toList());
    }

    /**
     * The measurements kept whole and the summaries of the others.
     *
     * @param measurements in the order taken
     * @param passRuns in the order taken
     */
    record Snapshot(List<Measurement> measurements, List<PassRun> passRuns) {
    }

    /** Past {@link #WHOLE_UP_TO}: the rule applies to every measurement taken so far, as if it had from the start. */
    private void startSummarising() {
        List<Measurement> all = new ArrayList<>(kept);
        kept.clear();
        summarising = true;
        for (int i = 0; i < all.size(); i++) {
            next(all.get(i), i);
        }
    }

    private void next(Measurement m, int seq) {
        if (m.outcome() != Outcome.PASS) {
            // With the context before it: the pending PASS measurements are kept whole too.
            keep(m);
            protectAfter = CONTEXT;
        } else if (protectAfter > 0 || seq == 0 || m.time() == null) {
            protectAfter = Math.max(0, protectAfter - 1);
            keep(m);
        } else {
            pending.addLast(new Pending(m, seq));
            if (pending.size() > CONTEXT) {
                Pending oldest = pending.removeFirst();
                summarise(oldest.measurement(), oldest.seq());
            }
        }
    }

    /** Keeps a measurement whole; it ends the open run, and the pending ones before it are kept too. */
    private void keep(Measurement m) {
        closeOpen();
        pending.forEach(p -> kept.add(p.measurement()));
        pending.clear();
        kept.add(m);
    }

    private void summarise(Measurement m, int seq) {
        if (open == null) {
            open = new Run(seq);
        }
        open.add(m, seq);
        summarised++;
        if (open.count >= Math.max(1, summarised / MAX_RUNS)) {
            closeOpen();
        }
    }

    private void closeOpen() {
        if (open == null) {
            return;
        }
        runs.add(open);
        open = null;
        if (runs.size() >= MAX_RUNS) {
            mergeSmallestPair();
        }
    }

    /** Merges the two adjacent runs, not separated by a kept measurement, with the fewest measurements together. */
    private void mergeSmallestPair() {
        int best = -1;
        long fewest = Long.MAX_VALUE;
        for (int i = 0; i + 1 < runs.size(); i++) {
            Run a = runs.get(i);
            Run b = runs.get(i + 1);
            if (a.lastSeq + 1 == b.firstSeq && (long) a.count + b.count < fewest) {
                fewest = (long) a.count + b.count;
                best = i;
            }
        }
        if (best >= 0) {
            runs.get(best).absorb(runs.remove(best + 1));
        }
    }

    private record Pending(Measurement measurement, int seq) {
    }

    /** A run of summarised PASS measurements being built: counts and sums, mutable. */
    private static final class Run {
        private final int firstSeq;
        private int lastSeq;
        private int firstRound;
        private int lastRound;
        private Instant from;
        private Instant to;
        private int count;
        private final Map<String, Range> values = new LinkedHashMap<>();

        Run(int firstSeq) {
            this.firstSeq = firstSeq;
            this.lastSeq = firstSeq - 1;
        }

        void add(Measurement m, int seq) {
            if (count == 0) {
                firstRound = m.round();
                from = m.time();
            }
            lastSeq = seq;
            lastRound = m.round();
            to = m.time();
            count++;
            m.values().forEach((name, value) -> {
                if (value instanceof Duration d) {
                    values.computeIfAbsent(name, n -> new Range("ms")).add(d.getSeconds() * 1e3 + d.getNano() / 1e6);
                } else if (value instanceof Number n && Double.isFinite(n.doubleValue())) {
                    values.computeIfAbsent(name, k -> new Range("")).add(n.doubleValue());
                }
            });
        }

        /** Takes in the run right after this one. */
        void absorb(Run next) {
            lastSeq = next.lastSeq;
            lastRound = next.lastRound;
            to = next.to;
            count += next.count;
            next.values.forEach((name, range) -> values.merge(name, range, Range::plus));
        }

        Run copy() {
            Run c = new Run(firstSeq);
            c.lastSeq = lastSeq;
            c.firstRound = firstRound;
            c.lastRound = lastRound;
            c.from = from;
            c.to = to;
            c.count = count;
            values.forEach((name, range) -> c.values.put(name, range.copy()));
            return c;
        }

        PassRun toPassRun() {
            Map<String, PassRun.ValueRange> ranges = new LinkedHashMap<>();
            values.forEach((name, r) -> ranges.put(name, new PassRun.ValueRange(r.min,
                    Math.max(r.min, Math.min(r.max, r.sum / r.count)), r.max, r.count, r.unit)));
            return new PassRun(firstRound, lastRound, from, to, count, ranges);
        }
    }

    /** The range of one value over a run, mutable. */
    private static final class Range {
        private final String unit;
        private double min = Double.POSITIVE_INFINITY;
        private double max = Double.NEGATIVE_INFINITY;
        private double sum;
        private int count;

        Range(String unit) {
            this.unit = unit;
        }

        void add(double v) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            count++;
        }

        Range copy() {
            Range c = new Range(unit);
            c.min = min;
            c.max = max;
            c.sum = sum;
            c.count = count;
            return c;
        }

        /** This range and another of the same value, together; changes and returns this one. */
        Range plus(Range other) {
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
            sum += other.sum;
            count += other.count;
            return this;
        }
    }
}
