package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command lines the pages give to copy are accepted by the command line as they are written. */
class DocumentedCommandLinesTest {

    /** {@code java -jar .../vigil.jar}, or the launcher ({@code vigil}, {@code cli/target/vigil}), then a command. */
    private static final Pattern COMMAND_LINE = Pattern.compile(
            "(?:java(?: -\\S+)* -jar \\S*vigil\\S*\\.jar|(?<![\\w.-])(?:\\S*/)?vigil)"
                    + " +((?:verify|validate|rehearse|init|history)\\b.*)");

    /** A word of a shell command line: quoted, or up to the next blank. */
    private static final Pattern WORD = Pattern.compile("\"([^\"]*)\"|'([^']*)'|(\\S+)");

    @Test
    void everyCommandLineOfACodeBlockParses() throws IOException {
        // A command line in a shell, CI or Jenkins block is copied into a pipeline: an option renamed in the code
        // and not on the page is a usage error (exit 2) in someone's release. Blocks without a language (the
        // usage synopsis, output samples) and text blocks are not command lines to copy.
        List<String> refused = new ArrayList<>();
        int checked = 0;
        for (Path page : pages()) {
            checked += check(page, true, refused);
        }

        assertThat(checked).isGreaterThan(10);
        assertThat(refused).isEmpty();
    }

    @Test
    void everyCommandLineOfTheCiExamplesParses() throws IOException {
        // examples/ci holds whole pipelines to copy (GitHub Actions, GitLab CI, Jenkins): every line is meant to run.
        List<String> refused = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(Path.of("..", "examples", "ci"))) {
            for (Path file : files.sorted().toList()) {
                checked += check(file, false, refused);
            }
        }

        assertThat(checked).isGreaterThanOrEqualTo(6);
        assertThat(refused).isEmpty();
    }

    /**
     * Parses the command lines of {@code file}, those of its code blocks only or all of them, adds
     * those refused to {@code refused} with their place and why, and gives how many it parsed.
     */
    private static int check(Path file, boolean codeBlocksOnly, List<String> refused) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String language = null;
        int checked = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (codeBlocksOnly && line.startsWith("```")) {
                language = language == null ? line.substring(3).strip() : null;
                continue;
            }
            if (codeBlocksOnly && (language == null || language.isEmpty() || language.equals("text"))) {
                continue;
            }
            Matcher command = COMMAND_LINE.matcher(line);
            boolean comment = line.strip().startsWith("#") || line.strip().startsWith("//");
            if (comment || !command.find()) {
                continue;
            }
            String text = command.group(1);
            for (int next = i + 1; text.strip().endsWith("\\") && next < lines.size(); next++) {
                text = text.strip().replaceFirst("\\\\$", " ") + lines.get(next).strip();
            }
            checked++;
            String[] args = words(text);
            String problem = problem(args);
            if (problem != null) {
                refused.add(file + ":" + (i + 1) + ": vigil " + String.join(" ", args) + "\n  " + problem);
            }
        }
        return checked;
    }

    @Test
    void aCommandLineWithAnOptionTheCommandDoesNotHaveIsRefused() {
        assertThat(problem(words("history --service checkout --version 2.4.1"))).contains("--version");
        assertThat(problem(words("verify --version \"$VERSION\"  # the config comes from elsewhere"))).contains("--config");
        assertThat(problem(words("verify --config vigil.properties --version 2.4.1 --help"))).contains("--help");
    }

    /** The shell words of a command line, up to a comment, a redirection, a pipe or the end of a quoted script. */
    private static String[] words(String text) {
        List<String> words = new ArrayList<>();
        // ${{ github.sha }} in a GitHub Actions step is one value by the time the shell reads the line.
        Matcher word = WORD.matcher(text.replaceAll("\\$\\{\\{[^}]*}}", "value"));
        while (word.find()) {
            String plain = word.group(3);
            if (plain != null && (plain.startsWith("#") || plain.startsWith(">") || plain.startsWith("2>")
                    || plain.equals("|") || plain.equals("||") || plain.equals("&&") || plain.equals(";"))) {
                break;
            }
            if (plain != null && plain.endsWith("'")) {
                // sh '... --version "$GIT_COMMIT"' in a Jenkinsfile: the script ends with the quote.
                if (plain.length() > 1) {
                    words.add(plain.substring(0, plain.length() - 1));
                }
                break;
            }
            words.add(plain != null ? plain : word.group(1) != null ? word.group(1) : word.group(2));
        }
        return words.toArray(String[]::new);
    }

    /** Why the command line refuses {@code args}, or {@code null} when it takes them. */
    private static String problem(String... args) {
        String help = VigilCommand.helpBeforeCommand(args);
        if (help == null) {
            help = VigilCommand.helpWithArguments(args);
        }
        if (help != null) {
            return help;
        }
        PrintStream discard = new PrintStream(new ByteArrayOutputStream(), true);
        try {
            VigilCommand.commandLine(discard, discard, args).parseArgs(args);
            return null;
        } catch (CommandLine.ParameterException e) {
            return e.getMessage();
        }
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(Path.of("..", "README.md"), Path.of("..", "examples", "README.md")));
        try (Stream<Path> docs = Files.list(Path.of("..", "docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }
}
