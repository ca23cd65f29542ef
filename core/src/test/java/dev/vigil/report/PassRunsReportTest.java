package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.PassRun;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.ProbeResult;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How each format shows the runs of PASS a long verification kept as summaries. */
class PassRunsReportTest {

    private static final Instant START = Instant.parse("2026-11-26T12:00:00Z");

    /**
     * Probe health over 100 rounds at 10 s: rounds 1, 48-52 (a FAIL in 50 with its context) and 100
     * kept whole; rounds 2-47 as two runs (2-20, 21-47), rounds 53-99 as one.
     */
    private static VerificationReport report() {
        List<Measurement> kept = new ArrayList<>();
        kept.add(pass(1, 15));
        for (int round = 48; round <= 52; round++) {
            kept.add(round == 50 ? ProbeResult.fail(Map.of("status", 503), "status(503) == 200")
                    .completed("health", 50, at(50), 1, Duration.ofMillis(30)) : pass(round, 15));
        }
        kept.add(pass(100, 15));
        List<PassRun> runs = List.of(run(2, 20, 12, 20, 48), run(21, 47, 14, 22.5, 30), run(53, 99, 11, 19.25, 25));
        ProbeReport probe = new ProbeReport("health", "GET http://checkout/health", "status == 200", null,
                ProbeLimits.defaults().withMaxFailures(1), null, ProbeReport.Status.PASSED, 99, 1, 0, 0, null, kept, runs);
        return new VerificationReport(Deployment.of("checkout", "2.4.1", "2.4.0"), VerificationPlan.defaults()
                .withDuration(Duration.ofSeconds(1000)).withInterval(Duration.ofSeconds(10)), Verdict.HEALTHY,
                "all 1 probes passed", List.of(probe), RollbackReport.notNeeded(), List.of(), 100, START, null, at(101));
    }

    private static Measurement pass(int round, long latency) {
        return ProbeResult.pass(values(200, Duration.ofMillis(latency)), "status(200) == 200")
                .completed("health", round, at(round), 1, Duration.ofMillis(latency));
    }

