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
     * @throws ConfigurationException naming {@code deployment.service} and/or
     *     {@code deployment.version} when they are missing
     */
    public Deployment toDeployment() {
        List<ConfigProblem> missing = new java.util.ArrayList<>();
        if (service == null || service.isBlank()) {
            missing.add(new ConfigProblem("deployment.service", null, "missing; configure <prefix>.deployment.service or pass the service"));
        }
        if (version == null || version.isBlank()) {
            missing.add(new ConfigProblem("deployment.version", null, "missing; configure <prefix>.deployment.version or pass the version"));
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(missing);
        }
        return new Deployment(service, version, previousVersion, environment, kind, fixes, labels);
    }
}
