package dev.vigil.config;

import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import java.util.List;
import java.util.Objects;

/**
 * One probe made from configuration. Immutable.
 *
 * @param name the probe's name ({@code health} for {@code vigil.probes.health.*})
 * @param type its type ({@code http})
 * @param probe the probe, with its conditions
 * @param limits its limits
 * @param measurement how each of its measurements is attempted (timeout, retries)
 * @param confirms the issue ids it confirms as a whole ({@code confirms=INC-123}); may be empty
 */
public record BoundProbe(String name, String type, Probe probe, ProbeLimits limits, MeasurementPolicy measurement,
        List<String> confirms) {

    /**
     * Validates.
     *
     * @param name the probe's name
     * @param type its type
     * @param probe the probe
     * @param limits its limits
     * @param measurement how each of its measurements is attempted
     * @param confirms the issue ids the probe confirms as a whole ({@code confirms=}); {@code null} for none
     * @throws NullPointerException when any of them but {@code confirms} is {@code null}
     */
    public BoundProbe {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(probe, "probe");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(measurement, "measurement");
        confirms = confirms == null ? List.of() : List.copyOf(confirms);
    }

    /**
     * A probe that confirms no fix as a whole.
     *
     * @param name the probe's name
     * @param type its type
     * @param probe the probe
     * @param limits its limits
     * @param measurement how each of its measurements is attempted
     * @throws NullPointerException when any of them is {@code null}
     */
    public BoundProbe(String name, String type, Probe probe, ProbeLimits limits, MeasurementPolicy measurement) {
        this(name, type, probe, limits, measurement, List.of());
    }

    /**
     * What the probe measures and when it passes, with its limits and measurement policy.
     *
     * @return one line: {@code name (type): description; pass-when ...; fail-when ...; max-failures ...},
     *     the conditions only when set; no secrets
     */
    public String describe() {
        StringBuilder out = new StringBuilder(name).append(" (").append(type).append("): ").append(probe.description());
        if (probe.passWhen() != null) {
            out.append("; pass-when ").append(probe.passWhen());
        }
        if (probe.failWhen() != null) {
            out.append("; fail-when ").append(probe.failWhen());
        }
        out.append("; max-failures ").append(limits.maxFailures())
                .append(", max-consecutive-errors ").append(limits.maxConsecutiveErrors())
                .append(", max-inconclusive ").append(limits.maxInconclusive())
                .append(", timeout ").append(Values.format(measurement.timeout()))
                .append(", max-attempts ").append(measurement.maxAttempts())
                .append(", retry-backoff ").append(Values.format(measurement.retryBackoff()));
        if (!confirms.isEmpty()) {
            out.append("; confirms ").append(String.join(", ", confirms));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "BoundProbe[" + describe() + "]";
    }
}
