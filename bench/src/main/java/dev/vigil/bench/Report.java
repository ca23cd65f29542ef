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
                + Simulation.HEALTHY_HORIZON + " rounds).\n");
        for (int c = 0; c < Simulation.CONFIDENCES.length; c++) {
            double confidence = Simulation.CONFIDENCES[c];
            out.append(String.format(Locale.ROOT, "%n## Confidence %.2f (bound on false rollbacks: %.0f%%)%n%n",
                    confidence, 100 * (1 - confidence)));
            out.append("| scenario | threshold, 5 consecutive | Mann-Whitney, fixed horizon | sequential (Vigil) "
                    + "| SPRT knowing the truth | seq/MW median | seq/SPRT median |\n");
            out.append("|---|---|---|---|---|---|---|\n");
            for (Result r : results) {
                int h = r.scenario.healthy() ? indexOf(Simulation.HEALTHY_HORIZON) : r.matchedHorizon(c);
                Tally mw = r.mannWhitney[c][h];
                Tally seq = r.sequential[c];
                Tally sprt = r.sprt[c];
                out.append("| ").append(r.scenario.label()).append(" | ").append(cell(r.threshold))
                        .append(" | ").append(Simulation.HORIZONS[h] * Simulation.ROUND_SECONDS).append(" s: ")
                        .append(cell(mw)).append(" | ").append(cell(seq)).append(" | ").append(cell(sprt)).append(" | ")
                        .append(r.scenario.healthy() ? "" : ratio(seq.median(), mw.median())).append(" | ")
                        .append(r.scenario.healthy() ? "" : ratio(seq.median(), sprt.median())).append(" |\n");
            }
            targets(out, results, c);
            instances(out, results, c);
        }
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
        double alpha = 1 - Simulation.CONFIDENCES[c];
        out.append("\nTargets:\n");
        for (Result r : results) {
            Tally seq = r.sequential[c];
            if (r.scenario.healthy()) {
                Tally peek = r.repeated[c];
                out.append(String.format(Locale.ROOT, "- %s: sequential false rollbacks %s %s %.0f%%: %s "
                        + "(Mann-Whitney checked every minute instead: %s)%n",
                        r.scenario.label(), Stats.rate(seq.detected, seq.runs), seq.rate() <= alpha ? "<=" : ">",
                        100 * alpha, seq.rate() <= alpha ? "met" : "MISSED", Stats.rate(peek.detected, peek.runs)));
            } else {
                int h = r.matchedHorizon(c);
                Tally mw = r.mannWhitney[c][h];
                double toMw = seq.median() / mw.median();
                double toSprt = seq.median() / r.sprt[c].median();
                boolean equalPower = mw.rate() >= seq.rate() - Simulation.POWER_SLACK;
                int half = Simulation.HORIZONS[h] / 2;
                String within = toMw <= 0.5 ? "" : String.format(Locale.ROOT,
                        "; detected within half the horizon (%d s): sequential %.1f%%, SPRT %.1f%% of runs",
                        half * Simulation.ROUND_SECONDS, 100 * seq.shareWithin(half), 100 * r.sprt[c].shareWithin(half));
                out.append(String.format(Locale.ROOT, "- %s: seq/MW %s (<= 0.5: %s%s%s), seq/SPRT %s (<= 2: %s)%n",
                        r.scenario.label(), ratio(seq.median(), mw.median()), toMw <= 0.5 ? "met" : "MISSED",
                        equalPower ? "" : "; Mann-Whitney never reaches the sequential judge's power within 30 min",
                        within, ratio(seq.median(), r.sprt[c].median()), toSprt <= 2 ? "met" : "MISSED"));
            }
        }
    }

    /** Latency only: Mann-Whitney on every instance's value, against the sequential judge. */
    private static void instances(StringBuilder out, List<Result> results, int c) {
        out.append("\nLatency, Mann-Whitney on each instance's value (" + Simulation.INSTANCES + " per version per "
                + "round) instead of each version's mean, at equal power:\n\n");
        out.append("| scenario | Mann-Whitney on instances | sequential (Vigil) | seq/MW median |\n|---|---|---|---|\n");
        for (Result r : results) {
            if (r.scenario.metric() != Simulation.Metric.LATENCY) {
                continue;
            }
            int h = r.scenario.healthy() ? indexOf(Simulation.HEALTHY_HORIZON) : r.matchedInstanceHorizon(c);
            Tally mw = r.mannWhitneyInstances[c][h];
            Tally seq = r.sequential[c];
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
