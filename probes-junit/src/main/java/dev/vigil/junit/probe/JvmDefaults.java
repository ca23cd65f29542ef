package dev.vigil.junit.probe;

import java.util.Locale;
import java.util.TimeZone;

/**
 * The JVM's default {@link Locale} (with its {@link Locale.Category#DISPLAY DISPLAY} and
 * {@link Locale.Category#FORMAT FORMAT} defaults) and default {@link TimeZone}, which a test may
 * set and a probe must not carry into later rounds and other probes: a confirmation test that sets
 * {@code Locale.setDefault(Locale.GERMANY)} and leaves it would make every later
 * {@code String.format("%.2f")} of the JVM write {@code 0,05}, and one that sets a time zone would
 * move every local time shown. The {@code SecurityManager} too (Java 17, up to 23 when allowed): one a test installed to
 * trap {@code System.exit} would make the command line's own exit with the verdict's code throw. Saved when the first of the runs under way starts and restored when the last of them
 * ends, so that probes measuring at the same time never take each other's change for the original.
 * Thread-safe.
 */
final class JvmDefaults {

    private static final Object LOCK = new Object();

    /** How many runs are under way; guarded by {@link #LOCK}. */
    private static int running;

    /** The defaults before the first of the runs under way; guarded by {@link #LOCK}. */
    private static JvmDefaults saved;

    private final Locale locale = Locale.getDefault();
    private final Locale display = Locale.getDefault(Locale.Category.DISPLAY);
    private final Locale format = Locale.getDefault(Locale.Category.FORMAT);
    private final TimeZone zone = TimeZone.getDefault();
    /** The security manager (Java 17, up to 23 when allowed); a test that traps {@code System.exit} with one must not keep it. */
    @SuppressWarnings("removal")
    private final SecurityManager security = System.getSecurityManager();

    private JvmDefaults() {
    }

    /** A run starts: the defaults are saved when no other run is under way. */
    static void enter() {
        synchronized (LOCK) {
            if (running++ == 0) {
                saved = new JvmDefaults();
            }
        }
    }

    /** A run ends: the defaults are restored when it was the last one under way. */
    static void exit() {
        synchronized (LOCK) {
            if (--running == 0) {
                saved.restore();
                saved = null;
            }
        }
    }

    private void restore() {
        // The default first: setting it sets both categories, which are then set back on their own.
        Locale.setDefault(locale);
        Locale.setDefault(Locale.Category.DISPLAY, display);
        Locale.setDefault(Locale.Category.FORMAT, format);
        TimeZone.setDefault(zone);
        restoreSecurityManager();
    }

    @SuppressWarnings("removal")
    private void restoreSecurityManager() {
        if (System.getSecurityManager() != security) {
            try {
                System.setSecurityManager(security);
            } catch (SecurityException | UnsupportedOperationException e) {
                // A manager that refuses to be replaced cannot be removed by anyone: it stays.
            }
        }
    }
}
