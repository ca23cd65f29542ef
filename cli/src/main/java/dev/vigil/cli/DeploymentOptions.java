package dev.vigil.cli;

import dev.vigil.Deployment;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigProblem;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.DeploymentDefaults;
import dev.vigil.config.ValidationResult;
import dev.vigil.config.VigilConfig;
import dev.vigil.report.Reports;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The deployment options that {@code verify} and {@code validate} share: the top configuration
 * layer, bound as {@code vigil.deployment.*} before placeholders are resolved, so that
 * {@code ${vigil.deployment.service}} in the rollback command or a probe's URL sees them.
 */
final class DeploymentOptions {

    @Option(names = "--service", paramLabel = "S", converter = NonBlank.class, description = "The service deployed (overrides vigil.deployment.service).")
    String service;

    @Option(names = "--version", paramLabel = "V", converter = NonBlank.class, description = "The version deployed (overrides vigil.deployment.version).")
    String version;

    @Option(names = "--previous-version", paramLabel = "P", converter = NonBlank.class,
            description = "The version a rollback returns to (overrides vigil.deployment.previous-version).")
    String previousVersion;

    @Option(names = "--environment", paramLabel = "E", converter = NonBlank.class,
            description = "Where it was deployed: production, eu-west... (overrides vigil.deployment.environment).")
    String environment;

    @Option(names = "--kind", paramLabel = "KIND", converter = NonBlank.class, description = "release or hotfix (overrides vigil.deployment.kind).")
    String kind;

    @Option(names = "--fixes", paramLabel = "ID[,ID...]", converter = FixIds.class,
            description = "The issue ids this deployment fixes (overrides vigil.deployment.fixes).")
    List<String> fixes;

    // Two converters: picocli applies the first to a label's key and the second to its value.
    @Option(names = "--label", paramLabel = "KEY=VALUE", converter = {LabelKey.class, NonBlank.class},
            description = "A label copied into reports and rollback events (vigil.deployment.labels.KEY); repeatable,"
                    + " each key once.")
    Map<String, String> labels;

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    /**
     * Refuses a label without a key ({@code --label =payments}, {@code --label "$KEY=payments"} with
     * the variable unset): the key is what is missing, not the value, which {@link NonBlank} would ask for.
     */
    static final class LabelKey implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String key) {
            if (key.isBlank()) {
                throw new CommandLine.TypeConversionException("a label with an empty key; give KEY=VALUE such as"
                        + " team=payments, or leave the option out");
            }
            return key;
        }
    }

    /**
     * Refuses a list of issue ids with an empty one: {@code --fixes "$FIXES"} with the variable
     * unset, or {@code "$FIX,"}. Taken as given, an empty list would clear the fixes the
     * configuration lists, and with them the confirmations they need.
     */
    static final class FixIds implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            for (String id : value.split(",", -1)) {
                if (id.isBlank()) {
                    throw new CommandLine.TypeConversionException("an empty issue id; give ids such as INC-1,INC-2, or"
                            + " leave the option out to use the configuration's");
                }
            }
            return value;
        }
    }

    /**
     * The options given, as keys under the default prefix.
     *
     * @throws CommandLine.ParameterException when a label's key is given twice
     */
    Map<String, String> overrides() {
        refuseRepeatedLabels();
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

    /**
     * Refuses {@code --label team=a --label team=b}: the map would keep the last value, and which of
     * two values a pipeline meant cannot be known; a label copied into reports and rollback events
     * must be the one given. The same label given twice alike is harmless.
     */
    private void refuseRepeatedLabels() {
        CommandLine.ParseResult parsed = command == null ? null : command.commandLine().getParseResult();
        CommandLine.Model.OptionSpec option = parsed == null ? null : parsed.matchedOption("--label");
        if (option == null) {
            return;
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (String given : option.originalStringValues()) {
            int eq = given.indexOf('=');
            String key = eq < 0 ? given : given.substring(0, eq);
            String earlier = seen.putIfAbsent(key, given);
            if (earlier != null && !earlier.equals(given)) {
                // each value masked on its own: a label named like a credential (deploy-token) holds one
                throw new CommandLine.ParameterException(command.commandLine(), "--label " + key + " given twice ("
                        + Reports.redact(earlier) + ", " + Reports.redact(given) + "); give each label once");
            }
        }
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

    /** A configuration bound with these options and the deployment it names; or the exit code, the problems printed. */
    record Loaded(BoundConfig config, Deployment deployment, int exitCode) {
        boolean ok() {
            return config != null;
        }
    }

    /** Binds the file with these options on top, and the deployment it names; prints every problem. */
    Loaded load(Path file, PrintWriter err, boolean debug) {
        ValidationResult result = config().validate(file);
        if (!result.valid()) {
            return new Loaded(null, null, ConfigErrors.print(err, file.toString(), result.problems(),
                    result.exception().orElse(null), debug));
        }
        try {
            Deployment deployment = deployment(result.config().deployment());
            List<ConfigProblem> unencodable = LocaleCheck.problems(result.config(), deployment);
            if (!unencodable.isEmpty()) {
                return new Loaded(null, null, ConfigErrors.print(err, file.toString(), unencodable, null, debug));
            }
            return new Loaded(result.config(), deployment, ExitCodes.HEALTHY);
        } catch (ConfigurationException e) {
            return new Loaded(null, null, ConfigErrors.print(err, file.toString(), e, debug));
        }
    }

    /** The deployment from the configuration, the options included; every missing part is named. */
    static Deployment deployment(DeploymentDefaults d) {
        List<ConfigProblem> missing = new ArrayList<>();
        if (d.service() == null || d.service().isBlank()) {
            missing.add(new ConfigProblem("vigil.deployment.service", null, "missing; set it in the configuration or pass --service"));
        }
        if (d.version() == null || d.version().isBlank()) {
            missing.add(new ConfigProblem("vigil.deployment.version", null, "missing; set it in the configuration or pass --version"));
        }
        if (!missing.isEmpty()) {
            throw new ConfigurationException(missing);
        }
        return d.toDeployment();
    }
}
