package dev.vigil.report;

import static dev.vigil.report.SampleReports.START;
import static dev.vigil.report.SampleReports.measurement;
import static dev.vigil.report.SampleReports.values;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Deployment;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.PassRun;
import dev.vigil.Plot;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.testkit.TimelinePlot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timeline plot as drawn: the series a probe names, its threshold and scale, summarised runs and long runs. */
class TimelinePlotTest {

    @Test
    void drawsEachNamedSeriesAsItsOwnLineWithALegendAndNotTheOtherValues() {
        Plot plot = Plot.of(new Plot.Series("canary", "canary"), new Plot.Series("baseline", "baseline"))
                .withThreshold(0.05, "fail-when: canary > 0.05");
        List<Measurement> ms = List.of(
                measurement("canary", 1, Outcome.PASS, values("canary", 0.01, "baseline", 0.012, "canary-n", 1), "ok"),
                measurement("canary", 2, Outcome.PASS, values("canary", 0.02, "baseline", 0.011, "canary-n", 2), "ok"),
                measurement("canary", 3, Outcome.FAIL, values("canary", 0.09, "baseline", 0.010, "canary-n", 3), "worse"));

        TimelinePlot t = TimelinePlot.in(html(probe("canary", plot, ms, List.of())), "canary");

        assertThat(t.series()).containsExactly("canary", "baseline");
        assertThat(t.lines()).containsExactly("canary", "baseline");
        assertThat(t.legend()).containsExactly("canary", "baseline");
        assertThat(t.threshold()).hasValue(0.05);
        assertThat(t.thresholdTitle()).isEqualTo("threshold 0.05 (fail-when: canary > 0.05)");
        assertThat(t.points()).as("one point per measurement").isEqualTo(3);
        assertThat(t.count("//circle[@class='value pass' and @data-series='baseline']")).isEqualTo(2);
        assertThat(t.pointsY("canary", "pass")).hasSize(2);
        assertThat(t.pointsY("baseline", "fail")).hasSize(1);
        assertThat(t.pointsY("canary", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThan(t.thresholdY()));
        assertThat(t.count("//*[@data-series='canary-n']")).isZero();
    }

    @Test
    void aLogScaleShowsEvidenceAgainstItsThresholdByPowersOfTen() {
        Plot plot = Plot.of("e-value").withThreshold(20, "1/(1 - confidence) = 20").withScale(Plot.Scale.LOG);
        List<Measurement> ms = List.of(
                measurement("judge", 1, Outcome.INCONCLUSIVE, values("e-value", 0.5), "waiting"),
                measurement("judge", 2, Outcome.INCONCLUSIVE, values("e-value", 3.0), "waiting"),
                measurement("judge", 3, Outcome.FAIL, values("e-value", 400.0), "regression"));

        String html = html(probe("judge", plot, ms, List.of()));
        TimelinePlot t = TimelinePlot.in(html, "judge");

        assertThat(t.scale()).isEqualTo("log");
        assertThat(t.threshold()).hasValue(20);
        List<Double> waiting = t.pointsY("e-value", "inconclusive");
        assertThat(waiting).hasSize(2).allSatisfy(y -> assertThat(y).isGreaterThan(t.thresholdY()));
        assertThat(t.pointsY("e-value", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThan(t.thresholdY()));
        // On a log scale equal ratios are equal steps: 0.5 -> 3 is a factor of 6, 3 -> 20 a factor of 6.67.
        double perDecade = (waiting.get(0) - waiting.get(1)) / Math.log10(6);
        assertThat((waiting.get(1) - t.thresholdY()) / perDecade).isCloseTo(Math.log10(20 / 3.0), org.assertj.core.data.Offset.offset(0.02));
        assertThat(HtmlReportTest.timeline(html, "judge")).contains(">0.1</text>").contains(">1</text>").contains(">10</text>")
                .contains(">1000</text>");
    }

    @Test
    void anInfiniteEValueIsDrawnAtTheTopOfTheAxisAndLabelledNotLeftOut() {
        // A total outage: the canary fails every request, the baseline none; the decisive round's
        // e-value is +Inf and its explanation says "e-value inf >= 20".
        Plot plot = Plot.of("e-value").withThreshold(20, "1/(1 - confidence) = 20").withScale(Plot.Scale.LOG);
        List<Measurement> ms = List.of(
                measurement("judge", 1, Outcome.INCONCLUSIVE, values("e-value", 0.5), "waiting"),
                measurement("judge", 2, Outcome.INCONCLUSIVE, values("e-value", 3.0), "waiting"),
                measurement("judge", 3, Outcome.FAIL, values("e-value", Double.POSITIVE_INFINITY), "e-value inf >= 20"));

        String html = html(probe("judge", plot, ms, List.of()));
        TimelinePlot t = TimelinePlot.in(html, "judge");

        assertThat(t.pointsY("e-value", "fail")).singleElement()
                .satisfies(y -> assertThat(y).isEqualTo((double) TimelineSvg.TOP).isLessThan(t.thresholdY()));
        assertThat(t.count("//*[local-name()='text' and @class='infinite' and @data-series='e-value' and starts-with(., 'inf')]"))
                .isEqualTo(1);
        assertThat(HtmlReportTest.timeline(html, "judge")).as("the line reaches the decisive round")
                .containsPattern("<polyline class=\"series\" points=\"[^\"]* [0-9.]+," + TimelineSvg.TOP + ".0\"/>")
                .as("the scale is that of the finite values").contains(">100</text>").doesNotContain(">1000</text>")
                .doesNotContain("Infinity").doesNotContain("NaN");
    }

    @Test
    void valuesAtTheEndsOfTheDoublesAreDrawnAtTheEdgeAndTheReportIsStillWritten() {
        Plot plot = Plot.of("value").withThreshold(0.5, "fail-when: value > 0.5");
        List<Measurement> ms = List.of(
                measurement("gauge", 1, Outcome.PASS, values("value", -1.7e308), "ok"),
                measurement("gauge", 2, Outcome.FAIL, values("value", 1.7e308), "worse"));

        TimelinePlot t = TimelinePlot.in(html(probe("gauge", plot, ms, List.of())), "gauge");

        assertThat(t.pointsY("value", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThan(t.thresholdY()));
        assertThat(t.pointsY("value", "pass")).singleElement().satisfies(y -> assertThat(y).isGreaterThan(t.thresholdY()));

        Plot evidence = Plot.of("e-value").withThreshold(20, "1/(1 - confidence) = 20").withScale(Plot.Scale.LOG);
        String svg = HtmlReportTest.timeline(html(probe("judge", evidence, List.of(
                measurement("judge", 1, Outcome.INCONCLUSIVE, values("e-value", 0.5), "waiting"),
                measurement("judge", 2, Outcome.FAIL, values("e-value", 1.7e308), "regression")), List.of())), "judge");
        assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity").doesNotContain(">inf</text>");
        TimelinePlot j = TimelinePlot.in(html(probe("judge", evidence, List.of(
                measurement("judge", 1, Outcome.FAIL, values("e-value", 1.7e308), "regression")), List.of())), "judge");
        assertThat(j.pointsY("e-value", "fail")).singleElement().satisfies(y -> assertThat(y).isLessThan(j.thresholdY()));
    }

    @Test
    void summarisedRunsOfPassesAreDrawnAsBandsFromTheirMinToTheirMax() {
        List<Measurement> ms = List.of(
                measurement("error-rate", 1, Outcome.PASS, values("value", 0.001), "ok", START),
                measurement("error-rate", 500, Outcome.FAIL, values("value", 0.03), "value(0.03) > 0.01", START.plusSeconds(4990)),
                measurement("error-rate", 1000, Outcome.PASS, values("value", 0.002), "ok", START.plusSeconds(9990)));
        List<PassRun> runs = List.of(
                run(2, 499, START.plusSeconds(10), 0.0, 0.004),
                run(501, 999, START.plusSeconds(5000), 0.001, 0.006));
        Plot plot = Plot.of("value").withThreshold(0.01, "fail-when: value > 0.01");

        String html = html(probe("error-rate", plot, ms, runs));
        TimelinePlot t = TimelinePlot.in(html, "error-rate");

        assertThat(t.mode()).isEqualTo("points");
        assertThat(t.bands()).isEqualTo(2);
        assertThat(t.points()).isEqualTo(3);
        assertThat(t.lines()).containsExactly("value");
        assertThat(HtmlReportTest.timeline(html, "error-rate"))
                .contains("498 passes (rounds 2 to 499) from 2026-11-26T12:00:10Z to 2026-11-26T13:23:00Z: value min 0, mean 0.002, max 0.004");
    }

    @Test
    void thousandsOfMeasurementsBecomeOneBandPerPixelColumnAndEveryOtherOutcomeStaysAPoint() {
        // A day at one round every 10 s: 8,640 measurements, of which 12 failed and 3 could not be measured.
        List<Measurement> ms = new ArrayList<>();
        for (int round = 1; round <= 8640; round++) {
            Outcome outcome = round % 700 == 0 ? Outcome.FAIL : round % 2500 == 0 ? Outcome.ERROR : Outcome.PASS;
            double value = outcome == Outcome.FAIL ? 0.05 : 0.001 + (round % 10) / 10_000.0;
            ms.add(measurement("error-rate", round, outcome, outcome == Outcome.ERROR ? Map.of() : values("value", value),
                    outcome.name(), START.plusSeconds(10L * (round - 1))));
        }
        Plot plot = Plot.of("value").withThreshold(0.01, "fail-when: value > 0.01");

        String html = html(probe("error-rate", plot, ms, List.of()));
        TimelinePlot t = TimelinePlot.in(html, "error-rate");
        String svg = HtmlReportTest.timeline(html, "error-rate");

        assertThat(t.mode()).isEqualTo("columns");
        assertThat(t.columns()).isBetween(TimelineSvg.COLUMNS - 2, TimelineSvg.COLUMNS);
        assertThat(t.points("pass")).isZero();
        assertThat(t.points("fail")).isEqualTo(12);
        assertThat(t.points("error")).isEqualTo(3);
        assertThat(t.threshold()).hasValue(0.01);
        assertThat(svg.length()).as("bytes of the plot").isLessThan(64 * 1024);
    }

    @Test
    void chromiumDrawsTheColumnsOfADayOfTwentyProbesAndTheirPlotsStaySmall(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        List<ProbeReport> probes = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            List<Measurement> ms = new ArrayList<>();
            for (int round = 1; round <= 8640; round++) {
                Outcome outcome = (round + p) % 1000 == 0 ? Outcome.FAIL : Outcome.PASS;
                ms.add(measurement("p" + p, round, outcome, values("value", outcome == Outcome.FAIL ? 0.05 : 0.001 * (1 + round % 7)),
                        outcome.name(), START.plusSeconds(10L * (round - 1))));
            }
            probes.add(probe("p" + p, Plot.of("value").withThreshold(0.01, "fail-when: value > 0.01"), ms, List.of()));
        }
        VerificationReport day = new VerificationReport(Deployment.of("checkout", "2.4.1", "2.4.0"),
                VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofHours(24)),
                Verdict.HEALTHY, "healthy", probes, RollbackReport.notNeeded(), List.of(), 8640, START, null,
                START.plusSeconds(86_400));
        String html = Reports.render(day, ReportFormat.HTML);
        long plotBytes = 0;
        for (int p = 0; p < 20; p++) {
            plotBytes += HtmlReportTest.timeline(html, "p" + p).length();
        }
        Path file = Files.writeString(dir.resolve("report.html"), html);

        String dom = chromium.dumpDom(file);

        for (int p = 0; p < 20; p++) {
            TimelinePlot t = TimelinePlot.in(dom, "p" + p);
            assertThat(t.mode()).isEqualTo("columns");
            assertThat(t.columns()).isBetween(TimelineSvg.COLUMNS - 2, TimelineSvg.COLUMNS);
            assertThat(t.points("fail")).isEqualTo(8);
        }
        System.out.printf("20 plots of a day at 10 s: %d bytes (the whole page %d bytes)%n", plotBytes, html.length());
        assertThat(plotBytes).as("bytes of the 20 plots of a day").isLessThan(1024 * 1024);
    }

    @Test
    void manySummarisedRunsAreDrawnPerPixelColumnToo() {
        List<PassRun> runs = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            runs.add(run(2 + 10 * i, 11 + 10 * i, START.plusSeconds(10L + 100L * i), 0.001, 0.002 + i % 3 / 1000.0));
        }
        List<Measurement> ms = List.of(
                measurement("error-rate", 1, Outcome.PASS, values("value", 0.001), "ok", START),
                measurement("error-rate", 20_002, Outcome.PASS, values("value", 0.001), "ok", START.plusSeconds(200_010)));

        TimelinePlot t = TimelinePlot.in(html(probe("error-rate", Plot.of("value"), ms, runs)), "error-rate");

        assertThat(t.mode()).isEqualTo("columns");
        assertThat(t.bands()).isZero();
        assertThat(t.columns()).isBetween(TimelineSvg.COLUMNS - 2, TimelineSvg.COLUMNS);
    }

