package dev.vigil.history;

import dev.vigil.ProbeReport;
import java.util.Objects;

/**
 * How one probe's measurements came out in a recorded verification. Immutable.
 *
 * @param name the probe's name
 * @param status how the probe ended
 * @param passes {@code PASS} measurements
 * @param failures {@code FAIL} measurements
 * @param inconclusive {@code INCONCLUSIVE} measurements
 * @param errors {@code ERROR} measurements
 */
public record ProbeCounts(String name, ProbeReport.Status status, int passes, int failures, int inconclusive, int errors) {

    /**
     * Validates.
     *
     * @param name the probe's name
     * @param status how the probe ended
     * @param passes {@code PASS} measurements
     * @param failures {@code FAIL} measurements
     * @param inconclusive {@code INCONCLUSIVE} measurements
     * @param errors {@code ERROR} measurements
     */
    public ProbeCounts {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
    }

    /**
     * The counts of a probe's report.
     *
     * @param p the probe's part of a verification report
     * @return its counts
     */
    public static ProbeCounts of(ProbeReport p) {
        return new ProbeCounts(p.name(), p.status(), p.passes(), p.failures(), p.inconclusive(), p.errors());
    }
}
