package dev.vigil.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code java -jar vigil-bench.jar simulate [--healthy-runs N] [--regression-runs N] [--seed S] [--metric M] [--out FILE]}:
 * the detection simulation of the canary judges, in virtual time, printed as Markdown.
 * {@code java -jar vigil-bench.jar jmh [JMH options]}: the JMH benchmarks of the judges' cost per round and of masking a console line.
 * {@code java -jar vigil-bench.jar fleet [options]}: the HTTP fleet probe over a loopback fleet ({@link FleetBench}).
 * {@code java -Xmx64m -jar vigil-bench.jar long-run [options]}: memory and report files of a long verification
 * ({@link LongRunBench}).
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
        if (args.length > 0 && args[0].equals("fleet")) {
            fleet(args);
            return;
        }
        if (args.length > 0 && args[0].equals("long-run")) {
            longRun(args);
            return;
        }
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length == 0 || !args[0].equals("simulate")) {
            usage(System.err);
            System.exit(2);
        }
        int healthyRuns = 3000;
        int regressionRuns = 1000;
        long seed = 20261126L;
        Path out = null;
        Simulation.Metric only = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--healthy-runs" -> healthyRuns = Integer.parseInt(required(args[i], value));
                case "--regression-runs" -> regressionRuns = Integer.parseInt(required(args[i], value));
                case "--seed" -> seed = Long.parseLong(required(args[i], value));
                case "--out" -> out = Path.of(required(args[i], value));
                case "--metric" -> only = Simulation.Metric.valueOf(required(args[i], value).toUpperCase(java.util.Locale.ROOT));
                default -> {
                    System.err.println("unknown option " + args[i]);
                    usage(System.err);
                    System.exit(2);
                }
            }
            i++;
        }
        String report = new Simulation(healthyRuns, regressionRuns, seed, only).run();
        System.out.println(report);
        if (out != null) {
            Files.writeString(out, report, StandardCharsets.UTF_8);
        }
    }

    private static void fleet(String[] args) {
        List<Integer> sizes = List.of(200, 2000, 10_000);
        int rounds = 10;
        int blackHoles = 5;
        long timeoutMs = 2000;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--sizes" -> sizes = java.util.Arrays.stream(required(args[i], value).split(","))
                        .map(String::strip).map(Integer::parseInt).toList();
                case "--rounds" -> rounds = Integer.parseInt(required(args[i], value));
                case "--black-holes" -> blackHoles = Integer.parseInt(required(args[i], value));
                case "--timeout-ms" -> timeoutMs = Long.parseLong(required(args[i], value));
                default -> {
                    System.err.println("unknown option " + args[i]);
                    usage(System.err);
                    System.exit(2);
                }
            }
            i++;
        }
        try {
            new FleetBench(sizes, rounds, blackHoles, java.time.Duration.ofMillis(timeoutMs)).run(System.out);
        } catch (Exception e) {
            System.err.println("fleet benchmark failed: " + e);
            System.exit(1);
        }
    }

    private static void longRun(String[] args) throws IOException {
        java.time.Duration length = java.time.Duration.ofHours(24);
        java.time.Duration interval = java.time.Duration.ofSeconds(10);
        int probes = 20;
        double nonPassPerDay = 4;
        int repeat = 5;
        Path out = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--hours" -> length = java.time.Duration.ofHours(Long.parseLong(required(args[i], value)));
                case "--days" -> length = java.time.Duration.ofDays(Long.parseLong(required(args[i], value)));
                case "--interval" -> interval = LongRunBench.Durations.parse(required(args[i], value));
                case "--probes" -> probes = Integer.parseInt(required(args[i], value));
                case "--non-pass-per-day" -> nonPassPerDay = Double.parseDouble(required(args[i], value));
                case "--repeat" -> repeat = Integer.parseInt(required(args[i], value));
                case "--out" -> out = Path.of(required(args[i], value));
                default -> {
                    System.err.println("unknown option " + args[i]);
                    usage(System.err);
                    System.exit(2);
                }
            }
            i++;
        }
        new LongRunBench(length, interval, probes, nonPassPerDay, repeat, out).run(System.out);
    }

    private static String required(String option, String value) {
        if (value == null) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }

    private static void usage(PrintStream out) {
        out.println("usage: java -jar vigil-bench.jar simulate [--healthy-runs N] [--regression-runs N] [--seed S] [--metric errors|latency] [--out FILE]");
        out.println("       java -jar vigil-bench.jar jmh [JMH options]");
        out.println("       java -Xmx64m -jar vigil-bench.jar long-run [--hours 24 | --days 7] [--probes 20] [--interval 10s]"
                + " [--non-pass-per-day 4] [--repeat 5] [--out DIR]");
        out.println("       java -Xmx128m -jar vigil-bench.jar fleet [--sizes 200,2000,10000] [--rounds N] [--black-holes PERCENT] [--timeout-ms MS]");
    }
}
