package dev.vigil.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Measurement;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.VigilConfig;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A secret handed to a command probe and a rollback command through a placeholder never comes
 * back, even when the commands print it: not in measurements, reports, logs or descriptions.
 */
class CommandSecretsTest {

    private static final String TOKEN = "canary-command-token-5f8e21";

    @Test
    void aSecretACommandPrintsIsScrubbedFromEverythingVigilShows() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.version", "2.4.1");
        p.put("vigil.plan.interval", "10s");
        p.put("vigil.plan.duration", "10s");
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", "echo \"checking with ${SMOKE_TOKEN}\"; echo \"err ${SMOKE_TOKEN}\" >&2; exit 2");
        p.put("vigil.probes.smoke.pass-when", "output == \"fine\" && exit-code == 0");
        p.put("vigil.rollback.command", "echo \"undo with ${SMOKE_TOKEN}\"; exit 0");
        List<String> seen = new ArrayList<>();
        VerificationReport report;
        try (LogCapture log = LogCapture.start()) {
            BoundConfig config = VigilConfig.builder().environment(Map.of("SMOKE_TOKEN", TOKEN)).build().load(p);
            seen.add(config.describe());
            seen.add(config.verifier().toString());
            report = config.verifier().verifyAfterDeploy(config.deployment().toDeployment());
            seen.add(report.toString());
            for (ReportFormat format : ReportFormat.values()) {
                seen.add(Reports.render(report, format));
            }
            seen.add(log.text());
        }

        List<Measurement> measured = report.probes().get(0).measurements();
        assertThat(measured).isNotEmpty();
        assertThat(measured.get(0).values().get("output").toString()).contains("checking with");
        assertThat(report.rollback().output()).contains("undo with");
        assertThat(seen).allSatisfy(text -> assertThat(text).doesNotContain(TOKEN));
    }
}
