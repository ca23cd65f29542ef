package dev.vigil.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The training run of the class-data sharing archive that the build writes beside the jar
 * ({@code cli/pom.xml}, {@code docs/cli.md}): runs the command lines given, separated by
 * {@value #SEPARATOR}, one after the other in this one JVM, so that a single class list records
 * every class they load. Their output is dropped; each line says the exit code.
 *
 * <p>Not a command for users: {@code java -XX:DumpLoadedClassList=FILE -cp vigil.jar
 * dev.vigil.cli.Training --version ";" validate --config FILE}.
 */
final class Training {

    /** Ends one command line and starts the next. */
    static final String SEPARATOR = ";";

    private Training() {
    }

    public static void main(String... args) {
        PrintStream dropped = new PrintStream(OutputStream.nullOutputStream());
        for (List<String> command : commands(args)) {
            int exitCode = VigilCommand.run(dropped, dropped, command.toArray(String[]::new));
            System.out.println("training: vigil " + String.join(" ", command) + " -> exit " + exitCode);
        }
    }

    /** The command lines in the arguments; an empty one is left out. */
    static List<List<String>> commands(String... args) {
        List<List<String>> commands = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String arg : Arrays.asList(args)) {
            if (arg.equals(SEPARATOR)) {
                if (!current.isEmpty()) {
                    commands.add(current);
                }
                current = new ArrayList<>();
            } else {
                current.add(arg);
            }
        }
        if (!current.isEmpty()) {
            commands.add(current);
        }
        return commands;
    }
}
