package dev.vigil.examples;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Outcome;
import dev.vigil.RollbackEvent;
import dev.vigil.RollbackException;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.BoundProbe;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryRecorder;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.jdbc.JdbcHistoryStore;
import dev.vigil.history.quality.HistoryReport;
import dev.vigil.http.Webhooks;
import dev.vigil.report.ConsoleProgress;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.ReportWriter;
import dev.vigil.rollback.RollbackTriggers;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.stream.Collectors;

/**
 * Vigil's demo: the story a release team lives, on one machine, in under a minute.
 *
 * <ol>
 *   <li>The orders service ({@link SampleService}) runs version 1.0.0 on loopback with steady traffic;
 *       a real Prometheus scrapes it when the {@code prometheus} binary is installed.</li>
 *   <li>Version 2.0.0 is deployed with a regression (errors, slow answers). Vigil detects it (the
 *       smoke suite, {@link dev.vigil.examples.smoke.OrdersSmokeTest}, names the failing tests), runs
 *       the rollback (an HTTP webhook that really switches the service back to 1.0.0), and the
 *       re-check shows the service healthy.</li>
 *   <li>Version 3.0.0 with the fix of ORD-17 is deployed and passes a full bake, its confirmation
 *       test included: a quiet release.</li>
 * </ol>
 *
 * <p>The verifiers are built from {@code demo.properties} (and {@code demo-prometheus.properties}
 * when Prometheus runs), shipped in this module's resources and written beside the reports, with
 * their placeholders supplied through {@link VigilConfig.Builder#environment}. The configuration,
 * the reports of both verifications and the demo's release history go to {@code target/vigil-demo/}
 * unless {@code --out DIR} says otherwise;
 * {@code --no-prometheus} measures over HTTP alone even when Prometheus is installed.
 *
 * <p>Run it with {@code java -jar examples/target/vigil-demo.jar}. Exit code 0 when the story went
 * as told, 1 when a verification ended otherwise, 2 for a bad argument.
 */
public final class Demo {

    /** The version that runs first and that the rollback returns to. */
    public static final String STABLE_VERSION = "1.0.0";
    /** The version with the fix. */
    public static final String FIXED_VERSION = "3.0.0";
    /** The issue {@link #FIXED_VERSION} fixes: the regression of 2.0.0; its confirmation test is tagged with it. */
    public static final String FIXED_ISSUE = "ORD-17";
    /** Where the reports go by default, relative to the working folder. */
    public static final Path DEFAULT_OUTPUT = Path.of("target", "vigil-demo");
    /** Requests a second the load generator sends to {@code /api/orders}. */
    public static final int REQUESTS_PER_SECOND = 25;

    static final String CONFIG = "demo.properties";
    static final String PROMETHEUS_CONFIG = "demo-prometheus.properties";

    private static final Duration SCRAPE_LIMIT = Duration.ofSeconds(30);
    /** Within the rollback timeout of demo.properties (10s). */
    private static final Duration ROLLOUT_LIMIT = Duration.ofSeconds(8);

    private final PrintStream out;
    private final Path output;
    private final boolean allowPrometheus;

    private Demo(PrintStream out, Path output, boolean allowPrometheus) {
        this.out = Objects.requireNonNull(out, "out");
        this.output = Objects.requireNonNull(output, "output").toAbsolutePath().normalize();
        this.allowPrometheus = allowPrometheus;
    }

    /**
     * Runs the demo: {@code [--out DIR] [--no-prometheus]}.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        Path output = DEFAULT_OUTPUT;
        boolean prometheus = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--out" -> {
                    if (i + 1 >= args.length) {
                        usage("--out needs a folder");
                    }
                    output = Path.of(args[++i]);
                }
                case "--no-prometheus" -> prometheus = false;
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        try {
            Story story = run(System.out, output, prometheus);
            System.exit(story.asTold() ? 0 : 1);
        } catch (IOException | UncheckedIOException | ConfigurationException e) {
            System.err.println("The demo could not run: " + e.getMessage());
            System.exit(1);
        }
    }

    /** The help {@code --help} prints, and docs/demo.md shows. */
    static final String USAGE = "usage: java -jar vigil-demo.jar [--out DIR] [--no-prometheus]\n"
            + "  --out DIR         where the configuration, the reports and the history go (default target/vigil-demo)\n"
            + "  --no-prometheus   measure over HTTP alone even when Prometheus is installed";

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    /**
     * Tells the whole story and stops everything it started, whatever happens.
     *
     * @param out where the story is told
     * @param output the folder for the configuration files and the reports
     * @param allowPrometheus whether to start Prometheus when its binary is installed
     * @return what happened
     * @throws IOException when the service or a file cannot be set up (a Prometheus that fails to
     *     start is reported and left out)
     * @throws ConfigurationException when the shipped configuration does not bind
     */
    public static Story run(PrintStream out, Path output, boolean allowPrometheus) throws IOException {
        return new Demo(out, output, allowPrometheus).tell();
    }

