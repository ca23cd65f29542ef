package dev.vigil.bench;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.PassRun;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.ProbeResult;
import dev.vigil.TimeSource;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The long-run benchmark of issue 20: {@code java -Xmx64m -jar vigil-bench.jar long-run [--hours 24 |
 * --days 7] [--probes 20] [--interval 10s] [--non-pass-per-day 4] [--repeat 5] [--out DIR]}.
 *
 * <p>Runs one verification through the public API ({@link DeployVerifier}) in virtual time — a time
 * source whose sleep only moves the clock on — with {@code probes} probes that answer like an HTTP
 * health check (status 200, a latency around 20 ms with a tail and the odd spike, a connect time),
 * and a few measurements that are not {@code PASS} sprinkled in at seeded random rounds: per probe
 * one {@code FAIL} (its {@code max-failures} is 1), one {@code INCONCLUSIVE} ({@code max-inconclusive}
 * 1) and otherwise transient {@code ERROR}s, {@code non-pass-per-day} a day in all. The verification
 * ends {@code HEALTHY}.
 *
 * <p>Every 250 rounds, on the verifying thread (in the time source's sleep, between rounds), it runs
 * {@code System.gc()} and reads the heap in use: the live heap of the verification as it goes. After
 * the run it writes each report file {@code repeat} times and gives its size and the median and
 * longest write time (the first write is the longest: a cold JVM, as on the command line); then the
 * most heap that was ever in use, garbage included, read from every collection's notification. Run
 * with {@code -Xmx64m}, completing at all shows that the heap never needed more than 64 MB.
 */
final class LongRunBench {

    /** Rounds between two heap samples. */
    static final int SAMPLE_EVERY = 250;

    private final Duration length;
    private final Duration interval;
    private final int probes;
    private final double nonPassPerDay;
    private final int repeat;
    private final Path out;

    LongRunBench(Duration length, Duration interval, int probes, double nonPassPerDay, int repeat, Path out) {
        this.length = length;
        this.interval = interval;
        this.probes = probes;
        this.nonPassPerDay = nonPassPerDay;
        this.repeat = repeat;
        this.out = out;
    }

    void run(PrintStream print) throws IOException {
        PeakHeap.watch();
        int rounds = (int) (length.toNanos() / interval.toNanos());
        FastTime time = new FastTime(Instant.parse("2026-01-01T00:00:00Z"));
        DeployVerifier.Builder builder = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInitialDelay(Duration.ZERO).withDuration(length).withInterval(interval))
                .timeSource(time);
        int nonPass = 0;
        for (int p = 0; p < probes; p++) {
            Map<Integer, Outcome> planned = sprinkle(p, rounds);
            nonPass += planned.size();
            builder.probe(String.format(Locale.ROOT, "checkout-%02d", p), new HealthCheck(p, planned),
                    ProbeLimits.defaults().withMaxFailures(1).withMaxInconclusive(1));
        }
        DeployVerifier verifier = builder.build();
        Deployment deployment = Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production");

        System.gc();
        long before = usedHeap();
        long started = System.nanoTime();
        VerificationReport report = verifier.verifyAfterDeploy(deployment);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.gc();
        long after = usedHeap();

        Path dir = out != null ? out : Files.createTempDirectory("vigil-long-run-");
        Files.createDirectories(dir);
        Map<ReportFormat, List<Long>> times = new LinkedHashMap<>();
        Map<ReportFormat, Long> sizes = new LinkedHashMap<>();
        for (int i = 0; i < repeat; i++) {
            for (ReportFormat format : ReportFormat.values()) {
                long t = System.nanoTime();
                Path file = Reports.write(report, dir, Set.of(format)).get(format);
                times.computeIfAbsent(format, f -> new ArrayList<>()).add(System.nanoTime() - t);
                sizes.put(format, Files.size(file));
            }
        }
        System.gc();
        long afterReports = usedHeap();

        int kept = 0;
        int summarised = 0;
        int runs = 0;
        for (ProbeReport p : report.probes()) {
            kept += p.measurements().size();
            runs += p.passRuns().size();
            summarised += p.passRuns().stream().mapToInt(PassRun::count).sum();
        }
        long maxHeap = Runtime.getRuntime().maxMemory();
        print.printf(Locale.ROOT, "### %s at %s, %d probes%n%n", Durations.text(length), Durations.text(interval), probes);
        print.printf(Locale.ROOT, "| | |%n|---|---|%n");
        print.printf(Locale.ROOT, "| verdict | %s: %s |%n", report.verdict(), report.reason());
        print.printf(Locale.ROOT, "| rounds, measurements | %,d rounds, %,d measurements (%,d not PASS) |%n", report.rounds(),
                kept + summarised, nonPass);
        print.printf(Locale.ROOT, "| kept whole / summarised | %,d kept whole, %,d PASS in %,d runs (%.1f runs a probe) |%n",
                kept, summarised, runs, runs / (double) probes);
        print.printf(Locale.ROOT, "| run time (virtual time) | %.1f s |%n", took.toMillis() / 1000.0);
        print.printf(Locale.ROOT, "| max heap (-Xmx) | %s |%n", mb(maxHeap));
        print.printf(Locale.ROOT, "| live heap after GC: before / peak during the run / after it / after the reports | %s / %s / %s / %s |%n",
                mb(before), mb(time.peak), mb(after), mb(afterReports));
        print.printf(Locale.ROOT, "| heap samples during the run | %d (every %d rounds) |%n", time.samples, SAMPLE_EVERY);
        print.printf(Locale.ROOT, "| heap in use at its peak, garbage included (before a collection) | %s |%n", mb(PeakHeap.peak()));
        print.printf(Locale.ROOT, "%n| file | size | write time, median of %d | longest |%n|---|---:|---:|---:|%n", repeat);
        for (ReportFormat format : ReportFormat.values()) {
            List<Long> t = new ArrayList<>(times.get(format));
            Collections.sort(t);
            print.printf(Locale.ROOT, "| %s | %s | %d ms | %d ms |%n", format.fileName(), size(sizes.get(format)),
                    t.get(t.size() / 2) / 1_000_000, t.get(t.size() - 1) / 1_000_000);
        }
        print.printf(Locale.ROOT, "%nReports in %s%n", dir);
    }

    /** The rounds of probe {@code p} that are not a PASS: one FAIL, one INCONCLUSIVE, the rest ERROR. */
    private Map<Integer, Outcome> sprinkle(int p, int rounds) {
        int count = (int) Math.round(nonPassPerDay * length.toNanos() / (double) Duration.ofDays(1).toNanos());
        SplittableRandom random = new SplittableRandom(20261130L + p);
        Map<Integer, Outcome> out = new HashMap<>();
        while (out.size() < Math.min(count, rounds / 4)) {
            // Never in the last rounds: the verification ends with a PASS.
            int round = 1 + random.nextInt(Math.max(1, rounds - 10));
            Outcome outcome = out.isEmpty() ? Outcome.FAIL : out.size() == 1 ? Outcome.INCONCLUSIVE : Outcome.ERROR;
            out.putIfAbsent(round, outcome);
        }
        return out;
    }

    /** Answers like an HTTP health check; every value a function of the probe and the round. */
    private record HealthCheck(int probe, Map<Integer, Outcome> planned) implements dev.vigil.Probe {

        @Override
        public ProbeResult measure(dev.vigil.ProbeContext context) {
            SplittableRandom r = new SplittableRandom(((long) probe << 32) ^ context.round() ^ 0x5DEECE66DL);
            double ms = 12 + 8 * Math.exp(0.5 * r.nextGaussian()) + (r.nextInt(200) == 0 ? 150 * r.nextDouble() : 0);
            Duration latency = Duration.ofNanos((long) (ms * 1e6));
            Duration connect = Duration.ofNanos((long) ((0.4 + 0.3 * r.nextDouble()) * 1e6));
            Outcome outcome = planned.getOrDefault(context.round(), Outcome.PASS);
            Map<String, Object> values = new LinkedHashMap<>();
            if (outcome != Outcome.ERROR) {
                values.put("status", outcome == Outcome.FAIL ? 503 : 200);
                values.put("latency", latency);
                values.put("connect-time", connect);
            }
            return switch (outcome) {
                case PASS -> ProbeResult.pass(values, "status(200) == 200 && latency(" + (long) ms + "ms) < 500ms");
                case FAIL -> ProbeResult.fail(values, "status(503) == 200");
                case INCONCLUSIVE -> ProbeResult.inconclusive(values, "the body had no 'status' field (a restart in progress?)");
                case ERROR -> ProbeResult.error("connect timed out after 2s to checkout-" + probe + ":8080");
            };
        }

        @Override
        public String description() {
            return "GET http://checkout-" + probe + ":8080/actuator/health";
        }

        @Override
        public String passWhen() {
            return "status == 200 && latency < 500ms";
        }
    }

    /**
     * Virtual time: sleeping moves the wall clock and the monotonic reading on at once and returns at
     * once. Every {@link #SAMPLE_EVERY} sleeps (one a round) it samples the live heap.
     */
    private static final class FastTime implements TimeSource {
        private Instant now;
        private long nanos;
        private int sleeps;
        private volatile long peak;
        private volatile int samples;

        FastTime(Instant start) {
            this.now = start;
        }

        @Override
        public synchronized Instant now() {
            return now;
        }

        @Override
        public synchronized long nanoTime() {
            return nanos;
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            boolean sample;
            synchronized (this) {
                if (!duration.isNegative()) {
                    now = now.plus(duration);
                    nanos += duration.toNanos();
                }
                sample = ++sleeps % SAMPLE_EVERY == 0;
            }
            if (sample) {
                System.gc();
                peak = Math.max(peak, usedHeap());
                samples++;
            }
        }
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Watches every collection and keeps the most heap that was in use just before one, garbage
     * included: the heap only fills between collections, so this is the peak of the heap in use.
     */
    static final class PeakHeap {
        private static final java.util.concurrent.atomic.AtomicLong PEAK = new java.util.concurrent.atomic.AtomicLong();

        private PeakHeap() {
        }

        static void watch() {
            Set<String> heapPools = new java.util.HashSet<>();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    heapPools.add(pool.getName());
                }
            }
            for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((javax.management.NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                    if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
                            .equals(notification.getType())) {
                        return;
                    }
                    var info = com.sun.management.GarbageCollectionNotificationInfo
                            .from((javax.management.openmbean.CompositeData) notification.getUserData());
                    long before = 0;
                    for (var e : info.getGcInfo().getMemoryUsageBeforeGc().entrySet()) {
                        if (heapPools.contains(e.getKey())) {
                            before += e.getValue().getUsed();
                        }
                    }
                    long used = before;
                    PEAK.accumulateAndGet(used, Math::max);
                }, null, null);
            }
        }

        /** The peak so far: the most in use before a collection, or now. */
        static long peak() {
            return Math.max(PEAK.get(), usedHeap());
        }
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
    }

    private static String size(long bytes) {
        return bytes >= 1024 * 1024 ? mb(bytes) : String.format(Locale.ROOT, "%.0f KB", bytes / 1024.0);
    }

    /** Reads and writes {@code 10s}, {@code 1m}, {@code 24h}, {@code 7d}. */
    static final class Durations {
        private Durations() {
        }

        static Duration parse(String text) {
            String t = text.strip();
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("a duration such as 10s, 1m, 24h or 7d: " + text);
            };
        }

        static String text(Duration d) {
            if (d.toDays() > 0 && d.toHours() % 24 == 0) {
                return d.toDays() + (d.toDays() == 1 ? " day" : " days");
            }
            if (d.toHours() > 0 && d.toMinutes() % 60 == 0) {
                return d.toHours() + " h";
            }
            if (d.toMinutes() > 0 && d.toSeconds() % 60 == 0) {
                return d.toMinutes() + " min";
            }
            return d.toSeconds() + " s";
        }
    }
}
