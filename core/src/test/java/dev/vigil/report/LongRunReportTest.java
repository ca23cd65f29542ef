package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.LongRunHistory;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.PassRun;
import dev.vigil.ProbeReport;
import dev.vigil.VerificationReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded-report rule on a generated 24-hour history (20 probes, a round every 10 s: 172,800
 * measurements) and a 7-day one at 1 min, from the trackers to the files: what is kept whole, what is
 * summarised, and how large each report file gets.
 */
class LongRunReportTest {

    /** The most any report file of a long run may weigh. */
    private static final long FIVE_MB = 5L * 1024 * 1024;
    /** The measurements kept whole on either side of one that is not a PASS (MeasurementLog.CONTEXT). */
    private static final int CONTEXT = 3;

    private static LongRunHistory day;
    private static VerificationReport dayReport;

    @BeforeAll
    static void generate() {
        day = LongRunHistory.of(20, Duration.ofSeconds(10), Duration.ofHours(24));
        dayReport = day.report();
    }

    @Test
    void aDayKeepsEveryMeasurementThatIsNotAPassWholeWithItsContextAndSummarisesTheRest() {
        assertThat(day.rounds()).isEqualTo(8640);
        int nonPass = 0;
        for (int p = 0; p < day.probes(); p++) {
            ProbeReport probe = dayReport.probes().get(p);
            Map<Integer, Measurement> kept = new HashMap<>();
            probe.measurements().forEach(m -> kept.put(m.round(), m));
            assertThat(kept).as("one measurement per round").hasSameSizeAs(probe.measurements());

            int passes = 0;
            int failures = 0;
            int inconclusive = 0;
            int errors = 0;
            for (int round = 1; round <= day.rounds(); round++) {
                Outcome outcome = day.outcome(p, round);
                switch (outcome) {
                    case PASS -> passes++;
                    case FAIL -> failures++;
                    case INCONCLUSIVE -> inconclusive++;
                    case ERROR -> errors++;
                }
                boolean byRule = keptByRule(day, p, round);
                assertThat(kept.containsKey(round)).as("%s round %d (%s) kept whole", probe.name(), round, outcome)
                        .isEqualTo(byRule);
                if (byRule) {
                    assertThat(kept.get(round)).as("kept whole, as measured").isEqualTo(day.measurement(p, round));
                }
            }
            nonPass += failures + inconclusive + errors;
            assertThat(List.of(probe.passes(), probe.failures(), probe.inconclusive(), probe.errors()))
                    .as("the counts are those of every measurement").containsExactly(passes, failures, inconclusive, errors);

            int summarised = probe.passRuns().stream().mapToInt(PassRun::count).sum();
            assertThat(probe.measurements().size() + summarised).as("kept + summarised = rounds run").isEqualTo(day.rounds());
            assertThat(probe.measurements().size()).as("%s kept whole", probe.name()).isLessThan(100);
            assertThat(probe.passRuns()).hasSizeLessThanOrEqualTo(720 + probe.measurements().size());
            for (PassRun run : probe.passRuns()) {
                for (int round = run.firstRound(); round <= run.lastRound(); round++) {
                    assertThat(kept).as("a run spans no kept measurement").doesNotContainKey(round);
                }
                assertThat(run.count()).isEqualTo(run.lastRound() - run.firstRound() + 1);
                PassRun.ValueRange latency = run.values().get("latency");
                assertThat(latency.unit()).isEqualTo("ms");
                assertThat(latency.min()).isLessThanOrEqualTo(latency.mean()).isGreaterThanOrEqualTo(12.0);
                assertThat(latency.mean()).isLessThanOrEqualTo(latency.max());
                assertThat(run.values().get("status")).isEqualTo(new PassRun.ValueRange(200, 200, 200, run.count(), ""));
            }
        }
        assertThat(nonPass).as("a few sprinkled in").isBetween(20 * 4, 20 * 20);
    }

