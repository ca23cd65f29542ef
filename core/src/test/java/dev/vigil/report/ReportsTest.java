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
    void controlCharactersAreReplacedInEveryReportAndOnTheConsole() {
        // Before: summary.md and the console wrote a probe's NUL, BEL and terminal escape codes as they
        // came (a binary body, a coloured log line); the HTML, XML and JSON replaced them.
        VerificationReport r = SampleReports.unhealthyRollbackFailed();
        String raw = "body \u001f\u0000 \u001b[31mred\u001b[0m\u0007\u007f end";
        VerificationReport hostile = new VerificationReport(r.deployment(), r.plan(), r.verdict(), r.reason() + "; " + raw,
                r.probes(), new dev.vigil.RollbackReport(r.rollback().outcome(), r.rollback().trigger(), r.rollback().attempts(),
                        "output " + raw, r.rollback().error(), r.rollback().startedAt(), r.rollback().finishedAt()),
                r.recheck(), r.rounds(), r.startedAt(), r.detectedAt(), r.finishedAt());
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        ConsoleProgress.builder(new java.io.PrintStream(console, true, java.nio.charset.StandardCharsets.UTF_8))
                .terminal(false).build().finished(hostile);

        // JSON keeps them as escapes (\u001B), which a reader of the file never sees as control codes.
        Stream<String> texts = Stream.concat(EnumSet.complementOf(EnumSet.of(ReportFormat.JSON)).stream()
                .map(f -> Reports.render(hostile, f)), Stream.of(console.toString(java.nio.charset.StandardCharsets.UTF_8)));
        for (String text : texts.toList()) {
            assertThat(text.chars().filter(c -> c < 0x20 && c != '\n' && c != '\t' && c != '\r'))
                    .as(text).isEmpty();
            assertThat(text).contains("\uFFFD[31mred");
        }
        assertThat(Reports.printable("tab\tline\r\nnul\u0000")).isEqualTo("tab\tline\r\nnul\uFFFD");
        assertThat(Reports.printable(null)).isNull();
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

    @Test
    void writeWholeReplacesAFileAndAWriteThatFailsLeavesWhatWasThereAndNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("history.txt"), "previous");
        Reports.writeWhole(file, "next");
        assertThat(Files.readString(file)).isEqualTo("next");

        // The name is taken by a folder with a file in it: the move fails, as a full disk would fail the write.
        Path taken = Files.createDirectories(dir.resolve("history.html"));
        Files.writeString(taken.resolve("keep"), "kept");
        assertThatThrownBy(() -> Reports.writeWhole(taken, "next")).isInstanceOf(java.io.IOException.class);

        assertThat(Files.readString(taken.resolve("keep"))).isEqualTo("kept");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(file, taken);
        }
    }
}
