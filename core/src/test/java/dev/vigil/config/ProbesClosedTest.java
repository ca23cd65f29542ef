package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The probes a configuration makes only to be checked, or that nobody gets because the
 * configuration has problems, are closed: a probe may open a client or threads when it is made.
 */
class ProbesClosedTest {

    /** A probe type whose probes count how often they are closed. */
    private static final class Counting implements ProbeFactory {
        final List<AtomicInteger> closes = new ArrayList<>();

        @Override
        public String type() {
            return "counting";
        }

        @Override
        public List<ConfigKey> keys() {
            return List.of();
        }

        @Override
        public Probe create(ProbeSettings settings) {
            AtomicInteger closed = new AtomicInteger();
            closes.add(closed);
            return new Probe() {
                @Override
                public ProbeResult measure(dev.vigil.ProbeContext context) {
                    return ProbeResult.pass(Map.of(), "ok");
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    private static Map<String, String> probes(String... names) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String name : names) {
            p.put("vigil.probes." + name + ".type", "counting");
        }
        return p;
    }

    private static VigilConfig config(Counting factory) {
        return VigilConfig.builder().environment(Map.of()).serviceLoader(false).probeFactory(factory).build();
    }

    @Test
    void validateClosesTheVerifierItBuildsToCheckTheConfiguration() {
        Counting factory = new Counting();

        ValidationResult result = config(factory).validate(probes("a", "b"));

        assertThat(result.valid()).as(result.report()).isTrue();
        assertThat(factory.closes).hasSize(2).allSatisfy(closed -> assertThat(closed).hasValueGreaterThanOrEqualTo(1));
    }

    @Test
    void probesMadeBeforeAProblemIsFoundAreClosed() {
        Counting factory = new Counting();
        Map<String, String> p = probes("a", "b");
        p.put("vigil.plan.duration", "soon");

        ValidationResult result = config(factory).validate(p);
        assertThat(result.problems()).extracting(ConfigProblem::key).containsExactly("vigil.plan.duration");
        assertThatThrownBy(() -> config(factory).load(p)).isInstanceOf(ConfigurationException.class);

        assertThat(factory.closes).hasSize(4).allSatisfy(closed -> assertThat(closed).hasValue(1));
    }
}
