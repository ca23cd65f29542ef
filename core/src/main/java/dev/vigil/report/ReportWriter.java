package dev.vigil.report;

import dev.vigil.VerificationListener;
import dev.vigil.VerificationReport;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link VerificationListener} that writes the reports into a folder when a verification
 * finishes, through {@link Reports#write} (redacted, atomic).
 *
 * <pre>{@code
 * ReportWriter reports = ReportWriter.to(Path.of("build/vigil"));
 * DeployVerifier verifier = DeployVerifier.builder()...listener(reports).build();
 * }</pre>
 *
 * <p>A failure to write is logged and kept ({@link #failure()}, naming each format that failed);
 * it never changes the verdict. Each verification replaces the files of the previous one, and the
 * folder never holds files of both: a format that cannot be written leaves no file, not the
 * previous verification's (see {@link Reports#write(VerificationReport, Path, Set, List)}). Thread-safe: the accessors may be
 * called from any thread.
 */
public final class ReportWriter implements VerificationListener {

    private static final Logger LOG = LoggerFactory.getLogger(ReportWriter.class);

    private final Path dir;
    private final Set<ReportFormat> formats;
    private final Supplier<List<String>> notes;
    private volatile Map<ReportFormat, Path> written = Map.of();
    private volatile String failure;

    private ReportWriter(Path dir, Set<ReportFormat> formats, Supplier<List<String>> notes) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.formats = Set.copyOf(formats);
        this.notes = notes;
    }

    /**
     * A writer of every {@link ReportFormat} into {@code dir}, which is created when needed.
     *
     * @param dir the folder the reports go to
     * @return a new writer, to register as a listener
     */
    public static ReportWriter to(Path dir) {
        return new ReportWriter(dir, EnumSet.allOf(ReportFormat.class), List::of);
    }

    /**
     * A writer of the given formats into {@code dir}, which is created when needed.
     *
     * @param dir the folder the reports go to
     * @param formats the formats to write; at least one
     * @return a new writer, to register as a listener
     * @throws IllegalArgumentException when no format is given
     */
    public static ReportWriter to(Path dir, Set<ReportFormat> formats) {
        if (formats.isEmpty()) {
            throw new IllegalArgumentException("a report writer needs at least one format");
        }
        return new ReportWriter(dir, formats, List::of);
    }

    /**
     * A writer like this one that ends each report (the JUnit XML excepted) with the lines the
     * supplier gives when a verification finishes, such as
     * {@link dev.vigil.history.HistoryRecorder#lines()}; register their source as a listener before
     * this writer.
     *
     * @param lines called once per finished verification
     * @return a new writer; this one is unchanged
     */
    public ReportWriter notes(Supplier<List<String>> lines) {
        return new ReportWriter(dir, formats, Objects.requireNonNull(lines, "lines"));
    }

    /**
     * The sub-folder the reports of a watch after the bake go to, so that they never overwrite the
     * bake's: {@code <dir>/watch/report.html}.
     */
    public static final String WATCH_DIR = "watch";

    /** {@return the folder the reports go to} */
    public Path dir() {
        return dir;
    }

    @Override
    public void finished(VerificationReport report) {
        try {
            Reports.Written result = Reports.written(report, report.watch() ? dir.resolve(WATCH_DIR) : dir, formats,
                    List.copyOf(notes.get()));
            written = result.files();
            failure = result.failure().orElse(null);
        } catch (RuntimeException e) {
            written = Map.of();
            failure = e.getMessage() + "; nothing was written";
        }
        if (failure != null) {
            LOG.warn("the reports of {} {} could not be written: {}", report.deployment().service(),
                    report.deployment().version(), failure);
        }
    }

    /**
     * {@return the files written for the last verification that finished, by format; empty before
     * the first, and after a failure only the formats that were written}
     */
    public Map<ReportFormat, Path> written() {
        return written;
    }

    /**
     * Why the last verification's reports could not be written, if they could not.
     *
     * @return the reason, or empty when they were written or no verification has finished
     */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return "ReportWriter[" + dir + "]";
    }
}
