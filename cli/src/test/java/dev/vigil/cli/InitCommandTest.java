package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.BoundConfig;
import dev.vigil.config.VigilConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vigil init} in-process: the file it writes says what it was given. */
class InitCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void theRollbackCommandReadsBackAsGivenBackslashesAndLineBreaksIncluded(@TempDir Path dir) {
        // Unescaped, "\." read back as "." (another sed expression), and the trailing backslash joined the next
        // line, "vigil.rollback.timeout=2m", to the command.
        String command = "sed -i 's/\\./-/' versions.txt && ./rollback.sh \\\n  --to \"$VIGIL_PREVIOUS_VERSION\" \\";
        Path file = dir.resolve("vigil.properties");

        int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "init", "--actuator", "http://127.0.0.1:8080", "--rollback", command,
                "--file", file.toString(), "--no-check");

        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.HEALTHY);
        BoundConfig config = VigilConfig.builder().environment(Map.of()).build().load(file);
        assertThat(config.properties()).containsEntry("vigil.rollback.command", command);
        assertThat(config.rollbackPolicy().timeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aFileToWriteWhoseNameHoldsALineBreakIsNamedOnOneLine(@TempDir Path dir) throws Exception {
        Path inTheWay = java.nio.file.Files.writeString(dir.resolve("config\nvigil: wrote vigil.properties"), "a file");
        Path file = inTheWay.resolve("vigil.properties");
        Path taken = java.nio.file.Files.writeString(dir.resolve("taken\r\nvigil: wrote it"), "a file");

        int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "init", "--actuator", "http://127.0.0.1:8080", "--file", file.toString(), "--no-check");
        int again = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "init", "--actuator", "http://127.0.0.1:8080", "--file", taken.toString(), "--no-check");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(again).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "vigil: cannot write " + dir + "/config\\nvigil: wrote vigil.properties/vigil.properties: " + dir
                        + "/config\\nvigil: wrote vigil.properties is a file, not a folder",
                "vigil: " + dir + "/taken\\r\\nvigil: wrote it exists; init never overwrites a file: move it away or pass --file");
    }

    @Test
    void aFileWhereTheFolderShouldBeIsNamedNotTheFileToWrite(@TempDir Path dir) throws Exception {
        // Before: "vigil: DIR/config/vigil.properties exists; init never overwrites a file", a file that did not exist.
        Path inTheWay = java.nio.file.Files.writeString(dir.resolve("config"), "a file");
        Path file = inTheWay.resolve("vigil.properties");

        int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "init", "--actuator", "http://127.0.0.1:8080", "--file", file.toString(), "--no-check");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("vigil: cannot write " + file + ": " + inTheWay
                + " is a file, not a folder").doesNotContain("exists");
    }

    @Test
    void aYamlFileIsRefusedBeforeAnythingIsWritten(@TempDir Path dir) {
        // The text is properties: under a .yml name every later validate and verify read it as YAML and failed.
        for (String name : new String[] {"vigil.yml", "vigil.yaml", "VIGIL.YML"}) {
            Path file = dir.resolve(name);
            err.reset();

            int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    "init", "--actuator", "http://127.0.0.1:8080", "--file", file.toString(), "--no-check");

            assertThat(code).as(name).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(name).contains("--file").contains(".properties");
            assertThat(file).as(name).doesNotExist();
        }
    }
    @Test
    void anEmptyOptionIsAUsageErrorNotADefaultWrittenInItsPlace(@TempDir Path dir) {
        // "--service \"$SERVICE\"" with SERVICE unset wrote vigil.deployment.service=my-service, and a rollback
        // command made of ${vigil.deployment.service} would have rolled back a service of that name; an empty
        // --rollback wrote no rollback at all.
        Path file = dir.resolve("vigil.properties");
        for (String option : new String[] {"--service", "--rollback", "--job", "--prometheus", "--actuator"}) {
            out.reset();
            err.reset();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("init", "--file", file.toString(), "--no-check"));
            if (!option.equals("--actuator")) {
                args.addAll(java.util.List.of("--actuator", "http://127.0.0.1:8080"));
            }
            args.addAll(java.util.List.of(option, " "));

            int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));

            assertThat(code).as(option).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).as(option).contains("'" + option + "'").contains("empty");
            assertThat(file).as(option).doesNotExist();
        }
    }

    @Test
    void anOptionThatMakesAnInvalidFileIsAUsageErrorNamingItAndNothingIsWritten(@TempDir Path dir) {
        // init wrote the file, its check refused it (exit 2) and kept it: the corrected command then met "exists;
        // init never overwrites a file", and a password given in --actuator stayed on disk.
        Path file = dir.resolve("vigil.properties");
        String[][] cases = {
            {"--actuator", "127.0.0.1:8080", "its scheme is missing; write http://127.0.0.1:8080/actuator/health"},
            {"--actuator", "http://deploy:pa55word-never-shown@127.0.0.1:8080", "holds credentials"},
            {"--prometheus", "prometheus:9090", "must be an http or https URL"},
            // The health path went into the query (http://127.0.0.1:8080?access_token=.../actuator/health), the token in clear.
            {"--actuator", "http://127.0.0.1:8080?access_token=pa55word-never-shown", "must not have a query or a fragment"},
            {"--actuator", "http://127.0.0.1:8080/actuator/health#details", "must not have a query or a fragment"},
        };
        for (String[] c : cases) {
            out.reset();
            err.reset();
            java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("init", "--file", file.toString(), "--no-check"));
            if (!c[0].equals("--actuator")) {
                args.addAll(java.util.List.of("--actuator", "http://127.0.0.1:8080", "--job", "checkout"));
            }
            args.addAll(java.util.List.of(c[0], c[1]));

            int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));

            String said = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(c[1]).isEqualTo(ExitCodes.USAGE);
            assertThat(said).as(c[1]).startsWith("vigil: " + c[0] + ": ").contains(c[2]).contains("nothing was written")
                    .doesNotContain("pa55word-never-shown");
            assertThat(said.lines().filter(l -> l.contains(c[2]))).as(said).hasSize(1);
            assertThat(file).as(c[1]).doesNotExist();
        }
    }

    /**
     * A rollback command that gives a credential written out was written into the file in clear
     * (such files are committed), though a password in --actuator was refused for that reason. One
     * that the command's shell fills in from the environment is written as given.
     */
    @Test
    void aRollbackCommandGivingACredentialWrittenOutIsRefusedAndNothingIsWritten(@TempDir Path dir) {
        Path file = dir.resolve("vigil.properties");
        for (String command : new String[] {
            "curl -fsS -X POST -H 'Authorization: Bearer tok-never-shown-42' https://deploy.example/rollback",
            "deployer rollback --token tok-never-shown-42 --to \"$VIGIL_PREVIOUS_VERSION\"",
            // A URL's password and a token parameter: written in clear before, as the options' flags are not.
            "curl -fsS -X POST https://deploy:tok-never-shown-42@deploy.example/rollback",
            "curl -fsS -X POST 'https://deploy.example/rollback?to=1.9.0&access_token=tok-never-shown-42'",
            // An environment assignment before the command: written in clear, and quoted in clear
            // in the message when another credential made init refuse the command.
            "DEPLOY_PASSWORD=tok-never-shown-42 deployer rollback --to \"$VIGIL_PREVIOUS_VERSION\"",
            "DEPLOY_PASSWORD=tok-never-shown-42 deployer rollback --token tok-never-shown-42"}) {
            out.reset();
            err.reset();

            int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    "init", "--actuator", "http://127.0.0.1:8080", "--rollback", command, "--file", file.toString(), "--no-check");

            String said = err.toString(StandardCharsets.UTF_8);
            assertThat(code).as(said).isEqualTo(ExitCodes.USAGE);
            assertThat(said).startsWith("vigil: --rollback gives a credential written out (").contains("$ROLLBACK_TOKEN")
                    .contains("nothing was written").doesNotContain("tok-never-shown-42");
            assertThat(file).doesNotExist();
        }

        String fromTheEnvironment = "curl -fsS -X POST -H \"Authorization: Bearer $ROLLBACK_TOKEN\" https://deploy.example/rollback"
                + " \"https://deploy.example/rollback?access_token=$ROLLBACK_TOKEN\"";
        int code = VigilCommand.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                "init", "--actuator", "http://127.0.0.1:8080", "--rollback", fromTheEnvironment, "--file", file.toString(), "--no-check");
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(ExitCodes.HEALTHY);
        java.util.Properties written = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file)) {
            written.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(written).containsEntry("vigil.rollback.command", fromTheEnvironment);
    }
}
