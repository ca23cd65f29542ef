package dev.vigil.junit.probe;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.vigil.condition.Criteria;
import dev.vigil.condition.ValueType;
import dev.vigil.junit.probe.fixtures.FailingChecks;
import dev.vigil.testkit.TimelinePlot;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the timeline of a JUnit probe plots, read from the HTML report of a verification. */
class JunitPlotTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @BeforeEach
    void stubs() {
        server.stubFor(get("/health").willReturn(aResponse().withStatus(200)));
        server.stubFor(post("/payments").willReturn(aResponse().withStatus(500)));
        server.stubFor(get("/payments").willReturn(aResponse().withStatus(500)));
    }

    private static JunitProbeBuilder failing() {
        return JunitProbes.builder().select("class:" + FailingChecks.class.getName())
                .parameter("base-url", "http://localhost:" + server.getPort() + "/").everyRound();
    }

    @Test
    void plotsFailedAndPassedTestsAgainstMinTests() {
        TimelinePlot t = TimelinePlot.in(TimelinePlot.report("smoke", failing().minTests(2).build(), 2), "smoke");

        assertThat(t.series()).containsExactly("tests.failed", "tests.passed");
        assertThat(t.legend()).containsExactly("failed tests", "passed tests");
        assertThat(t.threshold()).hasValue(2);
        assertThat(t.thresholdTitle()).contains("min-tests 2");
        // One of the two tests passed: below min-tests.
        assertThat(t.pointsY("tests.passed", "fail")).isNotEmpty().allSatisfy(y -> assertThat(y).isGreaterThan(t.thresholdY()));
        assertThat(t.pointsY("tests.failed", "fail")).hasSameSizeAs(t.pointsY("tests.passed", "fail"));
    }

    @Test
    void withAConditionPlotsTheCountItCompares() {
        Map<String, ValueType> names = Map.of("tests.failed", ValueType.NUMBER, "tests.passed", ValueType.NUMBER,
                "tests.total", ValueType.NUMBER, "tests.skipped", ValueType.NUMBER, "duration", ValueType.DURATION);
        TimelinePlot t = TimelinePlot.in(TimelinePlot.report("smoke",
                failing().criteria(Criteria.of(null, "tests.failed > 1", names)).build(), 2), "smoke");

        assertThat(t.series()).containsExactly("tests.failed");
        assertThat(t.threshold()).hasValue(1);
    }
}
