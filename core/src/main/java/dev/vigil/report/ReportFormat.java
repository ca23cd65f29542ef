package dev.vigil.report;

import dev.vigil.VerificationReport;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The report formats Vigil writes, each with its fixed file name.
 */
public enum ReportFormat {
    /** {@code report.json}: every fact, with documented, stable keys (see {@code docs/reports.md}). */
    JSON("report.json", JsonReport::render),
    /** {@code report.xml}: JUnit XML, one test case per probe, for CI servers' test views. */
    JUNIT_XML("report.xml", (report, notes) -> JunitXmlReport.render(report)),
    /** {@code report.html}: one self-contained page with a timeline plot per probe. */
    HTML("report.html", HtmlReport::render),
    /** {@code summary.md}: a Markdown summary for a CI job summary ({@code $GITHUB_STEP_SUMMARY}). */
    MARKDOWN("summary.md", MarkdownSummary::render);

    private final String fileName;
    private final BiFunction<VerificationReport, List<String>, String> renderer;

    ReportFormat(String fileName, BiFunction<VerificationReport, List<String>, String> renderer) {
        this.fileName = fileName;
        this.renderer = renderer;
    }

    /** {@return the name of the file this format is written to ({@code report.json})} */
    public String fileName() {
        return fileName;
    }

    /** Renders without redaction; callers go through {@link Reports#render}. */
    String renderRaw(VerificationReport report) {
        return wellFormed(renderer.apply(report, List.of()));
    }

    /** Renders without redaction, with notes at the end (the release history's line); callers go through {@link Reports#write}. */
    String renderRaw(VerificationReport report, List<String> notes) {
        return wellFormed(renderer.apply(report, notes));
    }

    /**
     * The text with each half of a character that has no other half (a body cut in the middle of an
     * emoji by a probe) replaced by U+FFFD: UTF-8 cannot hold it, and writing it would fail the
     * whole file.
     */
    static String wellFormed(String text) {
        // codePoints() gives a surrogate without its other half as a code point of its own.
        if (text.codePoints().noneMatch(ReportFormat::lone)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> out.appendCodePoint(lone(cp) ? '\uFFFD' : cp));
        return out.toString();
    }

    private static boolean lone(int codePoint) {
        return codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE;
    }
}
