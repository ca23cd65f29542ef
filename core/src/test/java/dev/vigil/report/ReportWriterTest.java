package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ProbeResult;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

    @Test
    void writesTheReportsWhenTheVerificationFinishes(@TempDir Path dir) throws Exception {
        ManualClock clock = new ManualClock(SampleReports.START);
        ReportWriter writer = ReportWriter.to(dir.resolve("reports"));
        DeployVerifier verifier = DeployVerifier.builder()
                .probe("latency", c -> ProbeResult.pass(Map.of("latency", Duration.ofMillis(100 + c.round())),
                        "latency(" + (100 + c.round()) + "ms) < 500ms"))
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofMinutes(1)))
                .timeSource(clock)
                .listener(writer)
                .build();

        VerificationReport report = verifier.verifyAfterDeploy(Deployment.of("catalog", "3.1.0"));

        assertThat(writer.failure()).isEmpty();
        assertThat(writer.written()).containsOnlyKeys(ReportFormat.values());
        JsonNode json = new ObjectMapper().readTree(writer.written().get(ReportFormat.JSON).toFile());
        assertThat(json.path("verdict").asText()).isEqualTo("HEALTHY").isEqualTo(report.verdict().name());
        assertThat(json.path("probes").get(0).path("measurements")).hasSize(6);
        assertThat(json.path("times").path("started").asText()).isEqualTo("2026-11-26T12:00:00Z");
        String html = Files.readString(writer.written().get(ReportFormat.HTML));
        assertThat(HeadlessChromium.pointsPerTimeline(html)).containsExactly(Map.entry("latency", 6));
    }

    @Test
    void keepsTheFailureWhenTheReportsCannotBeWritten(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        ReportWriter writer = ReportWriter.to(file);

        writer.finished(SampleReports.healthy());

        assertThat(writer.written()).isEmpty();
        assertThat(writer.failure()).hasValueSatisfying(m -> assertThat(m).contains("not-a-folder"));
    }
}
