package dev.vigil.cli;

import dev.vigil.config.ValidationResult;
import dev.vigil.config.VigilConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vigil validate --config FILE}: checks a configuration and shows what would run. */
@Command(name = "validate",
        mixinStandardHelpOptions = true,
        versionProvider = VigilCommand.Version.class,
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
    private DebugOption debug;

    private ValidateCommand() {
    }

    @Override
    public Integer call() {
        ValidationResult result = VigilConfig.defaults().validate(config);
        if (!result.valid()) {
            return ConfigErrors.print(spec.commandLine().getErr(), config.toString(), result.problems(),
                    result.exception().orElse(null), debug.debug);
        }
        spec.commandLine().getOut().println(config + ": " + result.report());
        spec.commandLine().getOut().flush();
        return ExitCodes.HEALTHY;
    }
}
