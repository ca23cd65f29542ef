package dev.vigil.cli;

import dev.vigil.report.Reports;
import dev.vigil.Deployment;
import dev.vigil.Preflight;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.DeploymentDefaults;
import dev.vigil.config.OnlineCheck;
import dev.vigil.config.ValidationResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code vigil validate --config FILE [--service S ...]}: checks a configuration, with the deployment options verify takes, and shows what would run. */
@Command(name = "validate",
        sortOptions = false,
        description = {"Checks a configuration without running anything: every problem with its key, "
                + "or what would run.", ""},
        footer = {"", "Exit codes: 0 valid (and, with --online, every dependency answers), 2 invalid or, with --online, a",
            "dependency that cannot be used (each key or dependency at fault is named), 6 with --online: valid, but with",
            "warnings (a query without data now, a condition that fails now)."})
final class ValidateCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The configuration: application.properties, or application.yml / .yaml.")
    private Path config;

    @Mixin
    private DeploymentOptions deploymentOptions;

    @Option(names = "--online", description = "Also touch each dependency once, changing nothing: probe URLs and "
            + "queries, the rollback command's programs on the PATH, a webhook's host. Secrets are never shown.")
    private boolean online;

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
        try {
            // As verify refuses it: a configuration valid without a service or version would fail at deploy time.
            Deployment deployment = DeploymentOptions.deployment(result.config().deployment());
            java.util.List<dev.vigil.config.ConfigProblem> unencodable = LocaleCheck.problems(result.config(), deployment);
            if (!unencodable.isEmpty()) {
                return ConfigErrors.print(spec.commandLine().getErr(), config.toString(), unencodable, null, debug.debug);
            }
        } catch (ConfigurationException e) {
            return ConfigErrors.print(spec.commandLine().getErr(), config.toString(), e, debug.debug);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(Reports.oneLine(String.valueOf(config)) + ": " + result.report());
        out.flush();
        return online ? checkOnline(out, result.config()) : ExitCodes.HEALTHY;
    }

    /** Prints one line per probe and trigger; the exit code of the worst. */
    static int checkOnline(PrintWriter out, BoundConfig bound) {
        DeploymentDefaults d = bound.deployment();
        Deployment deployment = new Deployment(blankOr(d.service(), "service"), blankOr(d.version(), "unknown"),
                d.previousVersion(), d.environment(), d.kind(), d.fixes(), d.labels());
        out.println("online checks (nothing is changed):");
        List<OnlineCheck> checks = bound.checkOnline(deployment);
        checks.forEach(check -> out.println("  " + check));
        Preflight.Status worst = OnlineCheck.worst(checks);
        out.println(switch (worst) {
            case OK -> "every dependency answers";
            case WARNING -> "every dependency answers, with warnings: read them before the deployment";
            case ERROR -> "some dependency cannot be used as configured: the verification would not see the service";
        });
        out.flush();
        return switch (worst) {
            case OK -> ExitCodes.HEALTHY;
            case WARNING -> ExitCodes.VALIDATE_WARNINGS;
            case ERROR -> ExitCodes.USAGE;
        };
    }

    private static String blankOr(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
