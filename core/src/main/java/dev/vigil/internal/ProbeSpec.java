package dev.vigil.internal;

import dev.vigil.ProbeLimits;
import dev.vigil.spi.Probe;

/** A probe as configured: its name, the probe itself and its limits. */
public record ProbeSpec(String name, Probe probe, ProbeLimits limits) {
}
