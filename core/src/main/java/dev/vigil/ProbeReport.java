package dev.vigil;

import java.util.List;

/**
 * What one probe measured during a verification and how that counted against its limits.
 * Immutable.
 *
 * @param name the probe's name
 * @param description what the probe measures ({@code GET http://host/actuator/health})
 * @param passWhen the probe's pass condition as written, or {@code null}
 * @param failWhen the probe's fail condition as written, or {@code null}
 * @param limits the limits it was held to
 * @param measurementPolicy how each of its measurements was attempted (timeout, retries)
 * @param status how the probe ended
 * @param passes number of {@link Outcome#PASS} measurements
 * @param failures number of {@link Outcome#FAIL} measurements
 * @param inconclusive number of {@link Outcome#INCONCLUSIVE} measurements
 * @param errors number of {@link Outcome#ERROR} measurements
 * @param brokenLimit the sentence naming the limit this probe broke, or {@code null}
 * @param measurements the measurements kept whole, in the order taken: every one that is not a
 *     {@code PASS}, the measurements around each of those, the first and the last; in a short bake,
 *     every measurement (the re-check after a rollback is in {@link VerificationReport#recheck()},
 *     not here)
 * @param passRuns the runs of {@code PASS} measurements kept as summaries instead, in order; empty
 *     unless the verification ran long. {@code measurements().size()} plus the counts of the runs is
 *     the number of measurements taken
 * @param plot what its timeline plots ({@link Probe#plot()}): the values its decision rests on and
 *     the threshold; {@link Plot#automatic()} when the probe names none
 */
