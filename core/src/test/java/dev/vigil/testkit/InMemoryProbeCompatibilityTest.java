package dev.vigil.testkit;

import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** The kit run against probes written in a few lines, so that the kit itself is known to work. */
class InMemoryProbeCompatibilityTest extends ProbeCompatibilityKit {

    @Override
    protected Probe healthyProbe() {
        return context -> ProbeResult.pass(Map.of("value", 1), "value(1) == 1");
    }

    @Override
    protected Probe hangingProbe() {
        return context -> {
            Duration wait = Duration.between(Instant.now(), context.deadline());
            if (!wait.isNegative()) {
                Thread.sleep(wait.toMillis());
            }
            return ProbeResult.error("no answer within " + context.timeout());
        };
    }

    @Override
    protected Probe brokenProbe() {
        return context -> {
            throw new RetryableProbeException("connection refused by kit target");
        };
    }

    @Override
    protected Probe probeWithSecret(String secret) {
        return new Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                return secret.isEmpty() ? ProbeResult.error("no token") : ProbeResult.pass(Map.of("authorized", true), "authorized");
            }

            @Override
            public String toString() {
                return "token probe (token redacted)";
            }
        };
    }
}
