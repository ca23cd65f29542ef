package dev.vigil.config;

import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import java.util.List;
import java.util.Objects;

/**
 * One probe made from configuration. Immutable. Two bound probes are equal when their name, type,
 * probe, limits, measurement policy and confirmed issues are.
 *
 * <p>{@link #describe()} and {@link #toString()} never show a secret of the configuration it came
 * from ({@link BoundConfig#probes()}), also when a placeholder put one into a setting that the
 * probe's type shows in its description ({@code url=https://host/health/${HEALTH_TOKEN}}).
 * {@link #probe()} is the probe itself, as its type made it: what it shows is up to that type.
 */
public final class BoundProbe {

    private final String name;
    private final String type;
    private final Probe probe;
    private final ProbeLimits limits;
    private final MeasurementPolicy measurement;
    private final List<String> confirms;
    /** The configuration's secrets, blanked out of {@link #describe()}; empty when made by hand. */
    private final List<String> secrets;

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
    public BoundProbe(String name, String type, Probe probe, ProbeLimits limits, MeasurementPolicy measurement,
            List<String> confirms) {
        this(name, type, probe, limits, measurement, confirms, List.of());
    }

    private BoundProbe(String name, String type, Probe probe, ProbeLimits limits, MeasurementPolicy measurement,
            List<String> confirms, List<String> secrets) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.measurement = Objects.requireNonNull(measurement, "measurement");
        this.confirms = confirms == null ? List.of() : List.copyOf(confirms);
        this.secrets = List.copyOf(secrets);
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

    /** The same probe, its description blanked of these secrets of its configuration. */
    BoundProbe hiding(List<String> configurationSecrets) {
        return new BoundProbe(name, type, probe, limits, measurement, confirms, configurationSecrets);
    }

    /**
     * The probe's name.
     *
     * @return {@code health} for {@code vigil.probes.health.*}
     */
    public String name() {
        return name;
    }

    /**
     * The probe's type.
     *
     * @return the value of its {@code type} key, such as {@code http}
     */
    public String type() {
        return type;
    }

    /**
     * The probe, with its conditions, as its type made it.
     *
     * @return the probe; never {@code null}
     */
    public Probe probe() {
        return probe;
    }

    /**
     * The probe's limits.
     *
     * @return its limits; never {@code null}
     */
    public ProbeLimits limits() {
        return limits;
    }

    /**
     * How each of its measurements is attempted (timeout, retries).
     *
     * @return the policy; never {@code null}
     */
    public MeasurementPolicy measurement() {
        return measurement;
    }

    /**
     * The issue ids the probe confirms as a whole ({@code confirms=INC-123}).
     *
     * @return an unmodifiable list; may be empty
     */
    public List<String> confirms() {
        return confirms;
    }

    /**
     * What the probe measures and when it passes, with its limits and measurement policy.
     *
     * @return one line: {@code name (type): description; pass-when ...; fail-when ...; max-failures ...},
     *     the conditions only when set; no secrets
     */
    public String describe() {
        return describe(false);
    }

    /**
     * {@link #describe()}, with {@code (type, re-check only)} for a probe measured in the re-check
     * after a rollback only ({@code recheck=only}), which the bake and the watch leave out.
     */
    String describe(boolean recheckOnly) {
        StringBuilder out = new StringBuilder(name).append(" (").append(type).append(recheckOnly ? ", re-check only" : "")
                .append("): ").append(probe.description());
        if (probe.passWhen() != null) {
            out.append("; pass-when ").append(probe.passWhen());
        }
        if (probe.failWhen() != null) {
            out.append("; fail-when ").append(probe.failWhen());
        }
        out.append("; ").append(limits.describe())
                .append(", timeout ").append(Values.format(measurement.timeout()))
                .append(", max-attempts ").append(measurement.maxAttempts())
                .append(", retry-backoff ").append(Values.format(measurement.retryBackoff()));
        if (!confirms.isEmpty()) {
            out.append("; confirms ").append(String.join(", ", confirms));
        }
        return Secrets.scrub(out.toString(), secrets);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundProbe other && name.equals(other.name) && type.equals(other.type)
                && probe.equals(other.probe) && limits.equals(other.limits) && measurement.equals(other.measurement)
                && confirms.equals(other.confirms);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, probe, limits, measurement, confirms);
    }

    @Override
    public String toString() {
        return "BoundProbe[" + describe() + "]";
    }
}
