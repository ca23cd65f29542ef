package dev.vigil.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.Probe;
import dev.vigil.ProbeResult;
import dev.vigil.spi.ConfigKey.Kind;
import dev.vigil.spi.ConfigKey;
import dev.vigil.spi.ProbeFactory;
import dev.vigil.spi.ProbeSettings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A bound probe's own description never shows a secret of its configuration, also when its type
 * shows a setting as it was given and a placeholder put a secret into it.
 */
class BoundProbeSecretsTest {

    private static final String TOKEN = "health-token-5c81e0";

    /** Shows its target verbatim, as a type written without masking in mind would. */
    private static final class Verbatim implements ProbeFactory {
        @Override
        public String type() {
            return "verbatim";
        }

        @Override
        public List<ConfigKey> keys() {
            return List.of(ConfigKey.of("target", Kind.STRING, null, "What to ask."));
        }

        @Override
        public Probe create(ProbeSettings settings) {
            String target = settings.string("target").orElseThrow();
            return new Probe() {
                @Override
                public ProbeResult measure(dev.vigil.ProbeContext context) {
                    return ProbeResult.error("does not measure");
                }

                @Override
                public String description() {
                    return "asks " + target;
                }
            };
        }
    }

    /** A probe whose target holds a secret through a placeholder. */
    private static BoundConfig bind() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "orders");
        p.put("vigil.deployment.version", "1.0.0");
        p.put("vigil.probes.health.type", "verbatim");
        p.put("vigil.probes.health.target", "https://orders.internal/health/${HEALTH_TOKEN}");
        return VigilConfig.builder().environment(Map.of("HEALTH_TOKEN", TOKEN)).serviceLoader(false)
                .probeFactory(new Verbatim()).build().load(p);
    }

    @Test
    void describeAndToStringBlankOutASecretThatAPlaceholderPutIntoASetting() {
        BoundConfig bound = bind();
        BoundProbe probe = bound.probes().get(0);

        assertThat(probe.probe().description()).as("the type's own text is the type's business").contains(TOKEN);
        assertThat(probe.describe()).startsWith("health (verbatim): asks https://orders.internal/health/******; max-failures 0")
                .doesNotContain(TOKEN);
        assertThat(probe.toString()).doesNotContain(TOKEN);
        assertThat(bound.describe()).doesNotContain(TOKEN);
    }

    @Test
    void theDefaultOfASecretPlaceholderIsASecretToo() {
        // ${HEALTH_TOKEN:...} with the variable unset: the default is the token used, and it was shown
        // in describe(), toString() and properties(), where the variable's value is blanked out.
        String fallback = "dev-token-77a1f3";
        Map<String, String> p = new LinkedHashMap<>();
        p.put("vigil.deployment.service", "orders");
        p.put("vigil.deployment.version", "1.0.0");
        p.put("vigil.probes.health.type", "verbatim");
        p.put("vigil.probes.health.target", "https://orders.internal/health/${HEALTH_TOKEN:" + fallback + "}");

        BoundConfig bound = VigilConfig.builder().environment(Map.of()).serviceLoader(false)
                .probeFactory(new Verbatim()).build().load(p);
        BoundProbe probe = bound.probes().get(0);

        assertThat(probe.probe().description()).as("the default is used").contains(fallback);
        assertThat(probe.describe()).startsWith("health (verbatim): asks https://orders.internal/health/******;");
        assertThat(probe.toString()).doesNotContain(fallback);
        assertThat(bound.describe()).doesNotContain(fallback);
        assertThat(bound.properties()).containsEntry("vigil.probes.health.target", "******");
        assertThat(bound.toString()).doesNotContain(fallback);
    }

    @Test
    void aProbeBoundByHandIsEqualToTheSameProbeFromConfiguration() {
        BoundProbe bound = bind().probes().get(0);

        BoundProbe byHand = new BoundProbe(bound.name(), bound.type(), bound.probe(), bound.limits(), bound.measurement());

        assertThat(byHand).isEqualTo(bound).hasSameHashCodeAs(bound);
        assertThat(byHand.describe()).as("made by hand, it knows no secret").contains(TOKEN);
    }
}
