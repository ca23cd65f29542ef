package dev.vigil.cli;

import picocli.CommandLine.Option;

/**
 * {@code --debug}: stack traces and Vigil's debug logging. The HTTP clients' header and wire logs
 * stay off ({@code simplelogger.properties} keeps {@code org.apache.hc} at info), so that a debug
 * log never shows a bearer token, a password or an API key.
 */
final class DebugOption {

    @Option(names = "--debug", description = "Show stack traces and Vigil's debug logging (never the HTTP headers).")
    boolean debug;
}
