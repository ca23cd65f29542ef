package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.ItemResult;
import dev.vigil.ProbeResult;
import dev.vigil.RecheckPlan;
import dev.vigil.RollbackCoordinator;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.Watch;
import dev.vigil.WatchPlan;
import dev.vigil.rollback.RollbackTriggers;
import dev.vigil.testkit.VirtualTime;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 18: every report format has the Confirmations section, and says what a rollback re-opens. */
class ConfirmationsReportTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    /** A hotfix of INC-1 (tagged test fails: rolled back) and INC-2 (a confirming probe that passes). */
    private VerificationReport hotfixRolledBack() {
        ItemResult coupons = new ItemResult("[test:coupons]", "com.acme.CheckoutTest", "coupons()", ItemResult.Status.FAILED,
                Duration.ofMillis(4), "coupon applied twice", List.of("INC-1"));
        dev.vigil.Probe smoke = new dev.vigil.Probe() {
            @Override
            public ProbeResult measure(dev.vigil.ProbeContext context) {
                return ProbeResult.fail(Map.of(), "1 of 1 tests failed").withItems(List.of(coupons));
            }

            @Override
            public List<String> confirmationTests(String issue) {
                return issue.equals("INC-1") ? List.of("CheckoutTest#coupons") : List.of();
            }
        };
        return DeployVerifier.builder()
                .probe("smoke", smoke)
                .probe("health", c -> ProbeResult.pass(Map.of("status", 200), "status(200) == 200"))
                .confirms("health", "INC-2")
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .timeSource(VirtualTime.start()).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollback(RollbackTriggers.idempotentCallback("switch back", e -> { }))
                .listener(ConsoleProgress.builder(new PrintStream(bytes, true, StandardCharsets.UTF_8)).terminal(false).build())
                .build()
                .verifyAfterDeploy(new Deployment("checkout", "2.4.2", "2.4.1", null, Deployment.Kind.HOTFIX,
                        List.of("INC-1", "INC-2"), Map.of()));
    }

    @Test
    void jsonListsEachConfirmationAndWhatTheRollbackReopened() throws Exception {
        JsonNode json = new ObjectMapper().readTree(Reports.render(hotfixRolledBack(), ReportFormat.JSON));

        JsonNode first = json.path("confirmations").get(0);
        assertThat(first.path("issue").asText()).isEqualTo("INC-1");
        assertThat(first.path("probe").asText()).isEqualTo("smoke");
        assertThat(first.path("tests").get(0).asText()).isEqualTo("CheckoutTest#coupons");
        assertThat(first.path("status").asText()).isEqualTo("FAILED");
        assertThat(first.path("regression").asBoolean()).isFalse();
        assertThat(json.path("confirmations").get(1).path("probe").asText()).isEqualTo("health");
        assertThat(json.path("rollback").path("reopens")).extracting(JsonNode::asText).containsExactly("INC-1", "INC-2");
        assertThat(json.path("probes").get(0).path("measurements").get(0).path("items").get(0).path("tags").get(0).asText())
                .isEqualTo("INC-1");
    }

    @Test
    void htmlMarkdownAndJunitXmlHaveTheConfirmationsSection() {
        VerificationReport report = hotfixRolledBack();

        assertThat(Reports.render(report, ReportFormat.HTML)).contains("<h2>Confirmations</h2>")
                .contains("<td>INC-1</td><td>smoke</td><td>CheckoutTest#coupons</td><td class=\"c-FAILED\">FAILED: ")
                .contains("rolling back re-opens INC-1, INC-2: 2.4.1 still has them");
        assertThat(Reports.render(report, ReportFormat.MARKDOWN)).contains("### Confirmations")
                .contains("| INC-1 | smoke | CheckoutTest#coupons | FAILED: CheckoutTest#coupons failed: coupon applied twice |")
                .contains("| INC-2 | health | the whole probe | NOT_PROVEN: probe health ended NOT\\_DECIDED")
                .contains("**Re-opened:** rolling back re-opens INC-1, INC-2");
        assertThat(Reports.render(report, ReportFormat.JUNIT_XML)).contains("<testsuite name=\"vigil.checkout.confirmations\"")
                .contains("name=\"INC-1 by smoke (CheckoutTest#coupons)\"")
                .contains("<failure message=\"FAILED: CheckoutTest#coupons failed: coupon applied twice\"");
    }

    @Test
    void theConsoleSaysOneLinePerFixAndWhatRollingBackReopens() {
        hotfixRolledBack();
        String text = bytes.toString(StandardCharsets.UTF_8);

        assertThat(text).contains("Rolling back checkout 2.4.2 to 2.4.1 (re-opens INC-1, INC-2) ...")
                .contains("Fix:      INC-1 FAILED (probe smoke: CheckoutTest#coupons failed: coupon applied twice)")
                .contains("Fix:      INC-2 ")
                .contains("Re-opens: rolling back re-opens INC-1, INC-2: 2.4.1 still has them");
    }
    @Test
    void theWatchOfAHotfixSaysItsFixWasConfirmedInTheBakeNotThatItIsUnproven() throws Exception {
        watchOfAHotfix();
        String text = bytes.toString(StandardCharsets.UTF_8);
        String watched = text.substring(text.indexOf("(the watch after the bake)"));

        assertThat(text).contains("Fix:      INC-2 CONFIRMED (probe health: ");
        // A HEALTHY watch whose fix line said NOT_PROVEN contradicted its own verdict.
        assertThat(watched).contains("Fix:      INC-2: confirmed in the bake, which ended HEALTHY; a watch does not judge"
                + " fixes again (the bake's report lists the confirmations)").doesNotContain("NOT_PROVEN");
    }

    @Test
    void theConsoleAndTheMarkdownSummaryOfAWatchSayTheSameWordsOfItsFixes() throws Exception {
        // The console said "INC-2 confirmed in the bake (a watch does not judge fixes again)", its reports
        // "INC-2: confirmed in the bake, which ended HEALTHY; ...": two wordings of one fact.
        VerificationReport report = watchOfAHotfix();
        String text = bytes.toString(StandardCharsets.UTF_8);
        String console = text.substring(text.indexOf("(the watch after the bake)")).lines()
                .filter(line -> line.startsWith("Fix:      ")).findFirst().orElseThrow().substring("Fix:      ".length());
        String markdown = Reports.render(report, ReportFormat.MARKDOWN);

        assertThat(console).startsWith("INC-2").contains("confirmed in the bake");
        assertThat(markdown).contains("### Confirmations\n\n" + console + "\n");
        assertThat(Reports.render(report, ReportFormat.JUNIT_XML)).contains("name=\"" + console + "\"");
    }

    @Test
    void theWatchReportsOfAHotfixSayInEveryFormatThatItsFixWasConfirmedInTheBake() throws Exception {
        VerificationReport report = watchOfAHotfix();
        String note = "INC-2: confirmed in the bake, which ended HEALTHY; a watch does not judge fixes again"
                + " (the bake's report lists the confirmations)";

        // The watch judged no confirmation itself, and its reports say where the fix was judged.
        assertThat(report.confirmations()).isEmpty();
        assertThat(Reports.render(report, ReportFormat.MARKDOWN)).contains("### Confirmations\n\n" + note + "\n");
        assertThat(Reports.render(report, ReportFormat.HTML))
                .contains("<section id=\"confirmations\">\n<h2>Confirmations</h2>\n<p>" + note.replace("'", "&#39;") + "</p>");
        JsonNode json = new ObjectMapper().readTree(Reports.render(report, ReportFormat.JSON));
        assertThat(json.path("confirmations")).isEmpty();
        assertThat(json.path("confirmationsNote").asText()).isEqualTo(note);
        // The XML had no confirmations suite at all: a CI test view of the watch did not show the fix.
        assertThat(Reports.render(report, ReportFormat.JUNIT_XML))
                .contains("<testsuite name=\"vigil.checkout.confirmations\" tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\"")
                .contains("<testcase classname=\"vigil.checkout.confirmations\" name=\"" + note + "\" time=\"0.000\">")
                .contains("Confirmations: " + note + "\n")
                .doesNotContain("NOT_PROVEN");
        // A bake's report has no such note: its confirmations are its own.
        assertThat(new ObjectMapper().readTree(Reports.render(hotfixRolledBack(), ReportFormat.JSON))
                .path("confirmationsNote").isNull()).isTrue();
    }

    /** The watch of a hotfix of INC-2, confirmed by a passing probe in the bake; its report. */
    private VerificationReport watchOfAHotfix() throws Exception {
        try (DeployVerifier verifier = DeployVerifier.builder()
                .probe("health", c -> ProbeResult.pass(Map.of("status", 200), "status(200) == 200"))
                .confirms("health", "INC-2")
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10)).withDuration(Duration.ofSeconds(30)))
                .watch(WatchPlan.of(Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .timeSource(VirtualTime.start()).rollbackCoordinator(RollbackCoordinator.create()).recheck(RecheckPlan.off())
                .rollback(RollbackTriggers.idempotentCallback("switch back", e -> { }))
                .listener(ConsoleProgress.builder(new PrintStream(bytes, true, StandardCharsets.UTF_8)).terminal(false).build())
                .build();
                Watch watch = verifier.verifyThenWatch(new Deployment("checkout", "2.4.2", "2.4.1", null,
                        Deployment.Kind.HOTFIX, List.of("INC-2"), Map.of()))) {
            assertThat(watch.bake().healthy()).isTrue();
            VerificationReport report = watch.await();
            assertThat(report.verdict()).isEqualTo(dev.vigil.Verdict.HEALTHY);
            return report;
        }
    }
}
