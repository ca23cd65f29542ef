package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlReportTest {

    @Test
    void oneTestCasePerProbeWithAFailureForTheFailedOne() throws Exception {
        Document xml = parse(Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.JUNIT_XML));

        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("vigil.checkout");
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");
        assertThat(suite.getAttribute("time")).isEqualTo("27.000");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-26T12:00:00");
        List<Element> cases = children(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly("health", "error-rate");
        assertThat(cases).extracting(c -> c.getAttribute("classname")).containsOnly("vigil.checkout");
        assertThat(children(cases.get(0), "failure")).isEmpty();
        assertThat(children(cases.get(0), "error")).isEmpty();
        List<Element> failures = children(cases.get(1), "failure");
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0).getAttribute("message"))
                .startsWith("probe error-rate failed 2 times (max-failures 1): value(0.031) > 0.01");
        assertThat(failures.get(0).getAttribute("type")).isEqualTo("FAIL");
        assertThat(failures.get(0).getTextContent()).contains("round 3 at 2026-11-26T12:00:20Z: FAIL value(0.031) > 0.01");
        String systemOut = children(suite, "system-out").get(0).getTextContent();
        assertThat(systemOut).contains("Rollback: ROLLED_BACK (command: kubectl rollout undo deployment/checkout)")
                .contains("deployment.apps/checkout rolled back")
                .contains("Re-check after the rollback:");
        assertThat(property(suite, "verdict")).isEqualTo("UNHEALTHY");
        assertThat(property(suite, "rollback")).isEqualTo("ROLLED_BACK");
    }

    @Test
    void errorsAndUndecidedProbesAreErrorAndSkipped() throws Exception {
        Document xml = parse(Reports.render(SampleReports.unhealthyRollbackFailed(), ReportFormat.JUNIT_XML));

        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("name")).isEqualTo("vigil.payments");
        assertThat(suite.getAttribute("failures")).isEqualTo("0");
        assertThat(suite.getAttribute("errors")).isEqualTo("1");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        List<Element> cases = children(suite, "testcase");
        assertThat(children(cases.get(0), "error")).singleElement()
                .satisfies(e -> assertThat(e.getAttribute("message")).contains("max-consecutive-errors 1"));
        assertThat(children(cases.get(1), "skipped")).hasSize(1);
        assertThat(children(suite, "system-out").get(0).getTextContent())
                .contains("Rollback: FAILED").contains("Rollback error: command: ./rollback.sh failed after 3 attempts");
    }

    @Test
    void healthyVerificationHasNoFailures() throws Exception {
        Document xml = parse(Reports.render(SampleReports.healthy(), ReportFormat.JUNIT_XML));

        Element suites = xml.getDocumentElement();
        assertThat(suites.getTagName()).isEqualTo("testsuites");
        assertThat(suites.getAttribute("failures")).isEqualTo("0");
        assertThat(suites.getAttribute("errors")).isEqualTo("0");
        assertThat(xml.getElementsByTagName("testcase").getLength()).isEqualTo(1);
    }

    @Test
    void aVerdictNoProbeShowsIsATestCaseOfItsOwnSoTheSuiteIsNotGreen() throws Exception {
        // A watch that skipped most of its rounds: every probe passed in the rounds it had, and the
        // verdict is INCONCLUSIVE. A suite of passing test cases would show CI a green run.
        dev.vigil.VerificationReport h = SampleReports.healthy();
        dev.vigil.VerificationReport unwatched = new dev.vigil.VerificationReport(h.deployment(), h.plan(),
                dev.vigil.Verdict.INCONCLUSIVE, "the watch measured only 3 rounds: 40 of its 43 planned rounds skipped",
                h.probes(), h.rollback(), h.recheck(), h.rounds(), h.startedAt(), h.detectedAt(), h.finishedAt(),
                h.schedule(), h.recheckResult(), h.id(), h.confirmations(), h.phase());

        Document xml = parse(Reports.render(unwatched, ReportFormat.JUNIT_XML));

        Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
        assertThat(suite.getAttribute("tests")).isEqualTo("2");
        assertThat(suite.getAttribute("failures")).isEqualTo("1");
        assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("1");
        List<Element> cases = children(suite, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("name")).containsExactly("health", "verdict");
        assertThat(children(cases.get(0), "failure")).isEmpty();
        assertThat(children(cases.get(1), "failure")).singleElement().satisfies(f -> {
            assertThat(f.getAttribute("type")).isEqualTo("INCONCLUSIVE");
            assertThat(f.getAttribute("message")).isEqualTo("INCONCLUSIVE: the watch measured only 3 rounds: 40 of its 43 planned rounds skipped");
        });
        // Where a probe already shows it, no extra test case.
        Document unhealthy = parse(Reports.render(SampleReports.unhealthyRolledBack(), ReportFormat.JUNIT_XML));
        assertThat(unhealthy.getElementsByTagName("testcase").getLength()).isEqualTo(2);
    }

    @Test
    void terminalEscapesInTheRollbackOutputDoNotBreakTheXml() throws Exception {
        var base = SampleReports.unhealthyRolledBack();
        var rollback = new dev.vigil.RollbackReport(base.rollback().outcome(), base.rollback().trigger(), 1,
                "\u001b[32mrolled back\u001b[0m <ok> & \u0000done", null, base.rollback().startedAt(),
                base.rollback().finishedAt());
        var report = new dev.vigil.VerificationReport(base.deployment(), base.plan(), base.verdict(), base.reason(),
                base.probes(), rollback, base.recheck(), base.rounds(), base.startedAt(), base.detectedAt(),
                base.finishedAt());

        Document xml = parse(Reports.render(report, ReportFormat.JUNIT_XML));

        assertThat(xml.getElementsByTagName("system-out").item(xml.getElementsByTagName("system-out").getLength() - 1)
                .getTextContent()).contains("rolled back").contains("<ok> &");
    }

    static Document parse(String text) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theTestsOfAProbeAreASuiteOfTheirOwnFromItsLatestRun() throws Exception {
        Document xml = parse(Reports.render(SampleReports.withTests("t0k3n-xml"), ReportFormat.JUNIT_XML));

        Element root = xml.getDocumentElement();
        assertThat(root.getAttribute("tests")).isEqualTo("4");
        assertThat(root.getAttribute("failures")).isEqualTo("2");
        assertThat(root.getAttribute("skipped")).isEqualTo("1");
        List<Element> suites = children(root, "testsuite");
        assertThat(suites).extracting(s -> s.getAttribute("name")).containsExactly("vigil.orders", "vigil.orders.smoke");
        Element tests = suites.get(1);
        assertThat(tests.getAttribute("tests")).isEqualTo("3");
        assertThat(tests.getAttribute("failures")).isEqualTo("1");
        assertThat(tests.getAttribute("skipped")).isEqualTo("1");
        List<Element> cases = children(tests, "testcase");
        assertThat(cases).extracting(c -> c.getAttribute("classname") + "#" + c.getAttribute("name")).containsExactly(
                "com.acme.smoke.OrdersSmokeTest#healthIsUp()", "com.acme.smoke.OrdersSmokeTest#onlyInProduction()",
                "com.acme.smoke.OrdersSmokeTest#paysWithCard()");
        assertThat(children(cases.get(0), "failure")).isEmpty();
        assertThat(children(cases.get(1), "skipped")).singleElement()
                .satisfies(e -> assertThat(e.getAttribute("message")).isEqualTo("Assumption failed: production only"));
        assertThat(children(cases.get(2), "failure")).singleElement().satisfies(e -> {
            assertThat(e.getAttribute("message")).startsWith("POST /payments with Authorization: ");
            assertThat(e.getTextContent()).contains("expected: <201> but was: <500>").doesNotContain("t0k3n-xml");
        });
    }

    static List<Element> children(Element parent, String tag) {
        List<Element> result = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element e && e.getTagName().equals(tag)) {
                result.add(e);
            }
        }
        return result;
    }

    private static String property(Element suite, String name) {
        for (Element p : children(children(suite, "properties").get(0), "property")) {
            if (p.getAttribute("name").equals(name)) {
                return p.getAttribute("value");
            }
        }
        return null;
    }
}
