package dev.vigil.history.quality;

import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistoryStore;
import dev.vigil.history.RehearsalRecord;
import dev.vigil.history.ReleaseRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The release history over a period, with every service's figures, ready to render as a text
 * table, JSON or a self-contained HTML page. Immutable and thread-safe; rendering is stateless.
 *
 * <pre>{@code
 * HistoryReport report = HistoryReport.read(store, HistoryQuery.service("checkout")
 *         .withSince(now.minus(Duration.ofDays(90))), HistorySettings.DEFAULT_HOTFIX_WINDOW, now);
 * System.out.print(report.table());
 * Files.writeString(dir.resolve("history.html"), report.html());
 * }</pre>
 *
 * @param query what was read
 * @param hotfixWindow the hotfix window the figures used
 * @param generatedAt when this report was made
 * @param services each service's figures, by name
 * @param records the records read, oldest first (for the charts over time)
 */
public record HistoryReport(HistoryQuery query, Duration hotfixWindow, Instant generatedAt, List<ServiceQuality> services,
        List<ReleaseRecord> records) {

    /**
     * Validates and copies.
     *
     * @param query what was read
     * @param hotfixWindow the hotfix window the figures used
     * @param generatedAt when this report was made
     * @param services each service's figures, by name
     * @param records the records read, oldest first (for the charts over time)
     */
    public HistoryReport {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(hotfixWindow, "hotfixWindow");
        Objects.requireNonNull(generatedAt, "generatedAt");
        services = List.copyOf(services);
        records = List.copyOf(records);
    }

    /**
     * Reads the history the query selects and computes the figures.
     *
     * @param store the history
     * @param query which records
     * @param hotfixWindow how soon a hotfix must follow a deployment to make it a failed change
     * @param now when the report is made
     * @return the report
     * @throws dev.vigil.history.HistoryException when the history cannot be read
     */
    public static HistoryReport read(HistoryStore store, HistoryQuery query, Duration hotfixWindow, Instant now) {
        List<ReleaseRecord> records = store.releases(query);
        List<RehearsalRecord> rehearsals = store.rehearsals(query);
        return new HistoryReport(query, hotfixWindow, now, ReleaseQuality.of(records, rehearsals, hotfixWindow), records);
    }

    /** {@return a text table, one block per service, for a terminal or a CI log} */
    public String table() {
        return HistoryTable.render(this);
    }

    /**
     * JSON with documented keys (see {@code docs/history.md}).
     *
     * @return the JSON text
     */
    public String json() {
        return HistoryJson.render(this);
    }

    /** {@return one self-contained HTML page with inline-SVG charts and no script} */
    public String html() {
        return HistoryPage.render(this);
    }
}
