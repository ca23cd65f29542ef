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
        dev.vigil.testkit.VirtualTime clock = dev.vigil.testkit.VirtualTime.startingAt(SampleReports.START);
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

    @Test
    void aPreviousReportThatCannotBeRemovedSendsThisRunsReportsToTheirOwnFolderSoNoTwoRunsMixAndNoneIsLost(@TempDir Path dir)
            throws Exception {
        // report.json and report.xml were replaced, report.html could not be, and summary.md stayed the previous
        // run's: a reader combined two runs. Then, for a while, this run's reports were thrown away instead.
        VerificationReport previous = SampleReports.unhealthyRolledBack();
        Reports.writeAll(previous, dir);
        Files.delete(dir.resolve(ReportFormat.HTML.fileName()));
        Files.writeString(Files.createDirectories(dir.resolve(ReportFormat.HTML.fileName())).resolve("keep"), "x");
        ReportWriter writer = ReportWriter.to(dir);
        VerificationReport next = SampleReports.healthy();

        writer.finished(next);

        try (var files = Files.list(dir)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .as("the previous run's reports are removed with the one that could not be replaced, none of this run's added")
                    .isEmpty();
        }
        Path aside = dir.resolve("run-" + next.id());
        assertThat(writer.failure()).hasValueSatisfying(m -> assertThat(m).contains("report.html")
                .contains("were written to " + aside + " instead").contains("does not mix two runs"));
        assertThat(writer.written()).hasSize(ReportFormat.values().length)
                .allSatisfy((format, file) -> assertThat(file).isEqualTo(aside.resolve(format.fileName())).isRegularFile());
        assertThat(Files.readString(writer.written().get(ReportFormat.JSON))).contains(next.id());
    }

    @Test
    void aReportThatCannotBeMovedInPlaceIsKeptAsItsTemporaryFileAndNamed(@TempDir Path dir) throws Exception {
        // report.html of the previous run cannot be removed, so this run goes to run-x; there, summary.md's name is
        // taken by a folder with a file in it, so its move fails: the run's only copy of it must not be deleted.
        Files.writeString(Files.createDirectories(dir.resolve("report.html")).resolve("keep"), "x");
        Files.writeString(Files.createDirectories(dir.resolve("run-x").resolve("summary.md")).resolve("keep"), "x");
        VerificationReport next = SampleReports.healthy();
        Map<ReportFormat, java.util.function.Supplier<String>> texts = new java.util.EnumMap<>(ReportFormat.class);
        for (ReportFormat format : ReportFormat.values()) {
            texts.put(format, () -> format.renderRaw(next, java.util.List.of()));
        }

        Reports.Written written = Reports.write(dir, texts, "run-x");

        assertThat(written.files()).containsOnlyKeys(ReportFormat.JSON, ReportFormat.HTML, ReportFormat.JUNIT_XML);
        assertThat(written.failure()).hasValueSatisfying(m -> assertThat(m)
                .contains("summary.md could not be written (").contains("this run's summary.md is kept as " + dir.toAbsolutePath())
                .contains("report.html of the previous verification could not be removed"));
        try (var files = Files.list(dir)) {
            Path kept = files.filter(f -> f.getFileName().toString().startsWith(".summary.md.")).findFirst().orElseThrow();
            assertThat(Files.readString(kept)).isEqualTo(ReportFormat.MARKDOWN.renderRaw(next, java.util.List.of()));
        }
    }

    @Test
    void aFormatThatFailsLeavesTheOthersOfThisRunAndNoneOfThePreviousRun(@TempDir Path dir) throws Exception {
        VerificationReport previous = SampleReports.unhealthyRolledBack();
        Reports.writeAll(previous, dir);
        VerificationReport next = SampleReports.healthy();
        Map<ReportFormat, java.util.function.Supplier<String>> texts = new java.util.EnumMap<>(ReportFormat.class);
        for (ReportFormat format : ReportFormat.values()) {
            texts.put(format, format == ReportFormat.HTML ? () -> {
                throw new IllegalStateException("the page could not be laid out");
            } : () -> format.renderRaw(next, java.util.List.of()));
        }

        Reports.Written written = Reports.write(dir, texts);

        assertThat(written.files()).containsOnlyKeys(ReportFormat.JSON, ReportFormat.JUNIT_XML, ReportFormat.MARKDOWN);
        assertThat(written.failure()).hasValueSatisfying(m -> assertThat(m)
                .startsWith("report.html could not be written (IllegalStateException: the page could not be laid out)")
                .contains("written: report.json, report.xml, summary.md")
                .contains("the previous report.html removed"));
        assertThat(dir.resolve("report.html")).doesNotExist();
        for (Map.Entry<ReportFormat, Path> file : written.files().entrySet()) {
            assertThat(Files.readString(file.getValue())).as(file.getKey().fileName())
                    .isEqualTo(file.getKey().renderRaw(next, java.util.List.of()));
        }
    }
    @Test
    void aPreviousReportThatStaysWhereNothingOfThisRunCanBeWrittenIsNamedAsThePreviousRunsNotThisOnes(@TempDir Path dir)
            throws Exception {
        // A read-only folder: nothing of this run can be written, the previous report stays, and no run-<id> folder
        // can be made. The failure read "this run's reports are kept as , so that DIR does not mix two runs" while
        // the folder held the previous run's report, which a pipeline then publishes as this run's.
        Files.writeString(Files.createDirectories(dir.resolve("report.html")).resolve("keep"), "x");
        Files.writeString(dir.resolve("run-x"), "a file where the folder would go");
        Map<ReportFormat, java.util.function.Supplier<String>> texts = new java.util.EnumMap<>(ReportFormat.class);
        for (ReportFormat format : ReportFormat.values()) {
            texts.put(format, () -> {
                throw new IllegalStateException("no space left on device");
            });
        }

        Reports.Written written = Reports.write(dir, texts, "run-x");

        assertThat(written.files()).isEmpty();
        assertThat(written.failure()).hasValueSatisfying(m -> assertThat(m)
                .contains("nothing of this run was written")
                .contains(dir + " still holds the previous verification's report.html, which are not this run's")
                .doesNotContain("kept as ,").doesNotContain("does not mix two runs"));
    }
    @Test
    void aFailureInAFolderWithoutPreviousReportsClaimsNoPreviousReportRemovedAndAFolderThatCannotBeMadeSaysWhy(
            @TempDir Path dir) throws Exception {
        Map<ReportFormat, java.util.function.Supplier<String>> texts = new java.util.EnumMap<>(ReportFormat.class);
        for (ReportFormat format : ReportFormat.values()) {
            texts.put(format, () -> {
                throw new IllegalStateException("no space left on device");
            });
        }

        Reports.Written written = Reports.write(dir, texts);

        assertThat(written.failure()).hasValueSatisfying(m -> assertThat(m).contains("nothing was written")
                .doesNotContain("previous"));
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        ReportWriter writer = ReportWriter.to(file.resolve("reports"));
        writer.finished(SampleReports.healthy());
        assertThat(writer.failure()).hasValueSatisfying(m -> assertThat(m)
                .contains("could not be created: FileSystemException"));
    }
}
