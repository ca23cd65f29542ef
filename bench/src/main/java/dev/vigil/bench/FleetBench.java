package dev.vigil.bench;

import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.http.HttpProbes;
import dev.vigil.http.Require;
import dev.vigil.testkit.TestProbeContext;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fleet benchmark: {@code java -jar vigil-bench.jar fleet [--sizes 200,2000,10000] [--rounds 10]
 * [--black-holes 5] [--timeout-ms 2000]}. Starts a loopback fleet ({@link FleetServer}, in a JVM
 * of its own), measures the floor with a load generator against the same server ({@code wrk} when
 * installed, else a small keep-alive generator of its own), then runs rounds of the HTTP fleet
 * probe ({@code type=actuator}, {@code require=90%}) over N healthy instances, and over N instances
 * of which a share is black-holed, and prints round times, heap and threads as Markdown.
 */
final class FleetBench {

    /** Instances served per port of the fleet server. */
    static final int INSTANCES_PER_PORT = 1000;
    /** Rounds after the first that warm the JIT up and are not counted (a verification has dozens of rounds). */
    static final int WARMUP_ROUNDS = 5;
    /** Time the load generator runs. */
    static final Duration FLOOR_RUN = Duration.ofSeconds(5);
    /** Connections the load generator keeps open. */
    static final int FLOOR_CONNECTIONS = 64;

    private final List<Integer> sizes;
    private final int rounds;
    private final int blackHolePercent;
    private final Duration timeout;

    FleetBench(List<Integer> sizes, int rounds, int blackHolePercent, Duration timeout) {
        this.sizes = List.copyOf(sizes);
        this.rounds = rounds;
        this.blackHolePercent = blackHolePercent;
        this.timeout = timeout;
    }

