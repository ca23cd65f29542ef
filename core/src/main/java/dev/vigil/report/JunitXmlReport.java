package dev.vigil.report;

import dev.vigil.ItemResult;
import dev.vigil.Measurement;
import dev.vigil.ProbeReport;
import dev.vigil.RollbackReport;
import dev.vigil.Verdict;
import dev.vigil.VerificationReport;
import dev.vigil.VigilException;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Renders {@code report.xml} in the JUnit XML format that Jenkins, GitLab and GitHub read: one
 * {@code testsuite} named {@code vigil.<service>} with one {@code testcase} per probe.
 *
 * <ul>
 *   <li>a probe that {@code PASSED}: a plain test case;</li>
 *   <li>a probe that {@code FAILED} through {@code FAIL} measurements: {@code <failure type="FAIL">};</li>
 *   <li>a probe that {@code FAILED} through consecutive {@code ERROR} measurements: {@code <error type="ERROR">};</li>
 *   <li>a probe that ended {@code INCONCLUSIVE}: {@code <failure type="INCONCLUSIVE">}, since the
 *       deployment was not shown to be healthy;</li>
 *   <li>a probe that was {@code NOT_DECIDED} (another probe decided first, or the verification was
 *       aborted): {@code <skipped>}.</li>
 * </ul>
 * The suite's {@code system-out} holds the verdict, the rollback and its output, and the re-check.
 *
 * A verdict other than {@code HEALTHY} that no probe's test case shows as a failure or an error (a
 * watch that skipped its rounds, a bake superseded by a newer version or aborted, the regression
 * guard) adds a test case {@code verdict} with {@code <failure type="INCONCLUSIVE">} (the verdict)
 * and the reason, so that the suite is never green for a deployment not shown healthy.
 *
 * <p>A probe whose measurements carry {@linkplain Measurement#items() items} (a JUnit suite run as
 * a probe) also gets a {@code testsuite} of its own, {@code vigil.<service>.<probe>}, with one
 * {@code testcase} per item of its latest measurement that has them: {@code classname} is the
 * item's group (the test class), {@code name} its name; a failed item is a {@code <failure>}, an
 * item that threw or did not finish an {@code <error>}, an aborted or skipped one {@code <skipped>},
 * each with the item's message.
 *
 * <p>A deployment that fixes issues gets a {@code testsuite} {@code vigil.<service>.confirmations}:
 * one {@code testcase} per fix and confirming probe, or in a watch's report, which judges no fix
 * again, one passed {@code testcase} per fix confirmed in the bake, said in {@code system-out} too.
 */
final class JunitXmlReport {

