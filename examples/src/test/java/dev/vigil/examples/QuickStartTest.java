package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.Deployment;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.cli.ExitCodes;
import dev.vigil.cli.VigilCommand;
import dev.vigil.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks before a deployment, on a healthy service scraped by a real Prometheus: the README's
 * Quick-start properties as written verify it as HEALTHY; {@code validate --online} tells a
 * healthy setup from a typo, an empty query, a wrong port and a missing program; {@code init}
 * writes a file that verifies it as HEALTHY and is never overwritten.
 */
class QuickStartTest {

    private static SampleService service;
    private static LoadGenerator load;
    private static LocalPrometheus prometheus;

    @TempDir
    Path work;

    @BeforeAll
    static void startAHealthyServiceScrapedByPrometheus() throws Exception {
        boolean required = "true".equalsIgnoreCase(System.getenv("VIGIL_REQUIRE_PROMETHEUS"));
        boolean installed = LocalPrometheus.findBinary().isPresent();
        if (required) {
            assertThat(installed).as("VIGIL_REQUIRE_PROMETHEUS=true but no prometheus binary is installed").isTrue();
        }
        assumeTrue(installed, "prometheus is not installed (" + LocalPrometheus.INSTALL_HINT + ")");
        service = SampleService.start("1.0.0");
        load = LoadGenerator.start(service.baseUri(), 20);
        prometheus = LocalPrometheus.start(LocalPrometheus.findBinary().orElseThrow(),
                service.baseUri().getHost() + ":" + service.baseUri().getPort(), "/actuator/prometheus");
        // Rates over a minute need two scrapes with traffic.
        prometheus.awaitQuery("sum(rate(http_server_requests_seconds_count{job=\"orders\"}[1m])) > 0",
                body -> body.contains("\"value\""), Duration.ofSeconds(40));
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (load != null) {
            load.close();
        }
        if (service != null) {
            service.close();
        }
    }

    /** The first properties block after "### 2. The properties" in the README, with its URLs pointed at the test's servers. */
    private static String readmeQuickStart() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher block = Pattern.compile("### 2\\. The properties\\s+```properties\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(block.find()).as("the README's Quick-start properties").isTrue();
        return block.group(1)
                .replace("http://localhost:8080", service.baseUri().toString().replaceAll("/$", ""))
                .replace("http://127.0.0.1:9090", prometheus.baseUri().toString().replaceAll("/$", ""));
    }

