package dev.vigil.cli;

import dev.vigil.RehearsalReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.VerificationReport;
import java.util.Objects;

/**
 * The exit codes of {@code java -jar vigil.jar}, the contract with every release tool that calls
 * it. They never change meaning.
 *
 * <table>
 *   <caption>Exit codes</caption>
 *   <tr><th>code</th><th>meaning</th></tr>
 *   <tr><td>{@value #HEALTHY}</td><td>HEALTHY: the deployment can stay</td></tr>
 *   <tr><td>{@value #ROLLED_BACK}</td><td>UNHEALTHY, and the rollback ran (or would have: dry-run)</td></tr>
 *   <tr><td>{@value #USAGE}</td><td>usage or configuration error; the message names the option or key</td></tr>
 *   <tr><td>{@value #INCONCLUSIVE}</td><td>INCONCLUSIVE: nothing was rolled back; also any unexpected failure of Vigil itself</td></tr>
 *   <tr><td>{@value #ROLLBACK_FAILED}</td><td>UNHEALTHY and the rollback FAILED: a person must act</td></tr>
 *   <tr><td>{@value #PREVIOUS_VERSION_UNHEALTHY}</td><td>UNHEALTHY, rolled back, but the re-check did not find the previous version healthy either: a person must look</td></tr>
 *   <tr><td>{@value #ABORTED}</td><td>aborted (SIGINT or SIGTERM) before a verdict</td></tr>
 * </table>
 */
public final class ExitCodes {

    /** The verdict is HEALTHY. */
    public static final int HEALTHY = 0;
    /** The verdict is UNHEALTHY and the rollback ran, or was skipped because of a dry-run. */
    public static final int ROLLED_BACK = 1;
    /** The command line or the configuration is wrong; nothing was verified. */
    public static final int USAGE = 2;
    /** The verdict is INCONCLUSIVE and nothing was rolled back; also an unexpected failure of Vigil itself. */
    public static final int INCONCLUSIVE = 3;
    /** The verdict is UNHEALTHY and the rollback failed, or none was configured: a person must act. */
    public static final int ROLLBACK_FAILED = 4;
    /**
     * The verdict is UNHEALTHY and the rollback ran, but the re-check found the previous version
     * unhealthy or could not show it healthy: a person must look.
     */
    public static final int PREVIOUS_VERSION_UNHEALTHY = 5;
    /**
     * {@code vigil validate --online} (and {@code init}): the configuration is valid and every
     * dependency answers, but with warnings (a query without data now, a condition that fails now).
     */
    public static final int VALIDATE_WARNINGS = 6;
    /** The verification was aborted by a signal (128 + SIGINT's 2, as shells report Ctrl-C). */
    public static final int ABORTED = 130;

    private ExitCodes() {
    }

    /**
     * The exit code of {@code vigil rehearse}: {@link #HEALTHY} when rehearsed,
     * {@link #ROLLBACK_FAILED} when the rollback did not work (also when a signal cut it short),
     * {@link #PREVIOUS_VERSION_UNHEALTHY} when it ran but the previous version did not come back
     * healthy, {@link #ABORTED} when a signal came before the rollback started.
     *
     * @param report what the rehearsal found
     * @return {@link #HEALTHY}, {@link #ROLLBACK_FAILED}, {@link #PREVIOUS_VERSION_UNHEALTHY} or {@link #ABORTED}
     * @throws NullPointerException when {@code report} is {@code null}
     */
    public static int of(RehearsalReport report) {
        Objects.requireNonNull(report, "report");
        if (report.rehearsed()) {
            return HEALTHY;
        }
        if (report.outcome() == RehearsalReport.Outcome.ABORTED) {
            return ABORTED;
        }
        return report.rollback().outcome() == RollbackOutcome.ROLLED_BACK ? PREVIOUS_VERSION_UNHEALTHY : ROLLBACK_FAILED;
    }

    /**
     * The exit code for a finished verification.
     *
     * @param report the report
     * @return one of the constants of this class
     * @throws NullPointerException when {@code report} is {@code null}
     */
    public static int of(VerificationReport report) {
        Objects.requireNonNull(report, "report");
        return switch (report.verdict()) {
            case HEALTHY -> HEALTHY;
            case INCONCLUSIVE -> INCONCLUSIVE;
            case ABORTED -> ABORTED;
            case UNHEALTHY -> report.rolledBackButPreviousVersionInDoubt() ? PREVIOUS_VERSION_UNHEALTHY
                    : report.rollback().outcome() == RollbackOutcome.ROLLED_BACK
                    || report.rollback().outcome() == RollbackOutcome.DRY_RUN ? ROLLED_BACK : ROLLBACK_FAILED;
        };
    }
}
