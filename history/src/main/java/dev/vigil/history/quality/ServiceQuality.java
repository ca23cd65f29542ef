package dev.vigil.history.quality;

import dev.vigil.history.Streak;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The release-quality figures of one service over the period asked for. Immutable.
 *
 * @param service the service
 * @param deployments verifications that reached a verdict other than {@code ABORTED}
 * @param rollbacks deployments whose rollback ran ({@code ROLLED_BACK} or {@code FAILED})
 * @param failedChanges deployments that ended {@code UNHEALTHY}, or whose next deployment of the same service in
 *     the same environment (the next to start) was a hotfix that started within the hotfix window after it
 *     finished, or before it finished
 * @param hotfixes hotfix deployments
 * @param timeToDetectMedian the median time from the start of a verification to its {@code UNHEALTHY} verdict
 * @param timeToDetectP90 the 90th percentile (nearest rank) of the same
 * @param timeToRestoreMedian the median time from detection to the healthy re-check of the previous version
 * @param streak the current and longest quiet-release streak
 * @param rehearsals rollback rehearsals, and {@code failedRehearsals} of them failed
 * @param failedRehearsals rollback rehearsals that did not prove the procedure
 * @param quarters the quarter-on-quarter table, oldest first, every quarter from the first to the last with a deployment
 * @param rehearsalsNotStarted rollback rehearsals whose rollback trigger never started (interrupted before it,
 *     or no trigger configured), so the procedure was not tried; a record that does not say (written before
 *     history schema version 6) is not counted
 */
public record ServiceQuality(
        String service,
        int deployments,
        int rollbacks,
        int failedChanges,
        int hotfixes,
        Optional<Duration> timeToDetectMedian,
        Optional<Duration> timeToDetectP90,
        Optional<Duration> timeToRestoreMedian,
        Streak streak,
        int rehearsals,
        int failedRehearsals,
        List<QuarterRow> quarters,
        int rehearsalsNotStarted) {

    /**
     * Copies.
     *
     * @param service the service
     * @param deployments verifications that reached a verdict other than {@code ABORTED}
     * @param rollbacks deployments whose rollback ran ({@code ROLLED_BACK} or {@code FAILED})
     * @param failedChanges deployments that ended {@code UNHEALTHY}, or whose next deployment of the same service in
     *         the same environment (the next to start) was a hotfix that started within the hotfix window after
     *         it finished, or before it finished
     * @param hotfixes hotfix deployments
     * @param timeToDetectMedian the median time from the start of a verification to its {@code UNHEALTHY} verdict
     * @param timeToDetectP90 the 90th percentile (nearest rank) of the same
     * @param timeToRestoreMedian the median time from detection to the healthy re-check of the previous version
     * @param streak the current and longest quiet-release streak
     * @param rehearsals rollback rehearsals, and {@code failedRehearsals} of them failed
     * @param failedRehearsals rollback rehearsals that did not prove the procedure
     * @param quarters the quarter-on-quarter table, oldest first, every quarter from the first to the last with a deployment
     * @param rehearsalsNotStarted rollback rehearsals whose rollback trigger never started
     */
    public ServiceQuality {
        quarters = List.copyOf(quarters);
    }

    /**
     * Figures that do not count the rehearsals whose rollback never started ({@link #rehearsalsNotStarted()} 0).
     *
     * @param service the service
     * @param deployments verifications that reached a verdict other than {@code ABORTED}
     * @param rollbacks deployments whose rollback ran ({@code ROLLED_BACK} or {@code FAILED})
     * @param failedChanges deployments that ended {@code UNHEALTHY}, or whose next deployment was a hotfix
     *         within the hotfix window
     * @param hotfixes hotfix deployments
     * @param timeToDetectMedian the median time from the start of a verification to its {@code UNHEALTHY} verdict
     * @param timeToDetectP90 the 90th percentile (nearest rank) of the same
     * @param timeToRestoreMedian the median time from detection to the healthy re-check of the previous version
     * @param streak the current and longest quiet-release streak
     * @param rehearsals rollback rehearsals, and {@code failedRehearsals} of them failed
     * @param failedRehearsals rollback rehearsals that did not prove the procedure
     * @param quarters the quarter-on-quarter table, oldest first
     */
    public ServiceQuality(String service, int deployments, int rollbacks, int failedChanges, int hotfixes,
            Optional<Duration> timeToDetectMedian, Optional<Duration> timeToDetectP90, Optional<Duration> timeToRestoreMedian,
            Streak streak, int rehearsals, int failedRehearsals, List<QuarterRow> quarters) {
        this(service, deployments, rollbacks, failedChanges, hotfixes, timeToDetectMedian, timeToDetectP90,
                timeToRestoreMedian, streak, rehearsals, failedRehearsals, quarters, 0);
    }

    /**
     * {@return the rehearsals, as {@code vigil history} shows them: how many, how many failed, and of
     * those how many never started their rollback ({@code 3 (1 failed, 1 before its rollback started)})}
     */
    public String rehearsalSummary() {
        return rehearsals + " (" + failedRehearsals + " failed"
                + (rehearsalsNotStarted == 0 ? "" : ", " + rehearsalsNotStarted + " before its rollback started") + ")";
    }

    /**
     * Failed changes over deployments, empty without deployments. DORA's change-failure rate is "the
     * share of deployments that cause a failure in production needing remediation (a hotfix, a
     * rollback, a fix forward)"; Vigil sees the failures it detects itself and those a hotfix
     * remedied soon after, not incidents found later by other means, so this is a lower bound of it.
     *
     * @return the rate from 0 to 1, or empty
     */
    public Optional<Double> changeFailureRate() {
        return deployments == 0 ? Optional.empty() : Optional.of((double) failedChanges / deployments);
    }

    /**
     * Hotfixes over deployments, empty without deployments.
     *
     * @return the share from 0 to 1, or empty
     */
    public Optional<Double> hotfixShare() {
        return deployments == 0 ? Optional.empty() : Optional.of((double) hotfixes / deployments);
    }

    /** {@return the change-failure rate against DORA's bands} */
    public Optional<DoraBand> changeFailureBand() {
        return DoraBand.ofRate(changeFailureRate());
    }

    /** {@return the median time to restore against DORA's bands} */
    public Optional<DoraBand> restoreBand() {
        return timeToRestoreMedian.map(DoraBand::ofTimeToRestore);
    }
}
