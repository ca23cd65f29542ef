package dev.vigil;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class PlotTest {

    @Test
    void readsTheThresholdTheConditionComparesTheKeyWith() {
        assertThat(threshold(null, "value > 0.01", "value")).isEqualTo(0.01);
        assertThat(threshold("status == 200 && latency < 500ms", null, "latency")).isEqualTo(500);
        assertThat(threshold("latency <= 2s", null, "latency")).isEqualTo(2000);
        assertThat(threshold(null, "value < 1%", "value")).isEqualTo(0.01);
        assertThat(threshold("0.5 < value", null, "value")).isEqualTo(0.5);
        assertThat(threshold(null, "value >= -3e2", "value")).isEqualTo(-300);
        assertThat(threshold("exit-code == 0", null, "exit-code")).isEqualTo(0);
        assertThat(threshold("status >= 200 && status < 400", null, "status")).isEqualTo(400);
        assertThat(threshold("0 <= value && value < 0.01", null, "value")).isEqualTo(0.01);
        assertThat(threshold("value < 0.01 && 0 <= value", null, "value")).isEqualTo(0);
    }

    @Test
    void ignoresOtherNamesThatMerelyContainTheKey() {
        assertThat(Plot.tested("body.value > 3", null, "value")).isEmpty();
        assertThat(Plot.tested("max_value > 3", null, "value")).isEmpty();
        assertThat(Plot.tested("len(value) > 3", null, "value")).isEmpty();
        assertThat(Plot.tested("e-value > 3", null, "value")).isEmpty();
        assertThat(Plot.tested(null, null, "value")).isEmpty();
    }

    @Test
    void prefersTheFailConditionThenTheKeysInTheOrderGiven() {
        Plot plot = Plot.fromConditions("value < 0.5", "value > 0.9", "value");
        assertThat(plot.threshold()).isEqualTo(new Plot.Threshold(0.9, "fail-when: value > 0.9"));

        Plot command = Plot.fromConditions("exit-code == 0 && latency < 2s", null, "latency", "exit-code");
        assertThat(command.keys()).containsExactly("latency");
        assertThat(command.threshold().value()).isEqualTo(2000);
    }

    @Test
    void withoutAComparisonTheFirstKeyIsPlottedWithoutThreshold() {
        Plot plot = Plot.fromConditions("body.status == \"UP\"", null, "latency", "status");

        assertThat(plot.keys()).containsExactly("latency");
        assertThat(plot.threshold()).isNull();
        assertThat(plot.scale()).isEqualTo(Plot.Scale.LINEAR);
    }

    @Test
    void automaticNamesNoSeries() {
        assertThat(Plot.automatic().isAutomatic()).isTrue();
        assertThat(Plot.of("value").isAutomatic()).isFalse();
        assertThat(new Plot.Series("e-value", null).label()).isEqualTo("e-value");
    }

    @Test
    void rejectsWhatCannotBeDrawn() {
        assertThatThrownBy(() -> Plot.of("e-value").withScale(Plot.Scale.LOG).withThreshold(0, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("log scale");
        assertThatThrownBy(() -> Plot.of("value").withThreshold(Double.NaN, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> Plot.of(new Plot.Series("a", "A"), new Plot.Series("a", "B")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("once");
        assertThatThrownBy(() -> new Plot(List.of(), new Plot.Threshold(1, "x"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a plotted series");
        assertThatThrownBy(() -> new Plot.Series(" ", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static double threshold(String passWhen, String failWhen, String key) {
        return Plot.tested(passWhen, failWhen, key).orElseThrow().threshold().value();
    }
}
