package dev.vigil.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.Deployment;
import dev.vigil.VerificationReport;
import dev.vigil.VigilException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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
 * then moved in place, so a reader sees the old report or the new one, never half of one; and a
 * folder never holds the files of two verifications: the previous ones are removed before the new
 * ones are moved in.
 * Stateless and thread-safe.
 */
public final class Reports {

    private Reports() {
    }

    /**
     * The deployment as {@code report.json} writes it, for other JSON documents about the same
     * deployment (webhook payloads): {@code service}, {@code version}, {@code previousVersion},
     * {@code environment}, {@code kind}, {@code fixes} and {@code labels} (sorted by name), redacted
     * as the reports are: a label named like a credential ({@code deploy-token}) shows
     * {@code [REDACTED]}, and a credential inside any other text is masked.
     *
     * @param deployment the deployment
     * @return a new node the caller may add to
     */
    public static ObjectNode deploymentJson(Deployment deployment) {
        return JsonReport.deployment(Redaction.deployment(Objects.requireNonNull(deployment, "deployment")));
    }

    /**
     * A copy of the deployment redacted as the reports redact it: a label named like a credential
     * ({@code deploy-token}) holds {@code [REDACTED]}, and a credential inside any other text is
     * masked. For what keeps a deployment beside the reports, such as a release history's rows.
     *
     * @param deployment the deployment
     * @return the deployment, redacted
     * @throws NullPointerException when {@code deployment} is {@code null}
     */
    public static Deployment redact(Deployment deployment) {
        return Redaction.deployment(Objects.requireNonNull(deployment, "deployment"));
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
     * A text with each control character below space but tab, newline and carriage return (a NUL, the
     * ESC of a terminal escape code) replaced by U+FFFD, as every report and the console show it: a probe's text
     * may quote a binary body or a coloured log line. For probe modules that hand such text on.
     *
     * @param text the text; {@code null} stays {@code null}
     * @return the text, printable
     */
    public static String printable(String text) {
        if (text == null || text.chars().noneMatch(Reports::control)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        text.chars().forEach(c -> out.append(control(c) ? '\uFFFD' : (char) c));
        return out.toString();
    }

    /**
     * A text as one console line, for what a person gave (a folder, a file name) and messages that
     * quote it: each control character written as its escape ({@code \n}, {@code \r}, {@code \t},
     * {@code \u001b}), DEL and the C1 controls included, so that a name holding a line break
     * cannot split the line or pass for another one.
     *
     * @param text the text; {@code null} stays {@code null}
     * @return the text on one line
     */
    public static String oneLine(String text) {
        if (text == null || text.chars().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.chars().forEach(c -> {
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c));
            }
        });
        return out.toString();
    }

