package dev.vigil.cli;

import dev.vigil.report.Reports;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command line: {@code java -jar vigil.jar verify --config FILE ...} and
 * {@code java -jar vigil.jar validate --config FILE}. See {@code docs/cli.md} and
 * {@link ExitCodes} for the exit codes.
 *
 * <p>Errors are one clear message on stderr without a stack trace; {@code --debug} shows the
 * stack trace and debug logging.
 */
@Command(name = "vigil",
        mixinStandardHelpOptions = true,
        versionProvider = VigilCommand.Version.class,
        description = {"Verifies a service right after it is deployed and rolls it back when it is unhealthy.", ""},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0    HEALTHY",
            "  1    UNHEALTHY, rollback done (or dry-run)",
            "  2    usage or configuration error (the message names the key)",
            "  3    INCONCLUSIVE, nothing rolled back",
            "  4    UNHEALTHY and the rollback FAILED: a person must act",
            "  5    rolled back, but the re-check did not find the previous version healthy: a person must look",
            "  6    validate --online, init: valid, every dependency answers, with warnings",
            "  130  aborted (SIGINT or SIGTERM)"})
public final class VigilCommand implements Runnable {

    /** The commands by name, in the order help lists them. */
    private static final Map<String, Class<?>> COMMANDS = commands();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private final PrintStream out;

    private VigilCommand(PrintStream out) {
        this.out = out;
    }

    /** Where the progress and the verdict go. */
    PrintStream out() {
        return out;
    }

    /**
     * Runs the command line and exits the JVM with its exit code.
     *
     * @param args the arguments
     */
    public static void main(String... args) {
        AbortOnSignal.exitsAfterCommand();
        System.exit(run(System.out, System.err, args));
    }

    /**
     * The level of Flyway's logging: off by default (simplelogger.properties: the history store says
     * in one line what failed, where Flyway would print a stack trace), debug with {@code --debug}.
     */
    static final String FLYWAY_LOG_LEVEL = "org.slf4j.simpleLogger.log.org.flywaydb";

    /**
     * Runs the command line without exiting the JVM. While {@code verify} or {@code rehearse} runs,
     * a shutdown of the JVM (SIGINT, SIGTERM) aborts it: it writes its reports and records its
     * history, and a JVM that has not ended within the grace period is stopped with the command's
     * exit code. (Run by {@link #main}, the command handles the two signals itself and the JVM
     * shuts down once it has ended.)
     *
     * @param out where the progress, the verdict and help go
     * @param err where errors go
     * @param args the arguments
     * @return the exit code, one of {@link ExitCodes}
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        for (String arg : args) {
            if (arg.equals("--debug")) {
                // Before any logger exists: slf4j-simple reads its level once.
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "debug");
                System.setProperty(FLYWAY_LOG_LEVEL, "debug");
            }
        }
        return execute(commandLine(out, err, args), args);
    }

    /**
     * Runs a command line; an {@link Error} (out of memory, a linkage error), which picocli lets
     * through, is an unexpected failure as any other: exit {@link ExitCodes#INCONCLUSIVE} with one
     * line. Left to the JVM it would end the process with 1, which says that the rollback ran.
     */
    static int execute(CommandLine cli, String... args) {
        String helpBeforeCommand = helpBeforeCommand(args);
        if (helpBeforeCommand == null) {
            helpBeforeCommand = helpWithArguments(args);
        }
        if (helpBeforeCommand != null) {
            cli.getErr().println("vigil: " + helpBeforeCommand);
            cli.getErr().println("Try 'vigil --help' for more information.");
            cli.getErr().flush();
            return ExitCodes.USAGE;
        }
        try {
            return cli.execute(args);
        } catch (Error e) {
            return unexpected(cli.getErr(), dev.vigil.VigilException.describe(e), e,
                    java.util.Arrays.asList(args).contains("--debug"));
        }
    }

    /**
     * Why {@code vigil --version 2.4.1 verify --config FILE} is refused: picocli shows Vigil's version
     * (or the help) and skips the command, exit 0, which a pipeline reads as HEALTHY. Before the
     * command, {@code --version} and {@code --help} are Vigil's own and come alone; {@code null} when
     * none comes before a command.
     */
    static String helpBeforeCommand(String... args) {
        for (int i = 0; i < args.length && !COMMANDS.containsKey(args[i]); i++) {
            boolean version = args[i].equals("--version") || args[i].matches("-h*V[hV]*");
            if (version || isHelp(args[i])) {
                for (int j = i + 1; j < args.length; j++) {
                    if (COMMANDS.containsKey(args[j])) {
                        return args[i] + " before the command " + args[j] + " shows " + (version ? "Vigil's version" : "Vigil's help")
                                + " and would run nothing: " + (version ? "the version deployed goes after the command (vigil "
                                + args[j] + " --version 2.4.1 ...)" : "for the command's help, vigil " + args[j] + " --help");
                    }
                }
            }
        }
        return null;
    }

