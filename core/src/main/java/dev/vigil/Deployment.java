package dev.vigil;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What was deployed. Immutable and thread-safe.
 *
 * @param service the service name, never blank
 * @param version the version now deployed, never blank
 * @param previousVersion the version a rollback returns to; may be {@code null} when unknown
 * @param environment where it was deployed ({@code production}, {@code staging}, ...); may be {@code null}
 * @param kind a release or a hotfix; both get the same verification
 * @param fixes the issue ids this deployment fixes (may be empty for a release; a hotfix lists at
 *     least one), none of them blank. Each needs a probe that confirms it before the deployment is
 *     verified, and {@link Verdict#HEALTHY} needs each confirmation passed; see {@link Confirmation}
 * @param labels free-form labels copied into reports and rollback events (may be empty)
 */
public record Deployment(
        String service,
        String version,
        String previousVersion,
        String environment,
        Kind kind,
        List<String> fixes,
        Map<String, String> labels) {

    /** Whether a deployment is a planned release or a hotfix. Both are verified the same way. */
    public enum Kind {
        /** A planned release. */
        RELEASE,
        /** A fix shipped outside the release train. */
        HOTFIX
    }

    /**
     * Validates and copies; a missing kind is a {@link Kind#RELEASE}, missing fixes or labels are
     * empty.
     *
     * @param service the service name; not blank
     * @param version the version now deployed; not blank
     * @param previousVersion the version a rollback returns to, or {@code null}
     * @param environment where it was deployed, or {@code null}
     * @param kind a release or a hotfix; {@code null} is a release
     * @param fixes the issue ids this deployment fixes, none blank, or {@code null} for none; blanks
     *     around an id are removed
     * @param labels free-form labels, or {@code null} for none
     * @throws IllegalArgumentException when the service, the version, an issue id in the fixes or a
     *     label's key is blank, or the service, the version, the previous version, the environment, an
     *     issue id in the fixes or a label's key or value holds a control character (a line break would
     *     forge a second line in the console, the reports and the logs); the message names the field
     *     (the fix by its index, the label by its key), never a label's value
     * @throws NullPointerException when the service or version is {@code null}, or the fixes or
     *     labels hold a {@code null}; the message names the field (and the label)
     */
    public Deployment {
        requireText(service, "service");
        requireText(version, "version");
        requireOneLine(service, "service");
        requireOneLine(version, "version");
        requireOneLine(previousVersion, "previousVersion");
        requireOneLine(environment, "environment");
        kind = kind == null ? Kind.RELEASE : kind;
        if (fixes != null && fixes.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("deployment fixes must not hold a null issue id: " + fixes);
        }
        fixes = fixes == null ? List.of() : List.copyOf(fixes);
        if (fixes.stream().anyMatch(String::isBlank)) {
            // A blank id names no issue: refused here, not asked later for a confirmation nobody can give.
            throw new IllegalArgumentException("deployment fixes must not hold a blank issue id: " + fixes);
        }
        // Blanks around an id ("INC-1 " from a spreadsheet or a shell variable) are no part of it:
        // kept, the id would match no probe's confirms=INC-1 and no test's tag.
        fixes = fixes.stream().map(String::strip).toList();
        for (int i = 0; i < fixes.size(); i++) {
            requireOneLine(fixes.get(i), "fixes[" + i + "]");
        }
        labels = labels == null ? Map.of() : Map.copyOf(requireNoNulls(labels));
    }

    /**
     * A release of {@code service} at {@code version} with nothing else known.
     *
     * @param service the service name; not blank
     * @param version the version now deployed; not blank
     * @return a release with no previous version, environment, fixes or labels
     * @throws NullPointerException when {@code service} or {@code version} is {@code null}
     * @throws IllegalArgumentException when {@code service} or {@code version} is blank
     */
    public static Deployment of(String service, String version) {
        return new Deployment(service, version, null, null, Kind.RELEASE, List.of(), Map.of());
    }

    /**
     * A release of {@code service} at {@code version} replacing {@code previousVersion}.
     *
     * @param service the service name; not blank
     * @param version the version now deployed; not blank
     * @param previousVersion the version a rollback returns to, or {@code null} when unknown
     * @return a release with no environment, fixes or labels
     * @throws NullPointerException when {@code service} or {@code version} is {@code null}
     * @throws IllegalArgumentException when {@code service} or {@code version} is blank
     */
    public static Deployment of(String service, String version, String previousVersion) {
        return new Deployment(service, version, previousVersion, null, Kind.RELEASE, List.of(), Map.of());
    }

    /**
     * A copy with another previous version.
     *
     * @param previous the version a rollback returns to, or {@code null} when unknown
     * @return the copy
     */
    public Deployment withPreviousVersion(String previous) {
        return new Deployment(service, version, previous, environment, kind, fixes, labels);
    }

    /**
     * A copy with another environment.
     *
     * @param env where it was deployed, or {@code null}
     * @return the copy
     */
    public Deployment withEnvironment(String env) {
        return new Deployment(service, version, previousVersion, env, kind, fixes, labels);
    }

    /**
     * A copy marked as a hotfix for the given issue ids.
     *
     * @param fixedIssues the issue ids it fixes, replacing this deployment's; may be none, none blank
     * @return the copy, of kind {@link Kind#HOTFIX}
     * @throws NullPointerException when {@code fixedIssues} is {@code null} or holds {@code null}
     * @throws IllegalArgumentException when an issue id is blank or holds a control character
     */
    public Deployment asHotfix(String... fixedIssues) {
        Objects.requireNonNull(fixedIssues, "fixedIssues");
        return new Deployment(service, version, previousVersion, environment, Kind.HOTFIX, java.util.Arrays.asList(fixedIssues), labels);
    }

    /**
     * A copy with the given labels.
     *
     * @param newLabels the labels, replacing this deployment's; {@code null} for none
     * @return the copy
     * @throws NullPointerException when {@code newLabels} holds a {@code null} key or value; the
     *     message names the label
     * @throws IllegalArgumentException when a label's key is blank, or its key or value holds a control
     *     character; the message names the label by its key, never by its value
     */
    public Deployment withLabels(Map<String, String> newLabels) {
        return new Deployment(service, version, previousVersion, environment, kind, fixes, newLabels);
    }

    /**
     * The deployment on one line, its labels by name only: a label's value may be a credential (a CI
     * job's token, a repository URL with one in it), and a deployment is logged as it is verified.
     * The reports show the values, masked ({@code dev.vigil.report.Reports.redact}).
     *
     * @return {@code Deployment[service=checkout, version=2.4.1, ..., labels=[deploy-token, repo]]}
     */
    @Override
    public String toString() {
        return "Deployment[service=" + service + ", version=" + version + ", previousVersion=" + previousVersion
                + ", environment=" + environment + ", kind=" + kind + ", fixes=" + fixes
                + ", labels=" + Unshown.keys(labels) + "]";
    }

    /**
     * The labels as given, or a {@link NullPointerException} naming the label with no key or no value.
     * A label without a key is named by what it lacks, not by its value, which may be a credential.
     */
    private static Map<String, String> requireNoNulls(Map<String, String> labels) {
        labels.forEach((key, value) -> {
            if (key == null) {
                throw new NullPointerException("deployment labels must not hold a null key: give each label a name");
            }
            if (key.isBlank()) {
                throw new IllegalArgumentException("deployment labels must not hold a blank key: give each label a name");
            }
            // A key with a control character is named by what it holds, not written out: it would
            // be the forged line itself.
            requireOneLine(key, "label key");
            if (value == null) {
                throw new NullPointerException("deployment label '" + key + "' must not be null: give it a value or leave it out");
            }
            requireOneLine(value, "label '" + key + "'");
        });
        return labels;
    }

    /**
     * Refuses a control character in a name, an issue id or a label of the deployment: a line break in
     * a version would print a second, forged line wherever the deployment is shown. The character is
     * named by its code and index, not written out, and so is nothing else of the value (a label's
     * may be a credential). The rule of the command line's and the configuration's values.
     */
    private static void requireOneLine(String value, String name) {
        if (value == null) {
            return;
        }
        value.codePoints().filter(Character::isISOControl).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException(String.format(
                    "deployment %s must not hold a control character (U+%04X at index %d): a line break or"
                            + " escape would show as another line or text in the console and logs",
                    name, c, value.indexOf(c)));
        });
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, () -> "deployment " + name + " must be set");
        if (value.isBlank()) {
            throw new IllegalArgumentException("deployment " + name + " must not be blank");
        }
    }
}
