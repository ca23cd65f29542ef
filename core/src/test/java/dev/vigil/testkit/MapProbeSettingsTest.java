package dev.vigil.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The map settings read numbers and switches as the configuration binder does, so that a probe
 * factory tested on them cannot pass on readings the real settings do not give.
 */
class MapProbeSettingsTest {

    @Test
    void aSwitchTakesTheBindersAliasesAndAnythingElseIsAProblemNotFalse() {
        MapProbeSettings settings = MapProbeSettings.of("health",
                Map.of("a", "yes", "b", "OFF", "c", " 1 ", "d", "maybe"));
        assertThat(settings.bool("a")).contains(true);
        assertThat(settings.bool("b")).contains(false);
        assertThat(settings.bool("c")).contains(true);
        assertThat(settings.bool("d")).isEmpty();
        assertThat(settings.problems()).containsExactly("vigil.probes.health.d: must be true or false");
    }

    @Test
    void aNumberIsTrimmedAndOneThatIsNoneIsAProblemNotAnException() {
        MapProbeSettings settings = MapProbeSettings.of("health",
                Map.of("retries", " 3 ", "bad", "three", "ratio", "0.5", "nan", "NaN"));
        assertThat(settings.integer("retries")).contains(3);
        assertThat(settings.integer("bad")).isEmpty();
        assertThat(settings.number("ratio")).contains(0.5);
        assertThat(settings.number("nan")).isEmpty();
        assertThat(settings.problems()).containsExactly("vigil.probes.health.bad: must be a whole number",
                "vigil.probes.health.nan: must be a number");
    }
}