public record ProbeReport(
        String name,
        String description,
        String passWhen,
        String failWhen,
        ProbeLimits limits,
        MeasurementPolicy measurementPolicy,
        Status status,
        int passes,
        int failures,
        int inconclusive,
        int errors,
        String brokenLimit,
        List<Measurement> measurements,
        List<PassRun> passRuns,
        Plot plot) {

    /** How a probe ended. */
    public enum Status {
        /** Within its limits, with a {@code PASS} as its latest measurement when the bake ended. */
        PASSED,
        /** Broke {@code max-failures} or {@code max-consecutive-errors}. */
        FAILED,
        /** Broke {@code max-inconclusive}, or ended within its limits without a {@code PASS} as its latest measurement. */
        INCONCLUSIVE,
        /** The verification ended (aborted, or another probe decided) before this probe said anything conclusive. */
        NOT_DECIDED
    }

    /**
     * Copies the measurements; a {@code null} measurement policy is the default one.
     *
     * @param name the probe's name
     * @param description what it measures, no secrets
     * @param passWhen its pass condition as written, or {@code null}
     * @param failWhen its fail condition as written, or {@code null}
     * @param limits the limits it was held to
     * @param measurementPolicy how each of its measurements was attempted, or {@code null} for
     *     {@link MeasurementPolicy#defaults()}
     * @param status how it ended
     * @param passes {@code PASS} measurements
     * @param failures {@code FAIL} measurements
     * @param inconclusive {@code INCONCLUSIVE} measurements
     * @param errors {@code ERROR} measurements
     * @param brokenLimit which limit it broke and how, or {@code null}
     * @param measurements the measurements kept whole, in order
     * @param passRuns the runs of {@code PASS} kept as summaries, in order; {@code null} for none
     * @param plot what its timeline plots; {@code null} for {@link Plot#automatic()}
     * @throws NullPointerException when the measurements are {@code null}
     */
    public ProbeReport {
        measurements = List.copyOf(measurements);
        plot = plot == null ? Plot.automatic() : plot;
        passRuns = passRuns == null ? List.of() : List.copyOf(passRuns);
        measurementPolicy = measurementPolicy == null ? MeasurementPolicy.defaults() : measurementPolicy;
    }

    /**
     * A report whose timeline plots what the report chooses ({@link Plot#automatic()}).
     *
     * @param name the probe's name
     * @param description what it measures, no secrets
     * @param passWhen its pass condition as written, or {@code null}
     * @param failWhen its fail condition as written, or {@code null}
     * @param limits the limits it was held to
     * @param measurementPolicy how each of its measurements was attempted, or {@code null} for the defaults
     * @param status how it ended
     * @param passes {@code PASS} measurements
     * @param failures {@code FAIL} measurements
     * @param inconclusive {@code INCONCLUSIVE} measurements
     * @param errors {@code ERROR} measurements
     * @param brokenLimit which limit it broke and how, or {@code null}
     * @param measurements the measurements kept whole, in order
     * @param passRuns the runs of {@code PASS} kept as summaries, in order; {@code null} for none
     * @throws NullPointerException when the measurements are {@code null}
     */
    public ProbeReport(String name, String description, String passWhen, String failWhen, ProbeLimits limits,
            MeasurementPolicy measurementPolicy, Status status, int passes, int failures, int inconclusive, int errors,
            String brokenLimit, List<Measurement> measurements, List<PassRun> passRuns) {
        this(name, description, passWhen, failWhen, limits, measurementPolicy, status, passes, failures, inconclusive,
                errors, brokenLimit, measurements, passRuns, null);
    }

    /**
     * A report of a probe measured with the default {@link MeasurementPolicy}; for tests and
     * fixtures that care only about the limits.
     *
     * @param name the probe's name
     * @param description what it measures, no secrets
     * @param passWhen its pass condition as written, or {@code null}
     * @param failWhen its fail condition as written, or {@code null}
     * @param limits the limits it was held to
     * @param status how it ended
     * @param passes {@code PASS} measurements
     * @param failures {@code FAIL} measurements
     * @param inconclusive {@code INCONCLUSIVE} measurements
     * @param errors {@code ERROR} measurements
     * @param brokenLimit which limit it broke and how, or {@code null}
     * @param measurements every measurement, in order
     * @throws NullPointerException when the measurements are {@code null}
     */
    public ProbeReport(String name, String description, String passWhen, String failWhen, ProbeLimits limits,
            Status status, int passes, int failures, int inconclusive, int errors, String brokenLimit,
            List<Measurement> measurements) {
        this(name, description, passWhen, failWhen, limits, null, status, passes, failures, inconclusive, errors,
                brokenLimit, measurements, List.of(), null);
    }

    /**
     * A report that kept every measurement whole (no {@link PassRun}).
     *
     * @param name the probe's name
     * @param description what it measures, no secrets
     * @param passWhen its pass condition as written, or {@code null}
     * @param failWhen its fail condition as written, or {@code null}
     * @param limits the limits it was held to
     * @param measurementPolicy how each of its measurements was attempted, or {@code null} for the defaults
     * @param status how it ended
     * @param passes {@code PASS} measurements
     * @param failures {@code FAIL} measurements
     * @param inconclusive {@code INCONCLUSIVE} measurements
     * @param errors {@code ERROR} measurements
     * @param brokenLimit which limit it broke and how, or {@code null}
     * @param measurements every measurement, in order
     * @throws NullPointerException when the measurements are {@code null}
     */
    public ProbeReport(String name, String description, String passWhen, String failWhen, ProbeLimits limits,
            MeasurementPolicy measurementPolicy, Status status, int passes, int failures, int inconclusive, int errors,
            String brokenLimit, List<Measurement> measurements) {
        this(name, description, passWhen, failWhen, limits, measurementPolicy, status, passes, failures, inconclusive,
                errors, brokenLimit, measurements, List.of(), null);
    }

    /**
     * The latest measurement that ran tests (has {@link Measurement#items() items}): one without any
     * is a carried-over {@code PASS} (a suite that runs once per verification) or a run that never
     * started, and says nothing of the tests. What a fix's confirmation and the regression guard judge.
     *
     * @return that measurement, or empty when none has items
     */
    public java.util.Optional<Measurement> latestRun() {
        return Confirmer.latestRun(measurements);
    }

    /**
     * The value on one line, to be logged: the name, status and counts; the description, conditions and broken limit by their length, the
     * measurements and pass runs by their number (a condition or a measurement may quote a credential).
     * The reports show the texts, masked.
     *
     * @return the value without its free texts
     */
    @Override
    public String toString() {
        return "ProbeReport[name=" + name + ", description=" + Unshown.text(description) + ", passWhen=" + Unshown.text(passWhen)
                + ", failWhen=" + Unshown.text(failWhen) + ", limits=" + limits + ", measurementPolicy=" + measurementPolicy
                + ", status=" + status + ", passes=" + passes + ", failures=" + failures + ", inconclusive=" + inconclusive
                + ", errors=" + errors + ", brokenLimit=" + Unshown.text(brokenLimit) + ", measurements=" + Unshown.size(measurements)
                + ", passRuns=" + Unshown.size(passRuns) + "]";
    }
}
