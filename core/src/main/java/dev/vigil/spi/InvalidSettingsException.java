package dev.vigil.spi;

import dev.vigil.VigilException;

/**
 * Thrown by a factory ({@link ProbeFactory#create}, {@link RollbackTriggerFactory#create}) that
 * cannot make its part from the settings it was given. The problems it reported through
 * {@link ConfigSettings#problem} before throwing are what the user sees, each with its key; the
 * exception's own message is shown only when the factory reported none.
 */
public class InvalidSettingsException extends VigilException {

    private static final long serialVersionUID = 1L;

    /**
     * An exception for settings whose problems were reported through {@link ConfigSettings#problem}.
     *
     * @param message what is wrong, shown only when no problem was reported
     */
    public InvalidSettingsException(String message) {
        super(message);
    }

    /**
     * The usual way out of a factory once its problems are reported.
     *
     * @param settings the settings that were read
     * @return an exception naming the part ({@code vigil.probes.health})
     */
    public static InvalidSettingsException reported(ConfigSettings settings) {
        return new InvalidSettingsException("the settings of " + settings.fullKey("").replaceAll("\\.$", "")
                + " have problems");
    }
}
