package dev.vigil.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.vigil.report.HeadlessChromium;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The shaded jar as a release tool runs it: every exit code of DESIGN.md reached through
 * {@code java -jar cli/target/vigil.jar}, against services played by WireMock, and the reports it
 * writes read back (JSON parsed, JUnit XML through DOM, HTML in headless Chromium).
 */
class VigilJarIT {

    /** Sent as the health probe's bearer token; must never appear in any output. */
    private static final String CANARY = "canary-5be1c0de-never-print-me";

    private static WireMockServer server;

    @TempDir
    Path work;

    @BeforeAll
    static void startServices() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        server.stubFor(get("/health").atPriority(1).withHeader("Authorization", equalTo("Bearer " + CANARY))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("{\"status\":\"UP\"}")));
        server.stubFor(get("/health").atPriority(2).willReturn(aResponse().withStatus(401)));
        server.stubFor(get("/orders").willReturn(aResponse().withStatus(503).withBody("down")));
        server.stubFor(get("/maybe").willReturn(aResponse().withStatus(404)));
        server.stubFor(post("/rollback").willReturn(aResponse().withStatus(202).withBody("rollback of checkout accepted")));
    }

    @AfterAll
    static void stopServices() {
        server.stop();
    }

    @Test
    void healthyExitsZeroAndWritesEveryReport() throws Exception {
        Path config = config(Map.of());

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--version", "2.4.1", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(run.out()).contains("Verdict:  HEALTHY").contains("round 3/3").contains("Reports:  ");
        server.verify(getRequestedFor(urlEqualTo("/health")).withHeader("Authorization", equalTo("Bearer " + CANARY)));
        Path reports = work.resolve("reports");
        JsonNode json = json(reports);
        assertThat(json.path("verdict").asText()).isEqualTo("HEALTHY");
        assertThat(json.path("deployment").path("service").asText()).isEqualTo("checkout");
        assertThat(json.path("deployment").path("version").asText()).isEqualTo("2.4.1");
        assertThat(json.path("probes")).extracting(p -> p.path("name").asText()).containsExactly("health");
        assertThat(json.path("probes").get(0).path("measurements")).extracting(m -> m.path("outcome").asText())
                .containsExactly("PASS", "PASS", "PASS");
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("NOT_NEEDED");
        Element suite = suite(reports);
        assertThat(suite.getAttribute("name")).isEqualTo("vigil.checkout");
        assertThat(suite.getAttribute("tests")).isEqualTo("1");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(testcases(suite)).containsExactly(Map.entry("health", "passed"));
        assertThat(Files.readString(reports.resolve("summary.md"))).contains("is HEALTHY").contains("| health | PASSED | 3 |");
        assertTimelinesInChromium(reports, json);
        assertNoCanary(run, reports);
    }

    @Test
    void unhealthyWithASuccessfulRollbackExitsOne() throws Exception {
        // Rounds of 2 s with a timeout of 2 s: the measurements are asserted one by one, and a cold
        // JVM's first request on a busy machine once took longer than 1 s (an ERROR before the FAILs).
        Path config = config(Map.of("vigil.rollback.command",
                "echo \"rolled back $VIGIL_SERVICE $VIGIL_VERSION to $VIGIL_PREVIOUS_VERSION\"; "
                        + "echo \"Authorization: Bearer $CANARY_TOKEN\"",
                "vigil.plan.interval", "2s", "vigil.plan.duration", "6s", "vigil.probes.orders.timeout", "2s"), orders());

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--version", "2.4.1", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(run.out()).contains("Verdict:  UNHEALTHY, rolled back").contains("Rollback: ROLLED_BACK");
        Path reports = work.resolve("reports");
        JsonNode json = json(reports);
        assertThat(json.path("verdict").asText()).isEqualTo("UNHEALTHY");
        assertThat(json.path("reason").asText()).startsWith("probe orders failed 2 times (max-failures 1)");
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(json.path("rollback").path("output").asText()).contains("rolled back checkout 2.4.1 to 2.4.0")
                .contains("Authorization: [REDACTED]");
        assertThat(json.path("times").path("detected").asText()).isNotEmpty();
        assertThat(json.path("probes").get(1).path("measurements")).extracting(m -> m.path("outcome").asText())
                .containsExactly("FAIL", "FAIL");
        assertThat(json.path("recheck")).isEmpty();
        assertThat(json.path("recheckResult").path("status").asText()).isEqualTo("OFF");
        Element suite = suite(reports);
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(testcases(suite)).containsExactly(Map.entry("health", "skipped"), Map.entry("orders", "failure"));
        assertThat(failureMessage(suite, "orders")).startsWith("probe orders failed 2 times (max-failures 1)");
        assertThat(suite.getElementsByTagName("system-out").item(suite.getElementsByTagName("system-out").getLength() - 1)
                .getTextContent()).contains("rolled back checkout 2.4.1 to 2.4.0");
        assertTimelinesInChromium(reports, json);
        assertNoCanary(run, reports);
    }

    @Test
    void aWebhookFromThePropertiesRollsBackAndNeverShowsItsToken() throws Exception {
        Path config = config(Map.of(
                "vigil.rollback.webhook.url", server.baseUrl() + "/rollback",
                "vigil.rollback.webhook.bearer-token", "${CANARY_TOKEN}"), orders());

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--version", "2.4.1", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        server.verify(postRequestedFor(urlEqualTo("/rollback"))
                .withHeader("Authorization", equalTo("Bearer " + CANARY))
                .withRequestBody(matchingJsonPath("$.event", equalTo("rollback")))
                .withRequestBody(matchingJsonPath("$.deployment.version", equalTo("2.4.1"))));
        JsonNode json = json(work.resolve("reports"));
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(json.path("rollback").path("trigger").asText()).contains(server.baseUrl() + "/…").doesNotContain("/rollback");
        assertThat(json.path("rollback").path("output").asText()).contains("rollback of checkout accepted");
        assertNoCanary(run, work.resolve("reports"));
    }

    @Test
    void dryRunExitsOneWithoutRunningTheRollback() throws Exception {
        Path marker = work.resolve("rolled-back");
        Path config = config(Map.of("vigil.rollback.command", "touch " + marker), orders());

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--version", "2.4.1", "--dry-run");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(marker).doesNotExist();
        JsonNode json = json(work.resolve(VerifyCommand.DEFAULT_REPORT_DIR));
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("DRY_RUN");
        assertThat(json.path("plan").path("dryRun").asBoolean()).isTrue();
        assertThat(run.out()).contains("rollback skipped (dry-run)");
    }

    @Test
    void failedRollbackExitsFour() throws Exception {
        Path config = config(Map.of("vigil.rollback.command", "echo 'cluster unreachable' >&2; exit 1"), orders());

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--version", "2.4.1", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        // The re-check is off here: nobody knows whether the failed command undid anything, so a second undo waits
        // until the person knows which version runs.
        assertThat(run.out()).contains("ROLLBACK FAILED: a person must act")
                .contains("THE ROLLBACK FAILED, and no re-check found out which version answers since: a person must find which"
                        + " version runs before rolling back again");
        JsonNode json = json(work.resolve("reports"));
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("FAILED");
        assertThat(json.path("rollback").path("output").asText()).contains("cluster unreachable");
        assertThat(json.path("rollback").path("error").asText()).contains("exited with 1");
    }

    @Test
    void inconclusiveExitsThreeAndRollsNothingBack() throws Exception {
        Path marker = work.resolve("rolled-back");
        Map<String, String> maybe = new LinkedHashMap<>();
        maybe.put("vigil.probes.maybe.type", "http");
        maybe.put("vigil.probes.maybe.url", server.baseUrl() + "/maybe");
        maybe.put("vigil.probes.maybe.pass-when", "status == 200");
        maybe.put("vigil.probes.maybe.fail-when", "status >= 500");
        Path config = config(Map.of("vigil.rollback.command", "touch " + marker), maybe);

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--version", "2.4.1", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INCONCLUSIVE);
        assertThat(marker).doesNotExist();
        JsonNode json = json(work.resolve("reports"));
        assertThat(json.path("verdict").asText()).isEqualTo("INCONCLUSIVE");
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("NOT_NEEDED");
        assertThat(testcases(suite(work.resolve("reports")))).containsEntry("maybe", "failure");
    }

    @Test
    void configurationErrorsNameEveryKeyAndExitTwo() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("vigil.plan.interval", "soon");
        bad.put("vigil.probes.health.pas-when", "status == 200");
        bad.put("vigil.probes.ghost.type", "telepathy");
        Path config = config(bad);

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--version", "2.4.1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("vigil: invalid configuration").contains("vigil.plan.interval")
                .contains("vigil.probes.health.pas-when").contains("vigil.probes.ghost.type")
                .doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(run.out()).doesNotContain("Verdict");
        assertThat(work.resolve(VerifyCommand.DEFAULT_REPORT_DIR)).doesNotExist();
    }

    @Test
    void aMissingVersionIsAConfigurationErrorNamingTheKeyAndTheOption() throws Exception {
        VigilJar.Result run = jar().run("verify", "--config", config(Map.of()).toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("vigil.deployment.version: missing; set it in the configuration or pass --version");
    }

    @Test
    void usageErrorsExitTwoWithOneMessage() throws Exception {
        VigilJar.Result run = jar().run("verify", "--version", "1.0", "--no-such-option");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("vigil: ").contains("Try 'vigil verify --help'").doesNotContain("\tat ");
    }

    @Test
    void validateShowsWhatWouldRunOrEveryProblem() throws Exception {
        VigilJar.Result valid = jar().run("validate", "--config", config(Map.of()).toString(), "--version", "2.4.1");
        VigilJar.Result invalid = jar().run("validate", "--config", config(Map.of("vigil.probes.health.max-failures", "-1")).toString(),
                "--version", "2.4.1");

        assertThat(valid.exitCode()).as(valid.toString()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(valid.out()).contains("configuration is valid").contains("health").doesNotContain(CANARY);
        assertThat(invalid.exitCode()).as(invalid.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(invalid.err()).contains("vigil.probes.health.max-failures");
    }

    @Test
    void aSignalAbortsWithOneThirtyAndStillWritesTheReports() throws Exception {
        Path config = config(Map.of("vigil.plan.duration", "60s"));
        VigilJar.Started started = jar().start("verify", "--config", config.toString(), "--version", "2.4.1",
                "--report-dir", "reports", "--progress", "lines");
        started.awaitOutput("round 2/60");

        started.process().destroy();
        VigilJar.Result run = started.await();

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ABORTED);
        assertThat(run.out()).contains("Verdict:  ABORTED");
        assertThat(json(work.resolve("reports")).path("verdict").asText()).isEqualTo("ABORTED");
    }

    /**
     * A signal while the rollback command runs: cut in half, a {@code helm rollback} could leave the release
     * stuck. The command finishes within the grace and its result is reported; the re-check, cut by the
     * signal, measured nothing: exit 5, and {@code Next:} says so.
     */
    @Test
    void aSignalWhileTheRollbackRunsLetsItFinishWithinTheGrace() throws Exception {
        VigilJar.Result run = signalledWhileTheRollbackRuns(Map.of("vigil.rollback.command", "sleep 2; echo done",
                "vigil.rollback.recheck.rounds", "1"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.PREVIOUS_VERSION_UNHEALTHY);
        assertThat(run.out()).contains("the re-check was cut short by the signal");
        JsonNode json = json(work.resolve("reports"));
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(json.path("rollback").path("output").asText()).contains("done");
    }

    /** {@code vigil rehearse} the same: the rollback finishes, the re-check is cut, the rehearsal FAILED (exit 5). */
    @Test
    void aSignalWhileARehearsalsRollbackRunsLetsItFinishWithinTheGrace() throws Exception {
        VigilJar.Result run = signalledWhileTheRollbackRuns(Map.of("vigil.rollback.command", "sleep 2; echo done",
                "vigil.rollback.recheck.rounds", "1"), "rehearse", "--version", "2.4.1", "--environment", "staging");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.PREVIOUS_VERSION_UNHEALTHY);
        assertThat(run.out()).contains("Rollback:  ROLLED_BACK").contains("done").contains("was interrupted after 0 rounds");
    }

    /** A rollback command that outlasts the grace is stopped when it ends, and reported FAILED as before. */
    @Test
    void aRollbackThatOutlastsTheSignalGraceIsStoppedAndReportedFailed() throws Exception {
        VigilJar.Result run = signalledWhileTheRollbackRuns(Map.of("vigil.rollback.command", "sleep 60; echo done",
                "vigil.rollback.signal-grace", "1s", "vigil.rollback.timeout", "90s"));

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLBACK_FAILED);
        JsonNode json = json(work.resolve("reports"));
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("FAILED");
        assertThat(json.path("rollback").path("error").asText()).contains("how far it got is unknown");
        assertThat(json.path("rollback").path("output").asText()).doesNotContain("done");
    }

    /**
     * Verifies with /orders failing and the rollback settings {@code rollback}, whose command is made to
     * leave a file as it starts, and sends SIGTERM once it is there: while the rollback command runs.
     */
    private VigilJar.Result signalledWhileTheRollbackRuns(Map<String, String> rollback) throws Exception {
        return signalledWhileTheRollbackRuns(rollback, "verify", "--version", "2.4.1", "--report-dir", "reports",
                "--progress", "lines");
    }

    /** {@link #signalledWhileTheRollbackRuns(Map)} for the command {@code args}, given the configuration. */
    private VigilJar.Result signalledWhileTheRollbackRuns(Map<String, String> rollback, String... args) throws Exception {
        Path running = work.resolve("rollback-running");
        Map<String, String> p = new LinkedHashMap<>(rollback);
        p.put("vigil.rollback.command", "touch '" + running + "'; " + rollback.get("vigil.rollback.command"));
        List<String> command = new ArrayList<>(List.of(args));
        command.addAll(List.of("--config", config(p, orders()).toString()));
        VigilJar.Started started = jar().start(command.toArray(String[]::new));
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (!Files.exists(running)) {
            assertThat(started.process().isAlive()).as("vigil.jar still runs").isTrue();
            assertThat(System.nanoTime()).as("the rollback started within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        started.process().destroy();
        return started.await();
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        VigilJar.Result help = jar().run("verify", "--help");
        VigilJar.Result version = jar().run("--version");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--config=FILE").contains("--previous-version=P").contains("--dry-run")
                .contains("--report-dir=DIR").contains("130  aborted");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("vigil 0.");
    }

    // ---------------------------------------------------------------- helpers

    private VigilJar jar() {
        return VigilJar.in(work, Map.of("CANARY_TOKEN", CANARY));
    }

    /** A probe that always fails: /orders answers 503; one failure is tolerated. */
    private static Map<String, String> orders() {
        Map<String, String> orders = new LinkedHashMap<>();
        orders.put("vigil.probes.orders.type", "http");
        orders.put("vigil.probes.orders.url", server.baseUrl() + "/orders");
        orders.put("vigil.probes.orders.pass-when", "status == 200");
        orders.put("vigil.probes.orders.max-failures", "1");
        return orders;
    }

    /** checkout with probe health (bearer token from the environment), 3 rounds of 1 s; then the extras. */
    @SafeVarargs
    private Path config(Map<String, String> overrides, Map<String, String>... extraProbes) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.previous-version", "2.4.0");
        p.put("vigil.plan.interval", "1s"); // a cold JVM's first request on a busy machine may take most of a second
        p.put("vigil.plan.duration", "3s");
        p.put("vigil.probes.health.type", "http");
        p.put("vigil.probes.health.url", server.baseUrl() + "/health");
        p.put("vigil.probes.health.bearer-token", "${CANARY_TOKEN}");
        p.put("vigil.probes.health.pass-when", "status == 200 && latency < 5s");
        p.put("vigil.probes.health.timeout", "1s");
        for (Map<String, String> extra : extraProbes) {
            p.putAll(extra);
        }
        if (overrides.keySet().stream().noneMatch(k -> k.startsWith("vigil.rollback.webhook."))) {
            p.put("vigil.rollback.command", "echo rolled back");
        }
        p.put("vigil.rollback.max-attempts", "1");
        p.put("vigil.rollback.timeout", "20s");
        // The services stay as they are after a rollback; the re-check has its own tests (RecheckAndRehearseJarIT).
        p.put("vigil.rollback.recheck.rounds", "0");
        p.putAll(overrides);
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(work.resolve("vigil.properties"), text.toString());
    }

    private static JsonNode json(Path reports) throws Exception {
        return new ObjectMapper().readTree(reports.resolve("report.json").toFile());
    }

    private static Element suite(Path reports) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document xml = factory.newDocumentBuilder()
                .parse(new ByteArrayInputStream(Files.readAllBytes(reports.resolve("report.xml"))));
        NodeList suites = xml.getElementsByTagName("testsuite");
        assertThat(suites.getLength()).isEqualTo(1);
        return (Element) suites.item(0);
    }

    /** Each test case's name and what it holds: failure, error, skipped or passed. */
    private static Map<String, String> testcases(Element suite) {
        Map<String, String> result = new LinkedHashMap<>();
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            String kind = "passed";
            for (String tag : List.of("failure", "error", "skipped")) {
                if (c.getElementsByTagName(tag).getLength() > 0) {
                    kind = tag;
                }
            }
            result.put(c.getAttribute("name"), kind);
        }
        return result;
    }

    private static String failureMessage(Element suite, String testcase) {
        NodeList cases = suite.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element c = (Element) cases.item(i);
            if (c.getAttribute("name").equals(testcase)) {
                return ((Element) c.getElementsByTagName("failure").item(0)).getAttribute("message");
            }
        }
        return null;
    }

    /** One SVG timeline per probe in the browser's DOM, with one point per measurement of report.json. */
    private static void assertTimelinesInChromium(Path reports, JsonNode json) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        Map<String, Integer> expected = new LinkedHashMap<>();
        json.path("probes").forEach(p -> expected.put(p.path("name").asText(), p.path("measurements").size()));

        String dom = chromium.dumpDom(reports.resolve("report.html"));

        assertThat(HeadlessChromium.pointsPerTimeline(dom)).containsExactlyEntriesOf(expected);
        assertThat(dom).contains(json.path("verdict").asText());
    }

    private static void assertNoCanary(VigilJar.Result run, Path reports) throws Exception {
        List<String> texts = new ArrayList<>(List.of(run.out(), run.err()));
        try (Stream<Path> files = Files.list(reports)) {
            for (Path f : files.toList()) {
                texts.add(Files.readString(f, StandardCharsets.UTF_8));
            }
        }
        assertThat(texts).hasSize(6).noneMatch(t -> t.contains(CANARY));
    }
}
