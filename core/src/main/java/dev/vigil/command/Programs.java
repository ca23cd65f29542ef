package dev.vigil.command;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import dev.vigil.Preflight;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Finds programs on this machine's {@code PATH}, the way a shell would before it starts them:
 * the one lookup behind the rollback command's preflight, the command probe and the tools
 * (a local Prometheus) that the examples and tests start. Stateless and thread-safe.
 */
public final class Programs {

    /** Words the shell runs itself: never looked for on the PATH. */
    private static final Set<String> BUILTINS = Set.of("cd", "echo", "exit", "export", "set", "unset", "test", "[",
            "[[", "true", "false", "printf", "read", "if", "then", "else", "elif", "fi", "for", "do", "done", "while",
            "until", "case", "esac", "{", "}", "(", ")", "!", ":", ".", "source", "exec", "eval", "return", "shift",
            "trap", "wait", "sleep", "local", "command", "type", "umask", "ulimit", "time");

    private Programs() {
    }

    /** A variable assignment whose value is quoted, blanks and all: {@code PGPASSWORD='a b'}. */
    private static final java.util.regex.Pattern QUOTED_ASSIGNMENT =
            java.util.regex.Pattern.compile("(?<![^\\s;&|(])([A-Za-z_][A-Za-z0-9_]*=)(?:'[^']*'|\"[^\"]*\")");

    /** A quoted word: {@code '...'} or {@code "..."}. */
    private static final java.util.regex.Pattern QUOTED = java.util.regex.Pattern.compile("'[^']*'|\"[^\"]*\"");
    /** What ends a simple command outside quotes; inside them it is part of a word. */
    private static final java.util.regex.Pattern SEPARATOR = java.util.regex.Pattern.compile("[;&|\\r\\n]");

    /**
     * The first word of each simple command of a shell command line, variable assignments skipped
     * (a quoted value with blanks too: its words are no program, and may be a secret's). A
     * {@code ;}, {@code &}, {@code |} or line break inside quotes ends no command:
     * {@code --pass 'a;b'} starts no program {@code b}, which would name part of a password.
     */
    static List<String> ofShellCommand(String command) {
        List<String> programs = new ArrayList<>();
        String unquoted = QUOTED.matcher(QUOTED_ASSIGNMENT.matcher(command).replaceAll("$1x"))
                .replaceAll(m -> java.util.regex.Matcher.quoteReplacement(SEPARATOR.matcher(m.group()).replaceAll(" ")));
        for (String simple : unquoted.split("&&|\\|\\||;|\\||\\n|(?<=\\s)&(?=\\s|$)")) {
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

    /**
     * Where a program is: the path itself when the name contains a {@code /} (relative to the
     * working directory when not absolute), else the first executable file of that name in the
     * folders of the {@code PATH} environment variable, in order (empty entries skipped).
     *
     * @param program a program's name ({@code kubectl}) or path ({@code ./undo.sh})
     * @return the executable found, or empty when there is none (or no {@code PATH})
     * @throws NullPointerException when {@code program} is null
     * @throws java.nio.file.InvalidPathException when the name cannot be a path on this system
     */
    public static Optional<Path> find(String program) {
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

    /**
     * The check before a deployment of a command that is not run: each program must be on the
     * {@code PATH}; a word with a {@code $} or a backquote cannot be known before the shell runs it
     * and is named as unchecked.
     *
     * @param subject what the command is, shown first ({@code rollback command kubectl rollout undo ...})
     * @param programs the programs it would start ({@link #ofShellCommand})
     * @return an error naming the programs missing and the {@code PATH}, a warning naming those not
     *     checked, or OK naming those found
     */
    static Preflight check(String subject, List<String> programs) {
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> unchecked = new ArrayList<>();
        for (String program : programs) {
            if (program.contains("$") || program.contains("`")) {
                unchecked.add(program);
                continue;
            }
            find(program).ifPresentOrElse(path -> found.add(program + " (" + path + ")"), () -> missing.add(program));
        }
        String path = Objects.toString(System.getenv("PATH"), "");
        if (!missing.isEmpty()) {
            return Preflight.error(subject + ": " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not on the PATH of this machine (" + path
                    + "): install " + (missing.size() == 1 ? "it" : "them") + " where the pipeline runs, or give the full path");
        }
        String message = subject + ": " + (found.isEmpty() ? "no program to look for" : "found " + String.join(", ", found));
        return unchecked.isEmpty() ? Preflight.ok(message)
                : Preflight.warning(message + "; not checked, as only the shell knows them: " + String.join(", ", unchecked));
    }
}
