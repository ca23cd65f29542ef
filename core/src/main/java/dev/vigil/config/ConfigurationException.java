package dev.vigil.config;

import dev.vigil.VigilException;
import java.util.List;

/**
 * A configuration could not be bound. Carries every problem found, not only the first; the
 * message lists them one per line, each with its key and its value (secrets redacted as
 * {@code ******}).
 */
public class ConfigurationException extends VigilException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigProblem> problems;

    /**
     * An exception listing the problems in its message, one per line.
     *
     * @param problems what is wrong; at least one; copied
     * @throws IllegalArgumentException when the list is empty
     */
    public ConfigurationException(List<ConfigProblem> problems) {
        super(message(problems));
        this.problems = List.copyOf(problems);
    }

    static ConfigurationException single(String key, String message) {
        return new ConfigurationException(List.of(new ConfigProblem(key, null, message)));
    }

    /**
     * Every problem, in the order of the keys.
     *
     * @return an unmodifiable list with at least one problem; {@code null} on a deserialized copy,
     *     since the problems are not serialized
     */
    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String message(List<ConfigProblem> problems) {
        if (problems == null || problems.isEmpty()) {
            throw new IllegalArgumentException("a configuration exception needs at least one problem");
        }
        StringBuilder out = new StringBuilder("invalid Vigil configuration (")
                .append(problems.size()).append(problems.size() == 1 ? " problem" : " problems").append("):");
        for (ConfigProblem problem : problems) {
            out.append("\n  ").append(problem);
        }
        return out.toString();
    }
}
