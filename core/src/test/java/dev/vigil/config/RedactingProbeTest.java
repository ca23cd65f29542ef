package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Probe;
import dev.vigil.ProbeContext;
import dev.vigil.ProbeResult;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A configured probe passes on everything its probe says, masked: nothing falls back to a default. */
class RedactingProbeTest {

    @Test
    void everyDefaultMethodOfAProbeIsPassedOnToTheProbeItWraps() {
        // A method left to Probe's default would answer for every configured probe alike: a lookback
        // of zero made the re-check after a rollback judge the version rolled back.
        List<String> notPassedOn = Arrays.stream(Probe.class.getMethods())
                .filter(Method::isDefault)
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .filter(m -> {
                    try {
                        return RedactingProbe.class.getDeclaredMethod(m.getName(), m.getParameterTypes()) == null;
                    } catch (NoSuchMethodException e) {
                        return true;
                    }
                })
                .map(Method::getName).toList();

        assertThat(notPassedOn).isEmpty();
    }

    @Test
    void theLookbackIsTheWrappedProbes() {
        Probe reads = new Probe() {
            @Override
            public ProbeResult measure(ProbeContext context) {
                return ProbeResult.pass(Map.of(), "ok");
            }

            @Override
            public Duration lookback() {
                return Duration.ofMinutes(5);
            }
        };

        assertThat(new RedactingProbe(reads, List.of("s3cr3t")).lookback()).isEqualTo(Duration.ofMinutes(5));
    }
}
