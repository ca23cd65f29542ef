package dev.vigil.cli;

import dev.vigil.config.ConfigProblem;
import dev.vigil.config.ConfigurationException;
import java.io.PrintWriter;
import java.util.List;

/** Prints configuration problems, one line per key, for people. */
final class ConfigErrors {

    private ConfigErrors() {
    }

    static int print(PrintWriter err, String file, List<ConfigProblem> problems, Throwable cause, boolean debug) {
        err.println("vigil: invalid configuration " + dev.vigil.report.Reports.oneLine(String.valueOf(file)) + " (" + problems.size()
                + (problems.size() == 1 ? " problem" : " problems") + "):");
        for (ConfigProblem problem : problems) {
            err.println("  " + problem);
        }
        if (debug && cause != null) {
            cause.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.USAGE;
    }

    static int print(PrintWriter err, String file, ConfigurationException e, boolean debug) {
        return print(err, file, e.problems(), e, debug);
    }
}
