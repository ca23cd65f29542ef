package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bare size is bytes, as Spring Boot reads it; every size Vigil reads limits what a probe
 * receives, so a small bare one is a unit left out ({@code max-body=1}: 1MB meant, every answer
 * refused as too large), refused before anything runs.
 */
class BareSizeTest {

    private static VigilConfig config() {
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).probeFactory(TestFactories.HTTP).build();
    }

    private static Map<String, String> health(String maxBody) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.probes.health.type", "http");
        p.put("vigil.probes.health.url", "http://localhost:8080/actuator/health");
        p.put("vigil.probes.health.pass-when", "status == 200");
        p.put("vigil.probes.health.max-body", maxBody);
        return p;
    }

    @Test
    void aBareSizeUnderAKilobyteIsAnErrorNamingTheKeyTheValueAsReadAndTheFix() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> config().load(health("1")));

        assertThat(e).isNotNull();
        assertThat(e.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.key()).isEqualTo("vigil.probes.health.max-body");
            assertThat(problem.value()).isEqualTo("1");
            assertThat(problem.message()).isEqualTo("1 (read as 1 byte: a bare number is bytes) would cut off or refuse almost"
                    + " any answer; write the unit: 1KB or 1MB (or 1B if bytes are really meant)");
        });
        assertThat(config().validate(health("512")).report())
                .contains("vigil.probes.health.max-body: 512 (read as 512 bytes: a bare number is bytes)");
    }

    @ParameterizedTest
    @CsvSource({"512B, 512", "1024, 1024", "0, 0", "2KB, 2048"})
    void aUnitZeroOrAtLeastAKilobyteIsReadAsWritten(String value, long bytes) {
        BoundConfig config = config().load(health(value));

        assertThat(((TestFactories.FakeProbe) config.probes().get(0).probe()).settings).containsEntry("max-body", bytes);
    }
}
