package dev.vigil.config;

import dev.vigil.Deployment;
import java.util.List;
import java.util.Map;

/**
 * The deployment as configured under {@code vigil.deployment.*}. Every part may be missing: a
 * caller (the command line's {@code --service}, {@code --version}) usually supplies the service
 * and version. Immutable.
 *
 * @param service {@code vigil.deployment.service}, or {@code null}
 * @param version {@code vigil.deployment.version}, or {@code null}
 * @param previousVersion {@code vigil.deployment.previous-version}, or {@code null}
 * @param environment {@code vigil.deployment.environment}, or {@code null}
 * @param kind {@code vigil.deployment.kind}; default {@link Deployment.Kind#RELEASE}
 * @param fixes {@code vigil.deployment.fixes}; may be empty
 * @param labels {@code vigil.deployment.labels.*}; may be empty
 */
public record DeploymentDefaults(
        String service,
        String version,
        String previousVersion,
        String environment,
        Deployment.Kind kind,
        List<String> fixes,
        Map<String, String> labels) {

    /**
     * Copies; a missing kind is a release.
     *
     * @param service the service name, or {@code null}
     * @param version the version, or {@code null}
     * @param previousVersion the previous version, or {@code null}
     * @param environment the environment, or {@code null}
     * @param kind a release or a hotfix; {@code null} is a release
     * @param fixes the issue ids fixed, or {@code null} for none
     * @param labels the labels, or {@code null} for none
     * @throws NullPointerException when the fixes or labels hold a {@code null}
     */
    public DeploymentDefaults {
        kind = kind == null ? Deployment.Kind.RELEASE : kind;
        fixes = fixes == null ? List.of() : List.copyOf(fixes);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /**
     * A copy with another service; {@code null} keeps this one.
     *
     * @param value the service name, or {@code null}
     * @return the copy
     */
    public DeploymentDefaults withService(String value) {
        return new DeploymentDefaults(value == null ? service : value, version, previousVersion, environment, kind, fixes, labels);
    }

    /**
     * A copy with another version; {@code null} keeps this one.
     *
     * @param value the version, or {@code null}
     * @return the copy
     */
    public DeploymentDefaults withVersion(String value) {
        return new DeploymentDefaults(service, value == null ? version : value, previousVersion, environment, kind, fixes, labels);
    }

    /**
     * A copy with another previous version; {@code null} keeps this one.
     *
     * @param value the previous version, or {@code null}
     * @return the copy
     */
    public DeploymentDefaults withPreviousVersion(String value) {
        return new DeploymentDefaults(service, version, value == null ? previousVersion : value, environment, kind, fixes, labels);
    }

    /**
     * The deployment.
     *
     * @return the deployment with these parts
     * @throws ConfigurationException listing every problem by its key ({@code deployment.service},
     *     {@code deployment.version}, {@code deployment.labels.team}, ...), never by its value: a
     *     missing service or version, a control character in a part (a line break would forge a line in
     *     the console, the reports and the logs), a blank issue id or label key
     */
    public Deployment toDeployment() {
        List<ConfigProblem> problems = new java.util.ArrayList<>();
        if (service == null || service.isBlank()) {
            problems.add(new ConfigProblem("deployment.service", null, "missing; configure <prefix>.deployment.service or pass the service"));
        }
        if (version == null || version.isBlank()) {
            problems.add(new ConfigProblem("deployment.version", null, "missing; configure <prefix>.deployment.version or pass the version"));
        }
        oneLine(problems, "deployment.service", service);
        oneLine(problems, "deployment.version", version);
        oneLine(problems, "deployment.previous-version", previousVersion);
        oneLine(problems, "deployment.environment", environment);
        for (int i = 0; i < fixes.size(); i++) {
            if (fixes.get(i).isBlank()) {
                problems.add(new ConfigProblem("deployment.fixes", null, "the issue id at index " + i + " is blank; name the issue"));
            }
            oneLine(problems, "deployment.fixes", fixes.get(i));
        }
        labels.forEach((key, value) -> {
            if (key.isBlank() || key.codePoints().anyMatch(Character::isISOControl)) {
                // Such a key is named by what is wrong with it: written out, a line break in it would be the forged line.
                problems.add(new ConfigProblem("deployment.labels", null, "a label's key is blank or holds a control"
                        + " character; give each label a name of one line"));
            } else {
                oneLine(problems, "deployment.labels." + key, value);
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        try {
            return new Deployment(service, version, previousVersion, environment, kind, fixes, labels);
        } catch (IllegalArgumentException e) {
            // Whatever else the deployment refuses: its message names the part, never a label's value.
            throw new ConfigurationException(List.of(new ConfigProblem("deployment", null, e.getMessage())));
        }
    }

    /** A problem naming the key when its value holds a control character, by the character's code, not the value. */
    private static void oneLine(List<ConfigProblem> problems, String key, String value) {
        if (value == null) {
            return;
        }
        value.codePoints().filter(Character::isISOControl).findFirst().ifPresent(c -> problems.add(new ConfigProblem(key, null,
                String.format("holds a control character (U+%04X at index %d), which would show as another line or text in"
                        + " the console, the reports and the logs; give it one line", c, value.indexOf(c)))));
    }
}
