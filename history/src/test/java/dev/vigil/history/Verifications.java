package dev.vigil.history;

import dev.vigil.Deployment;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Verification reports for the history's tests, each a whole report as the engine makes it. */
public final class Verifications {

    private Verifications() {
    }

    private static VerificationPlan plan() {
        return new VerificationPlan(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(30),
                VerificationPlan.OnInconclusive.FAIL, false);
    }

    /** A healthy verification of {@code service} at {@code version}, started at {@code start}, 30 s long. */
    public static VerificationReport healthy(String id, Deployment d, Instant start) {
        ProbeReport probe = new ProbeReport("health", "GET http://localhost:8080/health", "status == 200", null,
                ProbeLimits.defaults(), ProbeReport.Status.PASSED, 3, 0, 0, 0, null,
                List.of(ProbeResult.pass(Map.of("status", 200), "status(200) == 200")
                        .completed("health", 1, start, 1, Duration.ofMillis(20))));
        return new VerificationReport(d, plan(), Verdict.HEALTHY, "all 1 probes passed within their limits over 3 rounds",
                List.of(probe), RollbackReport.notNeeded(), List.of(), 3, start, null, start.plusSeconds(30), null, null, id);
    }

    /**
     * An unhealthy verification detected {@code detectAfter} after {@code start}, rolled back in 20 s, and
     * re-checked {@code recheck} 40 s after the detection.
     */
    public static VerificationReport rolledBack(String id, Deployment d, Instant start, Duration detectAfter,
            RecheckReport.Status recheck) {
        Instant detected = start.plus(detectAfter);
        ProbeReport probe = new ProbeReport("error-rate", "PromQL error ratio", null, "value > 0.01",
                ProbeLimits.defaults(), ProbeReport.Status.FAILED, 1, 1, 0, 0, "probe error-rate failed 1 time (max-failures 0)",
                List.of(ProbeResult.fail(Map.of("value", 0.031), "value(0.031) > 0.01")
                        .completed("error-rate", 1, detected, 1, Duration.ofMillis(20))));
        RollbackReport rollback = new RollbackReport(RollbackOutcome.ROLLED_BACK, "command: ./rollback.sh", 1, "", null,
                detected, detected.plusSeconds(20), "rb-" + id);
        return new VerificationReport(d, plan(), Verdict.UNHEALTHY, "probe error-rate failed 1 time (max-failures 0)",
                List.of(probe), rollback, List.of(), 2, start, detected, detected.plusSeconds(40), null,
                new RecheckReport(recheck, "re-checked", 2, Duration.ofSeconds(10)), id);
    }

    /** An inconclusive verification: nothing rolled back. */
    public static VerificationReport inconclusive(String id, Deployment d, Instant start) {
        ProbeReport probe = new ProbeReport("health", "GET /health", "status == 200", null, ProbeLimits.defaults(),
                ProbeReport.Status.INCONCLUSIVE, 0, 0, 3, 0, null, List.of());
        return new VerificationReport(d, plan(), Verdict.INCONCLUSIVE, "no probe passed", List.of(probe),
                RollbackReport.notNeeded(), List.of(), 3, start, null, start.plusSeconds(30), null, null, id);
    }
}
