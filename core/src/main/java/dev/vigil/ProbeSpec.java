package dev.vigil;

import java.util.List;

/**
 * A probe as configured: its name, the probe itself, its limits, how each measurement is attempted
 * and the issue ids it confirms as a whole ({@code confirms=}).
 */
record ProbeSpec(String name, Probe probe, ProbeLimits limits, MeasurementPolicy measurement, List<String> confirms) {

    ProbeSpec {
        confirms = confirms == null ? List.of() : List.copyOf(confirms);
    }

    ProbeSpec(String name, Probe probe, ProbeLimits limits, MeasurementPolicy measurement) {
        this(name, probe, limits, measurement, List.of());
    }

    ProbeSpec withConfirms(List<String> issues) {
        return new ProbeSpec(name, probe, limits, measurement, issues);
    }
}
