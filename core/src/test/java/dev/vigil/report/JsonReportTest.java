package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackReport;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.ScheduleReport;
import dev.vigil.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

class JsonReportTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void carriesTheDocumentedKeys() throws Exception {
        JsonNode json = mapper.readTree(Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.JSON));

        assertThat(json.path("schema").asText()).isEqualTo("vigil-report/1");
        assertThat(json.path("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(json.path("verdict").asText()).isEqualTo("UNHEALTHY");
        assertThat(json.path("healthy").asBoolean()).isFalse();
        assertThat(json.path("reason").asText()).startsWith("probe error-rate failed 2 times (max-failures 1)");
        assertThat(json.has("supersededBy")).as("documented: null when nothing superseded it, never left out").isTrue();
        assertThat(json.path("supersededBy").isNull()).isTrue();
        assertThat(json.path("deployment").path("service").asText()).isEqualTo("checkout");
        assertThat(json.path("deployment").path("version").asText()).isEqualTo("2.4.1");
        assertThat(json.path("deployment").path("previousVersion").asText()).isEqualTo("2.4.0");
        assertThat(json.path("deployment").path("environment").asText()).isEqualTo("production");
        assertThat(json.path("rounds").asInt()).isEqualTo(3);
        assertThat(json.path("probes")).extracting(p -> p.path("name").asText()).containsExactly("health", "error-rate");
        JsonNode errorRate = json.path("probes").get(1);
        assertThat(errorRate.path("status").asText()).isEqualTo("FAILED");
        assertThat(errorRate.path("failWhen").asText()).isEqualTo("value > 0.01");
        assertThat(errorRate.path("passWhen").isNull()).isTrue();
        assertThat(errorRate.path("brokenLimit").asText()).contains("max-failures 1");
        assertThat(errorRate.path("counts").path("pass").asInt()).isEqualTo(1);
        assertThat(errorRate.path("counts").path("fail").asInt()).isEqualTo(2);
        assertThat(errorRate.path("limits").path("maxFailures").asInt()).isEqualTo(1);
        assertThat(errorRate.path("measurements")).extracting(m -> m.path("outcome").asText())
                .containsExactly("PASS", "FAIL", "FAIL");
        JsonNode failed = errorRate.path("measurements").get(2);
        assertThat(failed.path("round").asInt()).isEqualTo(3);
        assertThat(failed.path("time").asText()).isEqualTo("2026-11-26T12:00:20Z");
        assertThat(failed.path("values").path("value").asDouble()).isEqualTo(0.031);
        assertThat(failed.path("explanation").asText()).isEqualTo("value(0.031) > 0.01");
        assertThat(failed.path("error").isNull()).isTrue();
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("ROLLED_BACK");
        assertThat(json.path("rollback").path("output").asText()).isEqualTo("deployment.apps/checkout rolled back");
        assertThat(json.path("rollback").path("id").asText()).isEqualTo("5f0c1c3e-8d0a-4c57-9d55-2f1f3b7a9e61");
        assertThat(json.path("recheck")).extracting(m -> m.path("probe").asText()).containsExactly("health", "error-rate");
        assertThat(json.path("recheck").get(0).path("round").asInt()).isZero();
    }

    @Test
    void saysHowTheRoundsWentAgainstThePlanInJsonMarkdownAndHtml() throws Exception {
        VerificationReport base = SampleReports.healthy();
        VerificationReport report = new VerificationReport(base.deployment(), base.plan(), base.verdict(), base.reason(),
                base.probes(), base.rollback(), base.recheck(), 5, base.startedAt(), null, base.finishedAt(),
                new ScheduleReport(6, 2, 1, java.util.List.of("2 rounds skipped: round 4 took 41s")), null);

        JsonNode schedule = mapper.readTree(Reports.render(report, ReportFormat.JSON)).path("schedule");
        assertThat(schedule.path("plannedRounds").asInt()).isEqualTo(6);
        assertThat(schedule.path("skippedRounds").asInt()).isEqualTo(2);
        assertThat(schedule.path("extraRounds").asInt()).isEqualTo(1);
        assertThat(schedule.path("notes")).extracting(JsonNode::asText).containsExactly("2 rounds skipped: round 4 took 41s");
        String note = "5 rounds (6 planned; 1 extra by the end-of-bake rule; 2 rounds skipped: round 4 took 41s)";
        assertThat(Reports.render(report, ReportFormat.MARKDOWN)).contains(note);
        assertThat(Reports.render(report, ReportFormat.HTML)).contains(
                "5 (6 planned; 1 extra by the end-of-bake rule; 2 rounds skipped: round 4 took 41s)");
        assertThat(mapper.readTree(Reports.render(SampleReports.healthy(), ReportFormat.JSON)).path("schedule")
                .path("notes")).isEmpty();
    }

    @Test
    void writesTimesAsIsoAndDurationsAsIsoAndMillis() throws Exception {
        JsonNode json = mapper.readTree(Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.JSON));

        JsonNode times = json.path("times");
        assertThat(times.path("started").asText()).isEqualTo("2026-11-26T12:00:00Z");
        assertThat(times.path("detected").asText()).isEqualTo("2026-11-26T12:00:21Z");
        assertThat(times.path("finished").asText()).isEqualTo("2026-11-26T12:00:27Z");
        assertThat(times.path("timeToDetect").asText()).isEqualTo("PT21S");
        assertThat(times.path("timeToDetectMillis").asLong()).isEqualTo(21_000);
        assertThat(times.path("elapsedMillis").asLong()).isEqualTo(27_000);
        assertThat(json.path("plan").path("duration").asText()).isEqualTo("PT30S");
        assertThat(json.path("plan").path("durationMillis").asLong()).isEqualTo(30_000);
        assertThat(json.path("plan").path("intervalMillis").asLong()).isEqualTo(10_000);
        assertThat(json.path("plan").path("dryRun").asBoolean()).isFalse();
        JsonNode health = json.path("probes").get(0).path("measurements").get(0);
        assertThat(health.path("values").path("latency").asText()).isEqualTo("PT0.11S");
        assertThat(health.path("values").path("latencyMillis").asLong()).isEqualTo(110);
        assertThat(health.path("durationMillis").asLong()).isEqualTo(40);
        assertThat(json.path("rollback").path("durationMillis").asLong()).isEqualTo(4_000);
    }

    @Test
    void healthyReportHasNullDetectionAndEmptyRecheck() throws Exception {
        JsonNode json = mapper.readTree(Reports.render(SampleReports.healthy(), ReportFormat.JSON));

        assertThat(json.path("verdict").asText()).isEqualTo("HEALTHY");
        assertThat(json.path("healthy").asBoolean()).isTrue();
        assertThat(json.path("times").path("detected").isNull()).isTrue();
        assertThat(json.path("times").path("timeToDetectMillis").isNull()).isTrue();
        assertThat(json.path("rollback").path("outcome").asText()).isEqualTo("NOT_NEEDED");
        assertThat(json.path("rollback").path("started").isNull()).isTrue();
        assertThat(json.path("rollback").path("id").isNull()).isTrue();
        assertThat(json.path("rollback").path("sharedWith").isNull()).isTrue();
        assertThat(json.path("recheck").isArray()).isTrue();
        assertThat(json.path("recheck")).isEmpty();
    }

    @Test
    void aRollbackThatAConcurrentVerificationRanNamesItsRunner() throws Exception {
        // A pipeline reading report.json must not repeat by hand a rollback another verification ran.
        RollbackReport shared = new RollbackReport(RollbackOutcome.FAILED, "kubectl rollout undo", 0, "", "timed out",
                null, null, null, "a concurrent verification of checkout 2.0.0 in production");
        VerificationReport report = new VerificationReport(Deployment.of("checkout", "2.0.0"), SampleReports.plan(),
                Verdict.UNHEALTHY, "rolled back by a concurrent verification", List.of(), shared,
                List.of(), 1, SampleReports.START, SampleReports.START, SampleReports.START.plusSeconds(1));

        JsonNode rollback = mapper.readTree(Reports.render(report, ReportFormat.JSON)).path("rollback");

        assertThat(rollback.path("sharedWith").asText()).isEqualTo("a concurrent verification of checkout 2.0.0 in production");
        assertThat(rollback.path("attempts").asInt()).isZero();
    }

    @Test
    void notANumberStaysValidJson() throws Exception {
        var nan = SampleReports.measurement("ratio", 1, Outcome.INCONCLUSIVE,
                SampleReports.values("value", Double.NaN, "peak", Double.POSITIVE_INFINITY), "isNaN(value)");
        ProbeReport probe = new ProbeReport("ratio", "PromQL x", null, "value > 1", ProbeLimits.defaults(),
                ProbeReport.Status.INCONCLUSIVE, 0, 0, 1, 0, "probe ratio was inconclusive", List.of(nan));
        VerificationReport report = new VerificationReport(Deployment.of("svc", "1"), SampleReports.plan(),
                Verdict.INCONCLUSIVE, "probe ratio was inconclusive", List.of(probe), RollbackReport.notNeeded(),
                List.of(), 1, SampleReports.START, SampleReports.START, SampleReports.START.plusSeconds(1));

        JsonNode values = mapper.readTree(Reports.render(report, ReportFormat.JSON))
                .path("probes").get(0).path("measurements").get(0).path("values");

        assertThat(values.path("value").asText()).isEqualTo("NaN");
        assertThat(values.path("peak").asText()).isEqualTo("+Inf");
    }

    @Test
    void eachTestOfAMeasurementIsListedWithItsStatusAndMessage() throws Exception {
        JsonNode json = mapper.readTree(Reports.render(SampleReports.withTests("t0k3n-json"), ReportFormat.JSON));

        JsonNode measurements = json.path("probes").get(0).path("measurements");
        assertThat(measurements.get(0).path("items")).hasSize(1);
        JsonNode items = measurements.get(1).path("items");
        assertThat(items).extracting(i -> i.path("name").asText() + " " + i.path("status").asText())
                .containsExactly("healthIsUp() PASSED", "onlyInProduction() ABORTED", "paysWithCard() FAILED");
        JsonNode failed = items.get(2);
        assertThat(failed.path("id").asText()).isEqualTo("[engine:junit-jupiter]/[class:com.acme.smoke.OrdersSmokeTest]/[method:paysWithCard()]");
        assertThat(failed.path("group").asText()).isEqualTo("com.acme.smoke.OrdersSmokeTest");
        assertThat(failed.path("durationMillis").asLong()).isEqualTo(12);
        assertThat(failed.path("message").asText()).contains("expected: <201> but was: <500>").doesNotContain("t0k3n-json");
    }
}
