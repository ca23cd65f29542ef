package dev.vigil.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Deployment;
import dev.vigil.VerificationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Renders and writes the reports of a verification.
 *
 * <pre>{@code
 * Map<ReportFormat, Path> files = Reports.writeAll(report, Path.of("build/vigil"));
 * }</pre>
 *
 * <p>Every text is passed through a redaction that masks anything looking like a credential
 * ({@code Authorization: ...}, {@code Bearer ...}, {@code password=...}, {@code user:pass@} in a
 * URL) before it is rendered: probes never put secrets into measurements, and this makes sure
 * that the output of a rollback command that prints its environment cannot leak one either.
 *
 * <p>Files are written atomically: each is written to a temporary file in the same folder and
 * then moved over the target, so a reader sees the old report or the new one, never half of one.
 * Stateless and thread-safe.
 */
public final class Reports {

    private Reports() {
    }

    /**
     * The deployment as {@code report.json} writes it, for other JSON documents about the same
     * deployment (webhook payloads): {@code service}, {@code version}, {@code previousVersion},
     * {@code environment}, {@code kind}, {@code fixes} and {@code labels} (sorted by name).
     *
     * @param deployment the deployment
     * @return a new node the caller may add to
     */
    public static ObjectNode deploymentJson(Deployment deployment) {
        return JsonReport.deployment(Objects.requireNonNull(deployment, "deployment"));
    }

    /**
     * A text with every credential-like part masked as the reports mask it ({@code [REDACTED]}),
     * for lines printed beside the reports: the command line's rehearsal, say.
     *
     * @param text the text; {@code null} stays {@code null}
     * @return the text, redacted
     */
    public static String redact(String text) {
        return Redaction.text(text);
    }

    /**
     * A copy of a report with every credential-like part masked as the written reports mask it:
     * reasons, explanations, outputs and values, and a deployment label named like a credential.
     * For what keeps a report beyond the files, such as the release history.
     *
     * @param report the report
     * @return the redacted copy
     * @throws NullPointerException when {@code report} is {@code null}
     */
    public static VerificationReport redact(VerificationReport report) {
        return Redaction.report(Objects.requireNonNull(report, "report"));
    }

    /**
     * Renders one format.
     *
     * @param report the verification's report
     * @param format the format
     * @return the rendered text, redacted
     */
    public static String render(VerificationReport report, ReportFormat format) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(format, "format");
        return format.renderRaw(Redaction.report(report));
    }

    /**
     * Writes every format into a folder, creating it when needed.
     *
     * @param report the verification's report
     * @param dir the folder
     * @return the files written, by format, in the order of {@link ReportFormat}
     * @throws UncheckedIOException when the folder cannot be created or a file cannot be written
     */
    public static Map<ReportFormat, Path> writeAll(VerificationReport report, Path dir) {
        return write(report, dir, EnumSet.allOf(ReportFormat.class));
    }

    /**
     * Writes the given formats into a folder, creating it when needed.
     *
     * @param report the verification's report
     * @param dir the folder
     * @param formats the formats to write
     * @return the files written, by format, in the order of {@link ReportFormat}
     * @throws UncheckedIOException when the folder cannot be created or a file cannot be written
     */
    public static Map<ReportFormat, Path> write(VerificationReport report, Path dir, Set<ReportFormat> formats) {
        return write(report, dir, formats, List.of());
    }

    /**
     * Writes the given formats into a folder, creating it when needed, with notes at the end of each
     * (the JUnit XML excepted): lines such as the release history's quiet-release streak.
     *
     * @param report the verification's report
     * @param dir the folder
     * @param formats the formats to write
     * @param notes lines to add, redacted like the rest; may be empty
     * @return the files written, by format, in the order of {@link ReportFormat}
     * @throws UncheckedIOException when the folder cannot be created or a file cannot be written
     */
    public static Map<ReportFormat, Path> write(VerificationReport report, Path dir, Set<ReportFormat> formats,
            List<String> notes) {
        Objects.requireNonNull(report, "report");
        List<String> redactedNotes = notes.stream().map(Redaction::text).toList();
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(formats, "formats");
        VerificationReport redacted = Redaction.report(report);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("report folder " + dir + " could not be created: " + e.getMessage(), e);
        }
        Map<ReportFormat, Path> written = new LinkedHashMap<>();
        EnumSet<ReportFormat> chosen = EnumSet.noneOf(ReportFormat.class);
        chosen.addAll(formats);
        for (ReportFormat format : chosen) {
            Path target = dir.resolve(format.fileName());
            writeAtomically(target, format.renderRaw(redacted, redactedNotes));
            written.put(format, target);
        }
        return Collections.unmodifiableMap(written);
    }

    /** Writes text to a temporary file beside the target, then moves it over the target. */
    static void writeAtomically(Path target, String text) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            // Not Files.createTempFile: its files are private (0600); a report gets the usual permissions.
            temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("report " + target + " could not be written: " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // The original failure matters more than the leftover temporary file.
                }
            }
        }
    }
}