    /** JUnit's timestamp: ISO-8601 to the second, without a zone (the time is UTC). */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);

    private JunitXmlReport() {
    }

    static String render(VerificationReport report) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            newline(xml, 0);
            String suiteName = "vigil." + report.deployment().service();
            int failures = 0;
            int errors = 0;
            int skipped = 0;
            for (ProbeReport p : report.probes()) {
                switch (kind(p)) {
                    case FAILURE -> failures++;
                    case ERROR -> errors++;
                    case SKIPPED -> skipped++;
                    case PASSED -> { }
                }
            }
            // A verdict no probe's test case shows (a watch that skipped its rounds, a bake
            // superseded or aborted, a regression guard) must not leave the suite green.
            boolean verdictCase = report.verdict() != Verdict.HEALTHY && failures + errors == 0;
            if (verdictCase) {
                failures++;
            }
            int cases = report.probes().size() + (verdictCase ? 1 : 0);
            String tests = Integer.toString(cases);
            String time = Format.seconds(Format.elapsed(report));
            int allTests = cases;
            int allFailures = failures;
            int allErrors = errors;
            int allSkipped = skipped;
            List<ItemResult> confirmations = confirmations(report);
            for (ItemResult item : confirmations) {
                allTests++;
                switch (kind(item)) {
                    case FAILURE -> allFailures++;
                    case ERROR -> allErrors++;
                    case SKIPPED -> allSkipped++;
                    case PASSED -> { }
                }
            }
            for (ProbeReport p : report.probes()) {
                for (ItemResult item : Format.latestItems(p)) {
                    allTests++;
                    switch (kind(item)) {
                        case FAILURE -> allFailures++;
                        case ERROR -> allErrors++;
                        case SKIPPED -> allSkipped++;
                        case PASSED -> { }
                    }
                }
            }

            xml.writeStartElement("testsuites");
            attribute(xml, "name", "vigil");
            attribute(xml, "tests", Integer.toString(allTests));
            attribute(xml, "failures", Integer.toString(allFailures));
            attribute(xml, "errors", Integer.toString(allErrors));
            attribute(xml, "skipped", Integer.toString(allSkipped));
            attribute(xml, "time", time);
            newline(xml, 1);
            xml.writeStartElement("testsuite");
            attribute(xml, "name", suiteName);
            attribute(xml, "tests", tests);
            attribute(xml, "failures", Integer.toString(failures));
            attribute(xml, "errors", Integer.toString(errors));
            attribute(xml, "skipped", Integer.toString(skipped));
            attribute(xml, "time", time);
            if (report.startedAt() != null) {
                attribute(xml, "timestamp", TIMESTAMP.format(LocalDateTime.ofInstant(report.startedAt(), ZoneOffset.UTC)));
            }
            properties(xml, report);
            for (ProbeReport p : report.probes()) {
                testcase(xml, suiteName, p);
            }
            if (verdictCase) {
                verdictCase(xml, suiteName, report);
            }
            newline(xml, 2);
            xml.writeStartElement("system-out");
            text(xml, systemOut(report));
            xml.writeEndElement();
            newline(xml, 1);
            xml.writeEndElement();
            itemSuite(xml, suiteName + ".confirmations", confirmations);
            for (ProbeReport p : report.probes()) {
                itemSuite(xml, suiteName + "." + p.name(), Format.latestItems(p));
            }
            newline(xml, 0);
            xml.writeEndElement();
            newline(xml, 0);
            xml.writeEndDocument();
            xml.close();
        } catch (XMLStreamException e) {
            throw new VigilException("report.xml could not be written: " + e.getMessage(), e);
        }
        return out.toString();
    }

    private enum Kind { PASSED, FAILURE, ERROR, SKIPPED }

    /**
     * The confirmations as test cases of a suite {@code vigil.<service>.confirmations}, one per fix
     * and probe: a failed one is a failure, one without proof an error (it blocks {@code HEALTHY}
     * as much as a failure does). A watch judges no fix again ({@link Format#confirmedInTheBake}):
     * one passed test case per fix, named as its console and other reports say it
     * ({@code INC-123: confirmed in the bake, which ended HEALTHY; ...}).
     */
    private static List<ItemResult> confirmations(VerificationReport report) {
        String suite = "vigil." + report.deployment().service() + ".confirmations";
        if (Format.confirmedInTheBake(report) != null) {
            return report.deployment().fixes().stream().distinct().map(issue -> new ItemResult("confirmation:" + issue, suite,
                    Format.confirmedInTheBake(issue), ItemResult.Status.PASSED, null, "")).toList();
        }
        return report.confirmations().stream().map(c -> new ItemResult("confirmation:" + c.issue() + ":" + c.probe(),
                suite,
                c.issue() + " by " + c.probe() + (c.tests().isEmpty() ? "" : " (" + String.join(", ", c.tests()) + ")"),
                switch (c.status()) {
                    case CONFIRMED -> ItemResult.Status.PASSED;
                    case FAILED -> ItemResult.Status.FAILED;
                    case NOT_PROVEN -> ItemResult.Status.ERROR;
                }, null, c.status() == dev.vigil.Confirmation.Status.CONFIRMED ? "" : c.status() + ": " + c.explanation()))
                .toList();
    }

    private static Kind kind(ProbeReport p) {
        return switch (p.status()) {
            case PASSED -> Kind.PASSED;
            case INCONCLUSIVE -> Kind.FAILURE;
            case NOT_DECIDED -> Kind.SKIPPED;
            case FAILED -> p.limits() != null && p.failures() <= p.limits().maxFailures() && p.errors() > 0
                    ? Kind.ERROR : Kind.FAILURE;
        };
    }

    private static Kind kind(ItemResult item) {
        return switch (item.status()) {
            case PASSED -> Kind.PASSED;
            case FAILED -> Kind.FAILURE;
            case ERROR, UNFINISHED -> Kind.ERROR;
            case ABORTED, SKIPPED -> Kind.SKIPPED;
        };
    }

    private static void itemSuite(XMLStreamWriter xml, String name, List<ItemResult> items) throws XMLStreamException {
        if (items.isEmpty()) {
            return;
        }
        int[] counts = new int[Kind.values().length];
        Duration total = Duration.ZERO;
        for (ItemResult item : items) {
            counts[kind(item).ordinal()]++;
            total = item.duration() == null ? total : total.plus(item.duration());
        }
        newline(xml, 1);
        xml.writeStartElement("testsuite");
        attribute(xml, "name", name);
        attribute(xml, "tests", Integer.toString(items.size()));
        attribute(xml, "failures", Integer.toString(counts[Kind.FAILURE.ordinal()]));
        attribute(xml, "errors", Integer.toString(counts[Kind.ERROR.ordinal()]));
        attribute(xml, "skipped", Integer.toString(counts[Kind.SKIPPED.ordinal()]));
        attribute(xml, "time", Format.seconds(total));
        for (ItemResult item : items) {
            newline(xml, 2);
            xml.writeStartElement("testcase");
            attribute(xml, "classname", item.group() == null ? name : item.group());
            attribute(xml, "name", item.name());
            attribute(xml, "time", Format.seconds(item.duration() == null ? Duration.ZERO : item.duration()));
            Kind kind = kind(item);
            if (kind != Kind.PASSED) {
                newline(xml, 3);
                xml.writeStartElement(kind == Kind.FAILURE ? "failure" : kind == Kind.ERROR ? "error" : "skipped");
                attribute(xml, "message", firstLine(item.message()));
                if (kind != Kind.SKIPPED) {
                    attribute(xml, "type", item.status().name());
                }
                text(xml, item.message());
                xml.writeEndElement();
                newline(xml, 2);
            }
            xml.writeEndElement();
        }
        newline(xml, 1);
        xml.writeEndElement();
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    private static void properties(XMLStreamWriter xml, VerificationReport report) throws XMLStreamException {
        newline(xml, 2);
        xml.writeStartElement("properties");
        property(xml, "verdict", report.verdict().name());
        property(xml, "reason", report.reason());
        property(xml, "service", report.deployment().service());
        property(xml, "version", report.deployment().version());
        if (report.deployment().previousVersion() != null) {
            property(xml, "previous-version", report.deployment().previousVersion());
        }
        if (report.deployment().environment() != null) {
            property(xml, "environment", report.deployment().environment());
        }
        property(xml, "kind", report.deployment().kind().name());
        property(xml, "rollback", report.rollback().outcome().name());
        property(xml, "dry-run", Boolean.toString(report.plan().dryRun()));
        if (!Format.watchLimits(report).isEmpty()) {
            property(xml, "watch-limits", Format.watchLimits(report));
        }
        newline(xml, 2);
        xml.writeEndElement();
    }

    private static void property(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        newline(xml, 3);
        xml.writeEmptyElement("property");
        attribute(xml, "name", name);
        attribute(xml, "value", value);
    }

    /** The test case {@code verdict}: a failure of the verdict's type, with its reason. */
    private static void verdictCase(XMLStreamWriter xml, String suiteName, VerificationReport report) throws XMLStreamException {
        newline(xml, 2);
        xml.writeStartElement("testcase");
        attribute(xml, "classname", suiteName);
        attribute(xml, "name", "verdict");
        attribute(xml, "time", "0");
        newline(xml, 3);
        xml.writeStartElement("failure");
        String reason = report.reason() == null ? "" : report.reason();
        attribute(xml, "message", report.verdict() + ": " + firstLine(reason));
        attribute(xml, "type", report.verdict().name());
        text(xml, reason);
        xml.writeEndElement();
        newline(xml, 2);
        xml.writeEndElement();
    }

    private static void testcase(XMLStreamWriter xml, String suiteName, ProbeReport p) throws XMLStreamException {
        newline(xml, 2);
        Kind kind = kind(p);
        Duration time = p.measurements().stream().map(Measurement::duration).filter(d -> d != null)
                .reduce(Duration.ZERO, Duration::plus);
        xml.writeStartElement("testcase");
        attribute(xml, "classname", suiteName);
        attribute(xml, "name", p.name());
        attribute(xml, "time", Format.seconds(time));
        String details = details(p);
        switch (kind) {
            case PASSED -> {
                newline(xml, 3);
                xml.writeStartElement("system-out");
                text(xml, details);
                xml.writeEndElement();
            }
            case FAILURE, ERROR -> {
                newline(xml, 3);
                xml.writeStartElement(kind == Kind.ERROR ? "error" : "failure");
                attribute(xml, "message", message(p));
                attribute(xml, "type", kind == Kind.ERROR ? "ERROR" : p.status() == ProbeReport.Status.INCONCLUSIVE
                        ? "INCONCLUSIVE" : "FAIL");
                text(xml, details);
                xml.writeEndElement();
            }
            case SKIPPED -> {
                newline(xml, 3);
                xml.writeStartElement("skipped");
                attribute(xml, "message", "not decided: the verification ended before probe " + p.name()
                        + " said anything conclusive");
                text(xml, details);
                xml.writeEndElement();
            }
        }
        newline(xml, 2);
        xml.writeEndElement();
    }

    private static String message(ProbeReport p) {
        if (p.brokenLimit() != null && !p.brokenLimit().isBlank()) {
            return p.brokenLimit();
        }
        String last = Format.lastExplanation(p);
        return "probe " + p.name() + " " + p.status().name().toLowerCase(java.util.Locale.ROOT)
                + (last.isBlank() ? "" : ": " + last);
    }

    private static String details(ProbeReport p) {
        StringBuilder out = new StringBuilder();
        out.append(p.description()).append('\n');
        if (p.passWhen() != null) {
            out.append("pass-when: ").append(p.passWhen()).append('\n');
        }
        if (p.failWhen() != null) {
            out.append("fail-when: ").append(p.failWhen()).append('\n');
        }
        out.append(String.format(java.util.Locale.ROOT, "%s: %d pass, %d fail, %d inconclusive, %d error%n",
                p.status(), p.passes(), p.failures(), p.inconclusive(), p.errors()));
        // A long verification keeps runs of PASS as summaries: one line for each stretch of them.
        for (Object entry : Format.entries(p)) {
            out.append(entry instanceof Measurement m ? Format.measurement(m)
                    : Format.passRun((dev.vigil.PassRun) entry) + " (summarised)").append('\n');
        }
        return out.toString();
    }

    private static String systemOut(VerificationReport report) {
        StringBuilder out = new StringBuilder();
        out.append("Verdict: ").append(Format.status(report)).append('\n');
        out.append("Reason: ").append(report.reason()).append('\n');
        out.append("Deployment: ").append(Format.deployment(report)).append('\n');
        RollbackReport r = report.rollback();
        out.append("Rollback: ").append(r.outcome());
        if (!r.trigger().isBlank()) {
            out.append(" (").append(r.trigger()).append(')');
        }
        if (r.attempts() > 0) {
            out.append(", ").append(r.attempts()).append(r.attempts() == 1 ? " attempt" : " attempts");
        }
        out.append('\n');
        if (r.error() != null) {
            out.append("Rollback error: ").append(r.error()).append('\n');
        }
        if (!r.output().isBlank()) {
            out.append("Rollback output:\n").append(r.output()).append('\n');
        }
        String reopens = Format.reopens(report);
        if (reopens != null) {
            out.append("Re-opened: ").append(reopens).append('\n');
        }
        for (dev.vigil.Confirmation c : report.confirmations()) {
            out.append("Confirmation ").append(Format.confirmation(c)).append('\n');
        }
        String inTheBake = Format.confirmedInTheBake(report);
        if (inTheBake != null) {
            out.append("Confirmations: ").append(inTheBake).append('\n');
        }
        String judged = Format.recheck(report);
        if (judged != null) {
            out.append("Re-check of the previous version: ").append(judged).append('\n');
        }
        List<Measurement> recheck = report.recheck();
        if (!recheck.isEmpty()) {
            out.append("Re-check after the rollback:\n");
            for (Measurement m : recheck) {
                out.append("  ").append(m.probe()).append(' ').append(Format.measurement(m)).append('\n');
            }
        }
        return out.toString();
    }

    private static void attribute(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeAttribute(name, clean(value == null ? "" : value));
    }

    private static void text(XMLStreamWriter xml, String value) throws XMLStreamException {
        xml.writeCharacters(clean(value));
    }

    private static void newline(XMLStreamWriter xml, int depth) throws XMLStreamException {
        xml.writeCharacters("\n" + "  ".repeat(depth));
    }

    /** Drops the characters XML 1.0 cannot hold (terminal escapes in a command's output, say). */
    static String clean(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || Character.isSurrogate(c);
            if (!ok) {
                if (out == null) {
                    out = new StringBuilder(text.length()).append(text, 0, i);
                }
                out.append('\uFFFD');
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }
}