    /**
     * What the demo did.
     *
     * @param prometheus whether an error-rate probe measured through a real Prometheus
     * @param acts each verification, in order: 2.0.0, then 3.0.0
     * @param wallTime from the start of the service to the end of the last verification
     */
    public record Story(boolean prometheus, List<Act> acts, Duration wallTime) {

        /** Copies. */
        public Story {
            acts = List.copyOf(acts);
        }

        /**
         * Whether it went as told: 2.0.0 unhealthy, rolled back, re-checked healthy and 1.0.0
         * running again; then hotfix 3.0.0 healthy, its fix of ORD-17 confirmed by its tagged test,
         * with nothing rolled back and still running.
         */
        public boolean asTold() {
            if (acts.size() != 2) {
                return false;
            }
            Act bad = acts.get(0);
            Act fixed = acts.get(1);
            return bad.report().verdict() == Verdict.UNHEALTHY
                    && bad.report().rollback().outcome() == RollbackOutcome.ROLLED_BACK
                    && bad.recheckHealthy()
                    && STABLE_VERSION.equals(bad.runningAfter())
                    && fixed.report().verdict() == Verdict.HEALTHY
                    && fixed.report().deployment().kind() == Deployment.Kind.HOTFIX
                    && !fixed.report().confirmations().isEmpty() && fixed.report().fixesConfirmed()
                    && fixed.report().rollback().outcome() == RollbackOutcome.NOT_NEEDED
                    && FIXED_VERSION.equals(fixed.runningAfter());
        }
    }

    /**
     * One deployment and its verification.
     *
     * @param version the version deployed
     * @param report Vigil's report
     * @param runningAfter the version the service runs once the verification is over
     * @param reports the report files written, by format
     */
    public record Act(String version, VerificationReport report, String runningAfter, Map<ReportFormat, Path> reports) {

        /** Copies. */
        public Act {
            reports = Collections.unmodifiableMap(new LinkedHashMap<>(reports));
        }

        /** Whether there was a re-check after a rollback and every probe passed it. */
        public boolean recheckHealthy() {
            return !report.recheck().isEmpty() && report.recheck().stream().allMatch(m -> m.outcome() == Outcome.PASS);
        }
    }

    private Story tell() throws IOException {
        long start = System.nanoTime();
        out.println("Vigil demo: verify each release right after it is deployed, roll it back when it is unhealthy.");
        out.println();
        Files.createDirectories(output);
        boolean[] prometheusStarted = {false};
        try (SampleService service = SampleService.start(STABLE_VERSION);
                LoadGenerator load = LoadGenerator.start(service.baseUri(), REQUESTS_PER_SECOND);
                Monitoring monitoring = startMonitoring(service);
                // The demo's own release history, beside its reports; the command line keeps one in ~/.vigil/history.
                JdbcHistoryStore history = JdbcHistoryStore.open(HistorySettings.defaults()
                        .withDatabase("jdbc:h2:file:" + output.resolve("history").resolve("history").toAbsolutePath(), null, null))) {
            step(1, "orders " + service.version() + " runs at " + service.baseUri() + " with about "
                    + REQUESTS_PER_SECOND + " requests/s of traffic on /api/orders.");
            prometheusStarted[0] = monitoring.prometheus().isPresent();
            out.println(monitoring.description());
            List<Path> files = writeConfiguration(monitoring.prometheus().isPresent());
            out.println("    configuration: " + files.stream().map(Path::toString).collect(Collectors.joining(" + ")));
            out.println();

            List<Act> acts = new ArrayList<>();
            step(2, "release " + SampleService.BAD_VERSION + " is deployed. It has a regression: 1 order in 4 fails "
                    + "and every answer is slow.");
            acts.add(deployAndVerify(service, monitoring, files, SampleService.BAD_VERSION, history));
            Act bad = acts.get(0);
            out.println("    the service now runs " + bad.runningAfter() + "; its health: "
                    + (service.regressed() ? "DOWN" : "UP") + ". Traffic so far: " + load.sent() + " requests, "
                    + load.failed() + " failed.");
            out.println();

            step(3, "hotfix " + FIXED_VERSION + " for " + FIXED_ISSUE + " (the regression of " + SampleService.BAD_VERSION
                    + ") is deployed and baked for " + format(bad.report().plan().duration())
                    + ", like any release; the smoke test tagged " + FIXED_ISSUE + " must pass to confirm the fix.");
            acts.add(deployAndVerify(service, monitoring, files, FIXED_VERSION, history));
            out.println();

            Story story = new Story(monitoring.prometheus().isPresent(), acts, Duration.ofNanos(System.nanoTime() - start));
            summarize(story);
            out.println();
            HistoryReport quality = HistoryReport.read(history, HistoryQuery.all(), HistorySettings.DEFAULT_HOTFIX_WINDOW,
                    Instant.now());
            quality.table().lines().forEach(line -> out.println("    " + line));
            return story;
        } finally {
            // Resources are closed before this runs.
            out.println("    stopped: load generator, orders service" + (prometheusStarted[0] ? ", Prometheus" : "") + ".");
            out.flush();
        }
    }

