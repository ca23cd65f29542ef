package dev.vigil.cli;

import dev.vigil.config.ValidationResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil validate --config FILE [--service S ...]}: checks a configuration, with the deployment options verify takes, and shows what would run. */
@Command(name = "validate",
        sortOptions = false,
        description = {"Checks a configuration without running anything: every problem with its key, "
                + "or what would run.", ""},
        footer = {"", "Exit codes: 0 valid, 2 invalid (each key at fault is listed on stderr)."})
final class ValidateCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The configuration: application.properties, or application.yml / .yaml.")
    private Path config;

    @Mixin
    private DeploymentOptions deploymentOptions;

    @Mixin
    private DebugOption debug;

    // Not mixinStandardHelpOptions: here, as for verify, --version is the version deployed.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    private boolean help;

    private ValidateCommand() {
    }

    @Override
    public Integer call() {
        ValidationResult result = deploymentOptions.config().validate(config);
        if (!result.valid()) {
            return ConfigErrors.print(spec.commandLine().getErr(), config.toString(), result.problems(),
                    result.exception().orElse(null), debug.debug);
        }
        spec.commandLine().getOut().println(config + ": " + result.report());
        spec.commandLine().getOut().flush();
        return ExitCodes.HEALTHY;
    }
}
