package dev.vigil.report;

import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackOutcome;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Verification reports built by hand, with fixed times, for the renderer tests. */
final class SampleReports {

    static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

    private SampleReports() {
    }

    /**
     * checkout 2.4.1: probe health (latency, 4 passes), probe error-rate (value, pass, fail, fail:
     * broke max-failures 1 in round 3), rolled back by a command, re-checked.
     */
    static VerificationReport unhealthyRolledBack() {
        List<Measurement> health = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            health.add(measurement("health", round, Outcome.PASS,
                    values("status", 200, "latency", Duration.ofMillis(100 + 10L * round)),
                    "status(200) == 200 && latency(" + (100 + 10 * round) + "ms) < 500ms"));
        }
        List<Measurement> errorRate = List.of(
                measurement("error-rate", 1, Outcome.PASS, values("value", 0.001), "not (value(0.001) > 0.01)"),
                measurement("error-rate", 2, Outcome.FAIL, values("value", 0.02), "value(0.02) > 0.01"),
                measurement("error-rate", 3, Outcome.FAIL, values("value", 0.031), "value(0.031) > 0.01"));
        String reason = "probe error-rate failed 2 times (max-failures 1): value(0.031) > 0.01 at 12:00:20Z";
        ProbeReport healthReport = new ProbeReport("health", "GET http://localhost:8080/actuator/health",
                "status == 200 && latency < 500ms", null, ProbeLimits.defaults(), ProbeReport.Status.PASSED,
                3, 0, 0, 0, null, health);
        ProbeReport errorReport = new ProbeReport("error-rate", "PromQL sum(rate(errors[1m])) / sum(rate(requests[1m]))",
                null, "value > 0.01", ProbeLimits.defaults().withMaxFailures(1), ProbeReport.Status.FAILED,
                1, 2, 0, 0, reason, errorRate);
        Instant detected = START.plusSeconds(21);
        RollbackReport rollback = new RollbackReport(RollbackOutcome.ROLLED_BACK,
                "command: kubectl rollout undo deployment/checkout", 1,
                "deployment.apps/checkout rolled back", null, detected, detected.plusSeconds(4),
                "5f0c1c3e-8d0a-4c57-9d55-2f1f3b7a9e61");
        List<Measurement> recheck = List.of(
                measurement("health", 0, Outcome.PASS, values("status", 200, "latency", Duration.ofMillis(90)),
                        "status(200) == 200 && latency(90ms) < 500ms", START.plusSeconds(26)),
                measurement("error-rate", 0, Outcome.PASS, values("value", 0.0), "not (value(0) > 0.01)",
                        START.plusSeconds(26)));
        return new VerificationReport(Deployment.of("checkout", "2.4.1", "2.4.0").withEnvironment("production"),
                plan(), Verdict.UNHEALTHY, reason, List.of(healthReport, errorReport), rollback, recheck, 3,
                START, detected, START.plusSeconds(27));
    }

    /** checkout 2.4.1 healthy over 3 rounds with one probe. */
    static VerificationReport healthy() {
        List<Measurement> health = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            health.add(measurement("health", round, Outcome.PASS, values("status", 200), "status(200) == 200"));
        }
        ProbeReport probe = new ProbeReport("health", "GET http://localhost:8080/health", "status == 200", null,
                ProbeLimits.defaults(), ProbeReport.Status.PASSED, 3, 0, 0, 0, null, health);
        return new VerificationReport(Deployment.of("checkout", "2.4.1", "2.4.0"), plan(), Verdict.HEALTHY,
                "all 1 probes passed within their limits over 3 rounds (30s bake)", List.of(probe),
                RollbackReport.notNeeded(), List.of(), 3, START, null, START.plusSeconds(30));
    }

    /** {@link #healthy()} with one round of its probe, whose measurement holds the values given. */
    static VerificationReport healthyWithValues(Map<String, ?> values) {
        VerificationReport base = healthy();
        ProbeReport p = base.probes().get(0);
        ProbeReport withValues = new ProbeReport(p.name(), p.description(), p.passWhen(), null, p.limits(), p.status(),
                1, 0, 0, 0, null, List.of(measurement("health", 1, Outcome.PASS, values, "status == 200")));
        return new VerificationReport(base.deployment(), base.plan(), base.verdict(), base.reason(),
                List.of(withValues), base.rollback(), base.recheck(), 1, base.startedAt(), null, base.finishedAt());
    }

    /**
     * payments 7.0.0: probe db (no numbers, errors only: broke max-consecutive-errors 1), probe
     * smoke (not decided), rollback failed.
     */
    static VerificationReport unhealthyRollbackFailed() {
        List<Measurement> db = List.of(
                measurement("db", 1, Outcome.ERROR, Map.of(), "connection refused"),
                measurement("db", 2, Outcome.ERROR, Map.of(), "connection refused"));
        List<Measurement> smoke = List.of(
                measurement("smoke", 1, Outcome.INCONCLUSIVE, values("ok", "maybe"), "neither held"),
                measurement("smoke", 2, Outcome.INCONCLUSIVE, values("ok", "maybe"), "neither held"));
        String reason = "probe db could not measure 2 times in a row (max-consecutive-errors 1): connection refused";
        ProbeReport dbReport = new ProbeReport("db", "TCP db:5432", "ok == true", null,
                ProbeLimits.defaults().withMaxConsecutiveErrors(1), ProbeReport.Status.FAILED, 0, 0, 0, 2, reason, db);
        ProbeReport smokeReport = new ProbeReport("smoke", "GET /smoke", "ok == \"yes\"", "ok == \"no\"",
                ProbeLimits.defaults().withMaxInconclusive(5), ProbeReport.Status.NOT_DECIDED, 0, 0, 2, 0, null, smoke);
        Instant detected = START.plusSeconds(11);
        RollbackReport rollback = new RollbackReport(RollbackOutcome.FAILED, "command: ./rollback.sh", 3,
                "error: cluster unreachable", "command: ./rollback.sh failed after 3 attempts: exit 1",
                detected, detected.plusSeconds(9));
        return new VerificationReport(Deployment.of("payments", "7.0.0", "6.9.3"), plan(), Verdict.UNHEALTHY, reason,
                List.of(dbReport, smokeReport), rollback, List.of(), 2, START, detected, START.plusSeconds(20));
    }

    /**
     * orders 2.0.0: probe smoke, a JUnit suite run twice: round 1 all passed, round 2 one test
     * failed (its message quotes {@code secret}), one aborted, one passed; broke max-failures 0.
     */
    static VerificationReport withTests(String secret) {
        Measurement first = measurement("smoke", 1, Outcome.PASS, values("tests.total", 1, "tests.passed", 1L), "1 passed",
                List.of(item("healthIsUp()", ItemResult.Status.PASSED, "")));
        Measurement second = measurement("smoke", 2, Outcome.FAIL, values("tests.total", 3, "tests.failed", 1L),
                "1 of 3 tests failed: OrdersSmokeTest > paysWithCard(): expected: <201> but was: <500>",
                List.of(
                        item("healthIsUp()", ItemResult.Status.PASSED, ""),
                        item("onlyInProduction()", ItemResult.Status.ABORTED, "Assumption failed: production only"),
                        item("paysWithCard()", ItemResult.Status.FAILED,
                                "POST /payments with Authorization: Bearer " + secret + "\n==> expected: <201> but was: <500>")));
        String reason = "probe smoke failed once (max-failures 0): " + second.explanation();
        ProbeReport smoke = new ProbeReport("smoke", "JUnit tests: select=package:com.acme.smoke", null, null,
                ProbeLimits.defaults(), ProbeReport.Status.FAILED, 1, 1, 0, 0, reason, List.of(first, second));
        return new VerificationReport(Deployment.of("orders", "2.0.0", "1.0.0"), plan(), Verdict.UNHEALTHY, reason,
                List.of(smoke), RollbackReport.notNeeded(), List.of(), 2, START, START.plusSeconds(11), START.plusSeconds(12));
    }

    private static ItemResult item(String name, ItemResult.Status status, String message) {
        return new ItemResult("[engine:junit-jupiter]/[class:com.acme.smoke.OrdersSmokeTest]/[method:" + name + "]",
                "com.acme.smoke.OrdersSmokeTest", name, status, Duration.ofMillis(12), message);
    }

    static VerificationPlan plan() {
        return VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30));
    }

    static Measurement measurement(String probe, int round, Outcome outcome, Map<String, ?> values, String explanation,
            List<ItemResult> items) {
        ProbeResult m = ProbeResult.of(outcome, values, explanation).withItems(items);
        return m.completed(probe, round, START.plusSeconds(10L * (round - 1)), 1, Duration.ofMillis(40));
    }

    static Measurement measurement(String probe, int round, Outcome outcome, Map<String, ?> values, String explanation) {
        return measurement(probe, round, outcome, values, explanation, START.plusSeconds(10L * (round - 1)));
    }

    static Measurement measurement(String probe, int round, Outcome outcome, Map<String, ?> values, String explanation,
            Instant time) {
        ProbeResult m = outcome == Outcome.ERROR ? ProbeResult.error(explanation, values)
                : ProbeResult.of(outcome, values, explanation);
        return m.completed(probe, round, time, 1, Duration.ofMillis(40));
    }

    static Map<String, Object> values(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
