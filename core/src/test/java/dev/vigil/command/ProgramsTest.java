package dev.vigil.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgramsTest {

    @Test
    void aNameIsLookedForOnThePath() {
        assertThat(Programs.find("sh")).hasValueSatisfying(path -> {
            assertThat(path.getFileName()).hasToString("sh");
            assertThat(Files.isExecutable(path)).isTrue();
        });
    }

    @Test
    void aNameNotOnThePathIsNotFound() {
        assertThat(Programs.find("vigil-no-such-program")).isEmpty();
    }

    @Test
    void aPathIsItselfWhenExecutableAndNothingOtherwise(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("undo.sh"), "#!/bin/sh\n");
        Path plain = Files.writeString(dir.resolve("notes.txt"), "");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        assertThat(Programs.find(script.toString())).contains(script);
        assertThat(Programs.find(plain.toString())).isEmpty();
        assertThat(Programs.find(dir.toString())).isEmpty();
    }

    @Test
    void aQuotedAssignmentWithBlanksIsSkippedWhole() {
        // Its second word was taken for the program, and the preflight named a part of the secret.
        assertThat(Programs.ofShellCommand("PGPASSWORD='c0ffee tail' psql -h db; X=\"a b\" ./undo.sh"))
                .containsExactly("psql", "./undo.sh");
    }

    @Test
    void aSeparatorInsideQuotesEndsNoCommand() {
        // What followed a quoted ';' was taken for a program, and the preflight named a part of the password.
        assertThat(Programs.ofShellCommand("deployer --pass 'x9;s3cr3t' -v; curl -H \"k: a|b\" https://x && ./undo.sh"))
                .containsExactly("deployer", "curl", "./undo.sh");
    }
}