    private Act deployAndVerify(SampleService service, Monitoring monitoring, List<Path> files, String version,
            JdbcHistoryStore history) throws IOException {
        String previous = service.version();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SAMPLE_URL", service.baseUri().toString());
        environment.put("DEPLOY_VERSION", version);
        environment.put("PREVIOUS_VERSION", previous);
        environment.put("FIXES", FIXED_VERSION.equals(version) ? FIXED_ISSUE : "");
        // The fix ships as a hotfix: the same verification as a release, and its confirmation must pass.
        environment.put("KIND", FIXED_VERSION.equals(version) ? "hotfix" : "release");
        monitoring.prometheus().ifPresent(p -> environment.put("PROMETHEUS_URL", p.baseUri().toString()));
        BoundConfig config = VigilConfig.builder().environment(environment).build().load(files);

        Path reportDir = output.resolve(version);
        HistoryRecorder recorder = HistoryRecorder.to(history);
        ReportWriter reports = ReportWriter.to(reportDir).notes(recorder::lines);
        DeployVerifier verifier = config.toBuilder()
                .rollback(Webhooks.rollbackTrigger(service.baseUri().resolve("/admin/rollback").toString()))
                // Only waits and looks: safe to run again.
                .rollback(RollbackTriggers.idempotentCallback("await-rollout", event -> awaitRollout(service, monitoring, event)))
                .listener(recorder)
                .startLog(recorder.startLog())
                .listener(reports)
                .listener(ConsoleProgress.builder(out).reports(reports).notes(recorder::lines).build())
                .build();
        Deployment deployment = config.deployment().toDeployment();

        // What the release tool does: deploy, then hand over to Vigil.
        service.deploy(version);
        java.util.Set<String> afterRollback = config.recheck().only();
        out.println("    deployed " + deployment.service() + " " + version + " (previous " + previous + "); probes: "
                + config.probes().stream().map(BoundProbe::name).filter(name -> !afterRollback.contains(name))
                        .collect(Collectors.joining(", "))
                + (afterRollback.isEmpty() ? "" : "; after a rollback also " + String.join(", ", afterRollback)));
        VerificationReport report;
        try (verifier) {
            report = verifier.verifyAfterDeploy(deployment);
        }
        return new Act(version, report, service.version(), reports.written());
    }

