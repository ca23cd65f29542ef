package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify} records into the release history and ends with the streak; {@code history} shows the figures. */
class HistoryCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private ByteArrayOutputStream out;
    private ByteArrayOutputStream err;

    private Path config(String probeCommand, String historyUrl, String password) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "checkout");
        p.put("vigil.deployment.environment", "production");
        p.put("vigil.plan.initial-delay", "0");
        // A probe's timeout is at most the interval: 50 ms made a loaded machine's /bin/sh time out.
        p.put("vigil.plan.interval", "500ms");
        p.put("vigil.plan.duration", "1s");
        p.put("vigil.probes.smoke.type", "command");
        p.put("vigil.probes.smoke.command", probeCommand);
        p.put("vigil.rollback.command", "true");
        p.put("vigil.rollback.recheck.rounds", "0");
        p.put("vigil.history.url", historyUrl);
        if (password != null) {
            p.put("vigil.history.username", "ci");
            p.put("vigil.history.password", password);
        }
        StringBuilder text = new StringBuilder();
        p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Path file = Files.createTempFile(dir, "application-", ".properties");
        Files.writeString(file, text);
        return file;
    }

    private String h2() {
        return "jdbc:h2:file:" + dir.resolve("history/history");
    }

    private int run(String... args) {
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();
        return VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verifyRecordsEachReleaseAndEndsWithTheStreak() throws Exception {
        Path healthy = config("true", h2(), null);
        Path failing = config("false", h2(), null);

        assertThat(run("verify", "-c", healthy.toString(), "--version", "1.0", "--progress", "lines",
                "--report-dir", dir.resolve("r1").toString())).isEqualTo(ExitCodes.HEALTHY);
        assertThat(run("verify", "-c", healthy.toString(), "--version", "1.1", "--progress", "lines",
                "--report-dir", dir.resolve("r2").toString())).isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).contains("History: quiet release #2 in a row for checkout (longest 2)");
        JsonNode report = JSON.readTree(dir.resolve("r2/report.json").toFile());
        assertThat(report.path("notes").get(0).asText()).isEqualTo("History: quiet release #2 in a row for checkout (longest 2)"
                + "; its rollback was never rehearsed successfully (vigil rehearse in staging proves it works)");
        assertThat(Files.readString(dir.resolve("r2/report.html"))).contains("quiet release #2 in a row for checkout");

        assertThat(run("verify", "-c", failing.toString(), "--version", "1.2", "--progress", "lines",
                "--report-dir", dir.resolve("r3").toString())).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(out()).contains("History: 2 quiet releases of checkout in a row came before this rollback (longest 2)");

        assertThat(run("history", "-c", healthy.toString(), "--format", "json")).isEqualTo(0);
        JsonNode figures = JSON.readTree(out()).path("services").get(0);
        assertThat(figures.path("service").asText()).isEqualTo("checkout");
        assertThat(figures.path("deployments").asInt()).isEqualTo(3);
        assertThat(figures.path("rollbacks").asInt()).isEqualTo(1);
        assertThat(figures.path("changeFailureRate").asDouble()).isEqualTo(1.0 / 3);
        assertThat(figures.path("quietStreak").path("longest").asInt()).isEqualTo(2);

        assertThat(run("history", "-c", healthy.toString())).isEqualTo(0);
        assertThat(out()).contains("checkout").contains("change-failure rate  33.3% (1 of 3").contains("0 in a row now, longest 2");

        assertThat(run("history", "-c", healthy.toString(), "--format", "html", "--out", dir.resolve("page").toString())).isEqualTo(0);
        assertThat(Files.readString(dir.resolve("page/history.html"))).contains("<svg class=\"chart quarters\"")
                .contains("data-service=\"checkout\"");
    }

    @Test
    void aRecordThisVigilCannotReadIsLeftOutOfTheFiguresAndCounted() throws Exception {
        // A verdict a newer Vigil wrote (or a hand edit) ended vigil history as an unexpected failure, exit 3.
        Path healthy = config("true", h2(), null);
        for (String version : new String[] {"1.0", "1.1"}) {
            assertThat(run("verify", "-c", healthy.toString(), "--version", version, "--progress", "none",
                    "--report-dir", dir.resolve("r" + version).toString())).isEqualTo(ExitCodes.HEALTHY);
        }
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(h2(), "", "");
                java.sql.Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE vigil_release SET verdict = 'SKIPPED' WHERE version = '1.0'")).isOne();
        }

        assertThat(run("history", "-c", healthy.toString(), "--format", "json")).isEqualTo(ExitCodes.HEALTHY);
        assertThat(JSON.readTree(out()).path("services").get(0).path("deployments").asInt()).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("vigil: 1 record of the history could not be read and is"
                + " left out of these figures; the warnings above name it and say why" + System.lineSeparator());
    }

    @Test
    void theHistoryOnStandardOutputIsUtf8WhateverTheLocalesEncoding() throws Exception {
        // Printed in the locale's encoding (ASCII under LANG=C or no LANG, as on many CI agents), the JSON
        // gave "kass?" for the service kassé: valid JSON with another name in it. validate prints UTF-8 already.
        Path healthy = config("true", h2(), null);
        assertThat(run("verify", "-c", healthy.toString(), "--service", "kassé", "--version", "1.0", "--progress", "none",
                "--report-dir", dir.resolve("r").toString())).isEqualTo(ExitCodes.HEALTHY);
        out = new ByteArrayOutputStream();
        err = new ByteArrayOutputStream();

        int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.US_ASCII),
                new PrintStream(err, true, StandardCharsets.US_ASCII), "history", "-c", healthy.toString(), "--format", "json");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.HEALTHY);
        assertThat(JSON.readTree(out()).path("services").get(0).path("service").asText()).isEqualTo("kassé");
    }

    @Test
    void versionIsNoOptionOfHistory() throws Exception {
        Path healthy = config("true", h2(), null);

        // As for verify, validate and rehearse: it printed an empty line and exited 0, nothing shown.
        assertThat(run("history", "-c", healthy.toString(), "--version", "2.4.1")).isEqualTo(ExitCodes.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--version");
        assertThat(run("history", "--help")).isEqualTo(0);
        assertThat(out()).contains("--since").doesNotContain("--version");
    }

    @Test
    void anOutThatIsAFileIsAUsageErrorSayingSo() throws Exception {
        Path healthy = config("true", h2(), null);
        Path file = Files.writeString(dir.resolve("history.html"), "kept");

        assertThat(run("history", "-c", healthy.toString(), "--format", "html", "--out", file.toString()))
                .isEqualTo(ExitCodes.USAGE);

        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("vigil: --out " + file + " is a file, not a folder: name a folder for history.html");
        assertThat(Files.readString(file)).isEqualTo("kept");
    }

    /**
     * {@code --out} replaces the previous file with a whole new one instead of rewriting it in place:
     * written in place, a crash or a full disk midway left half a page where the previous one was.
     * Seen through a second link to the previous file, which keeps the previous text only when the
     * new file was moved in.
     */
    @Test
    void outReplacesThePreviousFileWholeInsteadOfRewritingIt() throws Exception {
        Path healthy = config("true", h2(), null);
        assertThat(run("verify", "-c", healthy.toString(), "--version", "1.0", "--progress", "none",
                "--report-dir", dir.resolve("r1").toString())).isEqualTo(ExitCodes.HEALTHY);
        Path page = Files.createDirectories(dir.resolve("page"));
        Path previous = Files.writeString(page.resolve("history.txt"), "previous history");
        Path link = Files.createLink(dir.resolve("previous-link.txt"), previous);

        assertThat(run("history", "-c", healthy.toString(), "--out", page.toString())).isEqualTo(ExitCodes.HEALTHY);

        assertThat(Files.readString(page.resolve("history.txt"))).contains("checkout");
        assertThat(Files.readString(link)).isEqualTo("previous history");
        try (java.util.stream.Stream<Path> files = Files.list(page)) {
            assertThat(files).containsExactly(page.resolve("history.txt"));
        }
    }

    @Test
    void aHistoryThatCannotBeOpenedChangesNeitherVerdictNorExitCode() throws Exception {
        String password = "pw-never-shown-42";
        Path healthy = config("true", "jdbc:postgresql://127.0.0.1:1/vigil?connectTimeout=2", password);
        Path failing = config("false", "jdbc:postgresql://127.0.0.1:1/vigil?connectTimeout=2", password);

        assertThat(run("verify", "-c", healthy.toString(), "--version", "1.0", "--progress", "lines",
                "--report-dir", dir.resolve("r1").toString())).isEqualTo(ExitCodes.HEALTHY);
        // The database named once: it read "the release history (not opened) could not be written: history
        // jdbc:postgresql://... could not be opened: ...".
        assertThat(out()).containsPattern("(?m)^Warning: the release history jdbc:postgresql://127\\.0\\.0\\.1:1/vigil could not be"
                + " opened: [^\\n]*Connection refused[^\\n]*; the verdict stands$").doesNotContain("not opened");
        assertThat(Files.readString(dir.resolve("r1/report.json"))).contains("Warning: the release history");
        assertThat(run("verify", "-c", failing.toString(), "--version", "1.1", "--progress", "lines",
                "--report-dir", dir.resolve("r2").toString())).isEqualTo(ExitCodes.ROLLED_BACK);
        assertThat(out()).contains("Warning: the release history");
        for (String file : new String[] {"report.json", "report.html", "summary.md", "report.xml"}) {
            assertThat(Files.readString(dir.resolve("r2").resolve(file))).doesNotContain(password);
        }
        assertThat(out() + err.toString(StandardCharsets.UTF_8)).doesNotContain(password);

        assertThat(run("history", "-c", healthy.toString())).isEqualTo(ExitCodes.INCONCLUSIVE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("jdbc:postgresql://127.0.0.1:1/vigil").doesNotContain(password);
    }

    @Test
    void aRehearsalIsRecordedAndCounted() throws Exception {
        Path config = config("true", h2(), null);
        assertThat(run("rehearse", "-c", config.toString(), "--version", "2.0", "--previous-version", "1.9",
                "--environment", "staging")).as(out()).isEqualTo(ExitCodes.HEALTHY);
        assertThat(run("history", "-c", config.toString(), "--format", "json")).isEqualTo(0);
        JsonNode checkout = JSON.readTree(out()).path("services").get(0);
        assertThat(checkout.path("service").asText()).isEqualTo("checkout");
        assertThat(checkout.path("rehearsals").asInt()).isEqualTo(1);
        assertThat(checkout.path("failedRehearsals").asInt()).isZero();
        assertThat(checkout.path("deployments").asInt()).isZero();
    }

    @Test
    void historyOffRecordsNothing() throws Exception {
        Path config = config("true", h2(), null);
        Files.writeString(config, "vigil.history.enabled=false\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(run("verify", "-c", config.toString(), "--version", "1.0", "--progress", "lines",
                "--report-dir", dir.resolve("r").toString())).isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).doesNotContain("History:").doesNotContain("Warning:");
        assertThat(dir.resolve("history")).doesNotExist();
    }

    @Test
    void aHistoryFileThatIsNotThereIsNamedOnOneLineWhateverItsNameHolds() throws Exception {
        // "\n" in a properties file is a line break in the value: it split the message, and its second half
        // read as a line of Vigil's own.
        Path config = config("true", "jdbc:h2:file:" + dir.resolve("histroy\\nvigil: 3 quiet releases in a row/history"), null);

        assertThat(run("history", "-c", config.toString())).isEqualTo(ExitCodes.INCONCLUSIVE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).singleElement().asString()
                .contains("histroy\\nvigil: 3 quiet releases in a row").contains("does not exist");
    }

    @Test
    void aHistoryFileThatIsNotThereIsNamedNotCreatedAndReadAsEmpty() throws Exception {
        // A mistyped vigil.history.url read "no deployments recorded", exit 0, and left an empty database there.
        Path config = config("true", "jdbc:h2:file:" + dir.resolve("histroy/history"), null);

        assertThat(run("history", "-c", config.toString())).isEqualTo(ExitCodes.INCONCLUSIVE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("does not exist").contains("histroy")
                .contains("nothing was recorded there yet, or vigil.history.url names another place");
        assertThat(out()).isEmpty();
        assertThat(dir.resolve("histroy")).doesNotExist();
    }

    @Test
    void anEmptyServiceOrEnvironmentIsAUsageErrorNotAnEmptyHistory() throws Exception {
        // "--service \"$SERVICE\"" with SERVICE unset matched no record: the figures said nothing was deployed.
        Path config = config("true", h2(), null);
        assertThat(run("verify", "-c", config.toString(), "--version", "1.0", "--progress", "none",
                "--report-dir", dir.resolve("r").toString())).isEqualTo(ExitCodes.HEALTHY);

        for (String option : new String[] {"--service", "--environment"}) {
            assertThat(run("history", "-c", config.toString(), option, "")).as(option).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("'" + option + "'").contains("empty");
            assertThat(out()).isEmpty();
        }
    }

    @Test
    void aMisspeltHistoryKeyIsAConfigurationErrorNamingIt() throws Exception {
        Path config = config("true", h2(), null);
        Files.writeString(config, "vigil.history.retension=30d\nvigil.history.url=postgres://db\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(run("validate", "-c", config.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("vigil.history.retension").contains("retention")
                .contains("vigil.history.url").contains("not a JDBC URL");
    }

    @Test
    void sinceTakesHoursDaysWeeksOrADate() {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");
        assertThat(HistoryCommand.since("90d", now)).isEqualTo(Instant.parse("2026-08-31T12:00:00Z"));
        assertThat(HistoryCommand.since("2w", now)).isEqualTo(Instant.parse("2026-11-15T12:00:00Z"));
        assertThat(HistoryCommand.since("48h", now)).isEqualTo(Instant.parse("2026-11-27T12:00:00Z"));
        assertThat(HistoryCommand.since("2026-01-01", now)).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        // To the second, as the heading and the JSON show it: the system clock has nanoseconds.
        assertThat(HistoryCommand.since("365d", Instant.parse("2026-12-03T00:45:15.396502259Z")))
                .isEqualTo(Instant.parse("2025-12-03T00:45:15Z"));
        // Further back than any record, or too far to compute: every record, never an unexpected failure.
        assertThat(HistoryCommand.since("1000000000000d", now)).isEqualTo(Instant.EPOCH);
        assertThat(HistoryCommand.since("99999999999999999999w", now)).isEqualTo(Instant.EPOCH);
        assertThat(HistoryCommand.since("500000d", now)).isEqualTo(Instant.EPOCH);
        assertThat(run("history", "--since", "last tuesday")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--since last tuesday").contains("90d");
    }

    /**
     * An invalid --since is echoed on one line, escaped as the other values the CLI echoes: a
     * newline or an ANSI escape in it is not printed raw, so it can neither forge a line of its own
     * nor recolour the terminal.
     */
    @Test
    void anInvalidSinceIsEchoedOnOneLineWithControlCharactersEscaped() {
        assertThat(run("history", "--since", "90x\nVerdict: HEALTHY\u001b[32m")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("vigil: --since 90x\\nVerdict: HEALTHY\\u001b[32m: use a number of hours")
                .doesNotContain("\u001b").doesNotContain("\nVerdict");
    }
}
