package dev.vigil.cli;

import picocli.CommandLine.Option;

/** {@code --debug}: stack traces and debug logging. */
final class DebugOption {

    @Option(names = "--debug", description = "Show stack traces and debug logging.")
    boolean debug;
}