    private static boolean control(int c) {
        return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
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
     *     (see {@link #write(VerificationReport, Path, Set, List)} for what the folder then holds)
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
     *     (see {@link #write(VerificationReport, Path, Set, List)} for what the folder then holds)
     */
    public static Map<ReportFormat, Path> write(VerificationReport report, Path dir, Set<ReportFormat> formats) {
        return write(report, dir, formats, List.of());
    }

    /**
     * Writes the given formats into a folder, creating it when needed, with notes at the end of each
     * (the JUnit XML excepted): lines such as the release history's quiet-release streak.
     *
     * <p>The folder never mixes two verifications: the files of the given formats that a previous
     * verification left are removed before this one's are moved in. When a format cannot be
     * written, the others are still written and its previous file is gone; when a previous file
     * cannot be removed, this verification's files go to the subfolder {@code run-<report id>}
     * instead, which the failure names: never lost, never beside the previous run's. The files of
     * formats not given are left as they are.
     *
     * @param report the verification's report
     * @param dir the folder
     * @param formats the formats to write
     * @param notes lines to add, redacted like the rest; may be empty
     * @return the files written, by format, in the order of {@link ReportFormat}
     * @throws UncheckedIOException when the folder cannot be created or a file cannot be written;
     *     the message names each format that failed and the files that were written
     */
    public static Map<ReportFormat, Path> write(VerificationReport report, Path dir, Set<ReportFormat> formats,
            List<String> notes) {
        Written written = written(report, dir, formats, notes);
        if (written.cause() != null) {
            throw new UncheckedIOException(written.failure().orElseThrow(), written.cause());
        }
        return written.files();
    }

    /** Writes as {@link #write(VerificationReport, Path, Set, List)} does, telling what was written and what failed instead of throwing. */
    static Written written(VerificationReport report, Path dir, Set<ReportFormat> formats, List<String> notes) {
        Objects.requireNonNull(report, "report");
        List<String> redactedNotes = notes.stream().map(Redaction::text).toList();
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(formats, "formats");
        VerificationReport redacted = Redaction.report(report);
        Map<ReportFormat, Supplier<String>> texts = new EnumMap<>(ReportFormat.class);
        formats.forEach(format -> texts.put(format, () -> format.renderRaw(redacted, redactedNotes)));
        return write(dir, texts, aside(report.id()));
    }

    /** The subfolder a verification's reports go to when the folder's previous ones cannot be removed: {@code run-<id>}. */
    private static String aside(String id) {
        String safe = id == null ? "" : id.replaceAll("[^A-Za-z0-9._-]", "_");
        return "run-" + (safe.isEmpty() || safe.startsWith(".") || safe.length() > 100 ? UUID.randomUUID() : safe);
    }

    /** Writes as {@link #write(Path, Map, String)} does, into {@code run-<random id>} when the previous files cannot be removed. */
    static Written write(Path dir, Map<ReportFormat, Supplier<String>> texts) {
        return write(dir, texts, aside(null));
    }

    /**
     * Writes each format's text into the folder so that it never mixes two verifications: every
     * text goes to a temporary file first, then the previous files of every format are removed,
     * then the temporary files are moved in place. A format whose text or file fails is named in
     * the result and leaves no file; the others are still written. When a previous file cannot be
     * removed, this run's files go to the subfolder {@code aside} instead, so that neither this run's
     * reports are lost nor the folder mixes two runs; a file that cannot be moved in place is kept
     * as its temporary file, named in the result.
     */
    static Written write(Path dir, Map<ReportFormat, Supplier<String>> texts, String aside) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            // The exception's class says why (AccessDeniedException, FileSystemException): its message is often the path only.
            throw new UncheckedIOException("report folder " + dir + " could not be created: " + VigilException.describe(e), e);
        }
        Map<ReportFormat, Path> temps = new EnumMap<>(ReportFormat.class);
        Map<ReportFormat, Exception> failures = new EnumMap<>(ReportFormat.class);
        try {
            texts.forEach((format, text) -> {
                try {
                    temps.put(format, temporary(dir.resolve(format.fileName()), text.get()));
                } catch (IOException | RuntimeException e) {
                    // One format failing, its renderer included, must not cost the others their reports.
                    failures.put(format, e);
                }
            });
            Map<ReportFormat, Exception> stuck = new EnumMap<>(ReportFormat.class);
            java.util.Set<ReportFormat> removed = java.util.EnumSet.noneOf(ReportFormat.class);
            for (ReportFormat format : texts.keySet()) {
                try {
                    if (Files.deleteIfExists(dir.resolve(format.fileName()))) {
                        removed.add(format);
                    }
                } catch (IOException e) {
                    stuck.put(format, e);
                }
            }
            if (!stuck.isEmpty()) {
                // This run's reports are its only record: written beside the previous ones, never lost, never mixed.
                Path elsewhere = dir.resolve(aside);
                String where;
                Map<ReportFormat, Path> files = Map.of();
                try {
                    Files.createDirectories(elsewhere);
                    files = moveIn(temps, elsewhere, failures);
                    where = (files.isEmpty() ? "nothing of this run was written" : "this run's " + names(files.keySet())
                            + " were written to " + elsewhere + " instead") + ", so that " + dir + " does not mix two runs";
                } catch (IOException e) {
                    // The previous run's files stay where a reader looks for this run's: say so, never "not mixed".
                    where = "nor could " + elsewhere + " be created (" + VigilException.describe(e) + "); "
                            + (temps.isEmpty() ? "nothing of this run was written"
                                    : "this run's reports are kept as " + temps.values().stream().map(Path::toString)
                                            .collect(Collectors.joining(", ")))
                            + "; " + dir + " still holds the previous verification's " + names(stuck.keySet())
                            + ", which are not this run's";
                }
                // What was not moved is this run's only copy, named above: kept, not removed below.
                temps.clear();
                String unwritten = failures.isEmpty() ? ""
                        : names(failures.keySet()) + " could not be written (" + reasons(failures) + "); ";
                return new Written(Collections.unmodifiableMap(new LinkedHashMap<>(files)), Optional.of(unwritten
                        + names(stuck.keySet()) + " of the previous verification could not be removed (" + reasons(stuck)
                        + "): " + where), cause(stuck));
            }
            Map<ReportFormat, Path> files = moveIn(temps, dir, failures);
            // What was not moved is this run's only copy, named in its failure: kept, not removed below.
            temps.clear();
            Map<ReportFormat, Path> written = Collections.unmodifiableMap(new LinkedHashMap<>(files));
            if (failures.isEmpty()) {
                return new Written(written, Optional.empty(), null);
            }
            // Only what was there: "the previous report.html removed" of a folder that had none sent readers looking for it.
            removed.retainAll(failures.keySet());
            return new Written(written, Optional.of(names(failures.keySet()) + " could not be written (" + reasons(failures)
                    + "); " + (files.isEmpty() ? "nothing was written" : "written: " + names(files.keySet()))
                    + (removed.isEmpty() ? "" : "; the previous " + names(removed) + " removed, so that " + dir
                            + " does not mix two runs")),
                    cause(failures));
        } finally {
            removeAll(temps.values());
        }
    }

    /**
     * Moves each temporary file into {@code folder} under its format's name. A file that cannot be
     * moved stays as its temporary file, which its failure names: the report is this run's only copy.
     * Each moved one is removed from {@code temps}, so that what remains there was not moved.
     */
    private static Map<ReportFormat, Path> moveIn(Map<ReportFormat, Path> temps, Path folder,
            Map<ReportFormat, Exception> failures) {
        Map<ReportFormat, Path> files = new EnumMap<>(ReportFormat.class);
        temps.forEach((format, temp) -> {
            Path target = folder.resolve(format.fileName());
            try {
                move(temp, target);
                files.put(format, target);
            } catch (IOException e) {
                failures.put(format, new IOException(VigilException.describe(e) + "; this run's " + format.fileName()
                        + " is kept as " + temp, e));
            }
        });
        files.keySet().forEach(temps::remove);
        return files;
    }

    /**
     * The files of one verification's reports; when some could not be written, the words saying
     * which and why ({@code failure}) and the first failure ({@code cause}), else {@code null}.
     */
    record Written(Map<ReportFormat, Path> files, Optional<String> failure, IOException cause) {
    }

    /** The formats' file names: {@code report.html, summary.md}. */
    private static String names(Set<ReportFormat> formats) {
        StringJoiner out = new StringJoiner(", ");
        formats.forEach(f -> out.add(f.fileName()));
        return out.toString();
    }

    /** Each format's failure in words, after its file name when there are several. */
    private static String reasons(Map<ReportFormat, Exception> failures) {
        StringJoiner out = new StringJoiner("; ");
        failures.forEach((format, e) -> out.add((failures.size() > 1 ? format.fileName() + ": " : "")
                + VigilException.describe(e)));
        return out.toString();
    }

    /** The first failure, as the {@link IOException} an {@link UncheckedIOException} needs. */
    private static IOException cause(Map<ReportFormat, Exception> failures) {
        Exception first = failures.values().iterator().next();
        return first instanceof IOException io ? io : new IOException(VigilException.describe(first), first);
    }

    /**
     * Writes a text (UTF-8) to a file whole or not at all, as the reports are written: into a
     * temporary file in the same folder, then moved in place (atomically where the file system
     * allows, else replacing the file). A crash or a full disk midway leaves the previous file as it
     * was, and a reader sees the old text or the new one, never half of one. The folder must exist.
     *
     * @param file the file to write or replace
     * @param text the text
     * @throws IOException when the file cannot be written; the previous file is then untouched
     *     and no temporary file is left
     */
    public static void writeWhole(Path file, String text) throws IOException {
        Path temp = temporary(file, text);
        try {
            move(temp, file);
        } catch (IOException | RuntimeException e) {
            removeAll(List.of(temp));
            throw e;
        }
    }

    /** Writes text to a temporary file beside the target. */
    private static Path temporary(Path target, String text) throws IOException {
        // Not Files.createTempFile: its files are private (0600); a report gets the usual permissions.
        Path temp = target.toAbsolutePath().getParent().resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return temp;
        } catch (IOException | RuntimeException e) {
            removeAll(List.of(temp));
            throw e;
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void removeAll(Iterable<Path> temps) {
        for (Path temp : temps) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                // The failure being reported matters more than a leftover temporary file.
            }
        }
    }
}
