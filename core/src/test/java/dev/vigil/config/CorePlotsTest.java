package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Plot;
import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import dev.vigil.testkit.MapProbeSettings;
import dev.vigil.testkit.TimelinePlot;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the timelines of core's probe types plot, read from the HTML report of a verification. */
class CorePlotsTest {

    private static Probe command(Map<String, String> keys) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.check.type", "command");
        keys.forEach((k, v) -> p.put("vigil.probes.check." + k, v));
        return VigilConfig.builder().serviceLoader(false).build().load(p).probes().get(0).probe();
    }

    @Test
    void aCommandProbePlotsTheExitCodeAgainstTheDefaultCondition() {
        TimelinePlot t = TimelinePlot.in(TimelinePlot.report("check", command(Map.of("command", "exit 3")), 2), "check");

        assertThat(t.series()).containsExactly("exit-code");
        assertThat(t.threshold()).hasValue(0);
        assertThat(t.thresholdTitle()).contains("pass-when: exit-code == 0");
        assertThat(t.pointsY("exit-code", "fail")).isNotEmpty().allSatisfy(y -> assertThat(y).isLessThan(t.thresholdY()));
    }

    @Test
    void aCommandProbeWhoseConditionTestsTheLatencyPlotsTheLatency() {
        Probe probe = command(Map.of("command", "echo ok", "pass-when", "exit-code == 0 && latency < 5s"));

        TimelinePlot t = TimelinePlot.in(TimelinePlot.report("check", probe, 2), "check");

        assertThat(t.series()).containsExactly("latency");
        assertThat(t.threshold()).hasValue(5000);
        assertThat(t.pointsY("latency", "pass")).isNotEmpty().allSatisfy(y -> assertThat(y).isGreaterThan(t.thresholdY()));
    }

    @Test
    void theConstantProbeOfTheTestsPlotsItsValueAgainstItsCondition() {
        Probe probe = new ServiceLoadedFactory().create(MapProbeSettings.of("answer", Map.of("value", "3",
                "fail-when", "value > 2")));

        TimelinePlot t = TimelinePlot.in(TimelinePlot.report("answer", probe, 3), "answer");

        assertThat(t.series()).containsExactly("value");
        assertThat(t.threshold()).hasValue(2);
        assertThat(t.pointsY("value", "fail")).isNotEmpty().allSatisfy(y -> assertThat(y).isLessThan(t.thresholdY()));
    }

    @Test
    void aProbeWhosePlotThrowsStillGetsItsReportWithTheAutomaticPlot() {
        Probe probe = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                return ProbeResult.pass(Map.of("value", 0.5, "count", 3), "ok");
            }

            @Override
            public Plot plot() {
                throw new IllegalStateException("no plot today");
            }
        };

        TimelinePlot t = TimelinePlot.in(TimelinePlot.report("flaky", probe, 2), "flaky");

        assertThat(t.series()).containsExactly("value");
        assertThat(t.points("pass")).isPositive();
    }
}
