package dev.vigil.history.quality;

import java.time.Duration;
import java.util.Optional;

/**
 * Where a change-failure rate and a time to restore sit against the software-delivery performance
 * clusters of DORA's <em>Accelerate State of DevOps Report 2023</em> (https://dora.dev/research/2023/dora-report/):
 * elite 5% and under an hour, high 10% and under a day, medium 15% and under a day, low 64% and a
 * week to a month. The clusters describe survey answers about whole teams; a placement says which
 * cluster's value a figure is closest to from below, not that a team belongs to it.
 */
public enum DoraBand {
    /** Change-failure rate up to 5%; failed deployments restored in under an hour. */
    ELITE,
    /** Change-failure rate up to 10%; restored in under a day. */
    HIGH,
    /** Change-failure rate up to 15%; restored in under a day. */
    MEDIUM,
    /** Anything worse. */
    LOW;

    /** Where the report's source is. */
    public static final String SOURCE = "DORA, Accelerate State of DevOps Report 2023, https://dora.dev/research/2023/dora-report/";

    /**
     * The band of a change-failure rate (0 to 1).
     *
     * @param rate the change-failure rate, from 0 to 1
     * @return its band
     */
    public static DoraBand ofChangeFailureRate(double rate) {
        if (rate <= 0.05) {
            return ELITE;
        }
        if (rate <= 0.10) {
            return HIGH;
        }
        return rate <= 0.15 ? MEDIUM : LOW;
    }

    /**
     * The band of a time to restore: under an hour elite, under a day high, else low.
     *
     * @param restore the median time to restore
     * @return its band
     */
    public static DoraBand ofTimeToRestore(Duration restore) {
        if (restore.compareTo(Duration.ofHours(1)) < 0) {
            return ELITE;
        }
        return restore.compareTo(Duration.ofDays(1)) < 0 ? HIGH : LOW;
    }

    /** The band of an optional figure. */
    static Optional<DoraBand> ofRate(Optional<Double> rate) {
        return rate.map(DoraBand::ofChangeFailureRate);
    }
}
