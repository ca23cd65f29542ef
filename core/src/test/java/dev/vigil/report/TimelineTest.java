package dev.vigil.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Outcome;
import dev.vigil.ProbeLimits;
import dev.vigil.ProbeReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {

    @Test
    void readsTheThresholdComparedWithTheName() {
        assertThat(Timeline.threshold("value > 0.01", "value", false)).hasValue(0.01);
        assertThat(Timeline.threshold("status == 200 && latency < 500ms", "latency", true)).hasValue(500);
        assertThat(Timeline.threshold("latency <= 2s", "latency", true)).hasValue(2000);
        assertThat(Timeline.threshold("value < 1%", "value", false)).hasValue(0.01);
        assertThat(Timeline.threshold("0.5 < value", "value", false)).hasValue(0.5);
        assertThat(Timeline.threshold("value >= -3e2", "value", false)).hasValue(-300);
    }

    @Test
    void ignoresOtherNamesThatMerelyContainTheName() {
        assertThat(Timeline.threshold("body.value > 3", "value", false)).isEmpty();
        assertThat(Timeline.threshold("max_value > 3", "value", false)).isEmpty();
        assertThat(Timeline.threshold("len(value) > 3", "value", false)).isEmpty();
        assertThat(Timeline.threshold(null, "value", false)).isEmpty();
    }

    @Test
    void plotsValueThenLatencyThenStatusThenTheFirstNumber() {
        assertThat(timeline(Map.of("status", 200, "latency", Duration.ofMillis(20))).name()).isEqualTo("latency");
        assertThat(timeline(Map.of("status", 200)).name()).isEqualTo("status");
        assertThat(timeline(Map.of("ok", "yes", "count", 3)).name()).isEqualTo("count");
        assertThat(timeline(Map.of("ok", "yes")).numeric()).isFalse();
    }

    @Test
    void durationsArePlottedInMilliseconds() {
        Timeline t = timeline(Map.of("latency", Duration.ofMillis(812)));

        assertThat(t.unit()).isEqualTo("ms");
        assertThat(t.values()).containsExactly(812.0);
    }

    @Test
    void prefersTheFailConditionsThreshold() {
        ProbeReport probe = new ProbeReport("p", "d", "value < 0.5", "value > 0.9", ProbeLimits.defaults(),
                ProbeReport.Status.PASSED, 1, 0, 0, 0, null, List.of(SampleReports.measurement("p", 1, Outcome.PASS,
                        Map.of("value", 0.1), "ok")));

        Timeline t = Timeline.of(probe);

        assertThat(t.threshold()).isEqualTo(0.9);
        assertThat(t.thresholdSource()).isEqualTo("fail-when: value > 0.9");
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
}
