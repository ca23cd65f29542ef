package dev.vigil.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line's logging (simplelogger.properties): Flyway, which prints a failed statement of
 * the history's schema check with its whole stack trace, is quiet; Vigil's own warnings, which say
 * the same in one line, are not; {@code --debug} brings Flyway's logging back.
 */
class CliLoggingTest {

    /** A logger made now, so that it reads the configuration as it is (loggers keep the level they were made with). */
    private static Logger fresh(String prefix) {
        return LoggerFactory.getLogger(prefix + ".CliLoggingTest" + System.nanoTime());
    }

    @Test
    void flywaysErrorsAreNotPrintedButVigilsWarningsAre() {
        String before = System.clearProperty(VigilCommand.FLYWAY_LOG_LEVEL);
        try {
            assertThat(fresh("org.flywaydb.core.internal.jdbc").isErrorEnabled())
                    .as("Flyway's 'Unable to restore autocommit' with 40 lines of stack trace").isFalse();
            assertThat(fresh("dev.vigil.history.jdbc").isWarnEnabled()).isTrue();
            assertThat(fresh("dev.vigil.cli").isWarnEnabled()).isTrue();
        } finally {
            if (before != null) {
                System.setProperty(VigilCommand.FLYWAY_LOG_LEVEL, before);
            }
        }
    }

    @Test
    void debugShowsFlywaysLoggingToo() {
        String before = System.getProperty(VigilCommand.FLYWAY_LOG_LEVEL);
        String level = System.getProperty("org.slf4j.simpleLogger.defaultLogLevel");
        try {
            VigilCommand.run(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
                    new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), "--debug", "--help");
            assertThat(fresh("org.flywaydb.core").isDebugEnabled()).isTrue();
        } finally {
            restore(VigilCommand.FLYWAY_LOG_LEVEL, before);
            restore("org.slf4j.simpleLogger.defaultLogLevel", level);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
