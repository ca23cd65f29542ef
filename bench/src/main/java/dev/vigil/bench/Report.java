package dev.vigil.bench;

import dev.vigil.bench.Simulation.Result;
import dev.vigil.bench.Simulation.Tally;
import java.util.List;
import java.util.Locale;

/** The simulation's results as Markdown. */
final class Report {

    private final long seed;
    private final int healthyRuns;
    private final int regressionRuns;
    private final double elapsedSeconds;

    Report(long seed, int healthyRuns, int regressionRuns, double elapsedSeconds) {
        this.seed = seed;
        this.healthyRuns = healthyRuns;
        this.regressionRuns = regressionRuns;
        this.elapsedSeconds = elapsedSeconds;
    }

    String render(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("# Canary detection simulation\n\n");
        out.append(String.format(Locale.ROOT, "Seed %d (run seed = seed * 1000003 + scenario * 10000000 + run); "
                + "%d healthy and %d regression runs per scenario; %d rounds of %d s at most (30 min); "
                + "%.1f s on %d cores, Java %s, %s %s.%n%n", seed, healthyRuns, regressionRuns, Simulation.MAX_ROUNDS,
                Simulation.ROUND_SECONDS, elapsedSeconds, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"), System.getProperty("os.name"), System.getProperty("os.arch")));
        out.append("Cells: rate (95% Wilson interval) / median / p90 time to detect. Healthy rows: the rate is the "
                + "false-rollback rate. Mann-Whitney: at the shortest horizon whose power is within "
                + Math.round(Simulation.POWER_SLACK * 100) + " points of the sequential judge's (healthy rows: "
                + Simulation.HEALTHY_HORIZON + " rounds); the column shows the horizon matched to seq, and ind/MW uses "
                + "the one matched to ind.\n");
        for (int c = 0; c < Simulation.CONFIDENCES.length; c++) {
            double confidence = Simulation.CONFIDENCES[c];
            out.append(String.format(Locale.ROOT, "%n## Confidence %.2f (bound on false rollbacks: %.0f%%)%n%n",
                    confidence, 100 * (1 - confidence)));
            out.append("| scenario | threshold, 5 consecutive | Mann-Whitney, fixed horizon | sequential (Vigil) "
                    + "| sequential, independent instances | SPRT knowing the truth | seq/MW | seq/SPRT | ind/MW "
                    + "| ind/SPRT |\n");
            out.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (Result r : results) {
                Tally seq = r.sequential[c];
                Tally ind = r.independent[c];
                Tally sprt = r.sprt[c];
                int h = r.scenario.healthy() ? indexOf(Simulation.HEALTHY_HORIZON) : r.matchedHorizon(c, seq);
                Tally mw = r.mannWhitney[c][h];
                Tally mwInd = r.mannWhitney[c][r.scenario.healthy() ? h : r.matchedHorizon(c, ind)];
                boolean healthy = r.scenario.healthy();
                out.append("| ").append(r.scenario.label()).append(" | ").append(cell(r.threshold))
                        .append(" | ").append(Simulation.HORIZONS[h] * Simulation.ROUND_SECONDS).append(" s: ")
                        .append(cell(mw)).append(" | ").append(cell(seq)).append(" | ").append(cell(ind)).append(" | ")
                        .append(cell(sprt)).append(" | ")
                        .append(healthy ? "" : ratio(seq.median(), mw.median())).append(" | ")
                        .append(healthy ? "" : ratio(seq.median(), sprt.median())).append(" | ")
                        .append(healthy ? "" : ratio(ind.median(), mwInd.median())).append(" | ")
                        .append(healthy ? "" : ratio(ind.median(), sprt.median())).append(" |\n");
            }
            targets(out, results, c);
            instances(out, results, c);
            overdispersed(out, results, c);
        }
        histograms(out, results);
        out.append("\n## Mann-Whitney power by horizon\n\n| confidence | scenario |");
        for (int horizon : Simulation.HORIZONS) {
            out.append(' ').append(horizon * Simulation.ROUND_SECONDS).append(" s |");
        }
        out.append("\n|---|---|").append("---|".repeat(Simulation.HORIZONS.length)).append('\n');
        for (int c = 0; c < Simulation.CONFIDENCES.length; c++) {
            for (Result r : results) {
                out.append(String.format(Locale.ROOT, "| %.2f | %s |", Simulation.CONFIDENCES[c], r.scenario.label()));
                for (int h = 0; h < Simulation.HORIZONS.length; h++) {
                    out.append(String.format(Locale.ROOT, " %.1f%% |", 100 * r.mannWhitney[c][h].rate()));
                }
                out.append('\n');
            }
        }
        return out.toString();
    }

    private static void targets(StringBuilder out, List<Result> results, int c) {
        out.append("\nTargets (seq: the sequential judge as configured by default; ind: with independent-instances):\n");
        for (Result r : results) {
            if (r.scenario.healthy()) {
                out.append(String.format(Locale.ROOT, "- %s: false rollbacks %s, %s (Mann-Whitney checked every "
                        + "minute instead: %s)%n", r.scenario.label(), falseRollbacks("seq", r.sequential[c], c),
                        falseRollbacks("ind", r.independent[c], c), Stats.rate(r.repeated[c].detected, r.repeated[c].runs)));
            } else {
                out.append(String.format(Locale.ROOT, "- %s: %s; %s%n", r.scenario.label(), speed("seq", r, r.sequential[c], c),
                        speed("ind", r, r.independent[c], c)));
            }
        }
    }

    private static String falseRollbacks(String name, Tally t, int c) {
        double alpha = 1 - Simulation.CONFIDENCES[c];
        return String.format(Locale.ROOT, "%s %s %s %.0f%%: %s", name, Stats.rate(t.detected, t.runs),
                t.rate() <= alpha ? "<=" : ">", 100 * alpha, t.rate() <= alpha ? "met" : "MISSED");
    }

    private static String speed(String name, Result r, Tally seq, int c) {
        int h = r.matchedHorizon(c, seq);
        Tally mw = r.mannWhitney[c][h];
        Tally sprt = r.sprt[c];
        double toMw = seq.median() / mw.median();
        double toSprt = seq.median() / sprt.median();
        boolean equalPower = mw.rate() >= seq.rate() - Simulation.POWER_SLACK;
        int half = Simulation.HORIZONS[h] / 2;
        String within = toMw <= 0.5 ? "" : String.format(Locale.ROOT,
                "; detected within half the horizon (%d s): %.1f%%, SPRT %.1f%% of runs",
                half * Simulation.ROUND_SECONDS, 100 * seq.shareWithin(half), 100 * sprt.shareWithin(half));
        return String.format(Locale.ROOT, "%s/MW %s (<= 0.5: %s%s%s), %s/SPRT %s (<= 2: %s)", name,
                ratio(seq.median(), mw.median()), toMw <= 0.5 ? "met" : "MISSED",
                equalPower ? "" : "; Mann-Whitney never reaches the sequential judge's power within 30 min", within,
                name, ratio(seq.median(), sprt.median()), toSprt <= 2 ? "met" : "MISSED");
    }

    /**
     * Errors only (issue 25): every judge on Poisson and overdispersed error streams, with the count
     * test as it was before it learnt the dispersion.
     */
    private static void overdispersed(StringBuilder out, List<Result> results, int c) {
        double alpha = 1 - Simulation.CONFIDENCES[c];
        out.append("\nErrors, Poisson and overdispersed (issue 25): every judge on the same rounds. \"before\": the count "
                + "test untempered (dispersion 1), as it was before it learnt the dispersion. Mann-Whitney and the mean "
                + "test get each version's error rate per round (healthy rows: Mann-Whitney at "
                + Simulation.HEALTHY_HORIZON * Simulation.ROUND_SECONDS + " s; regressions: at equal power to seq). "
                + "SPRT: knows the effect, and on bursty rows the burst sizes and both rates.\n\n");
        out.append("past: the same judge learning first from the baseline's " + Simulation.PAST_ROUNDS + " rounds before "
                + "the canary (all the traffic; the fleet has none), as the Prometheus probe does by default.\n\n");
        out.append("| scenario | sequential (Vigil) | past | count test before | Mann-Whitney on rates | mean test on rates "
                + "| SPRT | seq/before | seq/MW | seq/SPRT | past/before | past/MW | past/SPRT |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        StringBuilder targets = new StringBuilder();
        for (Result r : results) {
            if (r.scenario.metric() != Simulation.Metric.ERRORS) {
                continue;
            }
            Tally seq = r.sequential[c];
            Tally before = r.poissonCountTest[c];
            boolean healthy = r.scenario.healthy();
            int h = healthy ? indexOf(Simulation.HEALTHY_HORIZON) : r.matchedHorizon(c, seq);
            Tally mw = r.mannWhitney[c][h];
            Tally past = r.learned[c];
            Tally mwPast = r.mannWhitney[c][healthy ? h : r.matchedHorizon(c, past)];
            out.append("| ").append(r.scenario.label()).append(" | ").append(cell(seq)).append(" | ").append(cell(past))
                    .append(" | ").append(cell(before))
                    .append(" | ").append(Simulation.HORIZONS[h] * Simulation.ROUND_SECONDS).append(" s: ").append(cell(mw))
                    .append(" | ").append(healthy ? cell(r.meanOnRates[c]) : "(healthy rows only)").append(" | ").append(cell(r.sprt[c])).append(" | ")
                    .append(healthy ? "" : ratio(seq.median(), before.median())).append(" | ")
                    .append(healthy ? "" : ratio(seq.median(), mw.median())).append(" | ")
                    .append(healthy ? "" : ratio(seq.median(), r.sprt[c].median())).append(" | ")
                    .append(healthy ? "" : ratio(past.median(), before.median())).append(" | ")
                    .append(healthy ? "" : ratio(past.median(), mwPast.median())).append(" | ")
                    .append(healthy ? "" : ratio(past.median(), r.sprt[c].median())).append(" |\n");
            if (healthy) {
                targets.append(String.format(Locale.ROOT, "- %s: false rollbacks %s; %s; before %s; Mann-Whitney on rates %s; "
                        + "mean test on rates %s%n", r.scenario.label(), falseRollbacks("seq", seq, c),
                        falseRollbacks("past", past, c), verdict(before, alpha), verdict(mw, alpha),
                        verdict(r.meanOnRates[c], alpha)));
            } else if (r.scenario.overdispersed()) {
                targets.append(String.format(Locale.ROOT, "- %s: %s; %s%n", r.scenario.label(), speed("seq", r, seq, c),
                        speed("past", r, past, c)));
            } else {
                targets.append(String.format(Locale.ROOT, "- %s: %s; %s; %s%n", r.scenario.label(), cost("seq", seq, before),
                        cost("past", past, before), speed("past", r, past, c)));
            }
        }
        out.append("\nTargets on errors:\n").append(targets);
    }

    /** The median time to detect against the count test before issue 25, with the target of at most 1.25. */
    private static String cost(String name, Tally t, Tally before) {
        double cost = t.median() / before.median();
        int within = (int) Math.floor(before.median());
        // Where the rounds are few, a median is on an edge between two rounds: say how many runs
        // each judge decided by the time the test before decided half of its runs.
        String edge = cost <= 1.25 || within < 1 ? "" : String.format(Locale.ROOT,
                "; decided within %s: %s %s, before %s", Stats.seconds(within, Simulation.ROUND_SECONDS), name,
                Stats.share(t.countWithin(within), t.runs), Stats.share(before.countWithin(within), before.runs));
        return String.format(Locale.ROOT, "%s median %s against %s before, %s (<= 1.25: %s%s)", name,
                Stats.seconds(t.median(), Simulation.ROUND_SECONDS), Stats.seconds(before.median(), Simulation.ROUND_SECONDS),
                ratio(t.median(), before.median()), cost <= 1.25 ? "met" : "MISSED", edge);
    }

    /**
     * Latency from histogram buckets (issue 23): the histogram judges against Mann-Whitney at equal
     * power, the sequential judge on means and the SPRT, on the same rounds.
     */
    private static void histograms(StringBuilder out, List<Result> results) {
        if (results.stream().noneMatch(r -> r.scenario.metric() == Simulation.Metric.LATENCY)) {
            return;
        }
        out.append("\n## Latency from histogram buckets (issue 23)\n\nEach round, each version's requests are counted "
                + "into Spring Boot's default buckets (" + (Simulation.HISTOGRAM_BOUNDS.length - 1) + " bounds from 1 ms "
                + "to 30 s, and +Inf); shift: the histogram judge's shift test (no slower-than); share p90, p99, 250ms: "
                + "its share test with slower-than=p90, p99, 250ms. seq and ind: the sequential judge on each "
                + "instance's mean latency (default, and with independent-instances). MW: Mann-Whitney on each "
                + "version's mean per round at the shortest horizon within " + Math.round(Simulation.POWER_SLACK * 100)
                + " points of the shift test's power (healthy rows: " + Simulation.HEALTHY_HORIZON
                + " rounds). Ratios: medians, each judge against Mann-Whitney at its own equal power and against the "
                + "SPRT.\n");
        List<String> names = new java.util.ArrayList<>(List.of("shift"));
        for (var slow : Simulation.SHARE_TESTS) {
            names.add("share " + (Double.isNaN(slow.quantile()) ? Math.round(slow.seconds() * 1000) + "ms"
                    : "p" + trimPercent(slow.quantile())));
        }
        out.append("\"past\": the same judge learning first from the baseline's " + Simulation.PAST_ROUNDS
                + " rounds before the canary (all the traffic), as the Prometheus probe does by default.\n");
        for (String name : List.copyOf(names)) {
            names.add(name + ", past");
        }
        for (int c = 0; c < Simulation.CONFIDENCES.length; c++) {
            double confidence = Simulation.CONFIDENCES[c];
            double alpha = 1 - confidence;
            out.append(String.format(Locale.ROOT, "%n### Histograms, confidence %.2f (bound on false rollbacks: %.0f%%)%n%n",
                    confidence, 100 * alpha));
            out.append("| scenario | MW at equal power to shift | seq (means) | ind (means) |");
            names.forEach(n -> out.append(' ').append(n).append(" |"));
            out.append(" SPRT |");
            names.forEach(n -> out.append(' ').append(n).append("/MW | ").append(n).append("/SPRT |"));
            out.append("\n|---|---|---|---|").append("---|".repeat(names.size() * 3 + 1)).append('\n');
            StringBuilder targets = new StringBuilder();
            for (Result r : results) {
                if (r.scenario.metric() != Simulation.Metric.LATENCY) {
                    continue;
                }
                boolean healthy = r.scenario.healthy();
                Tally[] judges = judges(r, c);
                int h = healthy ? indexOf(Simulation.HEALTHY_HORIZON) : r.matchedHorizon(c, judges[0]);
                out.append("| ").append(r.scenario.label()).append(" | ")
                        .append(Simulation.HORIZONS[h] * Simulation.ROUND_SECONDS).append(" s: ")
                        .append(cell(r.mannWhitney[c][h])).append(" | ").append(cell(r.sequential[c])).append(" | ")
                        .append(cell(r.independent[c])).append(" |");
                for (Tally t : judges) {
                    out.append(' ').append(cell(t)).append(" |");
                }
                out.append(' ').append(cell(r.sprt[c])).append(" |");
                StringBuilder line = new StringBuilder("- " + r.scenario.label() + ": ");
                for (int k = 0; k < judges.length; k++) {
                    Tally t = judges[k];
                    if (healthy) {
                        out.append(" | |");
                        line.append(k == 0 ? "" : "; ").append(falseRollbacks(names.get(k), t, c));
                    } else {
                        Tally mw = r.mannWhitney[c][r.matchedHorizon(c, t)];
                        out.append(' ').append(ratio(t.median(), mw.median())).append(" | ")
                                .append(ratio(t.median(), r.sprt[c].median())).append(" |");
                        line.append(k == 0 ? "" : "; ").append(speed(names.get(k), r, t, c));
                    }
                }
                out.append('\n');
                targets.append(line).append('\n');
            }
            out.append("\nTargets (issue 23):\n").append(targets);
            out.append("\nThe shift test without the wobble (every request independent evidence, as a per-request "
                    + "multinomial likelihood assumes), healthy rows:\n");
            for (Result r : results) {
                if (r.scenario.metric() == Simulation.Metric.LATENCY && r.scenario.healthy()) {
                    out.append("- ").append(r.scenario.label()).append(": ").append(cell(r.independentRequests[c]))
                            .append('\n');
                }
            }
        }
    }

    private static Tally[] judges(Result r, int c) {
        int n = 1 + Simulation.SHARE_TESTS.size();
        Tally[] judges = new Tally[2 * n];
        judges[0] = r.shift[c];
        for (int k = 0; k < Simulation.SHARE_TESTS.size(); k++) {
            judges[k + 1] = r.share[c][k];
        }
        System.arraycopy(r.learnedHistogram[c], 0, judges, n, n);
        return judges;
    }

    private static String trimPercent(double quantile) {
        double p = quantile * 100;
        return p == Math.rint(p) ? String.valueOf((long) p) : String.valueOf(p);
    }

    private static String verdict(Tally t, double alpha) {
        return Stats.rate(t.detected, t.runs) + (t.rate() <= alpha ? " (within)" : " (ABOVE the bound)");
    }

    /** Latency only: Mann-Whitney on every instance's value, against the sequential judge. */
    private static void instances(StringBuilder out, List<Result> results, int c) {
        out.append("\nLatency, Mann-Whitney on each instance's value (" + Simulation.INSTANCES + " per version per "
                + "round) instead of each version's mean, at equal power:\n\n");
        out.append("| scenario | Mann-Whitney on instances | sequential, independent instances | ind/MW median |\n"
                + "|---|---|---|---|\n");
        for (Result r : results) {
            if (r.scenario.metric() != Simulation.Metric.LATENCY) {
                continue;
            }
            Tally seq = r.independent[c];
            int h = r.scenario.healthy() ? indexOf(Simulation.HEALTHY_HORIZON) : r.matchedInstanceHorizon(c, seq);
            Tally mw = r.mannWhitneyInstances[c][h];
            out.append("| ").append(r.scenario.label()).append(" | ")
                    .append(Simulation.HORIZONS[h] * Simulation.ROUND_SECONDS).append(" s: ").append(cell(mw))
                    .append(" | ").append(cell(seq)).append(" | ")
                    .append(r.scenario.healthy() ? "" : ratio(seq.median(), mw.median())).append(" |\n");
        }
    }

    private static int indexOf(int horizon) {
        for (int h = 0; h < Simulation.HORIZONS.length; h++) {
            if (Simulation.HORIZONS[h] == horizon) {
                return h;
            }
        }
        throw new IllegalStateException("no horizon " + horizon);
    }

    private static String cell(Tally t) {
        return Stats.rate(t.detected, t.runs) + " / " + Stats.seconds(t.median(), Simulation.ROUND_SECONDS) + " / "
                + Stats.seconds(t.p90(), Simulation.ROUND_SECONDS);
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) ? "-" : String.format(Locale.ROOT, "%.2f", a / b);
    }
}
