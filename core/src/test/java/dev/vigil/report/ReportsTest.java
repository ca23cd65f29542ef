package dev.vigil.report;

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
        // One report: each sample has an id of its own.
        dev.vigil.VerificationReport report = SampleReports.healthy();
        Map<ReportFormat, Path> files = Reports.writeAll(report, dir.resolve("out/vigil"));

        assertThat(files.keySet()).containsExactly(ReportFormat.values());
        assertThat(files.values()).extracting(p -> p.getFileName().toString())
                .containsExactly("report.json", "report.xml", "report.html", "summary.md");
        for (var e : files.entrySet()) {
            assertThat(Files.readString(e.getValue())).isEqualTo(Reports.render(report, e.getKey()));
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
}
