package dev.vigil;


/** A probe as configured: its name, the probe itself and its limits. */
record ProbeSpec(String name, Probe probe, ProbeLimits limits) {
}
