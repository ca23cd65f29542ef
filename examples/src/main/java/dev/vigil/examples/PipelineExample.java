package dev.vigil.examples;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.RollbackOutcome;
import dev.vigil.VerificationReport;
import dev.vigil.config.BoundConfig;
import dev.vigil.config.ConfigurationException;
import dev.vigil.config.VigilConfig;
import dev.vigil.http.Webhooks;
import dev.vigil.report.ConsoleProgress;
import dev.vigil.report.ReportWriter;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What a release tool written in Java does after it deployed a version: build a verifier from a
 * properties file, verify the deployment, act on the verdict, and end with the same exit codes as
 * {@code vigil.jar verify}.
 *
 * <pre>
 * java -cp vigil-demo.jar dev.vigil.examples.PipelineExample CONFIG VERSION PREVIOUS_VERSION [REPORT_DIR]
 * </pre>
 *
 * <p>The configuration's placeholders and overrides come from the environment
 * ({@code SERVICE_URL} for {@code examples/config/pipeline.properties}); the rollback is a webhook
 * to the deployer, {@code ROLLBACK_WEBHOOK}, added in code because it belongs to the release tool.
 */
public final class PipelineExample {

    /** The deployment is healthy: promote it, continue the pipeline. */
    public static final int EXIT_HEALTHY = 0;
    /** The deployment was unhealthy and was rolled back (or would have been, in a dry-run): fail the job. */
    public static final int EXIT_ROLLED_BACK = 1;
    /** The configuration or the arguments are wrong. */
    public static final int EXIT_CONFIG_ERROR = 2;
    /** Not enough evidence either way; nothing was rolled back: hold the release for a person. */
    public static final int EXIT_INCONCLUSIVE = 3;
    /** Unhealthy and the rollback failed (or none is configured): page someone now. */
    public static final int EXIT_ROLLBACK_FAILED = 4;
    /**
     * Unhealthy and rolled back, but the re-check did not find the previous version healthy either:
     * neither version is known to be healthy, page someone now.
     */
    public static final int EXIT_PREVIOUS_VERSION_UNHEALTHY = 5;
    /** The verification was cancelled. */
    public static final int EXIT_ABORTED = 130;

    /** The environment variable naming the deployer's rollback webhook. */
    public static final String ROLLBACK_WEBHOOK = "ROLLBACK_WEBHOOK";

    private PipelineExample() {
    }

    /**
     * Verifies a deployment: {@code CONFIG VERSION PREVIOUS_VERSION [REPORT_DIR]}; exits with
     * {@link #run}'s code.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: PipelineExample CONFIG VERSION PREVIOUS_VERSION [REPORT_DIR]");
            System.exit(EXIT_CONFIG_ERROR);
        }
        Path reports = args.length == 4 ? Path.of(args[3]) : Path.of("target", "vigil");
        System.exit(run(Path.of(args[0]), args[1], args[2], System.getenv(), reports, System.out));
    }

    /**
     * Verifies one deployment and says what the pipeline should do next.
     *
     * @param config the properties or YAML file
     * @param version the version just deployed
     * @param previousVersion the version a rollback returns to
     * @param environment fills the placeholders and overrides keys; holds {@value #ROLLBACK_WEBHOOK}
     * @param reportDir where the reports are written
     * @param out where progress and the decision are printed
     * @return the exit code: {@link #EXIT_HEALTHY}, {@link #EXIT_ROLLED_BACK}, {@link #EXIT_CONFIG_ERROR},
     *     {@link #EXIT_INCONCLUSIVE}, {@link #EXIT_ROLLBACK_FAILED}, {@link #EXIT_PREVIOUS_VERSION_UNHEALTHY} or
     *     {@link #EXIT_ABORTED}
     */
    public static int run(Path config, String version, String previousVersion, Map<String, String> environment,
            Path reportDir, PrintStream out) {
        Objects.requireNonNull(environment, "environment");
        BoundConfig bound;
        try {
            bound = VigilConfig.builder().environment(environment).build().load(config);
        } catch (ConfigurationException e) {
            out.println(e.getMessage());
            return EXIT_CONFIG_ERROR;
        }

        ReportWriter reports = ReportWriter.to(reportDir);
        DeployVerifier.Builder builder = bound.toBuilder()
                .listener(reports)
                .listener(ConsoleProgress.builder(out).reports(reports).build());
        String webhook = environment.get(ROLLBACK_WEBHOOK);
        if (webhook != null && !webhook.isBlank()) {
            try {
                builder.rollback(Webhooks.rollbackTrigger(webhook));
            } catch (IllegalArgumentException e) {
                out.println(ROLLBACK_WEBHOOK + ": " + e.getMessage());
                return EXIT_CONFIG_ERROR;
            }
        }
        Deployment deployment;
        try {
            deployment = bound.deployment().withVersion(version).withPreviousVersion(previousVersion).toDeployment();
        } catch (ConfigurationException e) {
            out.println(e.getMessage());
            return EXIT_CONFIG_ERROR;
        }

        VerificationReport report;
        // Closed when done: its probes' HTTP clients (I/O threads, idle connections) end with it, so that a
        // release tool that verifies one deployment after another in one JVM keeps none of them.
        try (DeployVerifier verifier = builder.build()) {
            report = verifier.verifyAfterDeploy(deployment);
        }

        return switch (report.verdict()) {
            case HEALTHY -> {
                out.println("pipeline: promote " + deployment.service() + " " + deployment.version() + " and continue");
                yield EXIT_HEALTHY;
            }
            case UNHEALTHY -> report.rolledBackButPreviousVersionInDoubt()
                    ? previousVersionUnhealthy(report, deployment, out)
                    : afterRollback(report.rollback().outcome(), deployment, out);
            case INCONCLUSIVE -> {
                out.println("pipeline: hold " + deployment.version() + " for a person to decide: " + report.reason());
                yield EXIT_INCONCLUSIVE;
            }
            case ABORTED -> {
                out.println("pipeline: verification aborted; nothing was rolled back");
                yield EXIT_ABORTED;
            }
        };
    }

    private static int previousVersionUnhealthy(VerificationReport report, Deployment deployment, PrintStream out) {
        out.println("pipeline: " + deployment.version() + " was rolled back, but " + deployment.previousVersion()
                + " is not healthy either (" + report.recheckResult().reason() + "): page the on-call engineer");
        return EXIT_PREVIOUS_VERSION_UNHEALTHY;
    }

    private static int afterRollback(RollbackOutcome outcome, Deployment deployment, PrintStream out) {
        return switch (outcome) {
            case ROLLED_BACK -> {
                out.println("pipeline: " + deployment.version() + " was rolled back to " + deployment.previousVersion()
                        + "; failing the job");
                yield EXIT_ROLLED_BACK;
            }
            case DRY_RUN -> {
                out.println("pipeline: dry-run, " + deployment.version() + " would have been rolled back; failing the job");
                yield EXIT_ROLLED_BACK;
            }
            case NOTIFIED -> {
                out.println("pipeline: " + deployment.version() + " is unhealthy and was not rolled back (watch-action=notify):"
                        + " page the on-call engineer to decide");
                yield EXIT_ROLLBACK_FAILED;
            }
            // NOT_NEEDED cannot follow UNHEALTHY; treat it like a failed rollback rather than trust it.
            case FAILED, NOT_NEEDED -> {
                out.println("pipeline: ROLLBACK FAILED for " + deployment.service() + " " + deployment.version()
                        + ": page the on-call engineer");
                yield EXIT_ROLLBACK_FAILED;
            }
        };
    }
}
