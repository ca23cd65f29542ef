package dev.vigil.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.Outcome;
import dev.vigil.RollbackOutcome;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.report.ReportFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's story as a specification: 2.0.0 is detected, rolled back for real and re-checked
 * healthy; 3.0.0 passes a full bake. With Prometheus when its binary is installed (required when
 * {@code VIGIL_REQUIRE_PROMETHEUS=true}), and over HTTP alone.
 */
class DemoTest {

    @TempDir
    Path output;

    @Test
    void regressionIsRolledBackAndTheFixBakesQuietly() throws Exception {
        boolean required = "true".equalsIgnoreCase(System.getenv("VIGIL_REQUIRE_PROMETHEUS"));
        boolean installed = LocalPrometheus.findBinary().isPresent();
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Demo.Story story = Demo.run(new PrintStream(console, true, StandardCharsets.UTF_8), output, true);

        String text = console.toString(StandardCharsets.UTF_8);
        if (required) {
            assertThat(installed).as("VIGIL_REQUIRE_PROMETHEUS=true but no prometheus binary is installed").isTrue();
        }
        assertThat(story.prometheus()).as(text).isEqualTo(installed);
        assertStory(story, text);
        if (installed) {
            assertThat(text).contains("Prometheus: ").contains("scraping /actuator/prometheus every 1s");
            assertThat(story.acts().get(0).report().probe("error-rate")).as(text).isPresent();
        } else {
            assertThat(text).contains("apt-get install");
        }
    }

    @Test
    void withoutPrometheusTheStoryIsMeasuredOverHttpAlone() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();

        Demo.Story story = Demo.run(new PrintStream(console, true, StandardCharsets.UTF_8), output, false);

