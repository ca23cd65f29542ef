package dev.vigil.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.VirtualTime;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A timeline in virtual time: a service failed 20% of its requests until a deployment at
 * {@link #DEPLOYED}, and none after it. A probe asks {@code rate(errors[1m]) / rate(requests[1m])}
 * (or another query) at each round's time, and the stand-in Prometheus answers what that query
 * gives then: the share of the time it reads that lay before the deployment, times 20%; a range
 * query gets that at every step.
 *
 * <p>The documented rule (docs/prometheus-probes.md, "A hotfix's first rounds"): for a hotfix, a
 * failing query that reads data from before the verification started (a range selector, an
 * offset, a subquery, in an instant query or at a point of a range query) is not counted as a
 * failure, as it measures the incident the hotfix fixes; for a release it stays a {@code FAIL}, as
 * the version before it is taken to have been healthy. For either kind, a passing query that reads
 * only data from before the verification started (an offset longer than the time since it, an
 * {@code @} at a fixed time before it) has seen nothing of the new version: {@code INCONCLUSIVE}.
 */
class HotfixIncidentWindowTest {

    private static final Instant DEPLOYED = Instant.parse("2026-01-01T12:00:00Z");
    private static final String QUERY = "sum(rate(errors[1m])) / sum(rate(requests[1m]))";

    private HttpServer prometheus;
    private final AtomicInteger rollbacks = new AtomicInteger();
    /** The query's value evaluated at a time: by default {@link #QUERY}'s. */
    private volatile Function<Instant, Double> valueAt = t -> 0.20 * beforeDeployment(t.minusSeconds(60), t);

    /** The share of {@code [from, to]} that lay before the deployment. */
    private static double beforeDeployment(Instant from, Instant to) {
        double before = Duration.between(from, DEPLOYED.isBefore(to) ? DEPLOYED : to).toMillis();
        return Math.max(0, before) / Duration.between(from, to).toMillis();
    }

    @BeforeEach
    void start() throws IOException {
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            Map<String, String> form = form(exchange.getRequestURI().getRawQuery());
            answer(exchange, "vector", "{\"metric\":{},\"value\":" + point(form.get("time")) + "}");
        });
        prometheus.createContext("/api/v1/query_range", exchange -> {
            Map<String, String> form = form(exchange.getRequestURI().getRawQuery());
            Instant end = instant(form.get("end"));
            Duration step = Duration.ofMillis(new BigDecimal(form.get("step")).movePointRight(3).longValue());
            List<String> points = new ArrayList<>();
            for (Instant t = instant(form.get("start")); !t.isAfter(end); t = t.plus(step)) {
                points.add(point(new BigDecimal(t.toEpochMilli()).movePointLeft(3).toPlainString()));
            }
            answer(exchange, "matrix", "{\"metric\":{},\"values\":[" + String.join(",", points) + "]}");
        });
        prometheus.start();
    }

    private static Map<String, String> form(String query) {
        Map<String, String> form = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            form.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return form;
    }

    private static Instant instant(String seconds) {
        return Instant.ofEpochMilli(new BigDecimal(seconds).movePointRight(3).longValue());
    }

    /** {@code [time,"value"]}: the query's value at that time. */
    private String point(String time) {
        return "[" + time + ",\"" + valueAt.apply(instant(time)) + "\"]";
    }

    private static void answer(HttpExchange exchange, String type, String series) throws IOException {
        byte[] body = ("{\"status\":\"success\",\"data\":{\"resultType\":\"" + type + "\",\"result\":[" + series + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @AfterEach
    void stop() {
        prometheus.stop(0);
    }

    private VerificationReport verify(Deployment deployment, int maxInconclusive) {
        return verify(deployment, maxInconclusive, builder().query(QUERY), Duration.ofSeconds(10), Duration.ofMinutes(2));
    }

    private PrometheusProbeBuilder builder() {
        return PrometheusProbe.builder().baseUrl("http://127.0.0.1:" + prometheus.getAddress().getPort()).failWhen("value > 0.01");
    }

    private VerificationReport verify(Deployment deployment, int maxInconclusive, PrometheusProbeBuilder probe, Duration interval,
            Duration duration) {
        return verify(deployment, maxInconclusive, probe, VerificationPlan.defaults().withInterval(interval).withDuration(duration));
    }

    private VerificationReport verify(Deployment deployment, int maxInconclusive, PrometheusProbeBuilder probe, VerificationPlan plan) {
        try (DeployVerifier verifier = DeployVerifier.builder()
                .probe("error-rate", probe.build(), ProbeLimits.defaults().withMaxInconclusive(maxInconclusive))
                // The hotfix's confirmation of its own fix, which passes.
                .probe("fix", context -> ProbeResult.pass(Map.of(), "the fix answers")).confirms("fix", "INC-7")
                .plan(plan)
                .rollback(RollbackTriggers.callback("back to 2.4.0", event -> rollbacks.incrementAndGet()))
                .timeSource(VirtualTime.startingAt(DEPLOYED)).build()) {
            return verifier.verifyAfterDeploy(deployment);
        }
    }

    @Test
    void aHotfixIsNotRolledBackForTheIncidentItsQueryStillSeesAndIsJudgedOnItselfAfterwards() {
        VerificationReport report = verify(Deployment.of("checkout", "2.4.1", "2.4.0").asHotfix("INC-7"), 6);

        List<Measurement> m = report.probe("error-rate").orElseThrow().measurements();
        // Rounds at 0s, 10s, ... 50s: the last minute reaches before the deployment; from 60s on it does not.
        assertThat(m.subList(0, 6)).extracting(Measurement::outcome).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(m.get(0).explanation()).contains("not counted as a failure of this hotfix",
                "the query reads from 2026-01-01T11:59:00Z ([1m]), 1m before the verification started (2026-01-01T12:00:00Z)");
        assertThat(m.subList(6, m.size())).extracting(Measurement::outcome).containsOnly(Outcome.PASS);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void withTheDefaultLimitsAHotfixsFirstMinuteEndsTheBakeInconclusiveNotRolledBack() {
        VerificationReport report = verify(Deployment.of("checkout", "2.4.1", "2.4.0").asHotfix("INC-7"), 0);

        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void onInconclusivePassDoesNotAcceptAHotfixWhoseEveryRoundFailedOnTheIncident() {
        // The hotfix fixed nothing: 20% errors go on. A [5m] query reads the incident in every round of a 50s bake
        // and of the end-of-bake rule's 6 extra rounds.
        valueAt = t -> 0.20;
        VerificationReport report = verify(HOTFIX, 20, builder().query(QUERY.replace("[1m]", "[5m]")), VerificationPlan.defaults()
                .withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(50))
                .withOnInconclusive(VerificationPlan.OnInconclusive.PASS));

        assertThat(outcomes(report)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(round(report, 0).values()).containsEntry(ProbeResult.FAILURE_NOT_COUNTED, true);
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(report.reason()).contains("not accepted by on-inconclusive=pass: the latest round of probe error-rate failed");
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void aReleaseFailingInItsFirstMinuteStillFails() {
        VerificationReport report = verify(Deployment.of("checkout", "2.4.1", "2.4.0"), 6);

        assertThat(report.probe("error-rate").orElseThrow().measurements().get(0).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).hasValue(1);
    }

    private static final Deployment HOTFIX = Deployment.of("checkout", "2.4.1", "2.4.0").asHotfix("INC-7");
    private static final Deployment RELEASE = Deployment.of("checkout", "2.4.1", "2.4.0");

    private static List<Outcome> outcomes(VerificationReport report) {
        return report.probe("error-rate").orElseThrow().measurements().stream().map(Measurement::outcome).toList();
    }

    private static Measurement round(VerificationReport report, int index) {
        return report.probe("error-rate").orElseThrow().measurements().get(index);
    }

    private static final String OFFSET_QUERY = "sum(rate(errors[5m] offset 10m)) / sum(rate(requests[5m] offset 10m))";

    @Test
    void anOffsetCountsInHowFarBackAHotfixsQueryReads() {
        valueAt = t -> 0.20 * beforeDeployment(t.minus(Duration.ofMinutes(15)), t.minus(Duration.ofMinutes(10)));

        VerificationReport report = verify(HOTFIX, 20, builder().query(OFFSET_QUERY), Duration.ofMinutes(1), Duration.ofMinutes(20));

        // Rounds at 0, 1m, ... 14m read from before the deployment (5m of range and 10m of offset); from 15m on they do not.
        List<Outcome> outcomes = outcomes(report);
        assertThat(outcomes.subList(0, 15)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(outcomes.subList(15, outcomes.size())).containsOnly(Outcome.PASS);
        assertThat(round(report, 5).explanation()).contains("not counted as a failure of this hotfix: the query reads from"
                + " 2026-01-01T11:50:00Z ([5m] offset 10m), 10m before the verification started (2026-01-01T12:00:00Z)",
                "the rounds from 2026-01-01T12:15:00Z on judge the hotfix alone (an initial-delay of 15m");
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void aReleasesQueryWithAnOffsetStillFails() {
        valueAt = t -> 0.20 * beforeDeployment(t.minus(Duration.ofMinutes(15)), t.minus(Duration.ofMinutes(10)));

        VerificationReport report = verify(RELEASE, 20, builder().query(OFFSET_QUERY), Duration.ofMinutes(1), Duration.ofMinutes(20));

        assertThat(round(report, 0).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void aSubqueryAddsItsRangeToTheRangeInsideIt() {
        // The largest 1m rate over the last 5 minutes: its oldest rate reads from 6 minutes back.
        valueAt = t -> 0.20 * beforeDeployment(t.minus(Duration.ofMinutes(6)), t.minus(Duration.ofMinutes(5)));

        VerificationReport report = verify(HOTFIX, 20,
                builder().query("max_over_time((sum(rate(errors[1m])) / sum(rate(requests[1m])))[5m:1m])"),
                Duration.ofMinutes(1), Duration.ofMinutes(10));

        // The round at 5m reads [11:59, 12:00] through its oldest rate: still the incident.
        List<Outcome> outcomes = outcomes(report);
        assertThat(outcomes.subList(0, 6)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(outcomes.subList(6, outcomes.size())).containsOnly(Outcome.PASS);
        assertThat(round(report, 5).explanation()).contains("the query reads from 2026-01-01T11:59:00Z ([1m] inside [5m:1m])");
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void aRangeQuerysPointsThatReadTheIncidentDoNotFailAHotfixAndItsLaterPointsJudgeIt() {
        VerificationReport report = verify(HOTFIX, 20, builder().query(QUERY).range(Duration.ofMinutes(5), Duration.ofSeconds(15)),
                Duration.ofSeconds(30), Duration.ofMinutes(8));

        // Rounds at 0s and 30s have only points whose [1m] reaches before the deployment, all failing;
        // from 60s on, the point at 12:01:00Z reads the hotfix alone and passes, and so do the later ones.
        List<Outcome> outcomes = outcomes(report);
        assertThat(outcomes.subList(0, 2)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(round(report, 1).explanation()).contains("at 2026-01-01T12:00:00Z: value(0.2) > 0.01; not counted as a failure"
                + " of this hotfix: at this point the query reads from 2026-01-01T11:59:00Z ([1m]), 1m before the verification"
                + " started (2026-01-01T12:00:00Z)", "the points from 2026-01-01T12:01:00Z on judge the hotfix alone");
        assertThat(outcomes.subList(2, outcomes.size())).containsOnly(Outcome.PASS);
        assertThat(round(report, 2).explanation()).contains("4 failing points left out, as points of the same series count"
                + " (the first, at 2026-01-01T12:00:00Z: value(0.2) > 0.01; not counted as a failure of this hotfix");
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.HEALTHY);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void aReleasesRangeQueryStillFailsOnItsFirstPoints() {
        VerificationReport report = verify(RELEASE, 20, builder().query(QUERY).range(Duration.ofMinutes(5), Duration.ofSeconds(15)),
                Duration.ofSeconds(30), Duration.ofMinutes(8));

        assertThat(round(report, 0).outcome()).isEqualTo(Outcome.FAIL);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void aHotfixThatFailsOnItsOwnFailsOnceItsQueryReadsOnlyItsTime() {
        // The hotfix fixes nothing: 20% errors before and after the deployment.
        valueAt = t -> 0.20;

        VerificationReport instant = verify(HOTFIX, 20, builder().query(QUERY), Duration.ofSeconds(10), Duration.ofMinutes(2));

        // Rounds at 0s ... 50s read the incident; the round at 60s reads [12:00, 12:01], the hotfix's alone.
        assertThat(outcomes(instant)).containsExactly(Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE,
                Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE, Outcome.FAIL);
        assertThat(instant.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).hasValue(1);

        VerificationReport range = verify(HOTFIX, 20, builder().query(QUERY).range(Duration.ofMinutes(5), Duration.ofSeconds(15)),
                Duration.ofSeconds(30), Duration.ofMinutes(8));

        assertThat(outcomes(range)).containsExactly(Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE, Outcome.FAIL);
        assertThat(round(range, 2).explanation()).startsWith("at 2026-01-01T12:01:00Z: value(0.2) > 0.01");
        assertThat(range.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).hasValue(2);
    }

    @Test
    void aHotfixWhoseRangeIsANumberOfSecondsFailsOnceItsQueryReadsOnlyItsTime() {
        // [60] is [1m] to Prometheus (a number where a duration goes is seconds); the hotfix fixes nothing.
        valueAt = t -> 0.20;

        VerificationReport report = verify(HOTFIX, 20, builder().query("sum(rate(errors[60])) / sum(rate(requests[60]))"),
                Duration.ofSeconds(10), Duration.ofMinutes(2));

        assertThat(outcomes(report)).containsExactly(Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE,
                Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE, Outcome.INCONCLUSIVE, Outcome.FAIL);
        assertThat(round(report, 0).explanation()).contains("the query reads from 2026-01-01T11:59:00Z ([60])");
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
        assertThat(rollbacks).hasValue(1);
    }

    @Test
    void anAtAFixedTimeBeforeTheStartReadsTheIncidentInEveryRound() {
        // 1767268740 is 11:59:00Z: every round reads the minute before the deployment.
        valueAt = t -> 0.20;

        VerificationReport report = verify(HOTFIX, 20, builder().query("sum(rate(errors[1m] @ 1767268740)) / sum(rate(requests[1m] @ 1767268740))"),
                Duration.ofMinutes(1), Duration.ofMinutes(5));

        assertThat(outcomes(report)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(round(report, 5).explanation()).contains("the query reads from 2026-01-01T11:58:00Z ([1m] @ 1767268740)",
                "an @ at a fixed time before the verification started reads the incident in every round");
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(rollbacks).hasValue(0);
    }

    private static final String OFFSET_MINUTE = "sum(rate(errors[10s] offset 1m)) or vector(0)";

    @Test
    void aReleaseWhoseQueryReadsOnlyBeforeTheStartIsNeverHealthy() {
        // The release fails 20% from its deployment on; each round reads the 10 s that ended a minute before it.
        valueAt = t -> 0.20 * (1 - beforeDeployment(t.minus(Duration.ofSeconds(70)), t.minus(Duration.ofMinutes(1))));

        VerificationReport report = verify(RELEASE, 20, builder().query(OFFSET_MINUTE), Duration.ofSeconds(2), Duration.ofSeconds(6));

        // Rounds at 0, 2, 4 and 6 s read only the previous version's 0: seen nothing of 2.4.1, not healthy.
        assertThat(outcomes(report)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(round(report, 1).explanation()).isEqualTo("value(0) > 0.01 is false; but the query reads only data from"
                + " before the verification started ([10s] offset 1m): its newest data is of 2026-01-01T11:59:02Z, 58s before"
                + " the start (2026-01-01T12:00:00Z), so it has not seen version 2.4.1 (was PASS); read the present to judge it:"
                + " no offset longer than the time since the deployment, and no @ at a fixed time (@ end(), or no @)");
        assertThat(report.verdict()).as(report.reason()).isEqualTo(Verdict.INCONCLUSIVE);
        assertThat(rollbacks).hasValue(0);
    }

    @Test
    void oncePartOfWhatTheQueryReadsIsAfterTheStartItJudgesTheRelease() {
        valueAt = t -> 0.20 * (1 - beforeDeployment(t.minus(Duration.ofSeconds(70)), t.minus(Duration.ofMinutes(1))));

        VerificationReport report = verify(RELEASE, 40, builder().query(OFFSET_MINUTE), Duration.ofSeconds(10), Duration.ofMinutes(2));

        // 0..50 s: before the start, inconclusive; 60 s reads up to the start and passes on the previous version's
        // last 10 s; from 70 s on it sees the release's errors and fails.
        List<Outcome> outcomes = outcomes(report);
        assertThat(outcomes.subList(0, 6)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(outcomes.get(6)).isEqualTo(Outcome.PASS);
        assertThat(outcomes.get(7)).isEqualTo(Outcome.FAIL);
        assertThat(report.verdict()).isEqualTo(Verdict.UNHEALTHY);
    }

    @Test
    void aReleaseQueriedAtAFixedTimeBeforeTheStartNeverPasses() {
        // 1767268740 is 11:59:00Z: every round reads the previous version's healthy minute.
        valueAt = t -> 0.0;

        VerificationReport report = verify(RELEASE, 20, builder().query("sum(rate(errors[1m] @ 1767268740)) or vector(0)"),
                Duration.ofSeconds(10), Duration.ofSeconds(30));

        assertThat(outcomes(report)).containsOnly(Outcome.INCONCLUSIVE);
        assertThat(round(report, 0).explanation()).contains("reads only data from before the verification started"
                + " ([1m] @ 1767268740): its newest data is of 2026-01-01T11:59:00Z, 1m before the start");
        assertThat(report.verdict()).isEqualTo(Verdict.INCONCLUSIVE);
    }
}
