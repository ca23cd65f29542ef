package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

    @ParameterizedTest
    @CsvSource({
        "500ms, PT0.5S",
        "30s, PT30S",
        "5m, PT5M",
        "1h, PT1H",
        "2d, PT48H",
        "PT30S, PT30S",
        "pt1m30s, PT1M30S",
        "P1DT2H, PT26H",
        "250, PT0.25S",
        "0, PT0S",
        "10us, PT0.00001S",
        "10ns, PT0.00000001S",
        "30S, PT30S",
        "' 45s ', PT45S"})
    void readsEveryDurationFormThatSpringBootReads(String text, String expected) {
        assertThat(Values.duration(text)).contains(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5 minutes", "5x", "1.5s", "s", "P", "ms10", ""})
    void rejectsWhatIsNotADuration(String text) {
        assertThat(Values.duration(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"1MB, 1048576", "512KB, 524288", "2048, 2048", "10B, 10", "1GB, 1073741824", "1mb, 1048576", "1TB, 1099511627776"})
    void readsEverySizeForm(String text, long bytes) {
        assertThat(Values.size(text)).contains(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1 megabyte", "1XB", "1.5MB", "MB"})
    void rejectsWhatIsNotASize(String text) {
        assertThat(Values.size(text)).isEmpty();
    }

    @Test
    void readsBooleansAsSpringDoes() {
        assertThat(Values.bool("TRUE")).contains(true);
        assertThat(Values.bool("yes")).contains(true);
        assertThat(Values.bool("off")).contains(false);
        assertThat(Values.bool("maybe")).isEmpty();
    }

    @Test
    void formatsDurationsAsUsersWriteThem() {
        assertThat(Values.format(Duration.ofMillis(500))).isEqualTo("500ms");
        assertThat(Values.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Values.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Values.format(Duration.ZERO)).isEqualTo("0s");
    }

    @Test
    void everyDurationAndSizeFormBindsThroughAProbe() {
        Map<String, String> props = new java.util.LinkedHashMap<>();
        props.put("vigil.probes.api.type", "http");
        props.put("vigil.probes.api.url", "http://x");
        props.put("vigil.probes.api.pass-when", "status == 200");
        props.put("vigil.probes.api.timeout", "PT3S");
        props.put("vigil.probes.api.retry-backoff", "750");
        props.put("vigil.probes.api.max-body", "512KB");
        props.put("vigil.plan.duration", "2d");
        props.put("vigil.plan.interval", "1h");
        props.put("vigil.plan.initial-delay", "1500ms");
        props.put("vigil.rollback.backoff", "5m");

        BoundConfig config = DesignExampleTest.config().load(props);

        BoundProbe api = config.probes().get(0);
        assertThat(api.measurement().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(api.measurement().retryBackoff()).isEqualTo(Duration.ofMillis(750));
        assertThat(((TestFactories.FakeProbe) api.probe()).settings).containsEntry("max-body", 512L * 1024);
        assertThat(config.plan().duration()).isEqualTo(Duration.ofDays(2));
        assertThat(config.plan().interval()).isEqualTo(Duration.ofHours(1));
        assertThat(config.plan().initialDelay()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.rollbackPolicy().backoff()).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void misspeltKeysAreFoundByEditDistanceWithTranspositions() {
        assertThat(Keys.distance("pas-when", "pass-when")).isEqualTo(1);
        assertThat(Keys.distance("pass-wehn", "pass-when")).isEqualTo(1);
        assertThat(Keys.suggest("durration", java.util.List.of("duration", "interval"))).contains("duration");
        assertThat(Keys.suggest("colour", java.util.List.of("duration", "interval"))).isEmpty();
    }
}
