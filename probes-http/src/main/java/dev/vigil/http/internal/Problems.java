package dev.vigil.http.internal;

import dev.vigil.spi.ConfigSettings;

/**
 * The problems found while reading one probe's or trigger's settings into a builder: each builder
 * rejection is recorded against its key, and whether any was found is remembered. Used by one
 * thread.
 */
final class Problems {

    private final ConfigSettings settings;
    private boolean failed;

    Problems(ConfigSettings settings) {
        this.settings = settings;
    }

    /** Runs a builder call and records its rejection as a problem of {@code key}. */
    void check(String key, Runnable call) {
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            problem(key, e.getMessage());
        }
    }

    /** Records a problem that leaves nothing to build. */
    void problem(String key, String message) {
        settings.problem(key, message);
        failed = true;
    }

    /** Remembers that a reader which reports its own problems (the canary judge's) found one. */
    void reportedElsewhere() {
        failed = true;
    }

    /** Whether a problem that leaves nothing to build was found. */
    boolean failed() {
        return failed;
    }
}
