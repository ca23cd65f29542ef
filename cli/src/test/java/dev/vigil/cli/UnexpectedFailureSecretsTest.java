package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** An unexpected failure is printed masked as the reports are, its one line and the stack trace of --debug alike. */
class UnexpectedFailureSecretsTest {

    private static final String PASSWORD = "s3cr3t-pw-never-printed";
    private static final String TOKEN = "eyJhbGciOi.never-printed.token";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A command failing with a credential in its message and in its cause's, as a library quoting a request may. */
    @CommandLine.Command(name = "leak")
    static final class Leak implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Option(names = "--debug")
        boolean debug;

        @Override
        public Integer call() {
            throw new IllegalStateException("cannot fetch https://ci:" + PASSWORD + "@repo.example/x",
                    new IllegalArgumentException("request refused: Authorization: Bearer " + TOKEN));
        }
    }

    private String run(String... args) {
        CommandLine cli = VigilCommand.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "leak");
        cli.addSubcommand("leak", new Leak());
        cli.getSubcommands().get("leak").setErr(cli.getErr());
        assertThat(VigilCommand.execute(cli, args)).isEqualTo(ExitCodes.INCONCLUSIVE);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theLineOfAnUnexpectedFailureShowsNoCredential() {
        assertThat(run("leak")).startsWith("vigil: unexpected failure: ")
                .contains("https://ci:[REDACTED]@repo.example/x").doesNotContain(PASSWORD);
    }

    @Test
    void theStackTraceOfDebugShowsNoCredential() {
        assertThat(run("leak", "--debug")).contains("\tat ").contains("Caused by: ")
                .contains("Authorization: [REDACTED]").doesNotContain(PASSWORD).doesNotContain(TOKEN);
    }
}
