package dev.vigil.reliability;

import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.RetryableProbeException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Probes that go wrong in every way the engine must survive, by name. None of them may ever lead to HEALTHY. */
public final class FaultProbes {

    private FaultProbes() {
    }

    /** Every faulty probe, by a name that says what it does. */
    public static Map<String, Probe> all() {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("throws a runtime exception", ctx -> {
            throw new IllegalStateException("probe blew up");
        });
        probes.put("throws a checked exception", ctx -> {
            throw new java.io.IOException("disk gone");
        });
        probes.put("throws an Error", ctx -> {
            throw new AssertionError("assertion inside a probe");
        });
        probes.put("overflows its stack", FaultProbes::recurse);
        probes.put("throws a sneaky checked exception", ctx -> sneakyThrow(new Exception("sneaky")));
        probes.put("returns null", ctx -> null);
        probes.put("returns ERROR", ctx -> ProbeResult.error("could not measure"));
        probes.put("returns FAIL", ctx -> ProbeResult.fail(Map.of("status", 503), "status(503) == 200 is false"));
        probes.put("returns INCONCLUSIVE", ctx -> ProbeResult.inconclusive(Map.of(), "no data"));
        probes.put("is always retryable", ctx -> {
            throw new RetryableProbeException("connection refused");
        });
        probes.put("throws InterruptedException", ctx -> {
            throw new InterruptedException("made up");
        });
        probes.put("hangs until interrupted", ctx -> {
            Thread.sleep(60_000);
            return ProbeResult.pass(Map.of(), "too late");
        });
        probes.put("interrupts its own thread", ctx -> {
            Thread.currentThread().interrupt();
            return ProbeResult.error("interrupted itself");
        });
        return probes;
    }

    private static ProbeResult recurse(ProbeContext context) {
        return recurse(context);
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> ProbeResult sneakyThrow(Throwable e) throws E {
        throw (E) e;
    }
}
