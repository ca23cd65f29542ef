package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line in-process: parsing and messages. The jar itself is tested by {@link VigilJarIT}. */
class VigilCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void aMissingCommandIsAUsageError() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("vigil: missing command: verify or validate");
    }

    @Test
    void aMissingConfigFileIsAConfigurationErrorNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");

        assertThat(run("validate", "--config", missing.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains(missing + ": file not found").doesNotContain("\tat ");
    }

    @Test
    void aReportFolderThatIsAFileIsAUsageError(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.probes.p.type=command\n"
                + "vigil.probes.p.command=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        assertThat(run("verify", "--config", config.toString(), "--service", "s", "--version", "1",
                "--report-dir", file.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("--report-dir " + file + " is a file, not a folder");
    }

    @Test
    void aRehearsalShowsNoCredentialTheRollbackCommandPrints(@TempDir Path dir) throws Exception {
        // As verify's console and reports: a rollback command that prints its environment shows no secret.
        Path config = Files.writeString(dir.resolve("c.properties"), String.join("\n",
                "vigil.deployment.environment=staging",
                "vigil.history.enabled=false",
                "vigil.plan.interval=1s",
                "vigil.rollback.recheck.rounds=1",
                "vigil.rollback.recheck.delay=0s",
                "vigil.probes.p.type=command",
                "vigil.probes.p.command=true",
                "vigil.probes.p.pass-when=exit-code == 0",
                "vigil.rollback.command=printf 'PASSWORD=pw-4f1a9c\\nAuthorization: Bearer tok-77e2b9\\n' && exit 3",
                ""));

        assertThat(run("rehearse", "--config", config.toString(), "--service", "s", "--version", "2"))
                .isEqualTo(ExitCodes.ROLLBACK_FAILED);
        assertThat(out()).contains("Rehearsal: FAILED").contains("[REDACTED]")
                .doesNotContain("pw-4f1a9c").doesNotContain("tok-77e2b9");
    }

    @Test
    void everyConfigurationProblemIsListed(@TempDir Path dir) throws Exception {
        Path config = Files.writeString(dir.resolve("c.properties"), "vigil.plan.duration=forever\n"
                + "vigil.probes.p.type=command\nvigil.probes.p.comand=true\nvigil.probes.p.pass-when=exit-code == 0\n");

        assertThat(run("validate", "--config", config.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("vigil.plan.duration").contains("vigil.probes.p.comand").contains("vigil.probes.p.command");
    }

    @Test
    void helpListsEveryCommandUnderTheNameItAnswersTo() {
        assertThat(run("--help")).isEqualTo(ExitCodes.HEALTHY);

        assertThat(VigilCommand.commandsFor("--help")).hasSize(5);
        VigilCommand.commandsFor("--help").forEach((name, command) -> {
            assertThat(command.getAnnotation(picocli.CommandLine.Command.class).name()).isEqualTo(name);
            assertThat(out()).containsPattern("(?m)^  " + name + " ");
        });
    }

    @Test
    void onlyTheCommandNamedIsBuilt() {
        assertThat(VigilCommand.commandsFor("validate", "--config", "a.properties")).containsOnlyKeys("validate");
        assertThat(VigilCommand.commandsFor("--version")).isEmpty();
        assertThat(VigilCommand.commandsFor("--version", "verify")).hasSize(5);
        assertThat(VigilCommand.commandsFor("verfy")).hasSize(5);
        assertThat(VigilCommand.commandsFor()).hasSize(5);
    }

    @Test
    void aMisspeltCommandIsAUsageErrorNamingIt() {
        assertThat(run("verfy", "--config", "a.properties")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("'verfy'").contains("vigil --help");
    }

    @Test
    void versionNamesVigilAndTheJava() {
        assertThat(run("--version")).isEqualTo(ExitCodes.HEALTHY);
        assertThat(out()).startsWith("vigil ").contains("Java " + System.getProperty("java.version"));
    }

    private int run(String... args) {
        return VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
