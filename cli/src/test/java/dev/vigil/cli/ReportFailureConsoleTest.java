package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What verify's console says about its reports: a failure to write them once, with what was and
 * was not written, and a report folder whose name holds a control character on one line.
 */
class ReportFailureConsoleTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    /** What the log writes: slf4j-simple writes to {@code System.err} as it is when it writes. */
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    private static Path config(Path dir) throws Exception {
        return Files.writeString(dir.resolve("c.properties"), String.join("\n",
                "vigil.history.enabled=false",
                "vigil.plan.initial-delay=0s",
                "vigil.plan.interval=1s",
                "vigil.plan.duration=1s",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                "vigil.probes.p.pass-when=exit-code == 0",
                ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"lines", "none"})
    void reportsThatCouldNotBeWrittenAreSaidOnceWithWhatWasWritten(String progress, @TempDir Path dir) throws Exception {
        // The folder cannot be made: a file stands where its parent would be (as root too).
        Path blocked = Files.writeString(dir.resolve("blocked"), "x");

        int exit = run("verify", "--config", config(dir).toString(), "--service", "s", "--version", "1",
                "--progress", progress, "--report-dir", blocked.resolve("reports").toString());

        assertThat(exit).isEqualTo(ExitCodes.HEALTHY);
        String console = text(out) + text(err) + text(log);
        assertThat(console.split("could not be created", -1)).as(console).hasSize(2);
        assertThat(console).contains("report folder " + blocked.resolve("reports") + " could not be created")
                .contains("nothing was written");
    }

    @Test
    void aReportFolderWithALineBreakInItsNameIsShownOnOneLine(@TempDir Path dir) throws Exception {
        Path reports = dir.resolve("new\nVerdict:  HEALTHY");

        assertThat(run("verify", "--config", config(dir).toString(), "--service", "s", "--version", "1",
                "--progress", "lines", "--report-dir", reports.toString())).isEqualTo(ExitCodes.HEALTHY);

        assertThat(Files.exists(reports.resolve("report.json"))).isTrue();
        assertThat(text(out)).contains("Reports:  " + dir.toAbsolutePath() + "/new\\nVerdict:  HEALTHY/report.html")
                .doesNotContainPattern("(?m)^Verdict:  HEALTHY/");
    }

    @Test
    void aReportFolderThatIsAFileWithALineBreakInItsNameIsNamedOnOneLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken\rx"), "x");

        assertThat(run("verify", "--config", config(dir).toString(), "--service", "s", "--version", "1",
                "--report-dir", file.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(text(err)).contains("--report-dir " + dir + "/taken\\rx is a file, not a folder").doesNotContain("\r");
    }

    private int run(String... args) {
        PrintStream before = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            return VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args);
        } finally {
            System.setErr(before);
        }
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }
}