    /**
     * Runs every size and prints the report to {@code out}, one row as soon as it is measured. Each
     * scenario gets a fresh fleet server, so that no connection of one scenario is still open in the
     * next; the floor is measured against the server of each size's first scenario.
     */
    void run(java.io.PrintStream out) throws Exception {
        out.println("| instances | black-holed | first round | median round (" + rounds
                + " rounds) | floor (instances / load generator) | median / floor | heap pools' peaks (sum)"
                + " | heap after GC, connections open | peak threads | outcome |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        out.flush();
        List<String> floors = new ArrayList<>();
        for (int size : sizes) {
            Floor floor;
            try (Fleet fleet = Fleet.start(size)) {
                floor = floor(url(fleet.ports(), 0));
                floors.add(String.format(Locale.ROOT, "%,d instances: %s, %.0f requests/s", size, floor.tool(),
                        floor.requestsPerSecond()));
                out.println(scenario(size, 0, fleet, floor));
            }
            try (Fleet fleet = Fleet.start(size)) {
                out.println(scenario(size, Math.max(1, size * blackHolePercent / 100), fleet, floor));
            }
            out.flush();
        }
        out.println();
        out.println("Load generator (" + FLOOR_CONNECTIONS + " keep-alive connections, " + FLOOR_RUN.toSeconds()
                + " s against one instance of the same server, just before the rounds): " + String.join("; ", floors) + ".");
    }

    /** A fleet server in a JVM of its own: healthy ports and one black-hole port. */
    private record Fleet(Process process, List<Integer> ports, int holePort) implements AutoCloseable {

        static Fleet start(int size) throws IOException {
            int portCount = (size + INSTANCES_PER_PORT - 1) / INSTANCES_PER_PORT;
            Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), FleetServer.class.getName(), String.valueOf(portCount))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader ready = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.US_ASCII));
            String line = ready.readLine();
            if (line == null || !line.startsWith("READY ")) {
                server.destroyForcibly();
                throw new IllegalStateException("the fleet server did not start: " + line);
            }
            String[] parts = line.split(" ");
            List<Integer> ports = new ArrayList<>();
            for (String p : parts[1].split(",")) {
                ports.add(Integer.parseInt(p));
            }
            return new Fleet(server, ports, Integer.parseInt(parts[2]));
        }

        @Override
        public void close() throws IOException {
            process.getOutputStream().close();
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String url(List<Integer> ports, int instance) {
        return "http://127.0.0.1:" + ports.get(instance / INSTANCES_PER_PORT) + "/i/" + instance + "/actuator/health";
    }

    private String scenario(int size, int holes, Fleet fleet, Floor floor) throws Exception {
        List<Integer> ports = fleet.ports();
        int holePort = fleet.holePort();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < size - holes; i++) {
            urls.add(url(ports, i));
        }
        for (int i = 0; i < holes; i++) {
            urls.add(i * size / Math.max(1, holes), "http://127.0.0.1:" + holePort + "/hole/" + i + "/actuator/health");
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).toList();
        List<Double> seconds = new ArrayList<>();
        long peakHeap = 0;
        long retained = 0;
        int peakThreads = 0;
        String outcome = "";
        try (Probe probe = HttpProbes.actuator(urls).require(Require.percent(90)).build()) {
            for (int round = -WARMUP_ROUNDS; round <= rounds; round++) {
                System.gc();
                heap.forEach(MemoryPoolMXBean::resetPeakUsage);
                threads.resetPeakThreadCount();
                long start = System.nanoTime();
                ProbeResult m = probe.measure(context());
                double took = (System.nanoTime() - start) / 1e9;
                if (round == -WARMUP_ROUNDS || round > 0) {
                    seconds.add(took); // the first round opens the connections; then the warm-up is left out
                }
                peakHeap = Math.max(peakHeap, heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum());
                System.gc();
                retained = Math.max(retained, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                peakThreads = Math.max(peakThreads, threads.getPeakThreadCount());
                String got = m.outcome() + " " + m.values().get("instances.passed") + "/" + size;
                if (!m.passed()) {
                    System.err.println(size + " instances, " + holes + " black-holed, round " + round + ": "
                            + Values.cut(m.explanation()));
                }
                outcome = outcome.isEmpty() || outcome.equals(got) ? got : outcome + "; " + got;
                Thread.sleep(200);
            }
        }
        List<Double> steady = new ArrayList<>(seconds.subList(1, seconds.size()));
        double median = median(steady);
        double floorSeconds = (size - holes) / floor.requestsPerSecond();
        return String.format(Locale.ROOT, "| %,d | %,d | %s | %s | %s | %s | %d MB | %d MB | %d | %s |",
                size, holes, ms(seconds.get(0)), ms(median), ms(floorSeconds),
                holes > 0 ? "(timeout " + timeout.toMillis() + " ms)" : String.format(Locale.ROOT, "%.1f×", median / floorSeconds),
                peakHeap / (1024 * 1024), retained / (1024 * 1024), peakThreads, outcome);
    }

    /** Text cut for the console. */
    private static final class Values {
        static String cut(String text) {
            return text.length() <= 400 ? text : text.substring(0, 400) + "...";
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String ms(double seconds) {
        return String.format(Locale.ROOT, "%.0f ms", seconds * 1000);
    }

    private ProbeContext context() {
        return TestProbeContext.of("fleet", Instant.now(), timeout);
    }

    /** What the load generator reached. */
    record Floor(String tool, double requestsPerSecond) {
    }

    private static Floor floor(String url) throws Exception {
        try {
            Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + FLOOR_CONNECTIONS, "-d" + FLOOR_RUN.toSeconds() + "s", url)
                    .redirectErrorStream(true).start();
            String text = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            wrk.waitFor();
            Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(text);
            if (m.find()) {
                return new Floor("wrk", Double.parseDouble(m.group(1)));
            }
            throw new IllegalStateException("wrk said: " + text);
        } catch (IOException e) {
            return new Floor("own keep-alive generator (wrk not installed)", ownGenerator(url));
        }
    }

    /** Requests per second of {@link #FLOOR_CONNECTIONS} keep-alive connections, one thread each. */
    private static double ownGenerator(String url) throws InterruptedException {
        java.net.URI uri = java.net.URI.create(url);
        byte[] request = ("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + FLOOR_RUN.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < FLOOR_CONNECTIONS; i++) {
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), uri.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    byte[] buffer = new byte[4096];
                    while (System.nanoTime() < end) {
                        out.write(request);
                        int seen = 0;
                        while (seen < 4) { // up to the end of the body: the server's answer ends with "}"
                            int n = in.read(buffer, 0, 1);
                            if (n < 0) {
                                return;
                            }
                            seen = buffer[0] == '}' ? 4 : 0;
                        }
                        done.incrementAndGet();
                    }
                } catch (IOException e) {
                    // the run ends for this connection
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        return done.get() / (double) FLOOR_RUN.toSeconds();
    }
}
