package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Notes (the release history's line) end the console summary and every report but the JUnit XML, redacted and escaped. */
class NotesTest {

    private static final List<String> NOTES = List.of("History: quiet release #14 in a row for <checkout> (longest 31)");

    @Test
    void everyReportButTheJunitXmlEndsWithTheNotes(@TempDir Path dir) throws Exception {
        ReportWriter writer = ReportWriter.to(dir).notes(() -> NOTES);
        writer.finished(SampleReports.healthy());

        String json = Files.readString(dir.resolve("report.json"));
        assertThat(json).contains("\"notes\" : [ \"History: quiet release #14 in a row for <checkout> (longest 31)\" ]");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).contains("<section id=\"notes\">")
                .contains("<p class=\"note\">History: quiet release #14 in a row for &lt;checkout&gt; (longest 31)</p>");
        assertThat(html.indexOf("id=\"notes\"")).isGreaterThan(html.indexOf("id=\"probes\""));
        String md = Files.readString(dir.resolve("summary.md"));
        assertThat(md.strip()).endsWith("History: quiet release #14 in a row for &lt;checkout&gt; (longest 31)");
        assertThat(Files.readString(dir.resolve("report.xml"))).doesNotContain("quiet release");
    }

    @Test
    void withoutNotesTheReportsAreAsBefore(@TempDir Path dir) throws Exception {
        ReportWriter.to(dir).finished(SampleReports.healthy());
        assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("report.json").toFile()).path("notes"))
                .isEmpty();
        assertThat(Files.readString(dir.resolve("report.html"))).doesNotContain("id=\"notes\"");
    }

    @Test
    void notesAreRedactedLikeTheRest(@TempDir Path dir) throws Exception {
        ReportWriter.to(dir).notes(() -> List.of("Warning: history at jdbc:postgresql://ci:hunter2@db/vigil failed"))
                .finished(SampleReports.healthy());
        assertThat(Files.readString(dir.resolve("report.json"))).doesNotContain("hunter2");
    }

    @Test
    void theConsoleSummaryEndsWithTheNotes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress console = ConsoleProgress.builder(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .terminal(false).notes(() -> NOTES).build();
        console.finished(SampleReports.unhealthyRolledBack());
        String text = bytes.toString(StandardCharsets.UTF_8).strip();
        assertThat(text).endsWith("History: quiet release #14 in a row for <checkout> (longest 31)");
        assertThat(text).contains("Verdict:");
    }

    @Test
    void aHealthyVerdictDefersToAWarningAmongTheNotes() {
        // "2.4.1 can stay." above "Warning: ... this run measures what the rollback left running" said two things.
        String warned = console(List.of("Warning: checkout 2.4.1 was rolled back to 2.4.0 in production at 2026-12-02 03:12 UTC"
                + " and no verification is recorded since: unless 2.4.1 was deployed again, this run measures what the"
                + " rollback left running (docs/rollback.md)"));
        assertThat(warned).contains("Next:     2.4.1 can stay, unless a warning below says otherwise.");
        assertThat(warned.indexOf("Next:")).isLessThan(warned.indexOf("Warning:"));
        assertThat(console(NOTES)).contains("Next:     2.4.1 can stay.").doesNotContain("unless a warning");
    }

    private static String console(List<String> notes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ConsoleProgress.builder(new PrintStream(bytes, true, StandardCharsets.UTF_8)).terminal(false).notes(() -> notes).build()
                .finished(SampleReports.healthy());
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
