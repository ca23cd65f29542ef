package dev.vigil.rollback;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The programs a shell command would start, and where they are on the {@code PATH}. */
final class Programs {

    /** Words the shell runs itself: never looked for on the PATH. */
    private static final Set<String> BUILTINS = Set.of("cd", "echo", "exit", "export", "set", "unset", "test", "[",
            "[[", "true", "false", "printf", "read", "if", "then", "else", "elif", "fi", "for", "do", "done", "while",
            "until", "case", "esac", "{", "}", "(", ")", "!", ":", ".", "source", "exec", "eval", "return", "shift",
            "trap", "wait", "sleep", "local", "command", "type", "umask", "ulimit", "time");

    private Programs() {
    }

    /** The first word of each simple command of a shell command line, variable assignments skipped. */
    static List<String> ofShellCommand(String command) {
        List<String> programs = new ArrayList<>();
        for (String simple : command.split("&&|\\|\\||;|\\||\\n|(?<=\\s)&(?=\\s|$)")) {
            for (String word : simple.trim().split("\\s+")) {
                String w = word.replaceAll("^[('\"]+|[)'\"]+$", "");
                if (w.isEmpty() || w.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                    continue;
                }
                if (!BUILTINS.contains(w) && !programs.contains(w)) {
                    programs.add(w);
                }
                break;
            }
        }
        return programs;
    }

    /** Where a program is: itself when it names a path, else the first executable of that name on the PATH. */
    static Optional<Path> find(String program) {
        if (program.contains("/")) {
            Path path = Path.of(program);
            return Files.isExecutable(path) && !Files.isDirectory(path) ? Optional.of(path) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