    @Test
    void aProbeThatNamesNothingIsPlottedAsBefore() {
        TimelinePlot t = TimelinePlot.in(Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.HTML), "health");

        assertThat(t.series()).containsExactly("latency");
        assertThat(t.threshold()).hasValue(500);
        assertThat(t.scale()).isEqualTo("linear");
    }

    @Test
    void theJsonReportCarriesThePlot() throws Exception {
        Plot plot = Plot.of("e-value").withThreshold(20, "1/(1 - confidence) = 20").withScale(Plot.Scale.LOG);
        VerificationReport report = report(probe("judge", plot,
                List.of(measurement("judge", 1, Outcome.PASS, values("e-value", 0.5), "ok")), List.of()));

        JsonNode json = new ObjectMapper().readTree(Reports.render(report, ReportFormat.JSON)).get("probes").get(0).get("plot");

        assertThat(json.get("series").get(0).get("key").asText()).isEqualTo("e-value");
        assertThat(json.get("threshold").get("value").asDouble()).isEqualTo(20);
        assertThat(json.get("threshold").get("source").asText()).isEqualTo("1/(1 - confidence) = 20");
        assertThat(json.get("scale").asText()).isEqualTo("log");
    }

    @Test
    void theThresholdsSourceAndTheLabelsAreRedactedLikeEveryOtherText() {
        Plot plot = Plot.of(new Plot.Series("value", "value token=s3cr3t-label"))
                .withThreshold(1, "fail-when: value > 1 (Authorization: Bearer s3cr3t-source)");
        VerificationReport report = report(probe("p", plot,
                List.of(measurement("p", 1, Outcome.PASS, values("value", 0.5), "ok")), List.of()));

        for (ReportFormat format : List.of(ReportFormat.HTML, ReportFormat.JSON)) {
            assertThat(Reports.render(report, format)).as(format.name()).doesNotContain("s3cr3t").contains("[REDACTED]");
        }
    }

    private static PassRun run(int first, int last, Instant from, double min, double max) {
        int count = last - first + 1;
        return new PassRun(first, last, from, from.plusSeconds(10L * (count - 1)), count,
                Map.of("value", new PassRun.ValueRange(min, (min + max) / 2, max, count, "")));
    }

    private static ProbeReport probe(String name, Plot plot, List<Measurement> ms, List<PassRun> runs) {
        int fails = (int) ms.stream().filter(m -> m.outcome() == Outcome.FAIL).count();
        return new ProbeReport(name, "a probe", null, null, ProbeLimits.defaults().withMaxFailures(100), null,
                ProbeReport.Status.PASSED, ms.size() - fails, fails, 0, 0, null, ms, runs, plot);
    }

    private static VerificationReport report(ProbeReport probe) {
        Instant end = probe.measurements().get(probe.measurements().size() - 1).time().plusSeconds(5);
        return new VerificationReport(Deployment.of("checkout", "2.4.1", "2.4.0"),
                VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)), Verdict.HEALTHY, "healthy",
                List.of(probe), RollbackReport.notNeeded(), List.of(), probe.measurements().size(), START, null, end);
    }

    private static String html(ProbeReport probe) {
        return Reports.render(report(probe), ReportFormat.HTML);
    }
}