    /**
     * Why {@code vigil verify --config FILE --help} is refused: picocli shows the command's help and
     * skips it, exit 0, which a pipeline reads as HEALTHY (or, for {@code validate}, as valid). A
     * command's {@code --help} ({@code -h}) comes alone after it; {@code null} when there is none,
     * or nothing else.
     */
    static String helpWithArguments(String... args) {
        String command = null;
        String help = null;
        int others = 0;
        for (String arg : args) {
            if (command == null && COMMANDS.containsKey(arg)) {
                command = arg;
            } else if (command != null && isHelp(arg)) {
                help = arg;
            } else {
                others++;
            }
        }
        if (help == null || others == 0) {
            return null;
        }
        return help + " with other arguments shows the help of " + command + " and would run nothing: help is printed"
                + " when it is the only argument (vigil " + command + " --help); without it, " + command + " runs";
    }

    private static boolean isHelp(String arg) {
        return arg.equals("--help") || arg.matches("-h+");
    }

    static CommandLine commandLine(PrintStream out, PrintStream err, String... args) {
        // UTF-8 whatever the locale, as picocli's writers below and every report: in the locale's encoding
        // (ASCII under LANG=C) the console of verify and rehearse named the service kassé "kass?". A PrintStream
        // over the given one passes the encoded bytes through unchanged.
        CommandLine cli = new CommandLine(new VigilCommand(new PrintStream(out, true, StandardCharsets.UTF_8)));
        commandsFor(args).forEach(cli::addSubcommand);
        cli.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // "@NAME" is a value like any other (--service "$SERVICE" with SERVICE=@acme/checkout), never a file
        // of arguments read in its place: which it was would depend on the files in the working folder.
        cli.setExpandAtFiles(false);
        // After the commands are added: picocli registers a converter with the commands it has.
        cli.registerConverter(java.nio.file.Path.class, VigilCommand::path);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            // The message quotes arguments (one it cannot place, a label given twice): a credential among them is masked.
            failed.getErr().println("vigil: " + Reports.redact(e.getMessage()));
            failed.getErr().println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((e, failed, parsed) -> {
            boolean debug = parsed.matchedOptionValue("--debug", false)
                    || parsed.subcommands().stream().anyMatch(p -> p.matchedOptionValue("--debug", false));
            return unexpected(failed.getErr(), describe(e), e, debug);
        });
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.setOut(cli.getOut());
            sub.setErr(cli.getErr());
        }
        return cli;
    }

    private static Map<String, Class<?>> commands() {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        commands.put("verify", VerifyCommand.class);
        commands.put("validate", ValidateCommand.class);
        commands.put("rehearse", RehearseCommand.class);
        commands.put("init", InitCommand.class);
        commands.put("history", HistoryCommand.class);
        return Collections.unmodifiableMap(commands);
    }

    /**
     * The commands that {@code args} can reach: the one they name, none for {@code --version},
     * else all of them (help lists them; an unknown one is named in the error). picocli reads a
     * command's annotations when the command is added, which takes longer than the rest of
     * {@code --version}.
     */
    static Map<String, Class<?>> commandsFor(String... args) {
        if (args.length > 0 && COMMANDS.containsKey(args[0])) {
            return Map.of(args[0], COMMANDS.get(args[0]));
        }
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return Map.of();
        }
        return COMMANDS;
    }

    /**
     * A file or folder option: an empty one ({@code --report-dir "$REPORTS"} with the variable
     * unset) would be the working folder, so it is refused.
     */
    private static java.nio.file.Path path(String value) {
        if (value.isBlank()) {
            throw new CommandLine.TypeConversionException("empty; give a path");
        }
        try {
            return java.nio.file.Path.of(value);
        } catch (java.nio.file.InvalidPathException e) {
            throw new CommandLine.TypeConversionException("not a path: " + e.getMessage());
        }
    }

    /**
     * Prints an unexpected failure and gives its exit code: one line, then the stack trace with
     * {@code --debug} or how to see it; both masked as the reports are, since the failure's message,
     * or a cause's, may quote a URL or header with a credential.
     */
    private static int unexpected(PrintWriter err, String failure, Throwable e, boolean debug) {
        err.println("vigil: unexpected failure: " + Reports.redact(failure));
        if (debug) {
            err.print(redactedTrace(e));
        } else {
            err.println("(run with --debug to see the stack trace)");
        }
        err.flush();
        return ExitCodes.INCONCLUSIVE;
    }

    /** The stack trace as {@code printStackTrace} writes it, masked as the reports are. */
    private static String redactedTrace(Throwable e) {
        java.io.StringWriter trace = new java.io.StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        return Reports.redact(trace.toString());
    }

    static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    @Override
    public void run() {
        List<String> names = List.copyOf(COMMANDS.keySet());
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: "
                + String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1));
    }

    /** Reads the version from the resource the build writes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vigil " + version(), "Java " + System.getProperty("java.version")
                    + " (" + System.getProperty("java.vendor") + ")"};
        }

        static String version() {
            Properties p = new Properties();
            try (InputStream in = VigilCommand.class.getResourceAsStream("/vigil-cli.properties")) {
                if (in != null) {
                    p.load(in);
                }
            } catch (IOException e) {
                return "unknown";
            }
            return p.getProperty("version", "unknown");
        }
    }
}