    @Test
    void eachReportFileOfADayIsAtMostFiveMegabytesAndKeepsWhatExplainsADecision(@TempDir Path dir) throws Exception {
        Map<ReportFormat, Path> files = Reports.writeAll(dayReport, dir);

        for (Path file : files.values()) {
            assertThat(Files.size(file)).as(file.getFileName().toString()).isLessThanOrEqualTo(FIVE_MB);
        }
        assertThat(Files.size(files.get(ReportFormat.JUNIT_XML))).as("report.xml lists no PASS it summarised")
                .isLessThan(1024 * 1024);
        assertThat(Files.size(files.get(ReportFormat.MARKDOWN))).as("summary.md lists no measurement").isLessThan(16 * 1024);

        JsonNode json = new ObjectMapper().readTree(files.get(ReportFormat.JSON).toFile());
        for (int p = 0; p < day.probes(); p++) {
            JsonNode probe = json.get("probes").get(p);
            Set<Integer> rounds = new HashSet<>();
            probe.get("measurements").forEach(m -> rounds.add(m.get("round").asInt()));
            int summarised = 0;
            for (JsonNode run : probe.get("passRuns")) {
                summarised += run.get("count").asInt();
                for (int round = run.get("firstRound").asInt(); round <= run.get("lastRound").asInt(); round++) {
                    assertThat(rounds).as("a run in report.json spans no kept measurement").doesNotContain(round);
                }
                JsonNode latency = run.get("values").get("latencyMillis");
                assertThat(latency.size()).as("[min, mean, max, count]").isEqualTo(4);
                assertThat(latency.get(0).asDouble()).isLessThanOrEqualTo(latency.get(1).asDouble());
                assertThat(latency.get(1).asDouble()).isLessThanOrEqualTo(latency.get(2).asDouble());
                assertThat(latency.get(3).asInt()).isEqualTo(run.get("count").asInt());
                assertThat(run.get("values").get("status").toString()).isEqualTo("[200,200,200," + run.get("count") + "]");
                assertThat(run.get("from").asText()).endsWith("Z");
            }
            assertThat(rounds.size() + summarised).isEqualTo(day.rounds());
            for (int round = 1; round <= day.rounds(); round++) {
                if (day.outcome(p, round) != Outcome.PASS) {
                    assertThat(rounds).as("%s round %d in report.json", LongRunHistory.name(p), round).contains(round);
                }
            }
        }

        String html = Files.readString(files.get(ReportFormat.HTML));
        int stretches = 0;
        for (ProbeReport probe : dayReport.probes()) {
            stretches += (int) Format.entries(probe).stream().filter(e -> e instanceof PassRun).count();
        }
        assertThat(HtmlReportTest.count(html, "<tr class=\"pass-run\"")).as("one row per stretch of runs, not per run")
                .isEqualTo(stretches).isLessThan(20 * 40);
        int nonPass = 0;
        for (ProbeReport probe : dayReport.probes()) {
            nonPass += probe.failures() + probe.inconclusive() + probe.errors();
        }
        assertThat(HtmlReportTest.count(html, "<td class=\"o-FAIL\">FAIL</td>")
                + HtmlReportTest.count(html, "<td class=\"o-ERROR\">ERROR</td>")
                + HtmlReportTest.count(html, "<td class=\"o-INCONCLUSIVE\">INCONCLUSIVE</td>"))
                .as("every measurement that is not a PASS has its row").isEqualTo(nonPass);
        Matcher row = Pattern.compile("<tr class=\"pass-run\" title=\"[^\"]+\"><td>(\\d+)\u2013(\\d+)</td><td>[^<]+</td><td class=\"o-PASS\">([\\d,]+) PASS</td>")
                .matcher(html);
        int rows = 0;
        while (row.find()) {
            rows++;
            assertThat(Integer.parseInt(row.group(3).replace(",", "")))
                    .isEqualTo(Integer.parseInt(row.group(2)) - Integer.parseInt(row.group(1)) + 1);
        }
        assertThat(rows).isEqualTo(stretches);
        assertThat(html).contains("8,640 measurements: ");
    }

    @Test
    void aWeekAtOneMinuteStaysWithinTheSameBounds(@TempDir Path dir) throws Exception {
        LongRunHistory week = LongRunHistory.of(20, Duration.ofMinutes(1), Duration.ofDays(7));
        VerificationReport report = week.report();

        for (ProbeReport probe : report.probes()) {
            assertThat(probe.measurements().size() + probe.passRuns().stream().mapToInt(PassRun::count).sum())
                    .isEqualTo(week.rounds());
            assertThat(probe.passRuns()).hasSizeLessThanOrEqualTo(720 + probe.measurements().size());
        }
        for (Path file : Reports.writeAll(report, dir).values()) {
            assertThat(Files.size(file)).as(file.getFileName().toString()).isLessThanOrEqualTo(FIVE_MB);
        }
    }

    @Test
    void chromiumRendersTheHtmlReportOfADayWithoutAScriptError(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        Path html = Reports.write(dayReport, dir, Set.of(ReportFormat.HTML)).get(ReportFormat.HTML);

        HeadlessChromium.Page page = chromium.open(html);

        assertThat(page.console()).as("console messages (script errors, refused loads)").isEmpty();
        assertThat(HeadlessChromium.pointsPerTimeline(page.dom())).hasSize(20);
        assertThat(page.dom()).contains("HEALTHY").contains("class=\"pass-run\"").contains("checkout-19");
    }

    /** The rule of MeasurementLog for a history past its threshold: first, last, not a PASS, or within the context of one. */
    private static boolean keptByRule(LongRunHistory h, int p, int round) {
        if (round == 1 || round == h.rounds()) {
            return true;
        }
        for (int r = Math.max(1, round - CONTEXT); r <= Math.min(h.rounds(), round + CONTEXT); r++) {
            if (h.outcome(p, r) != Outcome.PASS) {
                return true;
            }
        }
        return false;
    }
}