    @Test
    void theReadmeQuickStartAsWrittenVerifiesAHealthyServiceAsHealthy() throws Exception {
        Path file = Files.writeString(work.resolve("application.properties"), readmeQuickStart());
        assertThat(Files.readString(file)).contains("or vector(0)");
        // Only the plan is shortened, as a test must; every probe is the README's.
        Map<String, String> shorter = Map.of("vigil.plan.initial-delay", "0s", "vigil.plan.interval", "2s",
                "vigil.plan.duration", "6s");

        VerificationReport report = VigilConfig.builder().environment(Map.of("PROMETHEUS_TOKEN", "not-needed-here"))
                .overrides(shorter).build().load(file).verifier().verifyAfterDeploy(Deployment.of("checkout", "1.0.0"));

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probe("error-rate").orElseThrow().measurements())
                .allSatisfy(m -> assertThat(m.values().get("value")).isEqualTo(0.0));
    }

    private Run validateOnline(Map<String, String> changes) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "orders");
        p.put("vigil.plan.interval", "2s");
        p.put("vigil.probes.health.type", "actuator");
        p.put("vigil.probes.health.url", service.baseUri().resolve("/actuator/health").toString());
        p.put("vigil.probes.health.timeout", "2s");
        p.put("vigil.probes.error-rate.type", "prometheus");
        p.put("vigil.probes.error-rate.base-url", prometheus.baseUri().toString());
        p.put("vigil.probes.error-rate.query", "(sum(rate(http_server_requests_seconds_count{job=\"orders\",status=~\"5..\"}[1m]))"
                + " or vector(0)) / sum(rate(http_server_requests_seconds_count{job=\"orders\"}[1m]))");
        p.put("vigil.probes.error-rate.fail-when", "value > 1%");
        p.put("vigil.rollback.command", "true");
        p.putAll(changes);
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = Files.writeString(work.resolve("vigil.properties"), text.toString());
        return run("validate", "--online", "--config", file.toString(), "--version", "1.0.0");
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    record Run(int code, String out, String err) {
    }

    @Test
    void validateOnlineOfAHealthySetupExitsZero() throws Exception {
        Run run = validateOnline(Map.of());

        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(run.out()).contains("OK       probe health: answers, and passes now")
                .contains("OK       probe error-rate: answers, and passes now")
                .contains("OK       rollback: rollback command true").contains("every dependency answers");
    }

    @Test
    void aQueryWithATypoIsAnErrorQuotingPrometheus() throws Exception {
        Run run = validateOnline(Map.of("vigil.probes.error-rate.query", "sum(rate(http_server_requests_seconds_count[1m]"));

        assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).contains("ERROR    probe error-rate: Prometheus answered 'bad_data'").contains("parse error");
    }

    @Test
    void aQueryThatIsEmptyNowIsAWarningWithTheHint() throws Exception {
        Run run = validateOnline(Map.of("vigil.probes.error-rate.query",
                "sum(rate(http_server_requests_seconds_count{job=\"orders\",status=~\"5..\"}[1m]))"));

        assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.VALIDATE_WARNINGS);
        assertThat(run.out()).contains("WARNING  probe error-rate: answers, but proves nothing now").contains("or vector(0)");
    }

    @Test
    void aHealthUrlWithTheWrongPortIsAnError() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        Run run = validateOnline(Map.of("vigil.probes.health.url", "http://127.0.0.1:" + closed + "/actuator/health"));

        assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).containsPattern("ERROR    probe health: .*" + closed);
    }

    @Test
    void aRollbackCommandNotOnThePathIsAnError() throws Exception {
        Run run = validateOnline(Map.of("vigil.rollback.command", "vigil-no-such-deployer rollback orders && echo done"));

        assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).contains("ERROR    rollback: rollback command vigil-no-such-deployer rollback orders && echo done:"
                + " vigil-no-such-deployer is not on the PATH");
    }

    @Test
    void aJunitSelectionThatFindsNoTestIsAnError() throws Exception {
        Run run = validateOnline(Map.of("vigil.probes.smoke.type", "junit",
                "vigil.probes.smoke.select", "package:dev.vigil.examples.no.such.tests",
                "vigil.probes.smoke.timeout", "2s"));

        assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.out()).contains("ERROR    probe smoke: ").contains("dev.vigil.examples.no.such.tests");
    }

    @Test
    void aJunitSelectionThatFindsTestsIsFineAndRunsNoneBeforeTheDeployment() throws Exception {
        Run run = validateOnline(Map.of("vigil.probes.smoke.type", "junit",
                "vigil.probes.smoke.select", "method:dev.vigil.examples.smoke.OrdersSmokeTest#healthIsUp",
                "vigil.probes.smoke.parameters.base-url", service.baseUri().toString(),
                "vigil.probes.smoke.timeout", "2s"));

        assertThat(run.code()).as(run.out()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(run.out()).contains("OK       probe smoke: 1 test found, select=method:dev.vigil.examples.smoke.OrdersSmokeTest#healthIsUp")
                .contains("(not run: they may change the service)");
    }

    @Test
    void initWritesAFileThatVerifiesAHealthyServiceAndNeverOverwritesIt() throws Exception {
        Path file = work.resolve("vigil.properties");

        Run first = run("init", "--actuator", service.baseUri().toString(), "--prometheus", prometheus.baseUri().toString(),
                "--job", "orders", "--rollback", "true", "--file", file.toString());

        assertThat(first.code()).as(first.out() + first.err()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(first.out()).contains("wrote ").contains("every dependency answers");
        String written = Files.readString(file);
        VerificationReport report = VigilConfig.builder()
                .overrides(Map.of("vigil.plan.initial-delay", "0s", "vigil.plan.interval", "2s", "vigil.plan.duration", "6s"))
                .build().load(file).verifier().verifyAfterDeploy(Deployment.of("orders", "1.0.0"));
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(report.probes()).extracting(p -> p.name()).containsExactly("health", "error-rate", "latency");

        Run second = run("init", "--actuator", "http://elsewhere:8080", "--file", file.toString());
        assertThat(second.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(second.err()).contains("exists; init never overwrites a file");
        assertThat(Files.readString(file)).isEqualTo(written);
    }
}
