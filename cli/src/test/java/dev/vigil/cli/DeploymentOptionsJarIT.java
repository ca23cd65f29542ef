package dev.vigil.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployment options of {@code verify} and {@code validate} through the shaded jar: they are
 * the top configuration layer, so {@code ${vigil.deployment.*}} in the rollback command and in a
 * probe's URL sees them, and the command's {@code VIGIL_*} environment agrees.
 */
class DeploymentOptionsJarIT {

    private static WireMockServer server;

    @TempDir
    Path work;

    @BeforeAll
    static void startServices() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        // Only the service and version named on the command line are broken; the file's would pass.
        server.stubFor(get(urlEqualTo("/services/payments/3.1.0/health")).willReturn(aResponse().withStatus(503)));
        server.stubFor(get(urlEqualTo("/services/checkout/1.0.0/health")).willReturn(aResponse().withStatus(200)));
    }

    @AfterAll
    static void stopServices() {
        server.stop();
    }

    /** A file that names another service, version and previous version than the command line will. */
    private Path config(Path rolledBack) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "1.0.0");
        p.put("vigil.plan.interval", "200ms");
        p.put("vigil.plan.duration", "600ms");
        p.put("vigil.probes.health.type", "http");
        p.put("vigil.probes.health.url",
                server.baseUrl() + "/services/${vigil.deployment.service}/${vigil.deployment.version}/health");
        p.put("vigil.probes.health.pass-when", "status == 200");
        p.put("vigil.rollback.command", "echo \"undo ${vigil.deployment.service} to ${vigil.deployment.previous-version};"
                + " env $VIGIL_SERVICE $VIGIL_VERSION $VIGIL_PREVIOUS_VERSION $VIGIL_ENVIRONMENT $VIGIL_KIND $VIGIL_FIXES\" > '"
                + rolledBack + "'");
        p.put("vigil.rollback.max-attempts", "1");
        // The service stays as it is after this rollback; the re-check has its own tests (RecheckAndRehearseJarIT).
        p.put("vigil.rollback.recheck.rounds", "0");
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return Files.writeString(work.resolve("vigil.properties"), text.toString());
    }

    private VigilJar jar() {
        return VigilJar.in(work, Map.of());
    }

    @Test
    void theOptionsReachPlaceholdersInTheRollbackCommandAndTheProbeUrl() throws Exception {
        Path rolledBack = work.resolve("rolled-back");
        Path config = config(rolledBack);

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--service", "payments",
                "--version", "3.1.0", "--previous-version", "3.0.0", "--environment", "eu-prod",
                "--label", "team=payments", "--label", "ticket.id=CHG-7", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        server.verify(getRequestedFor(urlEqualTo("/services/payments/3.1.0/health")));
        server.verify(0, getRequestedFor(urlEqualTo("/services/checkout/1.0.0/health")));
        assertThat(Files.readString(rolledBack).strip())
                .isEqualTo("undo payments to 3.0.0; env payments 3.1.0 3.0.0 eu-prod release");
        assertThat(Files.readString(rolledBack)).as("a release that fixes nothing re-opens nothing").doesNotContain("PAY");
        JsonNode deployment = new ObjectMapper().readTree(work.resolve("reports/report.json").toFile()).path("deployment");
        assertThat(deployment.path("service").asText()).isEqualTo("payments");
        assertThat(deployment.path("environment").asText()).isEqualTo("eu-prod");
        assertThat(deployment.path("labels").path("team").asText()).isEqualTo("payments");
        assertThat(deployment.path("labels").path("ticket.id").asText()).isEqualTo("CHG-7");
    }

    @Test
    void aHotfixWhoseFixesNoProbeConfirmsIsRefusedByValidateAndVerifyNamingEachIssue() throws Exception {
        Path rolledBack = work.resolve("rolled-back-unconfirmed");
        Path config = config(rolledBack);

        for (String command : new String[] {"validate", "verify"}) {
            List<String> args = new java.util.ArrayList<>(List.of(command, "--config", config.toString(), "--service", "payments",
                    "--version", "3.9.9", "--previous-version", "3.0.0", "--kind", "hotfix", "--fixes", "PAY-12,PAY-13"));
            if (command.equals("verify")) {
                args.addAll(List.of("--report-dir", "reports-unconfirmed"));
            }
            VigilJar.Result run = jar().run(args.toArray(String[]::new));

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(run.err()).contains("hotfix payments 3.9.9 fixes PAY-12 but no probe confirms it: tag its test"
                    + " @Tag(\"PAY-12\") in a junit probe, or set vigil.probes.<name>.confirms=PAY-12")
                    .contains("fixes PAY-13 but no probe confirms it");
        }
        // A version no other test deploys: the server is shared by the tests of this class.
        assertThat(rolledBack).doesNotExist();
        server.verify(0, getRequestedFor(urlEqualTo("/services/payments/3.9.9/health")));
    }

    @Test
    void aHotfixWithAConfirmingProbeRunsAndItsRollbackIsToldWhatItReopens() throws Exception {
        Path rolledBack = work.resolve("rolled-back-hotfix");
        Path config = config(rolledBack);
        Files.writeString(config, "vigil.probes.health.confirms=PAY-12\n", java.nio.file.StandardOpenOption.APPEND);

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--service", "payments",
                "--version", "3.1.1", "--previous-version", "3.1.0", "--environment", "eu-prod", "--kind", "hotfix",
                "--fixes", "PAY-12", "--report-dir", "reports-hotfix");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(Files.readString(rolledBack).strip())
                .isEqualTo("undo payments to 3.1.0; env payments 3.1.1 3.1.0 eu-prod hotfix PAY-12");
        assertThat(run.out()).contains("Fix:      PAY-12 FAILED").contains("Re-opens: rolling back re-opens PAY-12");
        JsonNode report = new ObjectMapper().readTree(work.resolve("reports-hotfix/report.json").toFile());
        assertThat(report.path("confirmations").get(0).path("issue").asText()).isEqualTo("PAY-12");
        assertThat(report.path("confirmations").get(0).path("status").asText()).isEqualTo("FAILED");
        assertThat(report.path("rollback").path("reopens").get(0).asText()).isEqualTo("PAY-12");
    }

    @Test
    void validateTakesTheSameOptionsAndShowsTheResolvedCommand() throws Exception {
        Path config = config(work.resolve("unused"));
        Files.writeString(config, "vigil.probes.health.confirms=PAY-12,PAY-13\n", java.nio.file.StandardOpenOption.APPEND);

        VigilJar.Result run = jar().run("validate", "--config", config.toString(), "--service", "payments",
                "--version", "3.1.0", "--previous-version", "3.0.0", "--kind", "hotfix", "--fixes", "PAY-12,PAY-13");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(run.out()).contains("undo payments to 3.0.0").contains("/services/payments/3.1.0/health");
    }

    @Test
    void withoutThePreviousVersionThePlaceholderIsAConfigurationErrorNamingTheKey() throws Exception {
        Path config = config(work.resolve("unused"));

        VigilJar.Result run = jar().run("validate", "--config", config.toString(), "--service", "payments");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("vigil.rollback.command").contains("vigil.deployment.previous-version");
    }

    @Test
    void aKindThatIsNeitherReleaseNorHotfixIsAConfigurationErrorNamingTheKey() throws Exception {
        Path config = config(work.resolve("unused"));

        VigilJar.Result run = jar().run("verify", "--config", config.toString(), "--previous-version", "0.9.0",
                "--kind", "emergency", "--report-dir", "reports");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("vigil.deployment.kind").contains("release, hotfix").doesNotContain("Exception");
    }

    @Test
    void aLabelWithoutAValueIsAUsageError() throws Exception {
        Path config = config(work.resolve("unused"));

        VigilJar.Result run = jar().run("validate", "--config", config.toString(), "--label", "team");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--label").doesNotContain("Exception");
    }
}
