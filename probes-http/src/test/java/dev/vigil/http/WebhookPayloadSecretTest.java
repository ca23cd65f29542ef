package dev.vigil.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckPlan;
import dev.vigil.RollbackCoordinator;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import dev.vigil.rollback.RollbackTriggers;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The notifier posts a report to a receiver of one's own (a chat, an incident tool): what every
 * report file masks must be masked there too.
 */
class WebhookPayloadSecretTest {

    private static final String TOKEN = "s3cr3tT0kenABCDEF123456";

    @Test
    void theFinishedEventMasksWhatTheReportFilesMask() {
        // A trigger named after the command it runs, whose failure quotes the header it sent.
        String command = "curl -sf -H 'Authorization: Bearer " + TOKEN + "' https://deploy.example/rollback";
        VerificationReport report = DeployVerifier.builder()
                .probe("health", context -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofMillis(10)).withDuration(Duration.ofMillis(10)))
                .rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollback(RollbackTriggers.callback(command, event -> {
                    throw new IllegalStateException("401 for Authorization: Bearer " + TOKEN);
                }))
                .build().verifyAfterDeploy(Deployment.of("checkout", "2.0.0", "1.0.0"));
        assertThat(report.rollback().error()).as("the secret is in the raw report").contains(TOKEN);

        String posted = Webhooks.finishedPayload(report);

        assertThat(Reports.render(report, ReportFormat.JSON)).doesNotContain(TOKEN);
        assertThat(posted).doesNotContain(TOKEN).contains("Authorization: [REDACTED]").contains("\"outcome\":\"FAILED\"");
    }

    @Test
    void theVerdictAndRollbackEventsMaskTheReason() {
        String reason = "probe orders failed: GET https://orders.example/health?password=hunter2secret answered 503";

        String verdict = Webhooks.verdictPayload(Deployment.of("checkout", "2.0.0", "1.0.0"), Verdict.UNHEALTHY, reason);
        String rollback = Webhooks.rollbackPayload(new dev.vigil.RollbackEvent("r-1", Deployment.of("checkout", "2.0.0", "1.0.0"),
                Verdict.UNHEALTHY, reason, 1, java.time.Instant.parse("2026-11-30T12:00:00Z")));

        assertThat(verdict).doesNotContain("hunter2secret").contains("probe orders failed");
        assertThat(rollback).doesNotContain("hunter2secret").contains("probe orders failed");
    }

    @Test
    void theVerdictAndRollbackEventsMaskALabelNamedLikeACredentialAsReportJsonDoes() {
        // vigil.deployment.labels.deploy-token: report.json shows [REDACTED]; the events showed the token.
        Deployment deployment = Deployment.of("checkout", "2.0.0", "1.0.0")
                .withLabels(Map.of("deploy-token", TOKEN, "repo", "https://ci-token:" + TOKEN + "@git.example/shop.git",
                        "team", "payments"));

        String verdict = Webhooks.verdictPayload(deployment, Verdict.UNHEALTHY, "probe health failed");
        String rollback = Webhooks.rollbackPayload(new dev.vigil.RollbackEvent("r-1", deployment, Verdict.UNHEALTHY,
                "probe health failed", 1, java.time.Instant.parse("2026-11-30T12:00:00Z")));

        for (String posted : java.util.List.of(verdict, rollback)) {
            assertThat(posted).doesNotContain(TOKEN).contains("\"deploy-token\":\"[REDACTED]\"")
                    .contains("\"team\":\"payments\"");
        }
    }
}
