package dev.vigil.cli;

import dev.vigil.report.Reports;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.history.HistoryException;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.HistorySettings;
import dev.vigil.history.jdbc.JdbcHistoryStore;
import dev.vigil.history.quality.HistoryReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vigil history}: the release-quality figures from the release history. */
@Command(name = "history",
        sortOptions = false,
        description = {"Shows the release history: per service the deployments, rollbacks, change-failure rate, time to "
                + "detect and restore, hotfix share, the quiet-release streak and the quarter-on-quarter trend.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {"  0    shown", "  2    usage or configuration error", "  3    the history could not be read"})
final class HistoryCommand implements Callable<Integer> {

    /** The formats {@code --format} takes. */
    enum Format {
        /** A text table. */
        TABLE("history.txt"),
        /** JSON. */
        JSON("history.json"),
        /** A self-contained HTML page. */
        HTML("history.html");

        private final String fileName;

        Format(String fileName) {
            this.fileName = fileName;
        }
    }

    private static final Pattern AGO = Pattern.compile("(\\d+)\\s*([hdw])");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.ParentCommand
    private VigilCommand parent;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "The configuration whose vigil.history.* keys name the history. Default: the embedded "
                    + "~/.vigil/history (or VIGIL_HISTORY_URL).")
    private Path config;

    @Option(names = "--service", paramLabel = "NAME", converter = NonBlank.class, description = "Only this service.")
    private String service;

    @Option(names = "--environment", paramLabel = "ENV", converter = NonBlank.class, description = "Only this environment.")
    private String environment;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only deployments that finished since then: 90d, 12w, 48h, or a date (2026-01-01). Default: all kept.")
    private String since;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or html. Default: ${DEFAULT-VALUE}.")
    private Format format;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write history.txt, history.json or history.html into this folder instead of printing it.")
    private Path out;

    // Not mixinStandardHelpOptions: its --version printed an empty line and exited 0, where verify,
    // validate and rehearse take --version as the version deployed.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    private final Clock clock = Clock.systemUTC();

    private HistoryCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (out != null && Files.exists(out) && !Files.isDirectory(out)) {
            // Told by the folder's creation, this was "cannot be written: FILE", which says nothing of why.
            err.println("vigil: --out " + Reports.oneLine(out.toString()) + " is a file, not a folder: name a folder for "
                    + format.fileName);
            err.flush();
            return ExitCodes.USAGE;
        }
        HistorySettings settings;
        try {
            // Loaded, not validated: a file holding only vigil.history.* keys (no probe) is enough here.
            BoundConfig bound = config == null ? VigilConfig.defaults().load(Map.of()) : VigilConfig.defaults().load(config);
            settings = bound.history();
        } catch (ConfigurationException e) {
            return ConfigErrors.print(err, config == null ? "(environment)" : config.toString(), e, false);
        }
        Instant now = clock.instant();
        Instant from;
        try {
            from = since == null ? null : since(since, now);
        } catch (IllegalArgumentException e) {
            err.println("vigil: --since " + dev.vigil.report.Reports.oneLine(since) + ": " + e.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        HistoryQuery query = new HistoryQuery(service, environment, from);
        String text;
        int unreadable;
        try {
            // Bounded: a database that accepted the connection and never answers would hold the command for good.
            Shown shown = HistoryAccess.within(HistoryAccess.OPEN_WAIT.plus(HistoryAccess.ANSWER_WAIT), () -> {
                try (JdbcHistoryStore store = JdbcHistoryStore.openExisting(settings, clock)) {
                    HistoryReport report = HistoryReport.read(store, query, settings.hotfixWindow(), now);
                    return new Shown(switch (format) {
                        case TABLE -> report.table();
                        case JSON -> report.json();
                        case HTML -> report.html();
                    }, store.unreadable().size());
                }
            }, late -> { });
            text = shown.text();
            unreadable = shown.unreadable();
        } catch (HistoryException e) {
            String why = String.valueOf(e.getMessage());
            err.println("vigil: " + (why.startsWith("history ") ? why
                    : "history " + HistoryAccess.describe(settings.url()) + " could not be read: " + why));
            err.flush();
            return ExitCodes.INCONCLUSIVE;
        }
        if (unreadable > 0) {
            // On stderr, so that the JSON on stdout stays whole; the store's warnings above say which and why.
            err.println("vigil: " + unreadable + (unreadable == 1 ? " record" : " records") + " of the history could not be read"
                    + " and " + (unreadable == 1 ? "is" : "are") + " left out of these figures; the warnings above name "
                    + (unreadable == 1 ? "it" : "them") + " and say why");
            err.flush();
        }
        if (out == null) {
            // UTF-8 as the files are (and as picocli's writer prints validate), whatever the locale: in
            // its encoding (ASCII under LANG=C) the JSON held "kass?" for a service kassé.
            PrintWriter shown = spec.commandLine().getOut();
            shown.print(text);
            shown.flush();
            return ExitCodes.HEALTHY;
        }
        try {
            Files.createDirectories(out);
            Path file = out.resolve(format.fileName);
            // Whole or not at all: a crash or a full disk midway left half a file where the previous one was.
            Reports.writeWhole(file, text);
            parent.out().println("History: " + Reports.oneLine(file.toAbsolutePath().toString()));
            parent.out().flush();
            return ExitCodes.HEALTHY;
        } catch (IOException e) {
            err.println("vigil: --out " + Reports.oneLine(out + ": cannot be written: " + e.getMessage()));
            err.flush();
            return ExitCodes.USAGE;
        }
    }

    /**
     * {@code 90d}, {@code 12w}, {@code 48h} before now (to the second: the heading and the JSON show
     * the bound the query used), or the start (UTC) of a date. A span reaching before 1970 (or too
     * long to compute) is the start of 1970: every record.
     */
    static Instant since(String text, Instant now) {
        Matcher m = AGO.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            Duration unit = switch (m.group(2)) {
                case "h" -> Duration.ofHours(1);
                case "d" -> Duration.ofDays(1);
                default -> Duration.ofDays(7);
            };
            try {
                Instant from = now.minus(unit.multipliedBy(Long.parseLong(m.group(1)))).truncatedTo(ChronoUnit.SECONDS);
                return from.isBefore(Instant.EPOCH) ? Instant.EPOCH : from;
            } catch (ArithmeticException | java.time.DateTimeException | NumberFormatException e) {
                return Instant.EPOCH;
            }
        }
        try {
            return LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("use a number of hours, days or weeks (48h, 90d, 12w) or a date (2026-01-01)");
        }
    }

    /** What the history shows, and how many of its records could not be read. */
    private record Shown(String text, int unreadable) {
    }
}
