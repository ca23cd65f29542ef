package dev.vigil;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * Vigil's meters in the caller's registry; does nothing without one.
 *
 * <ul>
 *   <li>{@code vigil.verifications} timer, tags {@code service}, {@code kind} ({@code release},
 *       {@code hotfix}), {@code verdict}</li>
 *   <li>{@code vigil.measurements} counter, tags {@code probe}, {@code outcome}</li>
 *   <li>{@code vigil.probe.duration} timer, tag {@code probe}</li>
 *   <li>{@code vigil.rollbacks} counter, tags {@code service}, {@code kind}, {@code outcome}</li>
 *   <li>{@code vigil.time.to.detect} timer, tag {@code service}</li>
 * </ul>
 */
final class Meters {
    private final MeterRegistry registry;

    Meters(MeterRegistry registry) {
        this.registry = registry;
    }

    boolean enabled() {
        return registry != null;
    }

    void measured(Measurement m) {
        if (registry == null) {
            return;
        }
        Counter.builder("vigil.measurements").description("Measurements taken by probes")
                .tag("probe", m.probe()).tag("outcome", m.outcome().name()).register(registry).increment();
        if (m.duration() != null) {
            Timer.builder("vigil.probe.duration").description("Time taken by one measurement, retries included")
                    .tag("probe", m.probe()).register(registry).record(m.duration());
        }
    }

    void verified(Deployment deployment, Verdict verdict, Duration took, VerificationReport.Phase phase) {
        if (registry != null) {
            Timer.builder("vigil.verifications").description("Verifications and their verdicts")
                    .tag("service", deployment.service()).tag("kind", kind(deployment)).tag("verdict", verdict.name())
                    .tag("phase", phase(phase)).register(registry).record(took);
        }
    }

    void detected(Deployment deployment, Duration timeToDetect, VerificationReport.Phase phase) {
        String service = deployment.service();
        if (registry != null) {
            Timer.builder("vigil.time.to.detect").description("Time from the start of a verification to an unhealthy verdict")
                    .tag("service", service).tag("phase", phase(phase)).register(registry).record(timeToDetect);
        }
    }

    void rolledBack(Deployment deployment, RollbackOutcome outcome) {
        if (registry != null) {
            Counter.builder("vigil.rollbacks").description("Rollbacks and their outcomes")
                    .tag("service", deployment.service()).tag("kind", kind(deployment)).tag("outcome", outcome.name()).register(registry).increment();
        }
    }

    private static String phase(VerificationReport.Phase phase) {
        return phase.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String kind(Deployment deployment) {
        return deployment.kind().name().toLowerCase(java.util.Locale.ROOT);
    }
}
