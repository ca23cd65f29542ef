package dev.vigil.junit.probe;

import java.nio.channels.ClosedByInterruptException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps JUnit's class path scanner from printing a stack trace when Vigil cancels a run during
 * discovery. A run cut short at its timeout (or a verification aborted) interrupts the run's thread;
 * when the scanner is opening a jar of the suite at that moment, the interrupt closes the jar's file
 * channel and JUnit logs a {@code WARNING} with a {@link ClosedByInterruptException} and its whole
 * stack trace through {@code java.util.logging}, whose console handler writes it to {@code System.err}:
 * on the console of the pipeline running Vigil. The measurement already says the run was cancelled,
 * so only those records are dropped; every other record of the scanner passes, through the filter
 * that was set before, if any.
 */
final class CancelledScanLog {

    /** The logger JUnit's {@code DefaultClasspathScanner} writes to. */
    private static final String SCANNER = "org.junit.platform.commons.util.DefaultClasspathScanner";

    /** Held once installed, so that the logger and its filter are not collected: {@link Logger#getLogger} keeps loggers weakly. */
    private static Logger installed;

    private CancelledScanLog() {
    }

    /** Installs the filter on the scanner's logger, once. */
    static synchronized void install() {
        if (installed == null) {
            Logger logger = Logger.getLogger(SCANNER);
            Filter before = logger.getFilter();
            logger.setFilter(record -> !cancelled(record) && (before == null || before.isLoggable(record)));
            installed = logger;
        }
    }

    /** Whether the record's exception was caused by the interrupt that cancels a run. */
    static boolean cancelled(LogRecord record) {
        Throwable t = record.getThrown();
        for (int depth = 0; t != null && depth < 20; depth++, t = t.getCause()) {
            if (t instanceof ClosedByInterruptException) {
                return true;
            }
        }
        return false;
    }
}