    private static Map<String, Object> values(int status, Duration latency) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("status", status);
        values.put("latency", latency);
        return values;
    }

    private static PassRun run(int first, int last, double min, double mean, double max) {
        int count = last - first + 1;
        Map<String, PassRun.ValueRange> values = new LinkedHashMap<>();
        values.put("status", new PassRun.ValueRange(200, 200, 200, count, ""));
        values.put("latency", new PassRun.ValueRange(min, mean, max, count, "ms"));
        return new PassRun(first, last, at(first), at(last), count, values);
    }

    private static Instant at(int round) {
        return START.plusSeconds(10L * round);
    }

    @Test
    void reportJsonHasEachRunWithItsRoundsTimesCountAndRangesOnALineOfItsOwn() throws Exception {
        String json = Reports.render(report(), ReportFormat.JSON);

        JsonNode probe = new ObjectMapper().readTree(json).get("probes").get(0);
        assertThat(probe.get("measurements")).hasSize(7);
        assertThat(probe.get("measurements").get(3).get("outcome").asText()).isEqualTo("FAIL");
        JsonNode runs = probe.get("passRuns");
        assertThat(runs).hasSize(3);
        assertThat(runs.get(1).toString()).isEqualTo("{\"firstRound\":21,\"lastRound\":47,\"from\":\"2026-11-26T12:03:30Z\","
                + "\"to\":\"2026-11-26T12:07:50Z\",\"count\":27,\"values\":{\"status\":[200,200,200,27],"
                + "\"latencyMillis\":[14,22.5,30,27]}}");
        assertThat(json).contains("\n      {\"firstRound\":2,\"lastRound\":20,").contains("\n      {\"round\":50,\"outcome\":\"FAIL\"");
    }

    @Test
    void reportJsonWritesNumbersToSixSignificantDigits() {
        assertThat(JsonReport.number(200)).isEqualTo("200");
        assertThat(JsonReport.number(20.123456789)).isEqualTo("20.1235");
        assertThat(JsonReport.number(0.0123456789)).isEqualTo("0.0123457");
        assertThat(JsonReport.number(1234.5678)).isEqualTo("1234.57");
        assertThat(JsonReport.number(0.00012345678)).isEqualTo("1.2345678E-4");
        assertThat(JsonReport.number(Double.NaN)).isEqualTo("null");
    }

    @Test
    void manyProbesWithManyValuesHaveTheirRunsMergedInReportJsonUntilTheyFitNeverAcrossAKeptMeasurement() throws Exception {
        List<ProbeReport> probes = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            List<Measurement> kept = new ArrayList<>();
            List<PassRun> runs = new ArrayList<>();
            int round = 1;
            kept.add(pass(round++, 10));
            for (int i = 0; i < 720; i++) {
                if (i % 100 == 99) {
                    kept.add(pass(round++, 10));
                }
                int count = 14;
                Map<String, PassRun.ValueRange> values = new LinkedHashMap<>();
                for (String name : List.of("instances.total", "instances.passed", "instances.failed", "instances.errors",
                        "latency.max", "connect-time.max")) {
                    values.put(name, new PassRun.ValueRange(0.123456, 1.234567, 12.345678, count, name.endsWith("max") ? "ms" : ""));
                }
                runs.add(new PassRun(round, round + count - 1, at(round), at(round + count - 1), count, values));
                round += count;
            }
            kept.add(pass(round, 10));
            probes.add(new ProbeReport("fleet-" + p, "fleet", null, null, ProbeLimits.defaults(), null,
                    ProbeReport.Status.PASSED, round, 0, 0, 0, null, kept, runs));
        }
        VerificationReport report = new VerificationReport(Deployment.of("checkout", "2.4.1", "2.4.0"),
                VerificationPlan.defaults(), Verdict.HEALTHY, "all passed", probes, RollbackReport.notNeeded(), List.of(),
                probes.get(0).passes(), START, null, at(20_000));

        String json = Reports.render(report, ReportFormat.JSON);

        assertThat(json.length()).isLessThan(5 * 1024 * 1024);
        for (JsonNode probe : new ObjectMapper().readTree(json).get("probes")) {
            Set<Integer> kept = new HashSet<>();
            probe.get("measurements").forEach(m -> kept.add(m.get("round").asInt()));
            int summarised = 0;
            for (JsonNode run : probe.get("passRuns")) {
                summarised += run.get("count").asInt();
                for (int r = run.get("firstRound").asInt(); r <= run.get("lastRound").asInt(); r++) {
                    assertThat(kept).doesNotContain(r);
                }
                assertThat(run.get("values").get("latency.maxMillis").get(3).asInt()).isEqualTo(run.get("count").asInt());
            }
            assertThat(probe.get("passRuns").size()).isLessThan(720).isGreaterThanOrEqualTo(180);
            assertThat(summarised).isEqualTo(720 * 14);
        }
    }

    @Test
    void theHtmlTableShowsOneRowPerStretchOfRunsBetweenTheMeasurementsKeptWhole() {
        String html = Reports.render(report(), ReportFormat.HTML);

        assertThat(html).contains("<summary>100 measurements: 7 kept whole, 93 PASS summarised in runs</summary>");
        assertThat(HtmlReportTest.count(html, "<tr class=\"pass-run\"")).isEqualTo(2);
        assertThat(html).contains("<tr class=\"pass-run\" title=\"46 PASS, rounds 2\u201347, 12:00:20\u201312:07:50Z, status 200,"
                + " latency 12\u201348 ms, mean 21.47 ms\"><td>2\u201347</td><td>12:00:20\u201312:07:50Z</td>"
                + "<td class=\"o-PASS\">46 PASS</td><td colspan=\"2\">summarised: status 200, latency 12\u201348 ms, mean 21.47 ms</td></tr>");
        int table = html.indexOf("<table class=\"measurements\">");
        int first = html.indexOf("<td>1</td>", table);
        int stretch = html.indexOf("<td>2\u201347</td>");
        int fail = html.indexOf("<td class=\"o-FAIL\">FAIL</td>");
        int second = html.indexOf("<td>53\u201399</td>");
        int last = html.indexOf("<td>100</td>", table);
        assertThat(List.of(table, first, stretch, fail, second, last)).isSorted().doesNotContain(-1);
    }

    @Test
    void reportXmlListsTheKeptMeasurementsAndOneLinePerStretch() {
        String xml = Reports.render(report(), ReportFormat.JUNIT_XML);

        assertThat(xml).contains("46 PASS, rounds 2\u201347, 12:00:20\u201312:07:50Z, status 200, latency 12\u201348 ms, mean 21.47 ms (summarised)")
                .contains("47 PASS, rounds 53\u201399").contains("round 50 at 2026-11-26T12:08:20Z: FAIL status(503) == 200");
        assertThat(HtmlReportTest.count(xml, ": PASS ")).isEqualTo(6);
    }

    @Test
    void aSpanAcrossDaysGivesBothDates() {
        assertThat(Format.span(Instant.parse("2026-01-01T23:00:00Z"), Instant.parse("2026-01-02T01:00:00.5Z")))
                .isEqualTo("2026-01-01T23:00:00Z\u20132026-01-02T01:00:00Z");
        assertThat(Format.number(21.4565)).isEqualTo("21.46");
        assertThat(Format.number(0.031)).isEqualTo("0.031");
    }
}
