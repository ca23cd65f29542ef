package dev.vigil;


/** A probe as configured: its name, the probe itself, its limits and how each measurement is attempted. */
record ProbeSpec(String name, Probe probe, ProbeLimits limits, MeasurementPolicy measurement) {
}
