package dev.vigil.history.quality;

import java.time.Duration;
import java.util.Optional;

/**
 * One service's figures for one calendar quarter (UTC, by the time a verification finished), with
 * the direction of change from the quarter before. Immutable.
 *
 * @param quarter the quarter, {@code 2026-Q3}
 * @param deployments deployments that finished in it
 * @param failedChanges those that were failed changes (see {@link ServiceQuality#changeFailureRate()})
 * @param hotfixes hotfix deployments in it
 * @param timeToRestore the median time to restore of its rollbacks, when any was restored
 * @param changeFailureDirection the change-failure rate against the quarter before
 * @param restoreDirection the median time to restore against the quarter before
 */
public record QuarterRow(String quarter, int deployments, int failedChanges, int hotfixes, Optional<Duration> timeToRestore,
        Direction changeFailureDirection, Direction restoreDirection) {

    /**
     * Failed changes over deployments, empty without deployments.
     *
     * @return the rate from 0 to 1, or empty
     */
    public Optional<Double> changeFailureRate() {
        return deployments == 0 ? Optional.empty() : Optional.of((double) failedChanges / deployments);
    }
}
