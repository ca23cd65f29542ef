package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Deployment;
import dev.vigil.VerificationReport;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @Test
    void onePlotPerProbeWithOnePointPerMeasurement() {
        String html = Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.HTML);

        assertThat(HeadlessChromium.pointsPerTimeline(html)).containsExactly(Map.entry("health", 3), Map.entry("error-rate", 3));
        assertThat(html).contains("data-series=\"latency\"").contains("data-series=\"value\"");
    }

    @Test
    void showsVerdictReasonDeploymentAndRollbackAtTheTop() {
        String html = Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.HTML);

        assertThat(html.indexOf("UNHEALTHY, rolled back")).isLessThan(html.indexOf("<svg"));
        assertThat(html).contains("<p class=\"reason\">probe error-rate failed 2 times (max-failures 1): value(0.031) &gt; 0.01")
                .contains("checkout 2.4.1 (previous 2.4.0, production)")
                .contains("<td class=\"r-ROLLED_BACK\">ROLLED_BACK</td>")
                .contains("<pre class=\"rollback-output\">deployment.apps/checkout rolled back</pre>");
    }

    @Test
    void marksThresholdFailuresDetectionAndRollback() {
        String html = Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.HTML);
        String errorRate = timeline(html, "error-rate");

        assertThat(errorRate).contains("<line class=\"threshold\"").contains("threshold 0.01 (fail-when: value &gt; 0.01)");
        assertThat(count(errorRate, "<circle class=\"point fail\"")).isEqualTo(2);
        assertThat(count(errorRate, "<path class=\"cross\"")).isEqualTo(2);
        assertThat(count(errorRate, "<circle class=\"point pass\"")).isEqualTo(1);
        assertThat(errorRate).contains("<line class=\"detected\"").contains("<line class=\"rollback\"");
        assertThat(errorRate).contains("round 3 at 2026-11-26T12:00:20Z: FAIL value(0.031) &gt; 0.01");
        assertThat(count(errorRate, "<circle class=\"recheck pass\"")).isEqualTo(1);
        assertThat(timeline(html, "health")).contains("threshold 500 (pass-when: status == 200 &amp;&amp; latency &lt; 500ms)");
    }

    @Test
    void failingPointsLieAboveTheThresholdLine() {
        String errorRate = timeline(Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.HTML), "error-rate");
        Matcher threshold = Pattern.compile("<line class=\"threshold\" x1=\"[\\d.]+\" y1=\"([\\d.]+)\"").matcher(errorRate);
        assertThat(threshold.find()).isTrue();
        double thresholdY = Double.parseDouble(threshold.group(1));
        Matcher fail = Pattern.compile("<circle class=\"point fail\" cx=\"[\\d.]+\" cy=\"([\\d.]+)\"").matcher(errorRate);
        Matcher pass = Pattern.compile("<circle class=\"point pass\" cx=\"[\\d.]+\" cy=\"([\\d.]+)\"").matcher(errorRate);

        while (fail.find()) {
            assertThat(Double.parseDouble(fail.group(1))).isLessThan(thresholdY);
        }
        assertThat(pass.find()).isTrue();
        assertThat(Double.parseDouble(pass.group(1))).isGreaterThan(thresholdY);
    }

    @Test
    void probesWithoutNumbersArePlottedAsOutcomeLanes() {
        String html = Reports.render(SampleReports.unhealthyRollbackFailed(), ReportFormat.HTML);

        assertThat(HeadlessChromium.pointsPerTimeline(html)).containsExactly(Map.entry("db", 2), Map.entry("smoke", 2));
        assertThat(timeline(html, "db")).contains("data-series=\"outcome\"").doesNotContain("class=\"threshold\"")
                .contains(">error</text>").contains(">pass</text>");
        assertThat(count(timeline(html, "db"), "<circle class=\"point error\"")).isEqualTo(2);
    }

    @Test
    void escapesEverythingItShows() {
        VerificationReport base = SampleReports.healthy();
        VerificationReport report = new VerificationReport(
                Deployment.of("shop<script>alert(1)</script>", "1.0\"><img src=x onerror=alert(2)>"), base.plan(),
                base.verdict(), "reason with <b>tags</b> & 'quotes'", base.probes(), base.rollback(), base.recheck(),
                base.rounds(), base.startedAt(), base.detectedAt(), base.finishedAt());

        String html = Reports.render(report, ReportFormat.HTML);

        assertThat(html).doesNotContain("<script").doesNotContain("<img").doesNotContain("<b>")
                .contains("shop&lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("reason with &lt;b&gt;tags&lt;/b&gt; &amp; &#39;quotes&#39;");
    }

    @Test
    void isSelfContained() {
        String html = Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.HTML);

        assertThat(html).doesNotContain("<script").doesNotContain("<link").doesNotContain("src=")
                .doesNotContain("@import").doesNotContain("url(").doesNotContain("@font-face")
                .contains("Content-Security-Policy").contains("default-src 'none'");
        assertThat(Pattern.compile("href=\"(?!#)").matcher(html).find()).isFalse();
    }

    @Test
    void chromiumRendersOneTimelinePerProbeWithEveryPoint(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        Path html = Reports.writeAll(SampleReports.unhealthyRolledBack(), dir).get(ReportFormat.HTML);

        String dom = chromium.dumpDom(html);

        assertThat(HeadlessChromium.pointsPerTimeline(dom)).containsExactly(Map.entry("health", 3), Map.entry("error-rate", 3));
        assertThat(dom).contains("UNHEALTHY, rolled back").contains("deployment.apps/checkout rolled back");
    }

    static String timeline(String html, String probe) {
        int start = html.indexOf("<svg class=\"timeline\" data-probe=\"" + probe + "\"");
        assertThat(start).as("timeline of " + probe).isNotNegative();
        return html.substring(start, html.indexOf("</svg>", start));
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    @Test
    void theTestsOfTheLatestRunAreListedFailuresFirstWithTheirMessages() {
        String html = Reports.render(SampleReports.withTests("t0k3n-html"), ReportFormat.HTML);

        int failed = html.indexOf("<tr class=\"item i-FAILED\">");
        int aborted = html.indexOf("<tr class=\"item i-ABORTED\">");
        int passed = html.indexOf("<tr class=\"item i-PASSED\">");
        assertThat(failed).isPositive().isLessThan(aborted);
        assertThat(aborted).isLessThan(passed);
        assertThat(html.indexOf("<tr class=\"item i-PASSED\">", passed + 1)).as("the latest run only").isNegative();
        assertThat(html.substring(failed, aborted)).contains("OrdersSmokeTest &gt; paysWithCard()")
                .contains("<pre>").contains("expected: &lt;201&gt; but was: &lt;500&gt;");
        assertThat(html).contains("3 in the latest run, 1 not passed").doesNotContain("t0k3n-html");
    }
}
