package dev.vigil;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of one item inside a measurement: one test of a JUnit suite run as a probe, say. A
 * probe that checks several things at once attaches them to its {@link Measurement} with
 * {@link ProbeResult#withItems}, so that reports can list them one by one ({@code report.json}
 * under the measurement, {@code report.xml} as test cases, {@code report.html} failures first).
 * Immutable and thread-safe.
 *
 * @param id what identifies the item for a re-run (a JUnit unique id); never {@code null}
 * @param group what the item belongs to (the test class), or {@code null}
 * @param name the name shown to people (a test's display name); never {@code null}
 * @param status how it ended
 * @param duration how long it took, or {@code null} when it did not run
 * @param message why it did not pass (the first lines of an assertion message, the reason it was
 *     skipped), or {@code ""}; never holds secrets
 * @param tags the item's tags (a JUnit test's {@code @Tag}s: {@code smoke}, the issue id it confirms),
 *     sorted; may be empty, never {@code null}
 */
public record ItemResult(String id, String group, String name, Status status, Duration duration, String message,
        List<String> tags) {

    /** How an item ended. */
    public enum Status {
        /** It ran and passed. */
        PASSED,
        /** It ran and an assertion failed. */
        FAILED,
        /** It ran and threw something other than a failed assertion. */
        ERROR,
        /** It started and gave up on purpose (a JUnit assumption that did not hold); not a pass. */
        ABORTED,
        /** It was not run (disabled); not a pass. */
        SKIPPED,
        /** It was still running when the measurement's time ran out. */
        UNFINISHED;

        /**
         * Whether the item is evidence against health: {@link #FAILED}, {@link #ERROR} or
         * {@link #UNFINISHED}. {@link #ABORTED} and {@link #SKIPPED} are neither a pass nor a
         * problem.
         *
         * @return {@code true} for a status that counts against health
         */
        public boolean problem() {
            return this == FAILED || this == ERROR || this == UNFINISHED;
        }
    }

    /**
     * Validates, and replaces a {@code null} message with {@code ""} and {@code null} tags with none.
     *
     * @param id what identifies the item for a re-run; not {@code null}
     * @param group what the item belongs to, or {@code null}
     * @param name the name shown to people; not {@code null}
     * @param status how it ended; not {@code null}
     * @param duration how long it took, or {@code null} when it did not run
     * @param message why it did not pass, or {@code null} for none
     * @param tags the item's tags (a JUnit test's {@code @Tag}s, issue ids among them), or {@code null} for none
     * @throws NullPointerException when {@code id}, {@code name} or {@code status} is {@code null}
     */
    public ItemResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        message = message == null ? "" : message;
        tags = tags == null ? List.of() : List.copyOf(new java.util.TreeSet<>(tags));
    }

    /**
     * An item without tags.
     *
     * @param id what identifies the item for a re-run; not {@code null}
     * @param group what the item belongs to, or {@code null}
     * @param name the name shown to people; not {@code null}
     * @param status how it ended; not {@code null}
     * @param duration how long it took, or {@code null} when it did not run
     * @param message why it did not pass, or {@code null} for none
     * @throws NullPointerException when {@code id}, {@code name} or {@code status} is {@code null}
     */
    public ItemResult(String id, String group, String name, Status status, Duration duration, String message) {
        this(id, group, name, status, duration, message, List.of());
    }

    /**
     * Whether the item carries that tag.
     *
     * @param tag a tag, such as an issue id ({@code INC-123})
     * @return {@code true} when it is among the item's tags
     */
    public boolean tagged(String tag) {
        return tags.contains(tag);
    }

    /**
     * How people name the item in one word: the simple name of its group, {@code #} and its name
     * without the parameter types of a method ({@code CheckoutSmokeTest#couponsApplyOnce} for
     * {@code couponsApplyOnce(URI)}); its name alone when it has no group.
     *
     * @return the label
     */
    public String label() {
        String n = shortName();
        return group == null ? n : group.substring(group.lastIndexOf('.') + 1) + "#" + n;
    }

    /**
     * The {@link #label()} with its group's full name ({@code com.acme.CheckoutSmokeTest#couponsApplyOnce}):
     * what tells two tests of the same simple class name in two packages apart. The release history
     * remembers a fix's confirmation tests by it.
     *
     * @return the label with the group's full name; the name alone when the item has no group
     */
    public String qualifiedLabel() {
        return group == null ? shortName() : group + "#" + shortName();
    }

    /** The name without the parameter types of a method. */
    private String shortName() {
        return name.matches("[\\p{javaJavaIdentifierPart}$]+\\([^()]*\\)") ? name.substring(0, name.indexOf('(')) : name;
    }
}