        String text = console.toString(StandardCharsets.UTF_8);
        assertThat(story.prometheus()).isFalse();
        assertStory(story, text);
        assertThat(story.acts().get(0).report().probes()).extracting(p -> p.name()).containsExactly("health", "orders", "smoke");
        assertThat(text).contains("measures over HTTP alone");
    }

    private void assertStory(Demo.Story story, String text) throws Exception {
        assertThat(story.acts()).as(text).hasSize(2);

        Demo.Act bad = story.acts().get(0);
        VerificationReport regression = bad.report();
        assertThat(bad.version()).isEqualTo("2.0.0");
        assertThat(regression.verdict()).as(text).isEqualTo(Verdict.UNHEALTHY);
        assertThat(regression.deployment().previousVersion()).isEqualTo("1.0.0");
        assertThat(regression.rollback().outcome()).as(text).isEqualTo(RollbackOutcome.ROLLED_BACK);
        assertThat(regression.rollback().output()).contains("/… answered 200: rolled back to 1.0.0");
        assertThat(regression.recheck()).as(text).isNotEmpty().extracting(Measurement::outcome).containsOnly(Outcome.PASS);
        assertThat(bad.runningAfter()).as("the rollback really switched the service back").isEqualTo("1.0.0");
        Measurement smoke = regression.probe("smoke").orElseThrow().measurements().get(0);
        assertThat(smoke.outcome()).as(text).isEqualTo(Outcome.FAIL);
        assertThat(smoke.items()).filteredOn(i -> i.status() == ItemResult.Status.FAILED).extracting(ItemResult::name)
                .as(smoke.explanation()).contains("healthIsUp(URI)", "ordersAnswerWithinTheirLatencyBudget(URI)");
        assertThat(text).contains("OrdersSmokeTest > healthIsUp(URI)");

        Demo.Act fixed = story.acts().get(1);
        VerificationReport release = fixed.report();
        assertThat(fixed.version()).isEqualTo("3.0.0");
        assertThat(release.verdict()).as(text).isEqualTo(Verdict.HEALTHY);
        assertThat(release.rollback().outcome()).isEqualTo(RollbackOutcome.NOT_NEEDED);
        assertThat(release.rounds()).as("a full bake").isEqualTo(release.plan().rounds());
        assertThat(release.deployment().fixes()).containsExactly(Demo.FIXED_ISSUE);
        assertThat(release.deployment().kind()).isEqualTo(dev.vigil.Deployment.Kind.HOTFIX);
        assertThat(release.confirmations()).as(text).singleElement().satisfies(c -> {
            assertThat(c.issue()).isEqualTo("ORD-17");
            assertThat(c.probe()).isEqualTo("smoke");
            assertThat(c.tests()).containsExactly("OrdersSmokeTest#ordersAnswerWithinTheirLatencyBudget");
            assertThat(c.status()).isEqualTo(dev.vigil.Confirmation.Status.CONFIRMED);
        });
        assertThat(text).contains("Fix:      ORD-17 CONFIRMED");
        Measurement confirmation = release.probe("smoke").orElseThrow().measurements().get(0);
        assertThat(confirmation.values()).as(confirmation.explanation()).containsEntry("tags", java.util.List.of("ORD-17", "smoke"));
        assertThat(confirmation.items()).as(confirmation.explanation()).isNotEmpty()
                .allSatisfy(i -> assertThat(i.status()).isEqualTo(ItemResult.Status.PASSED))
                .extracting(ItemResult::name).contains("ordersAnswerWithinTheirLatencyBudget(URI)");
        assertThat(fixed.runningAfter()).isEqualTo("3.0.0");

        assertThat(story.asTold()).isTrue();
        for (Demo.Act act : story.acts()) {
            assertThat(act.reports()).containsOnlyKeys(ReportFormat.values());
            for (Path file : act.reports().values()) {
                assertThat(file).startsWith(output).isRegularFile();
                assertThat(Files.size(file)).isPositive();
            }
        }
        assertThat(Files.readString(bad.reports().get(ReportFormat.JSON))).contains("\"UNHEALTHY\"").contains("\"ROLLED_BACK\"");
        assertThat(output.resolve("config").resolve(Demo.CONFIG)).isRegularFile();
        assertThat(text).contains("[1/4]", "[2/4]", "[3/4]", "[4/4]", "Verdict:  UNHEALTHY", "Verdict:  HEALTHY",
                "Re-check: ", "Reports:  ", "stopped: load generator, orders service");
        // Both releases are recorded; the fix is the first quiet release after the rollback, and the history table ends the story.
        assertThat(text).contains("History: 0 quiet releases of orders in a row came before this rollback (longest 0)",
                "History: quiet release #1 in a row for orders (longest 1)", "Release history",
                "change-failure rate  50.0% (1 of 2");
        assertThat(Files.readString(fixed.reports().get(ReportFormat.JSON))).contains("quiet release #1 in a row for orders");

        // docs/demo.md shows the story as the demo tells it: its steps, the re-check, the history table.
        String page = Files.readString(Path.of("..", "docs", "demo.md"));
        for (String start : new String[] {"[2/4] ", "[3/4] "}) {
            assertThat(text).contains(shown(page, start));
        }
        // The re-check measures the bake's probes and the one measured after a rollback only (rolled-back).
        assertThat(regression.recheck()).extracting(Measurement::probe).contains("rolled-back");
        assertThat(regression.probes()).extracting(dev.vigil.ProbeReport::name).doesNotContain("rolled-back");
        assertThat(text).contains(shown(page, "Re-check: ").replace("all 5 probes", "all " + (regression.probes().size() + 1) + " probes"));
        assertThat(page).contains("    Release history", "      change-failure rate  50.0% (1 of 2");
    }

    @Test
    void demoMdShowsTheHelpTheDemoPrints() throws Exception {
        // The page showed "--out DIR  where the configuration and the reports go", the help "where the reports go";
        // the folder holds the configuration, the reports and the release history.
        assertThat(Files.readString(Path.of("..", "docs", "demo.md"))).contains(Demo.USAGE);
    }

    /** The first line of the page that starts with {@code start}. */
    private static String shown(String page, String start) {
        return page.lines().filter(line -> line.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("docs/demo.md shows no line starting " + start));
    }
}
