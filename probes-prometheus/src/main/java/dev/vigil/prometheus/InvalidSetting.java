package dev.vigil.prometheus;

/** A builder value that is not acceptable, with the configuration key it corresponds to. */
final class InvalidSetting extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final String problem;

    InvalidSetting(String key, String problem) {
        super(key + " " + problem);
        this.key = key;
        this.problem = problem;
    }

    /** The configuration key ({@code base-url}). */
    String key() {
        return key;
    }

    /** What is wrong, without the key ({@code must be an http or https URL}). */
    String problem() {
        return problem;
    }
}
