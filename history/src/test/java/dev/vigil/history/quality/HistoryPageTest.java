package dev.vigil.history.quality;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.Deployment;
import dev.vigil.RecheckReport;
import dev.vigil.history.HistoryQuery;
import dev.vigil.history.ReleaseRecord;
import dev.vigil.history.Verifications;
import dev.vigil.report.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderings of a history: the page's charts (in headless Chromium too), the JSON's keys, the table. */
class HistoryPageTest {

    private static final Duration WINDOW = Duration.ofDays(7);
    private static final Instant T0 = Instant.parse("2026-02-01T10:00:00Z");

    /** checkout over three quarters: 9 deployments, 2 rolled back (one restored), one hotfix; search: 2 quiet. */
    private static HistoryReport sample() {
        Deployment checkout = Deployment.of("checkout", "1").withEnvironment("production");
        List<ReleaseRecord> records = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            records.add(ReleaseRecord.of(Verifications.healthy("c" + i, checkout, T0.plus(Duration.ofDays(10L * i)))));
        }
        records.add(ReleaseRecord.of(Verifications.rolledBack("c4", checkout, T0.plus(Duration.ofDays(100)), Duration.ofSeconds(45),
                RecheckReport.Status.HEALTHY)));
        records.add(ReleaseRecord.of(Verifications.healthy("c5", Deployment.of("checkout", "1.1").withEnvironment("production").asHotfix("SHOP-9"), T0.plus(Duration.ofDays(101)))));
        records.add(ReleaseRecord.of(Verifications.rolledBack("c6", checkout, T0.plus(Duration.ofDays(190)), Duration.ofSeconds(120),
                RecheckReport.Status.INCONCLUSIVE)));
        // A newer version after the rollback: a healthy verification of the version just rolled back is no quiet release.
        Deployment next = Deployment.of("checkout", "2").withEnvironment("production");
        records.add(ReleaseRecord.of(Verifications.healthy("c7", next, T0.plus(Duration.ofDays(200)))));
        records.add(ReleaseRecord.of(Verifications.healthy("c8", next, T0.plus(Duration.ofDays(210)))));
        records.add(ReleaseRecord.of(Verifications.healthy("s0", Deployment.of("search", "1"), T0)));
        records.add(ReleaseRecord.of(Verifications.healthy("s1", Deployment.of("search", "2"), T0.plus(Duration.ofDays(1)))));
        records.sort(java.util.Comparator.comparing(ReleaseRecord::finishedAt));
        return new HistoryReport(HistoryQuery.all(), WINDOW, T0.plus(Duration.ofDays(220)),
                ReleaseQuality.of(records, List.of(), WINDOW), records);
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static String section(String html, String service) {
        int start = html.indexOf("data-service=\"" + service + "\"");
        assertThat(start).as("section of " + service).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    @Test
    void eachServiceHasItsStreakFiguresAndThreeCharts() {
        String html = sample().html();
        String checkout = section(html, "checkout");

        assertThat(checkout).contains("<p class=\"streak\">2 quiet releases in a row (longest 4)</p>");
        assertThat(count(checkout, "<rect class=\"bar\"")).isEqualTo(3); // 2026-Q1, Q2, Q3
        assertThat(count(checkout, "<rect class=\"deployment quiet\"")).isEqualTo(7);
        assertThat(count(checkout, "<rect class=\"deployment rolled-back\"")).isEqualTo(2);
        assertThat(count(checkout, "<circle class=\"detect\"")).isEqualTo(2);
        assertThat(count(checkout, "<rect class=\"restore\"")).isEqualTo(1);
        assertThat(checkout).contains("<td>2026-Q2</td><td>2</td><td class=\"WORSE\">50.0% worse</td>");
        assertThat(section(html, "search")).contains("no deployment was found unhealthy");
        assertThat(html).doesNotContain("<script").contains("Content-Security-Policy");
    }

    @Test
    void everythingShownIsEscaped() {
        Deployment evil = Deployment.of("shop<script>alert(1)</script>", "1\"><img src=x onerror=alert(2)>");
        ReleaseRecord r = ReleaseRecord.of(Verifications.rolledBack("e", evil, T0, Duration.ofSeconds(5), RecheckReport.Status.HEALTHY));
        HistoryReport report = new HistoryReport(HistoryQuery.service(evil.service()), WINDOW, T0.plusSeconds(100),
                ReleaseQuality.of(List.of(r), List.of(), WINDOW), List.of(r));
        String html = report.html();
        assertThat(html).doesNotContain("<script>").doesNotContain("<img").contains("shop&lt;script&gt;");
    }

    @Test
    void theJsonHasTheDocumentedKeys() throws Exception {
        JsonNode root = new ObjectMapper().readTree(sample().json());
        JsonNode checkout = root.path("services").get(0);
        assertThat(checkout.path("service").asText()).isEqualTo("checkout");
        assertThat(checkout.path("deployments").asInt()).isEqualTo(9);
        assertThat(checkout.path("failedChanges").asInt()).isEqualTo(2);
        assertThat(checkout.path("changeFailureRate").asDouble()).isEqualTo(2.0 / 9);
        assertThat(checkout.path("timeToDetectMedianMs").asLong()).isEqualTo(82_500);
        assertThat(checkout.path("timeToRestoreMedianMs").asLong()).isEqualTo(40_000);
        assertThat(checkout.path("restoreBand").asText()).isEqualTo("ELITE");
        assertThat(checkout.path("quietStreak").path("current").asInt()).isEqualTo(2);
        assertThat(checkout.path("quarters")).hasSize(3);
        assertThat(root.path("services").get(1).path("timeToDetectMedianMs").isNull()).isTrue();
        assertThat(root.path("hotfixWindowMs").asLong()).isEqualTo(WINDOW.toMillis());
    }

    @Test
    void theHeadingShowsTheStartOfThePeriodToTheSecond() {
        HistoryReport sample = sample();
        HistoryReport report = new HistoryReport(HistoryQuery.service("checkout").withSince(Instant.parse("2025-12-03T00:45:15.396502259Z")),
                WINDOW, sample.generatedAt(), sample.services(), sample.records());
        assertThat(report.table()).startsWith("Release history of checkout since 2025-12-03T00:45:15Z\n");
        assertThat(report.html()).contains("of checkout since 2025-12-03T00:45:15Z").doesNotContain(".396");
    }

    @Test
    void theTableNamesEveryFigure() {
        String table = sample().table();
        assertThat(table).contains("checkout").contains("change-failure rate  22.2% (2 of 9; DORA band low)")
                .contains("time to detect       median 1m 22s, p90 2m").contains("time to restore      median 40s (DORA band elite)")
                .contains("quiet releases       2 in a row now, longest 4").contains("2026-Q3");
    }

    @Test
    void thePageRendersInHeadlessChromiumWithItsCharts(@TempDir Path dir) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        Path page = dir.resolve("history.html");
        Files.writeString(page, sample().html());

        String dom = chromium.dumpDom(page);

        assertThat(dom).contains("Release history");
        assertThat(count(dom, "<svg class=\"chart quarters\"")).isEqualTo(2);
        assertThat(count(dom, "<svg class=\"chart streak\"")).isEqualTo(2);
        assertThat(count(dom, "<svg class=\"chart times\"")).isEqualTo(2);
        assertThat(count(section(dom, "checkout"), "<circle class=\"detect\"")).isEqualTo(2);
        assertThat(dom).doesNotContain("<script").doesNotContain("<parsererror");
    }
}