    /**
     * The second half of the rollback, like {@code kubectl rollout status} after {@code rollout undo}:
     * done when the service serves the previous version and, with Prometheus, once Prometheus has
     * scraped that version's traffic, so that the re-check measures the version that now serves.
     */
    private static void awaitRollout(SampleService service, Monitoring monitoring, RollbackEvent event)
            throws InterruptedException, RollbackException {
        String previous = event.deployment().previousVersion();
        if (!Objects.equals(service.version(), previous)) {
            throw new RollbackException("the service runs " + service.version() + ", not " + previous, false, "");
        }
        if (monitoring.prometheus().isEmpty()) {
            return;
        }
        String query = "sum(rate(http_server_requests_seconds_count{job=\"orders\"}[5s]) * on(version) group_left() "
                + "sample_version_info{version=\"" + previous + "\"}) > 0";
        try {
            monitoring.prometheus().get().awaitQuery(query, body -> body.contains("\"value\""), ROLLOUT_LIMIT);
        } catch (IOException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedException("interrupted while waiting for the rollout");
            }
            throw new RollbackException("Prometheus did not see " + previous + " serving: " + e.getMessage(), true, "");
        }
    }

    private Monitoring startMonitoring(SampleService service) {
        if (!allowPrometheus) {
            return new Monitoring(null, "    Prometheus: not used (--no-prometheus); Vigil measures over HTTP alone.");
        }
        Optional<Path> binary = LocalPrometheus.findBinary();
        if (binary.isEmpty()) {
            return new Monitoring(null, "    Prometheus: not installed, so Vigil measures over HTTP alone. To add an "
                    + "error-rate probe from a real Prometheus: " + LocalPrometheus.INSTALL_HINT);
        }
        long start = System.nanoTime();
        URI base = service.baseUri();
        LocalPrometheus prometheus;
        try {
            prometheus = LocalPrometheus.start(binary.get(), base.getHost() + ":" + base.getPort(), "/actuator/prometheus");
        } catch (IOException e) {
            return new Monitoring(null, "    Prometheus: " + binary.get() + " could not start (" + e.getMessage()
                    + "), so Vigil measures over HTTP alone.");
        }
        try {
            // Ready when the request rate has a value: two scrapes with traffic.
            prometheus.awaitQuery("sum(rate(http_server_requests_seconds_count{job=\"orders\"}[5s])) > 0",
                    body -> body.contains("\"value\""), SCRAPE_LIMIT);
        } catch (IOException | RuntimeException e) {
            prometheus.close();
            return new Monitoring(null, "    Prometheus: started but did not scrape the service (" + e.getMessage()
                    + "), so Vigil measures over HTTP alone.");
        }
        return new Monitoring(prometheus, "    Prometheus: " + binary.get() + " runs at " + prometheus.baseUri()
                + ", scraping /actuator/prometheus every 1s; it has scraped the service ("
                + format(Duration.ofNanos(System.nanoTime() - start)) + "). Vigil adds an error-rate probe that queries it.");
    }

    /** Copies the shipped configuration beside the reports, where the reader can open it. */
    private List<Path> writeConfiguration(boolean prometheus) throws IOException {
        Path dir = output.resolve("config");
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        for (String name : prometheus ? List.of(CONFIG, PROMETHEUS_CONFIG) : List.of(CONFIG)) {
            try (InputStream in = Demo.class.getResourceAsStream(name)) {
                if (in == null) {
                    throw new IOException("resource " + name + " is missing from the demo's jar");
                }
                Path file = dir.resolve(name);
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                files.add(file);
            }
        }
        return files;
    }

    private void summarize(Story story) {
        step(4, "what happened" + (story.prometheus() ? " (measured over HTTP and through Prometheus)" : " (measured over HTTP)")
                + ":");
        for (Act act : story.acts()) {
            VerificationReport r = act.report();
            StringJoiner line = new StringJoiner(", ", "    " + pad(act.version(), 7) + pad(r.verdict().name(), 11), "");
            line.add("rollback " + r.rollback().outcome());
            if (!r.recheck().isEmpty()) {
                line.add("re-check " + (act.recheckHealthy() ? "healthy" : "NOT healthy"));
            }
            r.timeToDetect().ifPresent(d -> line.add("detected after " + format(d)));
            r.confirmations().forEach(c -> line.add(c.issue() + " " + c.status() + " by " + String.join(", ", c.tests())));
            line.add("now running " + act.runningAfter());
            out.println(line);
            Path html = act.reports().get(ReportFormat.HTML);
            if (html != null) {
                out.println("           reports: " + html.getParent() + "/{" + act.reports().values().stream()
                        .map(p -> p.getFileName().toString()).collect(Collectors.joining(",")) + "}");
            }
        }
        out.println("    " + (story.asTold() ? "A quiet release: the regression never stayed, nobody had to be a hero."
                : "The story did not go as told: see the reports above."));
        out.println("    wall time " + format(story.wallTime()) + ".");
    }

    private void step(int number, String text) {
        out.println("[" + number + "/4] " + text);
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text + " " : text + " ".repeat(width - text.length());
    }

    private static String format(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    /** The Prometheus the demo started, if any, and the sentence that says so. */
    private record Monitoring(LocalPrometheus prometheusOrNull, String description) implements AutoCloseable {

        Optional<LocalPrometheus> prometheus() {
            return Optional.ofNullable(prometheusOrNull);
        }

        @Override
        public void close() {
            if (prometheusOrNull != null) {
                prometheusOrNull.close();
            }
        }
    }
}
