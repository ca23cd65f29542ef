package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Outcome;
import dev.vigil.PassRun;
import dev.vigil.Plot;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void automaticallyPlotsValueThenLatencyThenStatusThenTheFirstNumber() {
        assertThat(timeline(Map.of("status", 200, "latency", Duration.ofMillis(20))).keys()).containsExactly("latency");
        assertThat(timeline(Map.of("status", 200)).keys()).containsExactly("status");
        assertThat(timeline(Map.of("ok", "yes", "count", 3)).keys()).containsExactly("count");
        assertThat(timeline(Map.of("ok", "yes")).numeric()).isFalse();
    }

    @Test
    void durationsArePlottedInMilliseconds() {
        Timeline t = timeline(Map.of("latency", Duration.ofMillis(812)));

        assertThat(t.unit()).isEqualTo("ms");
        assertThat(t.lines().get(0).values()).containsExactly(812.0);
    }

    @Test
    void automaticallyPrefersTheFailConditionsThreshold() {
        ProbeReport probe = new ProbeReport("p", "d", "value < 0.5", "value > 0.9", ProbeLimits.defaults(),
                ProbeReport.Status.PASSED, 1, 0, 0, 0, null, List.of(SampleReports.measurement("p", 1, Outcome.PASS,
                        Map.of("value", 0.1), "ok")));

        Timeline t = Timeline.of(probe);

        assertThat(t.threshold()).isEqualTo(new Plot.Threshold(0.9, "fail-when: value > 0.9"));
    }

    @Test
    void followsThePlotTheProbeNamed() {
        Plot plot = Plot.of(new Plot.Series("canary", "canary mean"), new Plot.Series("baseline", null));
        Timeline t = Timeline.of(withPlot(plot, Map.of("canary", 2.0, "baseline", 1.5, "canary-n", 7)));

        assertThat(t.keys()).containsExactly("canary", "baseline");
        assertThat(t.lines().get(0).label()).isEqualTo("canary mean");
        assertThat(t.lines().get(1).values()).containsExactly(1.5);
    }

    @Test
    void aLogScaleLeavesOutValuesAtOrBelowZero() {
        Plot plot = Plot.of("e-value").withThreshold(20, "1/(1 - confidence)").withScale(Plot.Scale.LOG);
        Timeline t = Timeline.of(withPlot(plot, Map.of("e-value", 0.0)));

        assertThat(t.log()).isTrue();
        assertThat(t.lines().get(0).values()).containsExactly((Double) null);
    }

    @Test
    void theUnitOfSummarisedRunsCountsToo() {
        PassRun run = new PassRun(1, 5, SampleReports.START, SampleReports.START.plusSeconds(40), 5,
                Map.of("latency", new PassRun.ValueRange(10, 12, 15, 5, "ms")));
        ProbeReport probe = new ProbeReport("p", "d", "latency < 1s", null, ProbeLimits.defaults(), null,
                ProbeReport.Status.PASSED, 5, 0, 0, 0, null, List.of(), List.of(run));

        Timeline t = Timeline.of(probe);

        assertThat(t.keys()).containsExactly("latency");
        assertThat(t.unit()).isEqualTo("ms");
        assertThat(t.threshold().value()).isEqualTo(1000);
    }

    @Test
    void formatsNumbersShortly() {
        assertThat(Timeline.format(500)).isEqualTo("500");
        assertThat(Timeline.format(0.031)).isEqualTo("0.031");
        assertThat(Timeline.format(1.0 / 3)).isEqualTo("0.3333");
    }

    private static Timeline timeline(Map<String, ?> values) {
        ProbeReport probe = new ProbeReport("p", "d", "x == 1", null, ProbeLimits.defaults(), ProbeReport.Status.PASSED,
                1, 0, 0, 0, null, List.of(SampleReports.measurement("p", 1, Outcome.PASS, values, "ok")));
        return Timeline.of(probe);
    }

    private static ProbeReport withPlot(Plot plot, Map<String, ?> values) {
        return new ProbeReport("p", "d", null, null, ProbeLimits.defaults(), null, ProbeReport.Status.PASSED, 1, 0, 0, 0,
                null, List.of(SampleReports.measurement("p", 1, Outcome.PASS, values, "ok")), List.of(), plot);
    }
}
