package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.DeployVerifier;
import dev.vigil.Deployment;
import dev.vigil.MeasurementPolicy;
import dev.vigil.Probe;
import dev.vigil.ProbeLimits;
import dev.vigil.VerificationPlan;
import dev.vigil.VerificationReport;
import dev.vigil.report.ReportFormat;
import dev.vigil.report.Reports;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The timeline of one probe in a {@code report.html}, parsed as XML (the inline SVG is well-formed),
 * so that a test reads what is drawn rather than searching the text: the series named, the lines
 * drawn, the threshold, the points, bands and pixel columns. Immutable.
 */
public final class TimelinePlot {

    private final Element svg;

    private TimelinePlot(Element svg) {
        this.svg = svg;
    }

    /**
     * Parses the timeline of a probe.
     *
     * @param html the whole report
     * @param probe the probe's name
     * @return its timeline; the assertion fails when there is none, or it is not well-formed
     */
    public static TimelinePlot in(String html, String probe) {
        int start = html.indexOf("<svg class=\"timeline\" data-probe=\"" + probe + "\"");
        assertThat(start).as("the timeline of probe " + probe).isNotNegative();
        int end = html.indexOf("</svg>", start) + "</svg>".length();
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return new TimelinePlot(factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(html.substring(start, end).getBytes(StandardCharsets.UTF_8)))
                    .getDocumentElement());
        } catch (Exception e) {
            throw new AssertionError("the timeline of probe " + probe + " is not well-formed SVG: " + e.getMessage(), e);
        }
    }

    /**
     * Runs a verification of one probe in virtual time and renders its HTML report.
     *
     * @param name the probe's name
     * @param probe the probe
     * @param rounds how many rounds, one every 10 seconds
     * @return the report as HTML
     */
    public static String report(String name, Probe probe, int rounds) {
        VerificationReport report = DeployVerifier.builder()
                .plan(VerificationPlan.defaults().withInterval(Duration.ofSeconds(10))
                        .withDuration(Duration.ofSeconds(10L * rounds)))
                .timeSource(VirtualTime.start())
                .probe(name, probe, ProbeLimits.defaults().withMaxFailures(rounds).withMaxInconclusive(rounds),
                        MeasurementPolicy.defaults().withMaxAttempts(1))
                .build()
                .verifyAfterDeploy(Deployment.of("checkout", "2.4.1", "2.4.0"));
        return Reports.render(report, ReportFormat.HTML);
    }

    /** {@return the keys named by {@code data-series}; {@code [outcome]} for outcome lanes} */
    public List<String> series() {
        return Arrays.asList(svg.getAttribute("data-series").split(" "));
    }

    /** {@return {@code linear} or {@code log}} */
    public String scale() {
        return svg.getAttribute("data-scale");
    }

    /** {@return {@code points} or {@code columns}} */
    public String mode() {
        return svg.getAttribute("data-mode");
    }

    /** {@return the keys of the series drawn as a line ({@code polyline.series}), in order} */
    public List<String> lines() {
        return attributes("//g[@data-series][polyline[" + hasClass("series") + "]]", "data-series");
    }

    /** {@return the threshold line's value, or empty when none is drawn} */
    public OptionalDouble threshold() {
        List<String> values = attributes("//line[" + hasClass("threshold") + "]", "data-threshold");
        assertThat(values.size()).as("threshold lines").isLessThanOrEqualTo(1);
        return values.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(values.get(0)));
    }

    /** {@return the threshold line's tooltip} */
    public String thresholdTitle() {
        return text("//line[" + hasClass("threshold") + "]/title");
    }

    /** {@return the threshold line's vertical position} */
    public double thresholdY() {
        return Double.parseDouble(attributes("//line[" + hasClass("threshold") + "]", "y1").get(0));
    }

    /** {@return the legend's names of the series, in order} */
    public List<String> legend() {
        return texts("//g[" + hasClass("legend-series") + "]/text");
    }

    /**
     * {@return the vertical positions of the marks of a series with this outcome: its points and value marks}
     *
     * @param series the key
     * @param outcome {@code pass}, {@code fail}, {@code inconclusive} or {@code error}
     */
    public List<Double> pointsY(String series, String outcome) {
        return attributes("//circle[(" + hasClass("point") + " or " + hasClass("value") + ") and " + hasClass(outcome)
                + " and @data-series='" + series + "']", "cy").stream().map(Double::parseDouble).toList();
    }

    /** {@return the number of {@code circle.point} elements: one per measurement drawn} */
    public int points() {
        return count("//circle[" + hasClass("point") + "]");
    }

    /**
     * {@return the number of {@code circle.point} elements with this outcome}
     *
     * @param outcome {@code pass}, {@code fail}, {@code inconclusive} or {@code error}
     */
    public int points(String outcome) {
        return count("//circle[" + hasClass("point") + " and " + hasClass(outcome) + "]");
    }

    /** {@return the number of bands drawn for summarised runs ({@code rect.band})} */
    public int bands() {
        return count("//g[" + hasClass("bands") + "]/rect[" + hasClass("band") + "]");
    }

    /**
     * {@return the number of pixel columns drawn as bands, over all series: the subpaths of each
     * {@code path.columns}, one {@code M x y v height} per column, checked against its
     * {@code data-columns}}
     */
    public int columns() {
        NodeList paths = nodes("//path[" + hasClass("columns") + "]");
        int total = 0;
        for (int i = 0; i < paths.getLength(); i++) {
            Element path = (Element) paths.item(i);
            String[] columns = path.getAttribute("d").trim().split("(?=M)");
            for (String column : columns) {
                assertThat(column.trim()).as("one column").matches("M[\\d.]+ [\\d.]+v[\\d.]+");
            }
            assertThat(columns.length).as("data-columns").isEqualTo(Integer.parseInt(path.getAttribute("data-columns")));
            total += columns.length;
        }
        return total;
    }

    /**
     * {@return the number of elements an XPath expression selects}
     *
     * @param xpath the expression, over the {@code svg} element
     */
    public int count(String xpath) {
        return nodes(xpath).getLength();
    }

    private static String hasClass(String name) {
        return "contains(concat(' ', normalize-space(@class), ' '), ' " + name + " ')";
    }

    private List<String> attributes(String xpath, String attribute) {
        NodeList nodes = nodes(xpath);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(((Element) nodes.item(i)).getAttribute(attribute));
        }
        return out;
    }

    private List<String> texts(String xpath) {
        NodeList nodes = nodes(xpath);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add(nodes.item(i).getTextContent());
        }
        return out;
    }

    private String text(String xpath) {
        List<String> all = texts(xpath);
        assertThat(all).as(xpath).hasSize(1);
        return all.get(0);
    }

    private NodeList nodes(String xpath) {
        try {
            return (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, svg, XPathConstants.NODESET);
        } catch (Exception e) {
            throw new IllegalArgumentException(xpath + ": " + e.getMessage(), e);
        }
    }
}
