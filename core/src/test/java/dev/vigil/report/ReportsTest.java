package dev.vigil.report;

import dev.vigil.VerificationReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportsTest {

    @Test
    void writesEveryFormatUnderItsFixedName(@TempDir Path dir) throws Exception {
        VerificationReport healthy = SampleReports.healthy();
        Map<ReportFormat, Path> files = Reports.writeAll(healthy, dir.resolve("out/vigil"));

        assertThat(files.keySet()).containsExactly(ReportFormat.values());
        assertThat(files.values()).extracting(p -> p.getFileName().toString())
                .containsExactly("report.json", "report.xml", "report.html", "summary.md");
        for (var e : files.entrySet()) {
            assertThat(Files.readString(e.getValue())).isEqualTo(Reports.render(healthy, e.getKey()));
        }
    }

    @Test
    void replacesEarlierReportsAndLeavesNoTemporaryFiles(@TempDir Path dir) throws Exception {
        Reports.writeAll(SampleReports.unhealthyRolledBack(), dir);
        Reports.writeAll(SampleReports.healthy(), dir);

        assertThat(Files.readString(dir.resolve("report.json"))).contains("\"verdict\" : \"HEALTHY\"");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("report.json", "report.xml", "report.html", "summary.md");
        }
    }

    @Test
    void writesOnlyTheChosenFormats(@TempDir Path dir) {
        Map<ReportFormat, Path> files = Reports.write(SampleReports.healthy(), dir, EnumSet.of(ReportFormat.MARKDOWN));

        assertThat(files).containsOnlyKeys(ReportFormat.MARKDOWN);
        assertThat(dir.resolve("report.json")).doesNotExist();
    }

    @Test
    void aFolderThatIsAFileIsAClearError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");

        assertThatThrownBy(() -> Reports.writeAll(SampleReports.healthy(), file))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("report folder " + file + " could not be created");
    }

    @Test
    void aHalfCharacterInAMeasurementStillLeavesEveryReportWritten(@TempDir Path dir) throws Exception {
        // A probe that cuts a body at a character count can cut an emoji in two: Files.writeString
        // refused the lone half ("Input length = 1"), and no report at all was written.
        VerificationReport r = SampleReports.unhealthyRolledBack();
        String cut = "body {\"mood\":\"\uD83D";
        VerificationReport withHalf = new VerificationReport(r.deployment(), r.plan(), r.verdict(), r.reason() + "; " + cut,
                r.probes(), r.rollback(), r.recheck(), r.rounds(), r.startedAt(), r.detectedAt(), r.finishedAt());

        Map<ReportFormat, Path> files = Reports.writeAll(withHalf, dir);

        assertThat(files).containsOnlyKeys(ReportFormat.values());
        for (var e : files.entrySet()) {
            String text = Files.readString(e.getValue());
            assertThat(text).isEqualTo(Reports.render(withHalf, e.getKey())).contains("body").contains("\uFFFD")
                    .doesNotContain("\uD83D");
        }
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("report.json").toFile())
                .path("reason").asText()).endsWith("\"mood\":\"\uFFFD");
    }
}
