package dev.vigil.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code java -jar vigil-bench.jar simulate [--healthy-runs N] [--regression-runs N] [--seed S] [--out FILE]}:
 * the detection simulation of the canary judges, in virtual time. Prints a Markdown report.
 */
public final class Main {

    private Main() {
    }

    /**
     * Runs the command.
     *
     * @param args {@code simulate} and its options
     */
    public static void main(String[] args) throws IOException {
        if (args.length == 0 || !args[0].equals("simulate")) {
            usage(System.err);
            System.exit(2);
        }
        int healthyRuns = 3000;
        int regressionRuns = 1000;
        long seed = 20261126L;
        Path out = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--healthy-runs" -> healthyRuns = Integer.parseInt(required(args[i], value));
                case "--regression-runs" -> regressionRuns = Integer.parseInt(required(args[i], value));
                case "--seed" -> seed = Long.parseLong(required(args[i], value));
                case "--out" -> out = Path.of(required(args[i], value));
                default -> {
                    System.err.println("unknown option " + args[i]);
                    usage(System.err);
                    System.exit(2);
                }
            }
            i++;
        }
        String report = new Simulation(healthyRuns, regressionRuns, seed).run();
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar vigil-bench.jar simulate [--healthy-runs N] [--regression-runs N] [--seed S] [--out FILE]");
    }
}
