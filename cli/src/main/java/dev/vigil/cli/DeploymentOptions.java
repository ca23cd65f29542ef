package dev.vigil.cli;

import dev.vigil.config.VigilConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The deployment options that {@code verify} and {@code validate} share: the top configuration
 * layer, bound as {@code vigil.deployment.*} before placeholders are resolved, so that
 * {@code ${vigil.deployment.service}} in the rollback command or a probe's URL sees them.
 */
final class DeploymentOptions {

    @Option(names = "--service", paramLabel = "S", description = "The service deployed (overrides vigil.deployment.service).")
    String service;

    @Option(names = "--version", paramLabel = "V", description = "The version deployed (overrides vigil.deployment.version).")
    String version;

    @Option(names = "--previous-version", paramLabel = "P",
            description = "The version a rollback returns to (overrides vigil.deployment.previous-version).")
    String previousVersion;

    @Option(names = "--environment", paramLabel = "E",
            description = "Where it was deployed: production, eu-west... (overrides vigil.deployment.environment).")
    String environment;

    @Option(names = "--kind", paramLabel = "KIND", description = "release or hotfix (overrides vigil.deployment.kind).")
    String kind;

    @Option(names = "--fixes", paramLabel = "ID[,ID...]", split = ",",
            description = "The issue ids this deployment fixes (overrides vigil.deployment.fixes).")
    List<String> fixes;

    @Option(names = "--label", paramLabel = "KEY=VALUE",
            description = "A label copied into reports and rollback events (vigil.deployment.labels.KEY); repeatable.")
    Map<String, String> labels;

    /** The options given, as keys under the default prefix. */
    Map<String, String> overrides() {
        String deployment = VigilConfig.DEFAULT_PREFIX + ".deployment.";
        Map<String, String> out = new LinkedHashMap<>();
        put(out, deployment + "service", service);
        put(out, deployment + "version", version);
        put(out, deployment + "previous-version", previousVersion);
        put(out, deployment + "environment", environment);
        put(out, deployment + "kind", kind);
        if (fixes != null) {
            out.put(deployment + "fixes", String.join(",", fixes));
        }
        if (labels != null) {
            // A key holding a dot is written [a.b], as in Spring Boot, so that it stays one key.
            labels.forEach((k, v) -> out.put(deployment + "labels." + (k.contains(".") ? "[" + k + "]" : k), v));
        }
        return out;
    }

    /** The configuration, with these options on top. */
    VigilConfig config() {
        return VigilConfig.builder().overrides(overrides()).build();
    }

    private static void put(Map<String, String> out, String key, String value) {
        if (value != null) {
            out.put(key, value);
        }
    }
}
